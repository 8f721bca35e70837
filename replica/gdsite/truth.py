"""A site-group site's truth: one record per post id, merged as docs/sites.md says.

``url`` is the column page when the document sits in a column, else the gkmlpt content page.
Where the list API serves the document (``sources`` holds ``gkmlpt``), its catalogue fields
win: ``created_at`` → publish_date / publish_time, ``date`` → doc_date, ``document_number``,
``identifier``, ``publisher`` when given and non-empty. Otherwise the page's values: the
column page shows 来源 (→ publisher), the date and (湛江 and 江门 themes) the time; it shows no
文号, 索引号 or 成文日期 (→ null). ``category``: the column, else ``classify_main_name``.
A document gkmlpt holds but does not serve (past the slice) and that sits in no column cannot
be reached: it has no record. Values are clean, as the other sites' truth.
"""

from __future__ import annotations

from typing import Any

from replica.gdsite.catalog import PER_PAGE, Catalog
from replica.gdsite.model import Doc, attachment_path, page_path
from replica.gdsite.spec import SiteSpec
from replica.gdsite.themes import SHOWS_TIME

#: List API fields that may be left out, where the record then falls back to the page.
PAGE_FALLBACK = ("identifier", "created_at", "publisher")


def reachable(doc: Doc, catalog: Catalog) -> bool:
    """In a column, or served by the list API."""
    return doc.column is not None or catalog.is_served(doc)


def record(spec: SiteSpec, catalog: Catalog, doc: Doc, site_base: str) -> dict[str, Any]:
    """The clean record an archive should hold for the document."""
    listed = catalog.is_served(doc)
    given = {"date", *PAGE_FALLBACK} - doc.absent if listed else set()
    timed = "created_at" in given or (doc.column is not None and SHOWS_TIME[spec.theme])
    sources = (["column"] if doc.column else []) + (["gkmlpt"] if listed else [])
    category = doc.column.name if doc.column else doc.leaf.name if doc.leaf else None
    edited = {"edited": doc.edited.isoformat()} if doc.edited else {}  # only with --edits
    return {
        "url": site_base + page_path(doc),
        "site": spec.name,
        "kind": "notice",
        "category": category,
        "title": doc.title,
        "publish_date": doc.publish_date.isoformat(),
        "publish_time": f"{doc.moment:%H:%M}" if timed else None,
        "publisher": doc.publisher if "publisher" in given else doc.source,
        "author": None,
        "doc_number": doc.doc_number if listed and doc.gk_doc_number else None,
        "index_number": doc.identifier if "identifier" in given else None,
        "doc_date": doc.doc_date.isoformat() if "date" in given else None,
        "body_text": doc.body_text,
        "attachments": [
            {"name": a.name, "url": site_base + attachment_path(a.aid, doc.post_id, a.ext)}
            for a in doc.attachments
        ],
        "procurement": None,
        "fault": None,
        "expect": "stored",
        "post_id": doc.post_id,
        "sources": sources,
        **edited,
    }


def site_entry(spec: SiteSpec, catalog: Catalog, base_url: str, documents: int) -> dict:
    """The site's entry in ``sites``: enough to build a crawler profile."""
    categories = [
        {"id": c.id, "name": c.name, "parent": c.parent, "post_count": catalog.post_count[c.id],
         "served": len(catalog.served(c.id)),
         "leaf": not any(k.parent == c.id for k in spec.categories)}
        for c in spec.categories if not c.jump_url
    ]  # fmt: skip
    return {
        "name": spec.name,
        "base_url": base_url + spec.prefix,
        "real_base_url": spec.real_base,
        "kind": "site-group",
        "cms": "nfcms+gkmlpt",
        "theme": spec.theme,
        "sid": str(spec.sid),
        "bureau": spec.org,
        "documents": documents,
        "columns": [
            {"name": c.name, "path": c.list_path, "family": "nfcms", "cat_id": c.cat_id}
            for c in spec.columns
        ],
        "gkmlpt": {
            "index": "gkmlpt/index",
            "api": "gkmlpt/api/all/{id}?page={page}&sid=" + str(spec.sid),
            "per_page": PER_PAGE,
            "served_pages": spec.served_pages,
            "served": len(catalog.served(0)),
            "post_count": catalog.post_count[0],
        },
        "categories": categories,
        "jump_nodes": [
            {"id": c.id, "name": c.name, "jump_url": c.jump_url}
            for c in spec.categories
            if c.jump_url
        ],
    }
