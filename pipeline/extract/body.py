"""The article body: container choice, ``body_text`` per docs/record.md, ``body_html`` via nh3.

Text rules: scripts, styles, comments, hidden inputs and hidden elements contribute nothing;
every block element and every ``<br>`` starts a paragraph, inline elements do not; a table row
is one paragraph of its cells' texts joined by a space; each paragraph is normalized and empty
ones are dropped; paragraphs are joined by ``\\n``. A row whose cells hold a nested table is
layout, not data: its cells are walked as blocks and the nested rows become the paragraphs.
"""

from __future__ import annotations

import re
from collections import Counter
from contextlib import suppress

import nh3
from lxml import etree

from pipeline.extract.chrome import chrome_elements, without_chrome
from pipeline.extract.dom import (
    BLOCK_TAGS,
    SKIP_TAGS,
    c_walker,
    flat_text,
    is_hidden,
    is_skipped,
    tag_of,
)
from pipeline.extract.families import GENERIC_BODY, Family
from pipeline.extract.index import PageIndex, select_visible
from pipeline.extract.text import line_text
from pipeline.normalize.urls import clean_href, web_url

_LAYOUT_CELLS = frozenset({"td", "th"})  # only walked into in rows that hold a nested table
_DISPLAY_BLOCK = re.compile(r"display\s*:\s*block", re.IGNORECASE)
MIN_DENSE_TEXT = 60  # characters of paragraph text before a fallback container counts
#: Site furniture the dense-text fallback never takes for an article (docs/record.md).
SITE_LINE = re.compile(
    r"(?:主办|承办|协办|管理|维护)(?:单位)?\s*[:：]|版权所有|Copyright|©|ICP\s*备|公网安备"
    r"|网站标识码|技术支持\s*[:：]|(?:当前|所在|您的)位置|网站地图|联系我们",
    re.IGNORECASE,
)
_FURNITURE = re.compile(
    r"foot|copyright|cpright|bottom|crumb|position|location|dqwz|\bnav|menu|header",
    re.IGNORECASE,
)
_FURNITURE_TAGS = frozenset({"footer", "nav", "header"})
#: Link schemes nh3 keeps in body_html (relative links too); its default also lets ftp:,
#: mailto:, tel:, irc: and a dozen more through (it does drop javascript:, java\tscript: too).
#: Links are made absolute first, and any that is not http(s) after cleanup removed (web_url).
LINK_SCHEMES = {"http", "https"}
_CLEANER = nh3.Cleaner(url_schemes=LINK_SCHEMES)  # built once: nh3.clean() builds one per call


def find_body(index: PageIndex, family: Family) -> etree._Element | None:
    """The family's body container, else a common one, else the element densest in ``<p>``."""
    selectors = family.body + GENERIC_BODY if family.fallback_body else family.body
    for sel in dict.fromkeys(selectors):
        el = select_visible(index, sel)
        if el is not None:
            return el
    return _densest(index.root) if family.fallback_body else None


def _densest(root: etree._Element) -> etree._Element | None:
    """The parent with the most ``<p>`` / ``<br>`` line text, site furniture left out: lines
    in a footer, breadcrumb or navigation block, and 主办/承办/版权/备案 lines anywhere."""
    score: Counter[etree._Element] = Counter()
    outside: dict[etree._Element, bool] = {}
    for p in root.iter("p", "br"):
        parent = p.getparent()
        if parent is None or is_skipped(p):
            continue
        text = ((p.tail if p.tag == "br" else flat_text(p)) or "").strip()
        if text and not SITE_LINE.search(text) and not _in_furniture(parent, outside):
            score[parent] += len(text)
    if not score:
        return None
    best, size = score.most_common(1)[0]
    return best if size >= MIN_DENSE_TEXT else None


def _in_furniture(el: etree._Element, seen: dict[etree._Element, bool]) -> bool:
    """Inside a footer / breadcrumb / navigation block (by tag, class or id); memoized."""
    if el in seen:
        return seen[el]
    parent = el.getparent()
    names = f"{el.get('class') or ''} {el.get('id') or ''}"
    found = tag_of(el) in _FURNITURE_TAGS or _FURNITURE.search(names) is not None
    if not found and parent is not None:
        found = _in_furniture(parent, seen)
    seen[el] = found
    return found


Drop = frozenset[etree._Element]
NO_ELEMENTS: Drop = frozenset()


def dropped(index: PageIndex, family: Family, body: etree._Element | None) -> Drop:
    """Elements inside the body that are metadata, not text (a family's ``drop`` selectors)."""
    if body is None or not family.drop:
        return frozenset()
    found = (select_visible(index, sel) for sel in family.drop)
    return frozenset(el for el in found if el is not None)


def article_paragraphs(
    body: etree._Element | None, drop: Drop = frozenset()
) -> tuple[list[str], Drop]:
    """The body's paragraphs without page chrome (``chrome.py``), and the elements holding
    that chrome (for ``body_html``)."""
    if body is None:
        return [], NO_ELEMENTS
    paragraphs, had_chrome = without_chrome(body_paragraphs(body, drop))
    return paragraphs, chrome_elements(body) if had_chrome else NO_ELEMENTS


def body_paragraphs(body: etree._Element, drop: Drop = frozenset()) -> list[str]:
    """Normalized paragraphs of the body container, in order.

    Runs the C walk where it is built (``ctree.py``); :func:`py_body_paragraphs` defines it."""
    if _WALKER is not None:
        return _WALKER.body_paragraphs(body, drop)
    return py_body_paragraphs(body, drop)


def py_body_paragraphs(body: etree._Element, drop: Drop = frozenset()) -> list[str]:
    """:func:`body_paragraphs` in Python.

    Recursive: libxml2 caps nesting at 255 levels, well inside Python's recursion limit.
    """
    paras: list[str] = []
    parts: list[str] = []
    _walk(body, parts, paras, drop)
    _flush(parts, paras)
    return paras


def _walk(el: etree._Element, parts: list[str], paras: list[str], drop: Drop) -> None:
    text = el.text  # read once: every read of .text or .tail builds a new string
    if text:
        parts.append(text)
    for child in el:
        tag = child.tag
        if tag.__class__ is str and not (tag in SKIP_TAGS or is_hidden(child) or child in drop):
            if tag == "br":
                _flush(parts, paras)
            elif tag == "tr" and next(child.iter("table"), None) is None:
                _flush(parts, paras)
                _add_row(child, paras)
            elif tag in _BLOCKS or _displays_block(child):
                _flush(parts, paras)
                _walk(child, parts, paras, drop)
                _flush(parts, paras)
            else:
                _walk(child, parts, paras, drop)
        tail = child.tail
        if tail:
            parts.append(tail)


_BLOCKS = BLOCK_TAGS | _LAYOUT_CELLS
#: The C walk of ``body_paragraphs`` with these rules (None: the Python walk runs).
_WALKER = c_walker(body_blocks=_BLOCKS, display_block=_DISPLAY_BLOCK.search, line_text=line_text)


def is_block(el: etree._Element) -> bool:
    """Block elements, table cells of layout tables, and ``style="display:block"`` inlines."""
    return el.tag in _BLOCKS or _displays_block(el)


def _displays_block(el: etree._Element) -> bool:
    style = el.get("style")
    return bool(style) and _DISPLAY_BLOCK.search(style) is not None


def _add(parts: list[str], text: str | None) -> None:
    if text:
        parts.append(text)


def _flush(parts: list[str], paras: list[str]) -> None:
    if parts:
        text = line_text("".join(parts))
        parts.clear()
        if text:
            paras.append(text)


def _add_row(row: etree._Element, paras: list[str]) -> None:
    cells = [flat_text(c, " ") for c in row if tag_of(c) in ("td", "th") and not is_skipped(c)]
    text = line_text(" ".join(cells))
    if text:
        paras.append(text)


def body_text(paragraphs: list[str]) -> str | None:
    """Paragraphs joined by ``\\n``; None for an empty body."""
    return "\n".join(paragraphs) or None


def body_html(body: etree._Element, base_url: str, drop: Drop = frozenset()) -> str | None:
    """The body container's HTML, hidden and dropped parts removed, links absolute, nh3-clean.

    Mutates the tree (call it last): hidden and dropped elements are renamed ``script`` so that
    nh3 removes them with their content while their tails stay in place (setting text through
    lxml would reject control characters the parser let in).
    """
    walker = etree.iterwalk(body, events=("start",))
    for _, el in walker:
        tag = el.tag  # is_skipped(el), inlined: this visits every element of the body
        skipped = tag.__class__ is not str or tag in SKIP_TAGS or is_hidden(el) or el in drop
        if skipped and el is not body:
            el.tag = "script"
            walker.skip_subtree()
    for el in body.iter("a", "img"):
        attr = "href" if el.tag == "a" else "src"
        value = el.get(attr)
        if not value or clean_href(value).startswith("#"):
            continue
        url = web_url(base_url, value)
        if url is None:  # dropped here: lxml writes java\tscript: as java%09script:, which nh3
            del el.attrib[attr]  # would keep as a relative link
            continue
        with suppress(ValueError):  # not XML-safe: keep the link as written
            el.set(attr, url)
    markup = etree.tostring(body, encoding="unicode", method="html")
    cleaned = _CLEANER.clean(markup).strip()
    return cleaned or None
