"""The national-spec ``<meta name=...>`` tags of 政府网站 pages (SiteName, ColumnName, ArticleTitle,
PubDate, ContentSource ...). Older templates lack them; callers fall back to visible markup.
"""

from __future__ import annotations

from lxml import etree

from pipeline.extract.text import short_text

META_NAMES = frozenset(
    {"sitename", "sitedomain", "siteidcode", "columnname", "columntype", "articletitle",
     "pubdate", "contentsource", "keywords", "description", "author"}
)  # fmt: skip


def page_metas(root: etree._Element) -> dict[str, str]:
    """``{lower-case name: content}`` for the spec metas; the first occurrence of a name wins."""
    metas: dict[str, str] = {}
    for el in root.iter("meta"):
        name = el.get("name")
        if not name:
            continue
        key = name.strip().lower()
        if key in META_NAMES and key not in metas:
            metas[key] = el.get("content") or ""
    return metas


def meta_text(metas: dict[str, str], name: str) -> str | None:
    """A meta's content as a short field: normalized, None when empty or undecodable."""
    return short_text(metas.get(name.lower()))
