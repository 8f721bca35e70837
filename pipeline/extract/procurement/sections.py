"""Labelled lines of the announcement body: ``项目编号：…``, ``采购人信息 名称：…`` and the like.

Works on the body's paragraphs (one line each, as ``body_paragraphs`` gives them), for both the
2020 national format (numbered sections, ``1.采购人信息`` / ``名称：…``) and the older ccgp layout
(``采购单位名称：…``, ``采购代理机构全称：…``). A label is a run of CJK text ending in a colon
that starts a line, follows a space or punctuation, or follows a section number; spaces inside
it are layout (``项 目 编 号：``). Its value runs to the next label on the line, or is the next
line when the label ends its line (``一、项目编号：`` <br> ``ZC130800202101632``). Generic labels
(``名称``, ``时间``) take their meaning from the last section heading (``采购代理机构信息``).
The first value of a field wins. A lot heading line (``合同包1：``) gives the award lines after
it their lot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

from pipeline.extract.procurement import vocab
from pipeline.extract.procurement.clean import heading_lot

_CN_NUMERAL = "一二三四五六七八九十"
_NUMBER = rf"(?:[{_CN_NUMERAL}]{{1,3}}、|\d{{1,2}}[.．、](?!\d)|[（(][{_CN_NUMERAL}\d]{{1,3}}[)）])"
LABEL = re.compile(
    rf"(?:^|(?<=[\s、.．,，;；)）|]))(?P<num>{_NUMBER}\s*)?"
    r"(?P<label>[\u3400-\u9fff][\u3400-\u9fff\s（）()、]{0,40}?)\s*[:：]"
)
NUMBERED = re.compile(rf"^{_NUMBER}\s*")
_PARENS = re.compile(r"[（(][^（）()]*[)）]")
_UNIT = re.compile(r"[（(]\s*(?:单位\s*[:：]?\s*)?(亿元|万元|元)\s*[)）]")
_SPACE = re.compile(r"\s+")
_CONTEXT_KEYS = sorted(vocab.CONTEXTS, key=len, reverse=True)
MAX_HEADING = 20  # characters: a longer unnumbered line is prose, not a section heading
_CONTEXT_AT_END = re.compile(f"(?:{'|'.join(_CONTEXT_KEYS)})$")
_HEADING_ENDINGS = frozenset(key[-1] for key in vocab.CONTEXTS) | {"点"}  # 截止时间…和地点
MAX_HEADING_LINE = 60  # characters of a raw line before any heading test (spaces, numbering)


class Raw(NamedTuple):
    """A labelled value as written, with the unit its label names (``预算金额（万元）``)."""

    text: str
    unit: str | None = None


class Label(NamedTuple):
    """One label on a line: where its text starts (after any heading words before it), where
    its value starts, the known label key, the heading it carries, and its unit."""

    start: int
    end: int
    key: str | None
    heading: str | None
    numbered: bool
    unit: str | None


@dataclass
class BodyValues:
    """What the body's labelled lines say: first value per raw field, award lines."""

    values: dict[str, Raw] = field(default_factory=dict)
    award_lines: list[dict[str, Raw]] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)  # field -> the label it was read under
    lot: str | None = None  # the lot the last lot heading opened (合同包1：), for award lines

    def add(self, name: str, raw: Raw, label: str | None = None) -> None:
        if name == "deadline_opening":  # one date under 截止时间、开标时间和地点
            self.add("bid_deadline", raw, label)
            self.add("bid_opening", raw, label)
        elif name in vocab.AWARD_LINE_FIELDS:
            lines = self.award_lines
            if name == "supplier" or not lines or name in lines[-1]:
                lines.append({"heading_lot": Raw(self.lot)} if self.lot else {})
            lines[-1][name] = raw
        elif raw.text and name not in self.values:
            self.values[name] = raw
            if label:
                self.labels[name] = label


@lru_cache(maxsize=4096)  # labels and headings repeat from page to page
def compact(label: str) -> str:
    """A label without spaces and parenthesized parts: ``中标（成交）金额`` -> 中标金额."""
    return _PARENS.sub("", _SPACE.sub("", label)).rstrip("：:")


def label_unit(label: str) -> str | None:
    """The unit a label names: ``预算金额（万元）`` -> 万元."""
    match = _UNIT.search(label)
    return match.group(1) if match else None


def read_body(lines: list[str]) -> BodyValues:
    """Labelled values of the body lines."""
    out = BodyValues()
    context: str | None = None
    pending: tuple[str, str | None, str] | None = None  # (raw field, unit, label): next line
    for line in lines:
        has_colon = "：" in line or ":" in line
        labels = [_label(match) for match in LABEL.finditer(line)] if has_colon else []
        if pending is not None:
            if (not labels or labels[0].start > 0) and not NUMBERED.match(line):
                out.add(pending[0], Raw(line, pending[1]), pending[2])
            pending = None
        head = line[: labels[0].start] if labels else line
        context = _section(head, context)
        out.lot = heading_lot(line) or out.lot
        if not labels:
            pending = _heading_field(line, context)
        for i, label in enumerate(labels):
            name, context = _field(label, context)
            end = labels[i + 1].start if i + 1 < len(labels) else len(line)
            value = line[label.end : end].strip()
            if name is not None and value:
                out.add(name, Raw(value, label.unit), label.key)
            elif name is not None and i + 1 == len(labels):
                pending = (name, label.unit, label.key or name)
    return out


def _label(match: re.Match[str]) -> Label:
    """Resolve a label match: the whole label, a heading + label (``采购人信息 名称``, also
    without the space), or its last words (``湛江市 第一中学 地址``: only 地址 is a label)."""
    skip, key, heading, unit = _resolve(match["label"])
    start = match.start() if skip is None else match.start("label") + skip
    return Label(start, match.end(), key, heading, bool(match["num"]), unit)


@lru_cache(maxsize=4096)
def _resolve(text: str) -> tuple[int | None, str | None, str | None, str | None]:
    """(where the label starts within ``text``, None for the whole match; the label key; the
    heading it carries; its unit). Memoized: the same labels open the lines of every page."""
    unit = label_unit(text)
    key = compact(text)
    if vocab.EXPERTS_LABEL.search(key):
        return None, "experts", None, unit
    if key in vocab.BODY_LABELS:
        return None, key, None, unit
    for heading in _CONTEXT_KEYS:
        if key.startswith(heading) and key[len(heading) :] in vocab.BODY_LABELS:
            return None, key[len(heading) :], heading, unit
    for word in _SPACE.finditer(text):
        rest = compact(text[word.end() :])
        if rest in vocab.BODY_LABELS:
            heading = compact(text[: word.start()])
            known = heading if heading in vocab.CONTEXTS else None
            return (word.end() if known is None else None), rest, known, unit
    return None, None, None, unit


def _field(label: Label, context: str | None) -> tuple[str | None, str | None]:
    """The raw field a label fills and the section context after it."""
    if label.numbered:
        context = None
    if label.heading is not None:
        context = vocab.CONTEXTS[label.heading]
    if label.key == "experts":
        return "experts", context
    name = vocab.BODY_LABELS.get(label.key or "")
    if name in vocab.GENERIC_NAMES:
        name = vocab.GENERIC.get((name, context or ""))
    return name, context


@lru_cache(maxsize=4096)  # a template's lines open the same way on every page
def _section(head: str, context: str | None) -> str | None:
    """The section a heading opens: a known one; none after another numbered heading."""
    numbered = NUMBERED.match(head) is not None
    if not numbered and (len(head) > MAX_HEADING_LINE or not _may_end_heading(head)):
        return context  # prose or data, not a heading (checked before the regexes)
    key = compact(NUMBERED.sub("", head.strip()))
    if not key or (len(key) > MAX_HEADING and not numbered):
        return None if numbered else context
    if "截止" in key and vocab.DEADLINE_AND_OPENING.search(key):
        return "deadline_opening"
    ending = _CONTEXT_AT_END.search(key)
    if ending is not None:
        return vocab.CONTEXTS[ending.group()]
    return None if numbered else context


def _may_end_heading(head: str) -> bool:
    """Cheap test: does the text end like a section heading we know (…信息, …开启 …)?"""
    tail = head.rstrip(" :：）)")
    return bool(tail) and tail[-1] in _HEADING_ENDINGS


def _heading_field(line: str, context: str | None) -> tuple[str, str | None, str] | None:
    """A heading whose value is the next line: 评审委员会成员名单, 七、合同签订日期, and the
    date under 四、提交投标文件截止时间、开标时间和地点."""
    if len(line) > MAX_HEADING_LINE:
        return None
    if "名单" in line:
        key = compact(NUMBERED.sub("", line))
        if vocab.EXPERTS_LABEL.search(key):
            return "experts", None, key
    if not NUMBERED.match(line):
        return None
    key = compact(NUMBERED.sub("", line))
    if context == "deadline_opening":
        return "deadline_opening", None, key
    name = vocab.BODY_LABELS.get(key)
    if name is None or name in vocab.GENERIC_NAMES:
        return None
    return name, label_unit(line), key
