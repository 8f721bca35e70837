"""The bureau site as the server sees it: answers for paths under ``/czj/``, and its truth.

Every path is routed to a renderer once (``routes``); pages are rendered on first request and
kept in an LRU cache so memory stays bounded at benchmark scale.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import os
import threading
from collections.abc import Callable, Iterable

from replica import attachment_cases, bureau, chrome, render_hanweb, render_trs, truth
from replica import edits as edit_lib
from replica import faults as fault_rules
from replica import history as history_lib
from replica.cache import whole_site
from replica.model import Attachment, Column, Notice
from replica.pages import (
    Page,
    detail_page,
    error_page,
    file_page,
    html_page,
    list_page,
    redirect_page,
)

DOWNLOAD = "module/download/downfile.jsp"


class BureauSite:
    """湛江市财政局: TRS portal columns and the Hanweb 政务公开目录 on one site."""

    name = bureau.SITE
    prefix = bureau.PREFIX
    kind = "bureau"
    cms = "trs+hanweb"
    columns = bureau.COLUMNS
    #: Base URL of the other origin ``offsite-redirect`` pages move to (set by the server).
    offsite_base: str | None = None

    def __init__(
        self,
        *,
        scale: int | None = None,
        as_of: dt.date | None = None,
        faults: Iterable[str] = (),
        seed: int = 2006,
        edits: float = 0.0,
        history: float = 0.0,
    ) -> None:
        everything = bureau.build_notices(scale, seed)
        fault_rules.assign(everything, fault_rules.parse(faults), seed)
        self.breakage = fault_rules.Breakage.of(fault_rules.parse(faults), everything)
        waf_after = self.breakage.waf_after
        self.waf = fault_rules.Waf(waf_after) if waf_after is not None else None
        self.notices = [n for n in everything if as_of is None or n.publish_date <= as_of]
        #: ``bad-attachments``: the cases by path, linked from one notice (attachment_cases.py).
        self.cases: dict[str, attachment_cases.Case] = {}
        if attachment_cases.FAULT in fault_rules.parse(faults):
            self._link_cases(everything)
        if edits:
            self.notices = [_edited(n, seed, as_of, edits) for n in self.notices]
        if history:
            self.notices = [history_lib.as_of(n, seed, history, as_of) for n in self.notices]
        newest_first = [n for n in self.notices[::-1] if n.withdrawn is None]
        self.by_column = {c: [n for n in newest_first if n.column == c] for c in self.columns}
        self.withdrawn = [n for n in self.notices if n.withdrawn is not None]
        self.routes: dict[str, tuple[str, Callable[[], Page]]] = {}
        self.details: dict[str, Notice] = {}
        self.downloads: dict[str, tuple[Notice, Attachment]] = {}
        self._case_downloads: dict[str, Callable[[], Page]] = {}
        self._build_routes()
        self._cached = whole_site(self._render, len(self.routes))
        self._flaky_seen: set[str] = set()
        self._lock = threading.Lock()

    # -- answering -------------------------------------------------------------------------
    def handle(self, path: str, query: dict[str, str]) -> Page:
        """The answer for ``path`` (relative to the prefix) with its query parameters."""
        if self.waf is not None and self.waf.refuses():
            kind = "list" if path == render_hanweb.PROXY else self.routes.get(path, ("other",))[0]
            return html_page(fault_rules.waf_page(), kind, fault_rules.WAF_STATUS)
        if path == render_hanweb.PROXY:
            return self._proxy(query)
        if path == DOWNLOAD:
            return self._download(query.get("filename", ""))
        if path not in self.routes:
            return error_page(404, "other")
        notice = self.details.get(path)
        if notice is not None and self.breakage.maintenance:
            page = html_page(
                fault_rules.maintenance_page(), "detail", fault_rules.MAINTENANCE_STATUS
            )
            return page.but(headers=(("Retry-After", fault_rules.MAINTENANCE_RETRY_AFTER),))
        page = self._cached(path)
        return self._dynamic_fault(path, notice, page) if notice and notice.fault else page

    def robots_disallow(self) -> list[str]:
        return [self.prefix + "search/"]

    def procurement_projects(self, base_url: str) -> list[dict]:
        """The bureau publishes no procurement projects (the procurement site does)."""
        del base_url
        return []

    def truth(self, base_url: str) -> tuple[dict, list[dict]]:
        """This site's entry in ``sites`` and its notices' records, column by column."""
        site_base = base_url + self.prefix
        records = [
            truth.notice_record(n, self.name, site_base)
            for column in self.columns
            for n in self.by_column[column]
        ]
        records += [truth.notice_record(n, self.name, site_base) for n in self.withdrawn]
        self.breakage.apply_truth(records)
        entry = truth.site_entry(self, base_url)
        cased = next((n for n in self.notices if n.path in self._cased), None)
        if cased is not None:
            entry["attachment_files"] = attachment_cases.truth(cased, self.cases, site_base)
        if self.breakage.describe():
            entry["breakages"] = self.breakage.describe()
        return entry, records

    _cased: frozenset[str] = frozenset()

    def _link_cases(self, everything: list[Notice]) -> None:
        """Link every bad attachment from the newest healthy TRS notice published by then (the
        same one whatever ``as_of``, once it is published)."""
        healthy = [n for n in everything if n.fault is None and n.column.family == "trs"]
        if not healthy:
            return
        target = healthy[len(healthy) // 2]
        if target not in self.notices:
            return
        linked, self.cases = attachment_cases.attach(target)
        self.notices = [linked if n is target else n for n in self.notices]
        self._cased = frozenset({target.path})

    def _render(self, path: str) -> Page:
        kind, make = self.routes[path]
        page = make()
        return page if page.kind == kind else page.but(kind=kind)

    def _dynamic_fault(self, path: str, notice: Notice, page: Page) -> Page:
        if notice.fault == "flaky":
            with self._lock:
                first = path not in self._flaky_seen
                self._flaky_seen.add(path)
            return error_page(500, "detail") if first else page
        if notice.fault == "slow":
            delay = float(os.environ.get(fault_rules.SLOW_ENV, fault_rules.SLOW_DEFAULT))
            return page.but(delay=delay)
        if notice.fault == "offsite-redirect" and self.offsite_base:
            return redirect_page(self.offsite_base + self.prefix + path, "detail")
        return page

    # -- routing ---------------------------------------------------------------------------
    def _build_routes(self) -> None:
        home = functools.partial(chrome.home, self.prefix, self.columns, bureau.CHANNELS)
        for path in ("", chrome.HOME):
            self.routes[path] = ("other", lambda: html_page(home()))
        for name, path in bureau.CHANNELS.items():
            self.routes[path] = ("other", functools.partial(self._channel, name))
        self.routes["search/"] = ("other", lambda: html_page(chrome.search(self.prefix)))
        for column in self.columns:
            self._column_routes(column)
        for notice in self.notices:
            self._notice_routes(notice)

    def _column_routes(self, column: Column) -> None:
        items = self._listed(column)
        if column.family == "hanweb":
            args = (column, items, len(items), self.prefix, self.columns)
            self.routes[column.path] = ("list", self._list_maker(render_hanweb.list_page, *args))
            return
        per_page = render_trs.PER_PAGE
        count = max(1, -(-len(items) // per_page))
        for index in range(count):
            chunk = items[index * per_page : (index + 1) * per_page]
            args = (column, chunk, index, count, self.prefix, self.columns)
            path = column.dir + render_trs.page_name(index)
            self.routes[path] = ("list", self._list_maker(render_trs.list_page, *args))

    @staticmethod
    def _list_maker(
        render: Callable[..., str], column: Column, *args: object
    ) -> Callable[[], Page]:
        return lambda: list_page(render(column, *args), column)

    def _notice_routes(self, notice: Notice) -> None:
        if notice.withdrawn in history_lib.GONE_STATUSES:  # the page answers 404/410, files 404
            self.routes[notice.path] = (
                "detail",
                functools.partial(error_page, notice.withdrawn, "detail"),
            )
            return
        redesigned = notice.column.name == self.breakage.redesigned
        render = functools.partial(
            detail_page, notice, self.prefix, self.columns, redesigned=redesigned
        )
        self.routes[notice.path] = ("detail", render)
        self.details[notice.path] = notice
        for attachment in notice.attachments:
            case = self.cases.get(attachment.path)
            if case is not None:
                self._case_route(notice, attachment.path, case)
            elif attachment.path.startswith(DOWNLOAD):
                self.downloads[attachment.path.rsplit("filename=", 1)[1]] = (notice, attachment)
            else:
                serve = functools.partial(file_page, notice, attachment)
                self.routes[attachment.path] = ("attachment", serve)

    def _case_route(self, notice: Notice, path: str, case: attachment_cases.Case) -> None:
        serve = functools.partial(attachment_cases.page, case, notice)
        if case.download is not None:
            self.downloads[case.download] = (notice, Attachment(case.name, path))
            self._case_downloads[case.download] = serve
        else:
            self.routes[path] = ("attachment", serve)

    def _channel(self, name: str) -> Page:
        children = tuple(c for c in self.columns if c.trail and c.trail[-1][0] == name)
        return html_page(chrome.channel(self.prefix, name, children, self.columns))

    def _listed(self, column: Column) -> list[Notice]:
        """The notices a column's lists show: none when ``empty-column`` broke it."""
        return [] if column.name == self.breakage.emptied else self.by_column[column]

    # -- Hanweb's dynamic endpoints ----------------------------------------------------------
    def _proxy(self, query: dict[str, str]) -> Page:
        """``dataproxy.jsp?startrecord=46&endrecord=90&perpage=15&columnid=2802``: records 46-90."""
        column = next((c for c in self.columns if str(c.col_id) == query.get("columnid")), None)
        try:
            start = int(query.get("startrecord", "1"))
            end = int(query.get("endrecord", str(start + 3 * render_hanweb.PER_PAGE - 1)))
        except ValueError:
            return error_page(400, "list")
        if column is None or column.family != "hanweb":
            return error_page(404, "list")
        items = self._listed(column)
        xml = render_hanweb.proxy(items[max(start, 1) - 1 : max(end, 0)], len(items), self.prefix)
        return Page(200, xml.encode("utf-8"), "text/xml;charset=UTF-8", "list")

    def _download(self, filename: str) -> Page:
        if filename in self._case_downloads:
            return self._case_downloads[filename]()
        if filename not in self.downloads:
            return error_page(404, "attachment")
        notice, attachment = self.downloads[filename]
        return file_page(notice, attachment, download=filename)


def _edited(notice: Notice, seed: int, as_of: dt.date | None, share: float) -> Notice:
    """The notice as served as of ``as_of``: edited in place if its edit day has come."""
    day = edit_lib.edit_day(notice.key, notice.publish_date, seed, share)
    if notice.fault or not edit_lib.shown(day, as_of):
        return notice
    return dataclasses.replace(
        notice,
        title=notice.title + edit_lib.TITLE_MARK,
        body=(*notice.body, edit_lib.NOTE),
        edited=day,
    )
