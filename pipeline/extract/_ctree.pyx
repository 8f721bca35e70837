# cython: language_level=3, boundscheck=False, wraparound=False, cdivision=True
"""The extractor's three whole-tree walks in C, over lxml's own tree (optional).

``pipeline.extract.dom.flat_text``, ``pipeline.extract.body.body_paragraphs`` and
``pipeline.extract.index.build_index`` walk every element of a page in Python; each ``.tag``,
``.text``, ``.tail`` or ``.get()`` there builds a Python object, so a page of 180 elements costs
~0.1 ms per walk. Here the same walks read libxml2's nodes through lxml's public C API and make
Python objects only for what they keep (text, and the elements the page index records).

The rules are not restated: every tag set, pattern and normalizer comes from the Python modules
(``Walker``'s arguments), and the Python functions stay the definition. tests/extract/
test_ctree.py runs both on every saved real page and every replica page and requires identical
results. Text and attribute values are read as lxml reads them (``textOf``, ``tailOf``,
``attributeValueFromNsName``), and the nodes visited are those lxml's iterators visit
(``_isElement``; entity references are not entered).

Built by ``pip install`` when a C compiler is there (setup.py; ``optional``): without it the
Python walks run, with the same results.
"""

from lxml.includes cimport tree
from lxml.includes.etreepublic cimport (
    _Document,
    _Element,
    _isElement,
    attributeValueFromNsName,
    elementFactory,
    import_lxml__etree,
    namespacedName,
    tailOf,
    textOf,
)
from lxml.includes.tree cimport const_xmlChar, xmlNode
from libc.string cimport strchr, strcmp, strstr

import_lxml__etree()

cdef const char* _FULL_COLON = b"\xef\xbc\x9a"  # ： in UTF-8
cdef const char* _NO_NAME = b""  # a namespaced element: none of the names below


cdef inline object _tag(xmlNode* c):
    """``el.tag`` of an element node (a str; libxml2's HTML parser gives no namespaces)."""
    if c.ns is NULL:
        return (<const char*>c.name).decode("utf-8")
    return namespacedName(c)


cdef inline object _get(xmlNode* c, const char* name):
    """``el.get(name)``."""
    if c.properties is NULL:
        return None
    return attributeValueFromNsName(c, NULL, <const_xmlChar*>name)


cdef inline xmlNode* _text_node(xmlNode* c) noexcept:
    """lxml's ``_textNodeOrSkip``: the text node at ``c`` (XInclude markers skipped), or NULL."""
    while c is not NULL:
        if c.type == tree.XML_TEXT_NODE or c.type == tree.XML_CDATA_SECTION_NODE:
            return c
        if c.type == tree.XML_XINCLUDE_START or c.type == tree.XML_XINCLUDE_END:
            c = c.next
            continue
        return NULL
    return NULL


cdef inline bint _has_colon(xmlNode* c) noexcept:
    """Whether the text lxml collects from ``c`` (``.text`` of a parent, ``.tail`` of a
    sibling) holds ``:`` or ``：`` (a character never spans two text nodes)."""
    c = _text_node(c)
    while c is not NULL:
        if c.content is not NULL and (
            strchr(<const char*>c.content, 58) is not NULL
            or strstr(<const char*>c.content, _FULL_COLON) is not NULL
        ):
            return True
        c = _text_node(c.next)
    return False


cdef class Walker:
    """The walks, configured once with the Python modules' sets, patterns and functions."""

    cdef frozenset skip_tags, block_tags, cell_tags, body_blocks, hidden_classes
    cdef object hidden_style, may_hide, display_block, line_text

    def __init__(self, *, skip_tags, block_tags, cell_tags, hidden_classes, hidden_style,
                 may_hide, body_blocks=frozenset(), display_block=None, line_text=None):
        """The sets and patterns of ``dom.py``; ``body_paragraphs`` also needs ``body.py``'s
        (``body_blocks``, ``display_block``) and ``text.line_text``."""
        self.skip_tags = frozenset(skip_tags)
        self.block_tags = frozenset(block_tags)
        self.cell_tags = frozenset(cell_tags)
        self.body_blocks = frozenset(body_blocks)
        self.hidden_classes = frozenset(hidden_classes)
        self.hidden_style = hidden_style  # compiled pattern's search
        self.may_hide = may_hide  # dom._may_hide
        self.display_block = display_block  # compiled pattern's search
        self.line_text = line_text  # pipeline.extract.text.line_text

    # -- dom.is_hidden / is_skipped -------------------------------------------------------

    cdef bint _hidden(self, xmlNode* c, object tag) except -1:
        if c.properties is NULL:
            return False
        style = _get(c, b"style")
        if style and self.may_hide(style) and self.hidden_style(style):
            return True
        cls = _get(c, b"class")
        if cls and "ng-hide" in cls and not self.hidden_classes.isdisjoint(cls.split()):
            return True
        if _get(c, b"hidden") is not None:
            return True
        return tag == "input" and (_get(c, b"type") or "").lower() == "hidden"

    cdef object _shown_tag(self, xmlNode* c):
        """The tag of an element whose text counts (not skipped, not hidden), else None."""
        if c.type != tree.XML_ELEMENT_NODE:
            return None
        tag = _tag(c)
        if tag in self.skip_tags or self._hidden(c, tag):
            return None
        return tag

    # -- dom.is_skipped, labels._excluded ----------------------------------------------------

    def is_skipped(self, _Element el not None):
        return self._shown_tag(el._c_node) is None

    def excluded(self, _Element el not None, body, keep):
        """``labels._excluded``: under a skipped element (``el`` itself may be a script), or
        inside ``body`` and not inside an element of ``keep``."""
        cdef xmlNode* c = el._c_node
        cdef xmlNode* inside = (<_Element?>body)._c_node if body is not None else NULL
        cdef bint in_body = False, in_keep = False
        while c is not NULL:
            if self._shown_tag(c) is None and not (c is el._c_node and _is_script(c)):
                return True
            if c is inside:
                in_body = True
            if not in_keep and keep and c._private is not NULL and (<object>c._private) in keep:
                in_keep = True
            c = _parent(c)
        return in_body and not in_keep

    # -- dom.has_hidden_ancestor -----------------------------------------------------------

    def has_hidden_ancestor(self, _Element el not None):
        cdef xmlNode* c = el._c_node
        while c is not NULL:
            if self._shown_tag(c) is None:
                return True
            c = _parent(c)
        return False

    # -- dom.flat_text ---------------------------------------------------------------------

    def flat_text(self, _Element el not None, sep=None, inline=""):
        if el._c_node.type != tree.XML_ELEMENT_NODE:
            return el.text or ""  # a comment's or processing instruction's own text
        parts = []
        self._collect(el._c_node, parts, sep, inline)
        return "".join(parts)

    cdef int _collect(self, xmlNode* el, list parts, object sep, object inline) except -1:
        _add(parts, textOf(el))
        cdef xmlNode* child = el.children
        while child is not NULL:
            if _isElement(child):
                tag = self._shown_tag(child)
                if tag is not None:
                    boundary = sep is not None and (tag in self.block_tags or tag in self.cell_tags)
                    mark = sep if boundary else inline
                    _add(parts, mark)
                    self._collect(child, parts, sep, inline)
                    _add(parts, mark)
                _add(parts, tailOf(child))
            child = child.next
        return 0

    # -- body.body_paragraphs --------------------------------------------------------------

    def body_paragraphs(self, _Element body not None, drop=frozenset()):
        paras = []
        parts = []
        self._walk(body._c_node, parts, paras, drop if drop else None)
        self._flush(parts, paras)
        return paras

    cdef int _walk(self, xmlNode* el, list parts, list paras, object drop) except -1:
        _add(parts, textOf(el))
        cdef xmlNode* child = el.children
        while child is not NULL:
            if _isElement(child):
                self._walk_child(child, parts, paras, drop)
                _add(parts, tailOf(child))
            child = child.next
        return 0

    cdef int _walk_child(self, xmlNode* child, list parts, list paras, object drop) except -1:
        """One child of ``_walk``, as ``body._walk``'s loop body treats it (not its tail)."""
        tag = self._shown_tag(child)
        if tag is None:
            return 0
        if drop is not None and child._private is not NULL:
            if (<object>child._private) in drop:  # lxml's proxy of the node, if any
                return 0
        if tag == "br":
            self._flush(parts, paras)
        elif tag == "tr" and not _has_table(child):
            self._flush(parts, paras)
            self._add_row(child, paras)
        elif tag in self.body_blocks or self._displays_block(child):
            self._flush(parts, paras)
            self._walk(child, parts, paras, drop)
            self._flush(parts, paras)
        else:
            self._walk(child, parts, paras, drop)
        return 0

    cdef bint _displays_block(self, xmlNode* c) except -1:
        style = _get(c, b"style")
        return bool(style) and self.display_block(style) is not None

    cdef int _flush(self, list parts, list paras) except -1:
        if parts:
            text = self.line_text("".join(parts))
            del parts[:]
            if text:
                paras.append(text)
        return 0

    cdef int _add_row(self, xmlNode* row, list paras) except -1:
        cells = []
        cdef xmlNode* c = row.children
        while c is not NULL:
            if c.type == tree.XML_ELEMENT_NODE:
                tag = _tag(c)
                if (tag == "td" or tag == "th") and self._shown_tag(c) is not None:
                    parts = []
                    self._collect(c, parts, " ", "")
                    cells.append("".join(parts))
            c = c.next
        text = self.line_text(" ".join(cells))
        if text:
            paras.append(text)
        return 0

    # -- index.build_index -----------------------------------------------------------------

    def index_nodes(self, _Element root not None, cell_labels, wanted_ids, wanted_classes,
                    script_marks, ids, classes, comments, texts, cells, scripts, marks):
        """Fill the page index's containers as ``index.build_index`` does."""
        cdef _Document doc = root._doc
        cdef xmlNode* top = root._c_node
        cdef xmlNode* c = top
        cdef xmlNode* nxt
        cdef Py_ssize_t pos = 0
        cdef bint cell
        cdef const char* name
        while c is not NULL:
            el = None
            if c.type == tree.XML_ELEMENT_NODE:
                if c.properties is not NULL:
                    ident = _get(c, b"id")
                    if ident in wanted_ids and ident not in ids:
                        el = elementFactory(doc, c)
                        ids[ident] = el
                    cls = _get(c, b"class")
                    if cls:
                        for token in cls.split():
                            if token in wanted_classes:
                                if el is None:
                                    el = elementFactory(doc, c)
                                classes.setdefault(token, []).append(el)
                if _text_node(c.children) is not NULL:
                    name = <const char*>c.name if c.ns is NULL else _NO_NAME
                    if strcmp(name, b"script") == 0:
                        text = textOf(c)
                        if text:
                            if "document.write" in text:
                                el = el if el is not None else elementFactory(doc, c)
                                scripts.append((pos, el))
                            for mark, needle in script_marks:
                                if needle in text and mark not in marks:
                                    el = el if el is not None else elementFactory(doc, c)
                                    marks[mark] = el
                    elif strcmp(name, b"style") != 0:
                        cell = strcmp(name, b"td") == 0 or strcmp(name, b"th") == 0
                        if _has_colon(c.children):
                            el = el if el is not None else elementFactory(doc, c)
                            texts.append((pos, el, False))
                            if cell:
                                text = textOf(c)
                                if text.strip().rstrip(":：").rstrip() in cell_labels:
                                    cells.append((pos, el))  # 索引号： over its value
                        elif cell:
                            text = textOf(c)
                            if text and text.strip() in cell_labels:
                                el = el if el is not None else elementFactory(doc, c)
                                cells.append((pos, el))
            elif c.type == tree.XML_COMMENT_NODE:
                if c.content is not NULL and strstr(<const char*>c.content, b"<$[") is not NULL:
                    el = elementFactory(doc, c)
                    comments.append(el)
            if _has_colon(c.next):
                el = el if el is not None else elementFactory(doc, c)
                texts.append((pos, el, True))
            pos += 1
            # the next node in lxml's iteration order (etree_defs.h, _LX__TRAVERSE_TO_NEXT)
            nxt = c.children
            if nxt is not NULL:
                if c.type == tree.XML_ENTITY_REF_NODE or c.type == tree.XML_DTD_NODE:
                    nxt = NULL
                else:
                    nxt = _next_element(nxt)
            if nxt is NULL and c is not top:
                nxt = _next_element(c.next)
                while nxt is NULL:
                    c = c.parent
                    if c is NULL or c is top or not _isElement(c):
                        break
                    nxt = _next_element(c.next)
            c = nxt


cdef inline int _add(list parts, object text) except -1:
    """Keep a piece of text (``None`` and ``""`` are none)."""
    if text:
        parts.append(text)
    return 0


cdef inline xmlNode* _parent(xmlNode* c) noexcept:
    """lxml's ``getparent()``: the parent element, NULL at the root (the document node is none)."""
    c = c.parent
    return c if c is not NULL and _isElement(c) else NULL


cdef inline bint _is_script(xmlNode* c) noexcept:
    return c.type == tree.XML_ELEMENT_NODE and c.ns is NULL and \
        strcmp(<const char*>c.name, b"script") == 0


cdef inline xmlNode* _next_element(xmlNode* c) noexcept:
    while c is not NULL and not _isElement(c):
        c = c.next
    return c


cdef bint _has_table(xmlNode* row) noexcept:
    """Whether an element below ``row`` is a ``<table>`` (``next(row.iter("table"))``)."""
    cdef xmlNode* c = row.children
    cdef xmlNode* nxt
    while c is not NULL:
        if c.type == tree.XML_ELEMENT_NODE and c.ns is NULL and \
                strcmp(<const char*>c.name, b"table") == 0:
            return True
        nxt = c.children if c.type == tree.XML_ELEMENT_NODE else NULL
        if nxt is NULL:
            nxt = c.next
            while nxt is NULL:
                c = c.parent
                if c is NULL or c is row:
                    return False
                nxt = c.next
        c = nxt
    return False
