"""The column a page sits in: the leaf of its breadcrumb (当前位置), else ``ColumnName``.

The breadcrumb is, in order: the parent of the first visible TRS ``a.CurrChnlCls`` link; the
element holding a visible ``当前位置`` / ``所在位置`` label (climbing until it holds two links);
a ``.position`` / ``.breadcrumb`` / ``.bread`` ... container (NFCMS 湛江: ``div.pos``, whose
当前位置 is only an image's ``alt``). Its leaf is the last link text or
the plain text after it (``首页 > 要闻 > 山西要闻``), skipping generic words (首页, 正文).
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.extract.dom import has_hidden_ancestor, is_skipped, tag_of
from pipeline.extract.found import NOTHING, Found
from pipeline.extract.index import PageIndex, select, selector
from pipeline.extract.meta import meta_text
from pipeline.extract.text import short_text

_CONTAINERS = tuple(
    selector(css)
    for css in (".position", ".breadcrumb", ".BreadcrumbNav", ".bread", ".crumb", ".crumbs",
                ".curmb", "#dqwz", ".current-position", ".z-position", ".wz_top", ".location",
                "#mbxdh", ".dqwz", ".path", ".nav-path", ".site-nav", "div.pos")
)  # fmt: skip
_CURRENT = selector("a.CurrChnlCls")
_HERE = re.compile(r"(?:当前|所在|您的|现在的)\s*(?:的\s*)?位置|当前所在位置|您现在的位置")
_HERE_PREFIX = re.compile(r"^.*?位置\s*[:：]?")
_SEPARATORS = re.compile(r"\s*(?:>>|>|»|›|→|＞|/|\\|＼)\s*")
_CHROME = re.compile(r"print|share|font|size|zihao|tool", re.IGNORECASE)
GENERIC_LEAVES = frozenset(
    {"首页", "正文", "详情", "详细", "内容", "正文内容", "文章内容", "详情页", "当前位置"}
)
# Boxes that are not steps of a trail unless they hold a link (list items may be plain steps).
_BOXES = frozenset({"div", "p", "table", "h1", "h2", "h3", "h4", "h5", "h6", "form", "section"})
MAX_CLIMB = 3
MAX_LINKS = 12  # a breadcrumb never holds more; beyond that we would climb into navigation
MAX_ELEMENTS = 60
_WORDY = re.compile(r"[\w\u3400-\u9fff]")


def category(index: PageIndex, metas: dict[str, str]) -> Found:
    """Breadcrumb leaf, else ``<meta name="ColumnName">``."""
    trail = find_breadcrumb(index)
    leaf = breadcrumb_leaf(trail) if trail is not None else None
    if leaf:
        return Found(leaf, "breadcrumb")
    column = meta_text(metas, "ColumnName")
    return Found(column, "meta ColumnName") if column else NOTHING


def find_breadcrumb(index: PageIndex) -> etree._Element | None:
    """The breadcrumb element, or None."""
    for link in select(index, _CURRENT):
        parent = link.getparent()
        if parent is not None and not has_hidden_ancestor(link):
            return parent
    here = _labelled(index)
    if here is not None:
        return here
    for sel in _CONTAINERS:
        for el in select(index, sel):
            if not has_hidden_ancestor(el) and next(el.iter("a"), None) is not None:
                return el
    return None


def _labelled(index: PageIndex) -> etree._Element | None:
    for _, el, is_tail in index.texts:
        text = el.tail if is_tail else el.text
        owner = el.getparent() if is_tail else el
        if owner is None or not text or not _HERE.search(text) or has_hidden_ancestor(owner):
            continue
        return _climb(owner)
    return None


def _climb(node: etree._Element) -> etree._Element:
    """From the 当前位置 label up to the element holding the trail (two links, or a link and a
    plain-text leaf: ``首页 > 通知公告``), staying small."""
    for _ in range(MAX_CLIMB):
        parent = node.getparent()
        if _links(node) >= 2 or _plain_leaf(node) or parent is None or _too_big(parent):
            break
        node = parent
    return node


def _plain_leaf(node: etree._Element) -> bool:
    """The trail ends in plain text after its last link (``<a>首页</a> &gt; 通知公告``)."""
    links = list(node.iter("a"))
    tail = links[-1].tail if links else None
    if not tail or not _SEPARATORS.search(tail):
        return False
    return _WORDY.search(_SEPARATORS.split(tail)[-1]) is not None


def _links(el: etree._Element) -> int:
    return sum(1 for _ in el.iter("a"))


def _too_big(el: etree._Element) -> bool:
    return _links(el) > MAX_LINKS or sum(1 for _ in el.iter()) > MAX_ELEMENTS


def breadcrumb_leaf(trail: etree._Element) -> str | None:
    """The last meaningful step of a breadcrumb."""
    steps = [s for s in _steps(trail) if s not in GENERIC_LEAVES]
    return steps[-1] if steps else None


def _steps(trail: etree._Element) -> list[str]:
    steps: list[str] = []
    _walk(trail, steps)
    return steps


def _walk(el: etree._Element, steps: list[str]) -> None:
    if tag_of(el) == "a":
        _add(steps, "".join(el.itertext()), split=False)
    else:
        _add(steps, el.text, split=True)
        for child in el:
            if _in_trail(child):
                _walk(child, steps)
            _add(steps, child.tail, split=True)


def _in_trail(el: etree._Element) -> bool:
    """Leaves out hidden parts, print/share/font controls, and link-less blocks (the title and
    info line of a page whose breadcrumb ``<div>`` is never closed)."""
    if is_skipped(el) or _CHROME.search(_class_id(el)):
        return False
    return tag_of(el) not in _BOXES or next(el.iter("a"), None) is not None


def _class_id(el: etree._Element) -> str:
    return f"{el.get('class') or ''} {el.get('id') or ''}"


def _add(steps: list[str], text: str | None, split: bool) -> None:
    if not text:
        return
    pieces = _SEPARATORS.split(_HERE_PREFIX.sub("", text)) if split else [text]
    for piece in pieces:
        step = short_text(piece)
        if step and _WORDY.search(step):
            steps.append(step.rstrip(":："))
