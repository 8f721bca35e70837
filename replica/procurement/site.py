"""The procurement site as the server sees it: answers for paths under ``/ccgp/``, and its truth.

Same shape as the bureau's ``BureauSite``: every path routed to a renderer once, pages rendered
on first request and kept in an LRU cache, faults from ``replica.faults`` (a few detail pages
each, chosen before ``as_of`` hides any).
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import random
import threading
from collections.abc import Callable, Iterable
from typing import Any

from replica import dirty
from replica import faults as fault_rules
from replica import truth as truth_doc
from replica.cache import whole_site
from replica.model import Column, Notice
from replica.pages import (
    Page,
    error_page,
    file_page,
    html_page,
    http_date,
    oversize,
    redirect_page,
)
from replica.procurement import announce, columns, layout, listing, render
from replica.procurement import truth as procurement_truth
from replica.procurement.model import Announcement


class ProcurementSite:
    """中国政府采购网 地方公告 for 湛江市: nine announcement lists and their detail pages."""

    name = columns.SITE
    prefix = columns.PREFIX
    kind = "procurement"
    cms = "trs (ccgp vF_detail)"
    columns = columns.COLUMNS
    #: Base URL of the other origin ``offsite-redirect`` pages move to (set by the server).
    offsite_base: str | None = None

    def __init__(
        self,
        *,
        scale: int | None = None,
        as_of: dt.date | None = None,
        faults: Iterable[str] = (),
        seed: int = 2006,
    ) -> None:
        self.projects, everything = announce.build(scale, seed)
        assign_faults([a.notice for a in everything], fault_rules.parse(faults), seed)
        # Ids and faults were dealt in the planned order; lists go by publication (they differ
        # only for the few announcements a seeded violation moved).
        everything.sort(key=lambda a: a.draft.published)
        self.announcements = [
            a for a in everything if as_of is None or a.notice.publish_date <= as_of
        ]
        self.notices: list[Notice] = [a.notice for a in self.announcements]
        newest_first = self.announcements[::-1]
        self.by_column = {
            c: [a for a in newest_first if a.notice.column == c] for c in self.columns
        }
        self.routes: dict[str, tuple[str, Callable[[], Page]]] = {}
        self.details: dict[str, Announcement] = {}
        self._build_routes()
        self._cached = whole_site(self._render, len(self.routes))
        self._flaky_seen: set[str] = set()
        self._lock = threading.Lock()

    # -- answering -------------------------------------------------------------------------
    def handle(self, path: str, query: dict[str, str]) -> Page:
        """The answer for ``path`` (relative to the prefix); the query is not used."""
        del query
        if path not in self.routes:
            return error_page(404, "other")
        page = self._cached(path)
        announcement = self.details.get(path)
        if announcement and announcement.notice.fault:
            return self._dynamic_fault(path, announcement.notice.fault, page)
        return page

    def robots_disallow(self) -> list[str]:
        return []

    def truth(self, base_url: str) -> tuple[dict, list[dict]]:
        """This site's entry in ``sites`` and its announcements' records, list by list."""
        site_base = base_url + self.prefix
        records = [
            procurement_truth.record(a, site_base) for c in self.columns for a in self.by_column[c]
        ]
        return truth_doc.site_entry(self, base_url), records

    def procurement_projects(self, base_url: str) -> list[dict[str, Any]]:
        """The ``procurement_projects`` entries of the truth."""
        site_base = base_url + self.prefix
        return procurement_truth.projects(self.projects, self.announcements, site_base)

    def printed_dates(self, base_url: str) -> dict[str, dict[str, Any]]:
        """Dates pages print that their records have no field for, by URL: a tender's 获取招标文件
        period (``documents``: first and last day; single-source 公示 print none) and an
        award's 中标/成交日期 (``determined``, in the summary table of every award page)."""
        site_base = base_url + self.prefix
        by_serial = {p.serial: p for p in self.projects}
        printed: dict[str, dict[str, Any]] = {}
        for announcement in self.announcements:
            draft = announcement.draft
            if draft.kind not in ("tender", "award"):
                continue
            project = by_serial[draft.projects[0]]
            url = site_base + announcement.notice.path
            if draft.kind == "tender" and project.method != "单一来源":
                printed[url] = {"documents": project.docs}
            elif draft.kind == "award" and project.determined:
                printed[url] = {"determined": project.determined}
        return printed

    def _render(self, path: str) -> Page:
        kind, make = self.routes[path]
        page = make()
        return page if page.kind == kind else page.but(kind=kind)

    def _dynamic_fault(self, path: str, fault: str, page: Page) -> Page:
        if fault == "flaky":
            with self._lock:
                first = path not in self._flaky_seen
                self._flaky_seen.add(path)
            return error_page(500, "detail") if first else page
        if fault == "slow":
            delay = float(os.environ.get(fault_rules.SLOW_ENV, fault_rules.SLOW_DEFAULT))
            return page.but(delay=delay)
        if fault == "offsite-redirect" and self.offsite_base:
            return redirect_page(self.offsite_base + self.prefix + path, "detail")
        return page

    # -- routing ---------------------------------------------------------------------------
    def _build_routes(self) -> None:
        home = functools.partial(layout.home, self.prefix)
        for path in ("", columns.HOME):
            self.routes[path] = ("other", lambda: html_page(home()))
        for name, path in columns.CHANNELS.items():
            page = functools.partial(layout.channel, self.prefix, name, path)
            self.routes[path] = ("other", lambda page=page: html_page(page()))
        for column in self.columns:
            self._column_routes(column)
        for announcement in self.announcements:
            self._detail_routes(announcement)

    def _column_routes(self, column: Column) -> None:
        location = (("Location", self.prefix + column.path),)
        self.routes[column.dir] = ("other", lambda: Page(301, b"", "text/html", "other", location))
        items = self.by_column[column]
        count = listing.page_count(len(items))
        for index in range(count):
            chunk = items[index * listing.PER_PAGE : (index + 1) * listing.PER_PAGE]
            make = functools.partial(listing.list_page, column, chunk, index, count, self.prefix)
            self.routes[column.dir + columns.page_name(index)] = (
                "list",
                lambda make=make: html_page(make(), "list"),
            )

    def _detail_routes(self, announcement: Announcement) -> None:
        notice = announcement.notice
        self.routes[notice.path] = (
            "detail",
            functools.partial(detail_page, announcement, self.prefix),
        )
        self.details[notice.path] = announcement
        for attachment in notice.attachments:
            serve = functools.partial(file_page, notice, attachment)
            self.routes[attachment.path] = ("attachment", serve)


def detail_page(announcement: Announcement, prefix: str) -> Page:
    """An announcement's page with its fault (if any) applied, as ``pages.detail_page`` does."""
    notice = announcement.notice
    fault = notice.fault
    if fault in ("http404", "http500"):
        return error_page(int(fault[4:]), "detail")
    if fault == "challenge":
        return html_page(fault_rules.challenge_page(notice.key), "detail")
    html = render.detail(announcement, prefix, show_date=fault != "missing-date")
    if fault == "malformed":
        html = fault_rules.malform(html)
    body = html.encode("utf-8")
    if fault == "bad-bytes":
        body = fault_rules.bad_bytes(body, dirty.title(notice.title, notice.key))
    headers = () if fault == "missing-date" else (("Last-Modified", http_date(notice)),)
    return oversize(Page(200, body, "text/html; charset=utf-8", "detail", headers), notice)


def assign_faults(notices: list[Notice], faults: tuple[str, ...], seed: int) -> None:
    """Mark a few announcements with each requested fault (at most one each), as the bureau."""
    count = fault_rules.per_fault(len(notices))
    for name in (f for f in faults if f in fault_rules.FAULTS):  # breakages: the bureau's
        rng = random.Random(f"{seed}:ccgp:fault:{name}")
        free = [n for n in notices if n.fault is None]
        fault_rules.mark(rng.sample(free, min(count, len(free))), name)
