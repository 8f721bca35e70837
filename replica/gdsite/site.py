"""One site of the Guangdong site group as the server sees it: answers and truth.

Paths (relative to the site's prefix ``/gd/<host>/<path>``): the home page (``""``,
``index.html``), channel pages of breadcrumb levels, column lists ``<column>/index.html``,
``index_2.html`` … (the bare directory answers like ``index.html``), articles
``<column>/content/post_<N>.html`` and ``mpost_<N>.html``, ``attachment/…`` and ``img/…``
files, ``gkmlpt/index``, ``gkmlpt/api/all/<catId>?page=<n>&sid=<SID>`` and
``gkmlpt/content/<N//1e6>/<N//1e3>/post_<N>.html``. The replica's faults do not apply here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.utils
import functools
from collections.abc import Callable, Iterable

from replica import edits as edit_lib
from replica.cache import whole_site
from replica.gdsite import body, build, files, gkpages, listing, themes, truth
from replica.gdsite.catalog import Catalog
from replica.gdsite.model import (
    CST,
    Attach,
    Doc,
    attachment_path,
    gkmlpt_path,
    image_path,
    post_path,
)
from replica.gdsite.spec import SITES, GdColumn, SiteSpec
from replica.pages import HTML_UTF8, Page, error_page, html_page

API = "gkmlpt/api/all/"


class GdSite:
    """A site of the group: NFCMS column pages and the gkmlpt catalogue over one set of posts."""

    kind = "site-group"
    cms = "nfcms+gkmlpt"
    #: Set by the server with the offsite-redirect fault; unused (no faults apply here).
    offsite_base: str | None = None

    def __init__(
        self,
        spec: SiteSpec,
        *,
        scale: int | None = None,
        as_of: dt.date | None = None,
        faults: Iterable[str] = (),
        seed: int = 2006,
        edits: float = 0.0,
    ) -> None:
        del faults  # the replica's faults are not applied to the site group
        self.spec = spec
        self.name, self.prefix, self.columns = spec.name, spec.prefix, spec.columns
        everything = build.build_docs(spec, scale, seed)
        self.docs = [d for d in everything if as_of is None or d.publish_date <= as_of]
        if edits:
            self.docs = [_edited(d, seed, as_of, edits) for d in self.docs]
        self.catalog = Catalog(spec, self.docs, seed)
        #: The documents with a record: in a column, or served by the list API.
        self.notices = [d for d in self.docs if truth.reachable(d, self.catalog)]
        newest = self.docs[::-1]
        self.by_column = {c.path: [d for d in newest if d.column == c] for c in spec.columns}
        self.routes: dict[str, tuple[str, Callable[[], Page]]] = {}
        self._build_routes()
        self._cached = whole_site(self._render, len(self.routes))
        self._body = whole_site(self._body_html, len(self.docs))

    # -- answering -------------------------------------------------------------------------
    def handle(self, path: str, query: dict[str, str]) -> Page:
        """The answer for ``path`` (relative to the prefix) with its query parameters."""
        if path.startswith(API):
            return self.catalog.answer(path[len(API) :], query)
        if path not in self.routes:
            return error_page(404, "other")
        return self._cached(path)

    def robots_disallow(self) -> list[str]:
        return []

    def procurement_projects(self, base_url: str) -> list[dict]:
        del base_url
        return []

    def truth(self, base_url: str) -> tuple[dict, list[dict]]:
        """This site's entry in ``sites`` and its records, column by column (newest first),
        then the documents only gkmlpt lists."""
        site_base = base_url + self.prefix
        ordered = [d for c in self.spec.columns for d in self.by_column[c.path]]
        ordered += [d for d in self.docs[::-1] if d.column is None and d in self.notices]
        records = [truth.record(self.spec, self.catalog, d, site_base) for d in ordered]
        entry = truth.site_entry(self.spec, self.catalog, base_url, len(records))
        return entry, records

    def _render(self, path: str) -> Page:
        kind, make = self.routes[path]
        page = make()
        return page if page.kind == kind else page.but(kind=kind)

    def _body_html(self, post_id: int) -> str:
        return body.render(self._doc[post_id], self.spec.theme, self.prefix)

    # -- routing ---------------------------------------------------------------------------
    def _build_routes(self) -> None:
        spec = self.spec
        self._doc = {d.post_id: d for d in self.docs}
        for path in ("", "index.html"):
            self.routes[path] = ("other", lambda: html_page(listing.home(spec)))
        for column in spec.columns:
            for name, path in column.trail:
                if path and not path.startswith("/") and path not in self.routes:
                    make = functools.partial(listing.channel, spec, name, path)
                    self.routes[path] = ("other", _html(make))
            self._column_routes(column)
        self.routes["gkmlpt/index"] = ("other", _html(lambda: gkpages.index(spec, self.catalog)))
        for doc in self.docs:
            self._doc_routes(doc)

    def _column_routes(self, column: GdColumn) -> None:
        docs, size = self.by_column[column.path], self.spec.per_page
        count = max(1, -(-len(docs) // size))
        for index in range(1, count + 1):
            chunk = docs[(index - 1) * size : index * size]
            make = functools.partial(listing.list_page, self.spec, column, chunk, index, count)
            self.routes[column.path + listing.page_name(index)] = ("list", _html(make))
        self.routes[column.path] = self.routes[column.path + "index.html"]

    def _doc_routes(self, doc: Doc) -> None:
        pid = doc.post_id
        if doc.column is not None:
            for mobile in (False, True):
                make = functools.partial(self._article, doc, mobile)
                self.routes[post_path(doc.column, pid, mobile)] = ("detail", make)
        if doc.leaf is not None:
            self.routes[gkmlpt_path(pid)] = ("detail", functools.partial(self._gk_page, doc))
        for att in doc.attachments:
            serve = functools.partial(_file, doc, att)
            self.routes[attachment_path(att.aid, pid, att.ext)] = ("attachment", serve)
        for img in doc.images:
            serve = functools.partial(_image, f"{doc.key}:{img.iid}")
            self.routes[image_path(img.iid, pid)] = ("other", serve)

    def _article(self, doc: Doc, mobile: bool) -> Page:
        render = themes.mobile if mobile else themes.article
        html = render(self.spec, doc, self._body(doc.post_id))
        return html_page(html, "detail").but(headers=_modified(doc))

    def _gk_page(self, doc: Doc) -> Page:
        html = gkpages.content(self.spec, self.catalog, doc, self._body(doc.post_id))
        return html_page(html, "detail").but(headers=_modified(doc))


def _html(make: Callable[[], str]) -> Callable[[], Page]:
    return lambda: Page(200, make().encode("utf-8"), HTML_UTF8, "other")


def _file(doc: Doc, att: Attach) -> Page:
    words = doc.title.removesuffix(edit_lib.TITLE_MARK)  # the file stays as first published
    data = files.content(att.name, att.ext, f"{doc.key}:{att.aid}", words)
    return Page(200, data, files.mime(att.ext), "attachment", _modified(doc))


def _modified(doc: Doc) -> tuple[tuple[str, str], ...]:
    """A Last-Modified header: the publication moment, or the edit's."""
    local = edit_lib.moment(doc.edited) if doc.edited else doc.moment
    moment = local.replace(tzinfo=CST).astimezone(dt.UTC)
    return (("Last-Modified", email.utils.format_datetime(moment, usegmt=True)),)


def _edited(doc: Doc, seed: int, as_of: dt.date | None, share: float) -> Doc:
    """The document as served as of ``as_of``: edited in place if its edit day has come."""
    day = edit_lib.edit_day(doc.key, doc.publish_date, seed, share)
    if not edit_lib.shown(day, as_of):
        return doc
    return dataclasses.replace(
        doc, title=doc.title + edit_lib.TITLE_MARK, body=(*doc.body, edit_lib.NOTE), edited=day
    )


def _image(key: str) -> Page:
    return Page(200, files.png(key), "image/png", "other")


def make_sites(
    *,
    scale: int | None = None,
    as_of: dt.date | None = None,
    faults: Iterable[str] = (),
    seed: int = 2006,
    edits: float = 0.0,
) -> list[GdSite]:
    """The four site-group replicas (湛江, 中山市财政局, 江门市财政局, 肇庆)."""
    options = {"scale": scale, "as_of": as_of, "faults": faults, "seed": seed, "edits": edits}
    return [GdSite(spec, **options) for spec in SITES]
