"""The parsed page: lxml tree building and the small tree helpers every field module shares.

lxml's HTML parser (libxml2) is the only parser on the hot path; lookups go through the one-pass
page index (``index.py``) rather than XPath. Comments are kept: Hanweb marks its fields with
``<!--<$[标题]>begin-->``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from lxml import etree

from pipeline.extract import ctree

# collect_ids=False: no libxml2 ID table (nothing looks elements up by ID through libxml2; the
# page index keeps its own): 7% of the parse.
_OPTIONS = {"recover": True, "no_network": True, "remove_pis": True, "collect_ids": False}
_PARSER = etree.HTMLParser(**_OPTIONS)
_UTF8_PARSER = etree.HTMLParser(**_OPTIONS, encoding="utf-8")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
_HTML_END_TEXT = re.compile(r"</(?:html|HTML|Html)")
_HTML_END_BYTES = re.compile(rb"</(?:html|HTML|Html)")
_HTML_END_BYTES_ALL = re.compile(rb"</html\s*>", re.IGNORECASE)
_TAIL_ROOM = 256  # a closing </html> this close to the end is the real one
_EMPTY = "<html><head></head><body></body></html>"

# Element names as libxml2 reports them (it lower-cases HTML tags).
SKIP_TAGS = frozenset(
    {"script", "style", "noscript", "template", "title", "meta", "link", "head", "iframe",
     "object", "embed", "svg", "select", "textarea", "button", "xml"}
)  # fmt: skip
BLOCK_TAGS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "ul", "ol", "section",
     "article", "blockquote", "pre", "dl", "dt", "dd", "center", "form", "header", "footer",
     "nav", "aside", "main", "figure", "figcaption", "address", "hr", "tbody", "thead", "tfoot",
     "caption", "fieldset"}
)  # fmt: skip
_CELL_TAGS = frozenset({"br", "td", "th"})
HIDDEN_CLASSES = frozenset({"ng-hide"})  # AngularJS's hidden class in rendered pages (nfra)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
HIDDEN_MEMO = 512  # elements whose is_hidden answer is kept (several pages' worth)


def parse_html(text: str) -> etree._Element:
    """Parse page text into an lxml tree; never raises (an empty page gives an empty tree).

    libxml2 drops everything after a ``</html>``; pages that include a header fragment with its
    own ``</html>`` (www.gov.cn) would lose their article, so early ones are removed first.
    """
    if "<?xml" in text[:512]:
        text = _XML_DECL.sub("", text[:512]) + text[512:]
    if _HTML_END_TEXT.search(text, 0, max(len(text) - _TAIL_ROOM, 0)):
        text = _HTML_END.sub("", text)
    try:
        root = etree.fromstring(text, _PARSER)
    except (etree.ParserError, ValueError):
        root = parse_utf8(text.encode("utf-8", "replace"))
    return root if root is not None else etree.fromstring(_EMPTY, _PARSER)


def parse_utf8(data: bytes) -> etree._Element:
    """Parse UTF-8 bytes (any ``<meta>`` charset ignored); never raises. Faster than text."""
    if _HTML_END_BYTES.search(data, 0, max(len(data) - _TAIL_ROOM, 0)):
        data = _HTML_END_BYTES_ALL.sub(b"", data)
    try:
        root = etree.fromstring(data, _UTF8_PARSER)
    except (etree.ParserError, ValueError):
        root = None
    return root if root is not None else etree.fromstring(_EMPTY, _PARSER)


def tag_of(el: etree._Element) -> str:
    """Tag name (libxml2 lower-cases HTML tags); '' for comments and processing instructions."""
    tag = el.tag
    return tag if tag.__class__ is str else ""


@lru_cache(maxsize=HIDDEN_MEMO)
def is_hidden(el: etree._Element) -> bool:
    """True for elements a browser does not show: hidden attribute, inline style, hidden input.

    Memoized per element: a replica page asks 140 times about 56 elements (ancestor walks,
    the body's text then its HTML), and each ``get`` costs ~0.25 µs. Only ``body_html`` changes
    the tree (last, and only tags and link attributes), so an answer never goes stale; the
    bounded memo keeps at most ``HIDDEN_MEMO`` elements (and their trees) alive."""
    if el.tag.__class__ is not str or not el.attrib:
        return False
    get = el.get
    style = get("style")
    if style and _may_hide(style) and _HIDDEN_STYLE.search(style):
        return True
    cls = get("class")
    if cls and "ng-hide" in cls and not HIDDEN_CLASSES.isdisjoint(cls.split()):
        return True
    if get("hidden") is not None:
        return True
    return el.tag == "input" and (get("type") or "").lower() == "hidden"


def _may_hide(style: str) -> bool:
    """Substring test before the regex: long inline styles (every cell of a browser-saved
    table) cost ~3 µs in the regex and ~0.3 µs here."""
    lowered = style.lower()
    return "none" in lowered or "hidden" in lowered


def py_is_skipped(el: etree._Element) -> bool:
    """Comments, scripts, styles and hidden elements: nothing inside them is page text
    (:func:`is_skipped`, in Python: the definition)."""
    tag = el.tag
    if tag.__class__ is not str:
        return True
    return tag in SKIP_TAGS or is_hidden(el)


def py_has_hidden_ancestor(el: etree._Element) -> bool:
    """True if ``el`` or any of its ancestors is hidden or skipped (:func:`has_hidden_ancestor`
    in Python: the definition)."""
    node: etree._Element | None = el
    while node is not None:
        if py_is_skipped(node):
            return True
        node = node.getparent()
    return False


def py_flat_text(el: etree._Element, sep: str | None = None, inline: str = "") -> str:
    """Visible text of ``el`` (skipped subtrees left out); with ``sep``, every block, cell and
    ``<br>`` boundary becomes ``sep``, and with ``inline`` every other element boundary becomes
    ``inline`` (``<span>来源：本网</span><span>发布日期：…`` keeps its two labels apart).
    (:func:`flat_text` in Python: the definition.)"""
    parts: list[str] = []
    _collect(el, parts, sep, inline)
    return "".join(parts)


def _collect(el: etree._Element, parts: list[str], sep: str | None, inline: str = "") -> None:
    text = el.text  # read once: every read of .text or .tail builds a new string
    if text:
        parts.append(text)
    for child in el:
        tag = child.tag  # not is_skipped(child), inlined
        if tag.__class__ is str and tag not in SKIP_TAGS and not is_hidden(child):
            boundary = sep is not None and (tag in BLOCK_TAGS or tag in _CELL_TAGS)
            mark = sep if boundary else inline
            if mark:
                parts.append(mark)  # type: ignore[arg-type]
            _collect(child, parts, sep, inline)
            if mark:
                parts.append(mark)  # type: ignore[arg-type]
        tail = child.tail
        if tail:
            parts.append(tail)


_C = ctree.load()


def c_walker(**more: Any) -> Any:
    """The C walks (``_ctree.Walker``) with this module's rules, and ``more`` (``body.py``'s
    for ``body_paragraphs``); None where they are not built or are turned off."""
    if _C is None:
        return None
    return _C.Walker(
        skip_tags=SKIP_TAGS,
        block_tags=BLOCK_TAGS,
        cell_tags=_CELL_TAGS,
        hidden_classes=HIDDEN_CLASSES,
        hidden_style=_HIDDEN_STYLE.search,
        may_hide=_may_hide,
        **more,
    )


WALKER = c_walker()

# The walks every field module calls: in C where built, else the Python definitions above
# (the C ones are bound directly: a Python wrapper would cost as much as some of the walks).
is_skipped: Callable[[etree._Element], bool] = WALKER.is_skipped if WALKER else py_is_skipped
has_hidden_ancestor: Callable[[etree._Element], bool] = (
    WALKER.has_hidden_ancestor if WALKER else py_has_hidden_ancestor
)
flat_text: Callable[..., str] = WALKER.flat_text if WALKER else py_flat_text
