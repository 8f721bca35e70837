"""The article title.

Order: ``<meta name="ArticleTitle">``; the Hanweb field comment ``<!--<$[标题]>begin-->``; the
family's title element; a heading (or the body's first paragraph) that the ``<title>`` starts
with; else ``<title>`` cut before its ``_SiteName`` / `` - SiteName`` suffix. Old-browser
interstitials (``.i-tit``, ``.i-subtit``) are never titles, and neither is a site's name: a
``<title>`` left holding only ``<meta name="SiteName">``, a name repeated on both sides of its
separator (``中山市财政局政务网站 - 中山市财政局政务网站``), or a name ending like a site's
(``…门户网站``, ``…政务网``) gives no title.
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.extract.dom import flat_text, is_skipped, tag_of
from pipeline.extract.families import Family
from pipeline.extract.found import Found, first_found
from pipeline.extract.index import PageIndex, select, select_visible, selector
from pipeline.extract.meta import meta_text
from pipeline.extract.text import short_text

_INTERSTITIAL = frozenset({"i-tit", "i-subtit"})
_HEADINGS = ("h1", "h2", "h3")
# Class names article titles go by (elements holding them are title candidates).
_TITLE_CLASSES = tuple(
    selector(f".{name}")
    for name in ("title", "tit", "biaoti", "bt", "newstitle", "news_title", "article-title",
                 "Article-title", "content_title", "con-title", "detail-title", "m-txt-tt")
)  # fmt: skip
_SUFFIX_SEPARATORS = re.compile(r"\s*(?:_+|\||｜|\s-\s|\s—\s)\s*")
_PREFIX_BREAK = re.compile(r"[_|｜\-—\s]")
_SITE_ENDING = re.compile(
    r"(?:网站|政务网|政府网|门户网|官网|信息网|政务服务网|(?:交易|服务|公开)平台)$"
)  # how sites name themselves (…门户网站, …政务网, 全国公共资源交易平台)
MIN_TITLE = 4


def title_of(
    index: PageIndex, metas: dict[str, str], family: Family, first_paragraphs: list[str]
) -> Found:
    """The page's title (and where it was found), or nothing."""
    return first_found(
        ("meta ArticleTitle", lambda: meta_text(metas, "ArticleTitle")),
        ("hanweb comment 标题", lambda: short_text(hanweb_field(index, "标题"))),
        (f"{family.name} title element", lambda: _family_title(index, family)),
        ("heading matching <title>", lambda: _confirmed_title(index, metas, first_paragraphs)),
        ("<title> without the site name", lambda: _stripped_title(index, metas)),
    )


def hanweb_field(index: PageIndex, name: str) -> str | None:
    """Text between ``<!--<$[name]>begin-->`` and ``<!--<$[name]>end-->`` (Hanweb jcms)."""
    begin, end = f"<$[{name}]>begin", f"<$[{name}]>end"
    for comment in index.comments:
        if (comment.text or "").strip() == begin:
            return _until(comment, end)
    return None


def _until(comment: etree._Element, end: str) -> str:
    parts = [comment.tail or ""]
    node = comment.getnext()
    while node is not None:
        if node.tag is etree.Comment and (node.text or "").strip() == end:
            break
        if not is_skipped(node):
            parts.append(flat_text(node))
        parts.append(node.tail or "")
        node = node.getnext()
    return "".join(parts)


def _family_title(index: PageIndex, family: Family) -> str | None:
    for sel in family.title:
        el = select_visible(index, sel)
        if el is not None:
            text = short_text(_own_text(el, family.title_excludes))
            if text:
                return text
    return None


def _own_text(el: etree._Element, excludes: tuple[str, ...]) -> str:
    if not excludes:
        return flat_text(el, " ")
    parts = [el.text or ""]
    for child in el:
        if tag_of(child) not in excludes and not is_skipped(child):
            parts.append(flat_text(child, " "))
        parts.append(child.tail or "")
    return "".join(parts)


def _head_title(index: PageIndex) -> str | None:
    el = next(index.root.iter("title"), None)
    return short_text(el.text) if el is not None else None


def _confirmed_title(
    index: PageIndex, metas: dict[str, str], first_paragraphs: list[str]
) -> str | None:
    """The longest prefix of ``<title>`` (cut at a separator) that a heading shows."""
    head = _head_title(index)
    if not head:
        return None
    shown = set(first_paragraphs) | set(_heading_texts(index))
    for prefix in _prefixes(head):
        if prefix in shown:
            return None if is_site_name(prefix, head, metas) else prefix
    return None


def is_site_name(text: str, head: str, metas: dict[str, str]) -> bool:
    """``text`` (from the ``<title>`` ``head``) names the site, not an article."""
    if text == meta_text(metas, "SiteName") or _SITE_ENDING.search(text):
        return True
    halves = [part for part in _SUFFIX_SEPARATORS.split(head) if part]
    return len(halves) == 2 and halves[0] == halves[1] == text


def _prefixes(title: str) -> list[str]:
    cuts = [m.start() for m in _PREFIX_BREAK.finditer(title)]
    prefixes = [title] + [title[:cut].strip() for cut in reversed(cuts)]
    return [p for p in dict.fromkeys(prefixes) if len(p) >= MIN_TITLE]


def _heading_texts(index: PageIndex) -> list[str]:
    elements = [el for tag in _HEADINGS for el in index.root.iter(tag)]
    for sel in _TITLE_CLASSES:
        elements.extend(select(index, sel))
    texts = []
    for el in elements:
        cls = (el.get("class") or "").split()
        if _INTERSTITIAL.isdisjoint(cls):
            text = short_text(flat_text(el, " "))
            if text:
                texts.append(text)
    return texts


def _stripped_title(index: PageIndex, metas: dict[str, str]) -> str | None:
    head = full = _head_title(index)
    if not head:
        return None
    site = meta_text(metas, "SiteName")
    if site and head.endswith(site) and len(head) > len(site):
        head = head[: -len(site)].rstrip(" _-|｜—")
    title = short_text(_SUFFIX_SEPARATORS.split(head)[0]) or head
    return None if is_site_name(title, full, metas) else title
