"""广东省政府采购网 as the server sees it: the JSON API, attachment files and 403 page routes
under ``/gdgpo/``, and the site's truth.

Same shape as the other sites (``name``, ``prefix``, ``notices``, ``handle``, ``truth`` …).
List answers are computed per request (a filter over the announcements, newest first);
detail answers are rendered once and kept in an LRU cache. Faults are not applied here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from replica import files
from replica import truth as truth_doc
from replica.cache import whole_site
from replica.gdgpo import announce, answers, codes
from replica.gdgpo import truth as gdgpo_truth
from replica.gdgpo.content import content
from replica.model import Column, Notice
from replica.pages import Page


def _columns() -> tuple[Column, ...]:
    """One "column" per documented noticeType prefix: the list filtered by it."""
    return tuple(
        Column(t.name, f"{codes.LIST_PATH}?noticeType={t.prefix}", codes.FAMILY, ())
        for t in codes.NOTICE_TYPES
    )


class GdgpoSite:
    """广东省政府采购网's public JSON API: 湛江's announcements and fewer of other cities."""

    name = codes.SITE
    prefix = codes.PREFIX
    kind = "procurement"
    cms = "gpcms JSON API"
    columns = _columns()
    #: Set by the server with the ``offsite-redirect`` fault; not used here.
    offsite_base: str | None = None

    def __init__(
        self,
        *,
        scale: int | None = None,
        as_of: dt.date | None = None,
        faults: Iterable[str] = (),
        seed: int = 2006,
    ) -> None:
        del faults  # no fault applies to this site
        self.projects, everything = announce.build(scale, seed)
        # Ids were drawn in the planned order; the site goes by publication (they differ only
        # for the few announcements a seeded violation moved).
        everything.sort(key=lambda e: e.draft.published)
        self.entries = [e for e in everything if as_of is None or e.notice.publish_date <= as_of]
        self.notices: list[Notice] = [e.notice for e in self.entries]
        order = {e.uid: i for i, e in enumerate(self.entries)}
        self.newest_first = sorted(self.entries, key=lambda e: (e.moment, order[e.uid]))[::-1]
        self.by_id = {e.uid: e for e in self.entries}
        self.files = {a.path: (e, a) for e in self.entries for a in e.notice.attachments}
        self._detail = whole_site(self._render_detail, len(self.entries))
        self._listing = answers.Listing(self.newest_first)

    # -- answering -------------------------------------------------------------------------
    def handle(self, path: str, query: dict[str, str]) -> Page:
        """The answer for ``path`` (relative to the prefix) and its query (or POST form)."""
        if path == codes.LIST_PATH:
            return answers.list_answer(self._listing, query)
        if path == codes.DETAIL_PATH:
            return self._detail(query.get("id", ""))
        if path in self.files:
            return self._file(path)
        if path.startswith(codes.API):
            return answers.error("404", "接口不存在", "other", 404)
        return answers.forbidden()  # the SPA's page routes, opened directly

    def robots_disallow(self) -> list[str]:
        return []

    def truth(self, base_url: str) -> tuple[dict, list[dict]]:
        """This site's entry in ``sites`` (with its ``procurement_projects``: see the README)
        and its announcements' records, oldest first."""
        site_base = base_url + self.prefix
        entry = truth_doc.site_entry(self, base_url)
        entry["procurement_projects"] = self.projects_truth(base_url)
        return entry, [gdgpo_truth.record(e, site_base) for e in self.entries]

    def procurement_projects(self, base_url: str) -> list[dict[str, Any]]:
        """Nothing in the truth's top-level list (the ccgp tests read it as ccgp's alone)."""
        del base_url
        return []

    def projects_truth(self, base_url: str) -> list[dict[str, Any]]:
        """This site's projects, as the ccgp truth's ``procurement_projects``."""
        return gdgpo_truth.projects(self.projects, self.entries, base_url + self.prefix)

    def printed_dates(self, base_url: str) -> dict[str, dict[str, Any]]:
        """Dates the content prints that the record has no field for, by URL: the 获取招标文件
        period of a tender (and the 获取资格预审文件 period of a 资格预审公告: ``documents``, first
        and last day). Award contents print no 中标日期 and no 评审日期."""
        site_base = base_url + self.prefix
        return {
            site_base + e.notice.path: {"documents": e.project.docs}
            for e in self.entries
            if e.draft.kind == "tender" and e.project and e.project.method != "单一来源"
        }

    def _render_detail(self, uid: str) -> Page:
        entry = self.by_id.get(uid)
        return answers.detail_answer(entry, content(entry) if entry else "")

    def _file(self, path: str) -> Page:
        entry, _ = self.files[path]
        name = path.rsplit("/", 1)[1]
        body = files.content(name, entry.notice.key + path)
        return Page(200, body, files.mime(name), "attachment")
