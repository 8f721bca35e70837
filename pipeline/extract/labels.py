"""Labelled fields: ``发布时间：…``, ``来源：…``, ``索引号：…`` in info lines and metadata tables.

Three shapes are read, all outside the article body (metadata tables a family drops from the
body excepted) and never inside hidden elements:

* a line (the nearest block ancestor of a label) linearized with cell/block boundaries: the
  value runs from the colon to the next label on the line, or fills the next cell when the
  label's own cell is empty (``<td class="t">索引号：</td><td>007049868/2006-00012</td>``);
* markup written by ``document.write('…来源：…')`` in an inline script (whlyw.cq.gov.cn);
* bare label cells: a header row of labels over a row of values (wsjkw.sh.gov.cn), or a label
  cell followed by its value cell.

The result is raw strings per field, in page order, each with the label it was written under;
``fields.py`` turns them into values.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from lxml import etree

from pipeline.extract.dom import WALKER, flat_text, py_is_skipped, tag_of
from pipeline.extract.index import PageIndex

FIELD_LABELS: dict[str, tuple[str, ...]] = {
    "publish": ("发布时间", "发布日期", "公开日期", "发稿时间", "时间", "日期"),
    "source": ("来源", "信息来源", "文章来源", "稿件来源"),
    "agency": ("发布机构", "发文机关", "发文机构", "发布单位", "发文单位"),
    "author": ("作者",),
    "doc_number": ("文号", "文件编号", "发文字号"),
    "index_number": ("索引号", "索取号", "信息索引", "信息索引号", "索引编号"),
    "doc_date": ("成文日期", "生成日期", "发文日期", "印发日期"),
}
# Labels that carry nothing we keep, known so that a value stops where they start.
OTHER_LABELS = (
    "分类", "主题分类", "体裁分类", "信息分类", "组配分类", "主题词", "关键词", "名称", "标题",
    "公文名称", "信息名称", "公开方式", "公开范围", "公开形式", "有效性", "时效性", "效力状态",
    "字体", "字号", "浏览次数", "阅读次数", "点击数", "点击量", "访问量", "浏览", "阅读", "点击",
    "责任编辑", "编辑", "审核", "校对", "分享", "分享到", "打印", "办文部门", "文章类型", "体裁",
    "留言时间", "发布人", "撰稿", "摄影", "备注", "实施日期", "废止日期", "有效期", "所属主题",
    "信息类别", "信息类型", "文种", "联系电话",
)  # fmt: skip

_FIELD_OF = {label: name for name, labels in FIELD_LABELS.items() for label in labels}


class Labelled(NamedTuple):
    """A raw value and the label it was written under (``发布日期``), as the page shows it."""

    text: str
    label: str


Labels = dict[str, list[Labelled]]
ALL_LABELS = frozenset(_FIELD_OF) | frozenset(OTHER_LABELS)
SEP = "\x1f"  # cell / block boundary inside a linearized line
INLINE = "\x1e"  # inline element boundary: a label may start there, a value runs across it


def _label_pattern(labels: frozenset[str]) -> re.Pattern[str]:
    """``label：`` not preceded by a word character (图文来源 is no 来源). The lookahead on the
    labels' first characters lets the engine skip most positions cheaply."""
    spaced = [r"\s*".join(map(re.escape, label)) for label in sorted(labels, key=len)[::-1]]
    firsts = "".join(sorted({label[0] for label in labels}))
    before = r"(?<![\u3400-\u9fff\w“”\"'‘’「《])"
    return re.compile(rf"(?=[{firsts}]){before}(?P<label>{'|'.join(spaced)})\s*[:：]")


LABEL = _label_pattern(ALL_LABELS)
# A known label glued to the value before it still starts a label (来源：本网发布日期：…,
# 索引号：…/2026-00031主题分类：…); any short CJK label after a space ends a value
# (文号：X 信息类别：Y).
_GLUED = re.compile(
    rf"(?=[{''.join(sorted({label[0] for label in ALL_LABELS}))}])"
    rf"(?P<label>{'|'.join(map(re.escape, sorted(ALL_LABELS, key=len)[::-1]))})\s*[:：]"
)
_NEXT_LABEL = re.compile(r"(?<=[\s\x1e])[\u3400-\u9fff]{2,6}\s*[:：]")
_CJK_COLON = re.compile(r"[\u3400-\u9fff]\s*[:：]")  # cheap first test: "http:" is no label
_SPACE = re.compile(r"\s+")
_LINE_TAGS = frozenset(
    {"p", "div", "li", "tr", "dd", "dl", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5",
     "h6", "section", "article", "header", "center", "form", "body"}
)  # fmt: skip
_WRITE = re.compile(r"document\.write\(\s*(['\"])(.*?)(?<!\\)\1\s*\)", re.DOTALL)
_TAG = re.compile(r"<(/?)(\w+)[^>]*>")
_MAX_LINE = 4000
_CELLS = ("td", "th")


def label_field(label: str) -> str | None:
    """The field a label fills (``发布日期`` -> ``publish``), None for labels we skip."""
    return _FIELD_OF.get(_SPACE.sub("", label))


def find_labels(
    index: PageIndex, body: etree._Element | None, keep: frozenset[etree._Element] = frozenset()
) -> Labels:
    """Raw labelled values by field (``publish``, ``source`` ...), in page order.

    ``info`` collects the lines that hold a 来源 / 作者 label: an unlabelled date there is the
    publish date on templates that print it bare (``2022-05-07 00:00　来源：…``).
    """
    found: list[tuple[int, str, Labelled]] = []
    seen: set[etree._Element] = set()
    for pos, owner, text in _candidates(index):
        if not _CJK_COLON.search(text) or not LABEL.search(text) or _excluded(owner, body, keep):
            continue
        line = _line_of(owner)
        if line not in seen:
            seen.add(line)
            found.extend((pos, name, value) for name, value in parse_line(_linear(line)))
    for pos, script in index.scripts:
        if not _excluded(script, body, keep):
            found.extend((pos, name, value) for name, value in parse_line(_script_text(script)))
    for pos, cell in index.cells:
        if not _answered_beside(cell) and not _excluded(cell, body, keep):
            found.extend((pos, name, value) for name, value in _cell_values(cell))
    result: Labels = {}
    for _, name, value in sorted(found, key=lambda item: item[0]):
        result.setdefault(name, []).append(value)
    return result


def _candidates(index: PageIndex) -> Iterator[tuple[int, etree._Element, str]]:
    for pos, el, is_tail in index.texts:
        owner = el.getparent() if is_tail else el
        if owner is not None:
            yield pos, owner, (el.tail if is_tail else el.text) or ""


def py_excluded(el: etree._Element, body: etree._Element | None, keep: frozenset) -> bool:
    """Inside the body (unless inside a kept metadata block), or hidden (``_excluded`` in
    Python: the definition; it runs in C where that is built, ``dom.WALKER``)."""
    in_body = in_keep = False
    node: etree._Element | None = el
    while node is not None:
        if py_is_skipped(node) and not (node is el and tag_of(el) == "script"):
            return True
        in_body = in_body or node is body
        in_keep = in_keep or node in keep
        node = node.getparent()
    return in_body and not in_keep


_excluded: Callable[[etree._Element, etree._Element | None, frozenset], bool] = (
    WALKER.excluded if WALKER else py_excluded
)


def _line_of(el: etree._Element) -> etree._Element:
    node = el
    while tag_of(node) not in _LINE_TAGS:
        parent = node.getparent()
        if parent is None:
            break
        node = parent
    return node


def _linear(line: etree._Element) -> str:
    text = flat_text(line, SEP, INLINE)
    return _SPACE.sub(" ", text[:_MAX_LINE])


def parse_line(text: str) -> Iterator[tuple[str, Labelled]]:
    """``(field, raw value)`` for every label in a linearized line (``SEP`` between cells)."""
    spans = _label_spans(text)
    for i, (raw_label, start, _) in enumerate(spans):
        name = label_field(raw_label)
        if name is None:
            continue
        end = spans[i + 1][2] if i + 1 < len(spans) else len(text)
        value = _until_label(_first_piece(text[start:end]))
        label = _SPACE.sub("", raw_label)
        if value:
            yield name, Labelled(value.replace(INLINE, ""), label)
        if name in ("source", "author"):
            yield "info", Labelled(text.replace(INLINE, ""), label)


def _label_spans(text: str) -> list[tuple[str, int, int]]:
    """``(label, value start, label start)`` of the line's labels, glued ones included."""
    matches = list(LABEL.finditer(text))
    spans = []
    for i, match in enumerate(matches):
        spans.append((match["label"], match.end(), match.start()))
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        if _CJK_COLON.search(text, match.end(), end):  # cheap: a glued label ends so
            glued = _GLUED.finditer(text, match.end(), end)
            spans.extend((g["label"], g.end(), g.start()) for g in glued)
    return sorted(spans, key=lambda span: span[2]) if len(spans) > len(matches) else spans


def _first_piece(segment: str) -> str | None:
    for piece in segment.split(SEP):
        piece = piece.strip(" |｜" + INLINE)
        if piece:
            return piece
    return None


def _until_label(value: str | None) -> str | None:
    """The value before an unknown label written after it (``_NEXT_LABEL``)."""
    if not value or not _CJK_COLON.search(value):
        return value
    following = _NEXT_LABEL.search(value)
    return (value[: following.start()].rstrip(" |｜" + INLINE) or None) if following else value


def _script_text(script: etree._Element) -> str:
    """The markup a script writes, tags dropped (block tags become boundaries)."""
    out = []
    for match in _WRITE.finditer(script.text or ""):
        markup = match.group(2).replace("\\'", "'").replace('\\"', '"')
        out.append(_TAG.sub(_tag_boundary, markup))
    return _SPACE.sub(" ", html.unescape(SEP.join(out)))


def _tag_boundary(match: re.Match[str]) -> str:
    return SEP if match.group(2).lower() in ("p", "div", "td", "li", "br", "tr") else ""


def _cell_values(cell: etree._Element) -> Iterator[tuple[str, Labelled]]:
    """Bare label cells: a header row over a value row, or a label cell then its value."""
    label = flat_text(cell).strip().rstrip(":：")
    name = label_field(label)
    row = cell.getparent()
    if name is None or row is None:
        return
    cells = [c for c in row if tag_of(c) in _CELLS]
    if all(_is_label_cell(c) for c in cells if flat_text(c).strip()):
        value = _value_below(row, cells.index(cell))
    else:
        value = _value_beside(cell)
    if value:
        yield name, Labelled(value, _SPACE.sub("", label))


def _answered_beside(cell: etree._Element) -> bool:
    """A ``索引号：`` cell with its value in the next cell: the row's line gives that value."""
    text = cell.text or ""
    if "：" not in text and ":" not in text:
        return False
    following = cell.getnext()
    return following is not None and tag_of(following) in _CELLS and not _is_label_cell(following)


def _value_below(row: etree._Element, column: int) -> str | None:
    following = row.xpath("following::tr[1]")
    below = [c for c in following[0] if tag_of(c) in _CELLS] if following else []
    return flat_text(below[column]).strip() if column < len(below) else None


def _value_beside(cell: etree._Element) -> str | None:
    following = cell.getnext()
    while following is not None and tag_of(following) not in _CELLS:
        following = following.getnext()
    if following is None or _is_label_cell(following) or _starts_labelled(following):
        return None
    return flat_text(following).strip()


def _is_label_cell(cell: etree._Element) -> bool:
    return _SPACE.sub("", flat_text(cell)).rstrip(":：") in ALL_LABELS


def _starts_labelled(cell: etree._Element) -> bool:
    match = LABEL.search(flat_text(cell))
    return match is not None and not flat_text(cell)[: match.start()].strip()
