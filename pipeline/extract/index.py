"""One pass over the parsed page that every field lookup then reads from.

XPath attribute predicates cost ~0.1 ms each on a typical page (libxml2 walks the whole tree
every time); a family profile has dozens of selectors. So the page is walked once: ids, class
tokens, comments, the text nodes that carry a ``label：`` and short label-only table cells are
recorded, and the simple selectors below (``tag#id.class``, one optional descendant step)
resolve by dictionary lookups. Only ids and class tokens some selector names are indexed:
selectors register them when they are built (all at import time).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from pipeline.extract.dom import WALKER, has_hidden_ancestor

_SIMPLE = re.compile(r"^(?P<tag>[a-z0-9]+)?(?P<rest>(?:[#.][\w-]+)*)$", re.IGNORECASE)
_PART = re.compile(r"([#.])([\w-]+)")
_WANTED_IDS: set[str] = set()
_WANTED_CLASSES: set[str] = set()
#: Platform marks: a script holding the text names the page's platform (families may require one).
SCRIPT_MARKS: tuple[tuple[str, str], ...] = (
    ("nfcms", "NFCMS_"),  # window.NFCMS_SITE_ID … on every Guangdong site-group page
    ("gkmlpt", "window._CONFIG"),  # the gkmlpt app's configuration (DETAIL on content pages)
)


@dataclass
class PageIndex:
    """What the single pass found, each entry with its position in document order.

    ``texts``: (position, element, is_tail) for text nodes holding a colon (label candidates);
    ``cells``: (position, td/th) whose whole text is a bare label, a colon after it allowed;
    ``scripts``: (position, script) that ``document.write`` markup; ``marks``: platform mark ->
    the first script carrying it (``SCRIPT_MARKS``).
    """

    root: etree._Element
    ids: dict[str, etree._Element] = field(default_factory=dict)
    classes: dict[str, list[etree._Element]] = field(default_factory=dict)
    comments: list[etree._Element] = field(default_factory=list)
    texts: list[tuple[int, etree._Element, bool]] = field(default_factory=list)
    cells: list[tuple[int, etree._Element]] = field(default_factory=list)
    scripts: list[tuple[int, etree._Element]] = field(default_factory=list)
    marks: dict[str, etree._Element] = field(default_factory=dict)


def build_index(root: etree._Element, cell_labels: frozenset[str]) -> PageIndex:
    """Walk the page once. ``cell_labels``: label words that may stand alone (no colon) in a
    table cell, as in a header row over a row of values.

    This runs on every page, so the loop is written flat (no helper calls per element), and
    in C where that is built (``ctree.py``).
    """
    index = PageIndex(root)
    if WALKER is None:
        return _walk(index, cell_labels)
    WALKER.index_nodes(
        root, cell_labels, _WANTED_IDS, _WANTED_CLASSES, SCRIPT_MARKS, index.ids, index.classes,
        index.comments, index.texts, index.cells, index.scripts, index.marks,
    )  # fmt: skip
    return index


def py_build_index(root: etree._Element, cell_labels: frozenset[str]) -> PageIndex:
    """:func:`build_index` in Python (the definition the C walk follows)."""
    return _walk(PageIndex(root), cell_labels)


def _walk(index: PageIndex, cell_labels: frozenset[str]) -> PageIndex:
    root = index.root
    ids, classes, texts = index.ids, index.classes, index.texts
    wanted_ids, wanted_classes = _WANTED_IDS, _WANTED_CLASSES
    comment = etree.Comment
    for pos, el in enumerate(root.iter()):
        tag = el.tag
        if tag.__class__ is str:
            ident = el.get("id")
            if ident in wanted_ids and ident not in ids:
                ids[ident] = el
            cls = el.get("class")
            if cls:
                for token in cls.split():
                    if token in wanted_classes:
                        classes.setdefault(token, []).append(el)
            text = el.text
            if text:
                if tag == "script":
                    if "document.write" in text:
                        index.scripts.append((pos, el))
                    for mark, needle in SCRIPT_MARKS:
                        if needle in text and mark not in index.marks:
                            index.marks[mark] = el
                elif tag != "style":
                    cell = tag == "td" or tag == "th"
                    if "：" in text or ":" in text:
                        texts.append((pos, el, False))
                        if cell and text.strip().rstrip(":：").rstrip() in cell_labels:
                            index.cells.append((pos, el))  # 索引号： over its value
                    elif cell and text.strip() in cell_labels:
                        index.cells.append((pos, el))
        elif tag is comment and "<$[" in (el.text or ""):
            index.comments.append(el)
        tail = el.tail
        if tail and ("：" in tail or ":" in tail):
            texts.append((pos, el, True))
    return index


@dataclass(frozen=True)
class Selector:
    """``tag#id.class.class``, optionally ``ancestor descendant`` (one step)."""

    tag: str | None
    ident: str | None
    classes: tuple[str, ...]
    within: Selector | None = None

    def matches(self, el: etree._Element) -> bool:
        if self.tag and el.tag != self.tag:
            return False
        if self.ident and el.get("id") != self.ident:
            return False
        if self.classes:
            tokens = (el.get("class") or "").split()
            return all(c in tokens for c in self.classes)
        return True


def selector(css: str) -> Selector:
    """Parse a simple selector: ``div.TRS_Editor``, ``#zoom``, ``div.title h1``."""
    steps = css.split()
    if not 1 <= len(steps) <= 2:
        raise ValueError(f"unsupported selector: {css!r}")
    outer = _simple(steps[0]) if len(steps) == 2 else None
    inner = _simple(steps[-1])
    return Selector(inner.tag, inner.ident, inner.classes, outer)


def _simple(css: str) -> Selector:
    match = _SIMPLE.match(css)
    if match is None:
        raise ValueError(f"unsupported selector: {css!r}")
    parts = _PART.findall(match["rest"])
    ident = next((name for kind, name in parts if kind == "#"), None)
    classes = tuple(name for kind, name in parts if kind == ".")
    tag = match["tag"].lower() if match["tag"] else None
    if ident:
        _WANTED_IDS.add(ident)
    _WANTED_CLASSES.update(classes)
    return Selector(tag, ident, classes)


def select(index: PageIndex, sel: Selector) -> list[etree._Element]:
    """All elements matching ``sel``, in document order for class and tag lookups."""
    if sel.within is not None:
        return [
            el
            for outer in select(index, sel.within)
            for el in outer.iterdescendants(sel.tag or "*")
            if sel.matches(el)
        ]
    if sel.ident:
        el = index.ids.get(sel.ident)
        return [el] if el is not None and sel.matches(el) else []
    if sel.classes:
        return [el for el in index.classes.get(sel.classes[0], ()) if sel.matches(el)]
    return list(index.root.iter(sel.tag or "*"))


def select_visible(index: PageIndex, sel: Selector) -> etree._Element | None:
    """The first element matching ``sel`` that is shown (no hidden ancestor)."""
    for el in select(index, sel):
        if not has_hidden_ancestor(el):
            return el
    return None
