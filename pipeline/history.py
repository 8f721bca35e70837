"""A notice's history made readable: which fields changed between two versions, and how.

Pure functions over the record JSON that ``notice_versions.record_json`` keeps (the record
without ``body_html``). ``diff_records`` lists the content fields (those of the content hash,
``pipeline.record.content_fields``) whose values differ, nested procurement fields flattened to
``procurement.<field>``; ``inline_diff`` compares two texts as opcodes without markup:
paragraphs first, then, inside replaced paragraphs, a word of Latin letters and digits or a single
character of anything else (Chinese has no spaces between words: difflib over characters is the
right unit, and ``2026`` against ``2027`` reads better as one word). ``folded`` shortens long
unchanged stretches; ``diff_html`` turns opcodes into escaped HTML with ``<del>``/``<ins>``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from pipeline.record import Procurement, Record, content_fields, json_fields

EQUAL, DELETE, INSERT, SKIP = "equal", "delete", "insert", "skip"
#: One step of a diff: ``(EQUAL | DELETE | INSERT | SKIP, text)``; SKIP is unchanged text left out.
Op = tuple[str, str]

#: Above this many tokens in one replaced block (both sides together), the block is shown as
#: deleted and inserted whole: difflib's matching grows with the product of the two lengths.
MAX_BLOCK_TOKENS = 6000
#: Unchanged text kept on each side of a change by ``folded``.
CONTEXT = 60
_TOKEN = re.compile(r"[A-Za-z0-9]+|\s+|.", re.DOTALL)
_OPS = {"equal": EQUAL, "delete": DELETE, "insert": INSERT}

#: Bilingual labels of the fields a diff may name (user-facing).
LABELS = {
    "kind": "类型 · Kind",
    "category": "栏目 · Column",
    "title": "标题 · Title",
    "publish_date": "发布日期 · Published",
    "publish_time": "发布时间 · Time",
    "publisher": "发布机构 · Publisher",
    "author": "作者 · Author",
    "doc_number": "文号 · Doc. number",
    "index_number": "索引号 · Index number",
    "doc_date": "成文日期 · Written",
    "body_text": "正文 · Body text",
    "attachments": "附件 · Attachments",
    "procurement.announcement_type": "公告类型 · Announcement type",
    "procurement.procurement_method": "采购方式 · Method",
    "procurement.project_number": "项目编号 · Project number",
    "procurement.project_name": "项目名称 · Project name",
    "procurement.purchaser": "采购人 · Purchaser",
    "procurement.agency": "采购代理机构 · Agency",
    "procurement.region": "行政区域 · Region",
    "procurement.budget_amount": "预算金额 · Budget (yuan)",
    "procurement.bid_deadline": "投标截止 · Bid deadline",
    "procurement.bid_opening": "开标时间 · Bid opening",
    "procurement.award_amount": "中标金额 · Award (yuan)",
    "procurement.award_suppliers": "中标供应商 · Suppliers",
    "procurement.awards": "中标明细 · Awards",
    "procurement.award_date": "中标日期 · Award (winner determined) date",
    "procurement.contract_date": "合同日期 · Contract date",
    "procurement.contract_amount": "合同金额 · Contract (yuan)",
    "procurement.experts": "评审专家 · Experts",
    "procurement.intent_items": "采购意向 · Intended purchases",
    "procurement.conflicts": "概要与正文不一致 · Summary/body conflicts",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field whose value differs between two versions, both values as text (None: absent)."""

    field: str
    old: str | None
    new: str | None

    @property
    def kind(self) -> str:
        """``added``, ``removed`` or ``changed``."""
        if self.old is None:
            return "added"
        return "removed" if self.new is None else "changed"

    @property
    def label(self) -> str:
        return label(self.field)


def label(field: str) -> str:
    """The bilingual label of a field (its name when it has none)."""
    return LABELS.get(field, field)


def compared_fields() -> tuple[str, ...]:
    """The fields ``diff_records`` compares, in record order (procurement ones flattened)."""
    names: list[str] = []
    for name in content_fields(Record):
        if name == "procurement":
            names += [f"procurement.{sub}" for sub in json_fields(Procurement)]
        else:
            names.append(name)
    return tuple(names)


def diff_records(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> list[FieldChange]:
    """The content fields whose text differs from ``old`` to ``new`` (record JSON objects).

    ``old`` None (a first version) compares against an empty record. Absent keys, None and empty
    values are all "absent", so an older record JSON missing a newer field is not a change.
    """
    changes = []
    for name in compared_fields():
        before, after = _value(old or {}, name), _value(new, name)
        if before != after:
            changes.append(FieldChange(name, before, after))
    return changes


def _value(record: Mapping[str, Any], name: str) -> str | None:
    head, _, sub = name.partition(".")
    value = record.get(head)
    if sub:
        value = value.get(sub) if isinstance(value, Mapping) else None
    return as_text(value)


def as_text(value: Any) -> str | None:
    """A field value as text for comparison and display: lists one item a line, objects as
    ``value · value`` of their non-empty values, whole-number floats without ``.0``."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Mapping):
        return " · ".join(t for t in map(as_text, value.values()) if t is not None) or None
    if isinstance(value, list | tuple):
        return "\n".join(t for t in map(as_text, value) if t is not None) or None
    return str(value)


def inline_diff(a: str | None, b: str | None, *, max_tokens: int = MAX_BLOCK_TOKENS) -> list[Op]:
    """Opcodes turning ``a`` into ``b``: EQUAL, DELETE and INSERT runs, no markup.

    Paragraphs (lines) are matched first; a replaced run of paragraphs is compared word by word
    (Latin letters and digits) and character by character (everything else). Within each change
    the deleted text comes before the inserted text.
    """
    lines_a = (a or "").splitlines(keepends=True)
    lines_b = (b or "").splitlines(keepends=True)
    ops: list[Op] = []
    matcher = SequenceMatcher(None, lines_a, lines_b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = "".join(lines_a[i1:i2]), "".join(lines_b[j1:j2])
        if tag == "replace":
            ops += _token_diff(old, new, max_tokens)
        else:
            ops.append((_OPS[tag], new if tag == "insert" else old))
    return _normalized(_absorb_short_equals(_normalized(ops)))


def _token_diff(a: str, b: str, max_tokens: int) -> list[Op]:
    tokens_a, tokens_b = _TOKEN.findall(a), _TOKEN.findall(b)
    head = _common_length(tokens_a, tokens_b)
    tail = _common_length(tokens_a[head:][::-1], tokens_b[head:][::-1])
    middle_a, middle_b = (
        tokens_a[head : len(tokens_a) - tail],
        tokens_b[head : len(tokens_b) - tail],
    )
    ops: list[Op] = [(EQUAL, "".join(tokens_a[:head]))]
    if len(middle_a) + len(middle_b) > max_tokens:
        ops += [(DELETE, "".join(middle_a)), (INSERT, "".join(middle_b))]
    else:
        matcher = SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag in ("equal", "delete", "replace"):
                ops.append((EQUAL if tag == "equal" else DELETE, "".join(middle_a[i1:i2])))
            if tag in ("insert", "replace"):
                ops.append((INSERT, "".join(middle_b[j1:j2])))
    return [*ops, (EQUAL, "".join(tokens_a[len(tokens_a) - tail :]))]


def _common_length(a: list[str], b: list[str]) -> int:
    """How many leading items ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _absorb_short_equals(ops: list[Op]) -> list[Op]:
    """A single unchanged character between two replacements joins them (``甲乙丙`` → ``丁乙戊``
    reads as one change, not two around a coincidence): it is deleted and inserted instead.
    ``ops`` are normalized (each change one DELETE then one INSERT)."""
    out: list[Op] = []
    for i, (op, text) in enumerate(ops):
        replaced_before = i >= 2 and (ops[i - 2][0], ops[i - 1][0]) == (DELETE, INSERT)
        replaced_after = i + 2 < len(ops) and (ops[i + 1][0], ops[i + 2][0]) == (DELETE, INSERT)
        lone = op == EQUAL and len(text) == 1 and not text.isspace()
        if lone and replaced_before and replaced_after:
            out += [(DELETE, text), (INSERT, text)]
        else:
            out.append((op, text))
    return out


def _normalized(ops: Iterable[Op]) -> list[Op]:
    """Empty steps dropped; each run of changes as one DELETE then one INSERT."""
    out: list[Op] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def close_change() -> None:
        if deleted:
            out.append((DELETE, "".join(deleted)))
        if inserted:
            out.append((INSERT, "".join(inserted)))
        deleted.clear()
        inserted.clear()

    for op, text in ops:
        if not text:
            continue
        if op == DELETE:
            deleted.append(text)
        elif op == INSERT:
            inserted.append(text)
        else:
            close_change()
            if out and out[-1][0] == op:
                text = out.pop()[1] + text
            out.append((op, text))
    close_change()
    return out


def folded(ops: list[Op], context: int = CONTEXT) -> list[Op]:
    """``ops`` with each unchanged run longer than needed cut to ``context`` characters beside
    each change; what is left out becomes one SKIP step (its text kept, for a reader to expand)."""
    out: list[Op] = []
    last = len(ops) - 1
    for i, (op, text) in enumerate(ops):
        keep_head = context if i > 0 else 0
        keep_tail = context if i < last else 0
        if op != EQUAL or len(text) <= keep_head + keep_tail + context:
            out.append((op, text))
            continue
        cut_end = len(text) - keep_tail
        out += [(EQUAL, text[:keep_head]), (SKIP, text[keep_head:cut_end]), (EQUAL, text[cut_end:])]
    return [(op, text) for op, text in out if text]


def has_changes(ops: Iterable[Op]) -> bool:
    return any(op in (DELETE, INSERT) for op, _ in ops)


def diff_html(ops: Iterable[Op]) -> str:
    """Escaped HTML of opcodes: ``<del>`` and ``<ins>`` around changes, a SKIP as a marker
    saying how many characters are left out. Whitespace is kept as text (style it ``pre-wrap``)."""
    parts = []
    for op, text in ops:
        escaped = html.escape(text)
        if op == DELETE:
            parts.append(f"<del>{escaped}</del>")
        elif op == INSERT:
            parts.append(f"<ins>{escaped}</ins>")
        elif op == SKIP:
            parts.append(
                f'<span class="zwgk-skip">⋯ 未变 {len(text):,} 字 / '
                f"{len(text):,} characters unchanged ⋯</span>"
            )
        else:
            parts.append(escaped)
    return "".join(parts)
