"""Procurement values as the record stores them: names, project numbers, lots, experts, times.

Every function takes the raw text of one field (a summary cell, a labelled value, a table cell)
and returns the canonical value or None; amounts and dates go through ``pipeline.normalize``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from pipeline.extract.text import line_text
from pipeline.normalize import fold_width, parse_date_iso, parse_datetime

_CJK = "\u3400-\u9fff"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])\s+(?=[{_CJK}])")
_ANY_SPACE = re.compile(r"\s+")
_EDGE_PUNCT = "；;，,。:：、 "
_PLACEHOLDER = frozenset({"无", "/", "-", "—", "--", "null", "暂无", "详见附件"})
_LOT = re.compile(
    r"^(?:第|标包|包组|包号|分包|采购包|包件|标段|标项|包)?\s*(?P<id>[A-Za-z0-9]{1,8})"
    r"\s*(?:包|标段|标包|标项|号|标)?$"
)
_NUMBER_BRACKETS = str.maketrans("（）［］【】", "()[][]")
_NAME_LIST_SEP = re.compile(r"[、，,；;/|]+")
_LOT_WORD = r"(?:包组|标包|分包|采购包|合同包|子包|标段|标项|包)"
_LOT_NUM = r"[\dA-Za-z一二三四五六七八九十]{1,3}"
#: ``包1：`` / ``第2包：`` / ``标段三：`` before a lot's own value (one name repeated per lot).
LOT_PREFIX = re.compile(rf"(?:第\s*{_LOT_NUM}\s*{_LOT_WORD}|{_LOT_WORD}\s*{_LOT_NUM})\s*[:：]")
#: A line that only opens a lot: ``包1：``, ``合同包2（教学设备）：``, ``第3包``, ``标段一``.
LOT_HEADING = re.compile(
    rf"^(?:[（(]?[\d一二三四五六七八九十]{{1,2}}[)）、.．]\s*)?"
    rf"(?:第\s*(?P<a>{_LOT_NUM})\s*{_LOT_WORD}|{_LOT_WORD}\s*(?:编?号)?\s*[:：]?\s*(?P<b>{_LOT_NUM}))"
    r"(?![\dA-Za-z])\s*(?:[（(][^（）()]{0,30}[)）])?\s*[:：]?$"
)


@lru_cache(maxsize=2048)  # purchasers and agencies recur across notices
def clean_name(text: str | None) -> str | None:
    """A project, purchaser, agency or supplier name: normalized, spaces inside CJK removed.

    ``采 购 人`` style spacing is an artefact of justified layouts, never part of a name;
    spaces between Latin words are kept (``LIU YANG``).
    """
    value = line_text(text)
    if value is None:
        return None
    if LOT_PREFIX.search(value):
        return _per_lot(value)
    value = _CJK_GAP.sub("", value).strip(_EDGE_PUNCT)
    return None if not value or value in _PLACEHOLDER else value


def _per_lot(value: str) -> str | None:
    """A name given lot by lot (``包1：甲单位；包2：甲单位``): the distinct names, one when
    every lot names the same (joined by 、 when they differ, as several purchasers are)."""
    names = (clean_name(piece) for piece in LOT_PREFIX.split(value))
    distinct = list(dict.fromkeys(name for name in names if name))
    return "、".join(distinct) or None


@lru_cache(maxsize=2048)  # called on every body line; template lines repeat
def heading_lot(line: str) -> str | None:
    """The lot a short heading line opens (``合同包1（教学设备）：`` -> 1), else None."""
    if len(line) > 40:
        return None
    match = LOT_HEADING.match(line.strip())
    return (match["a"] or match["b"]) if match else None


@lru_cache(maxsize=2048)
def project_number(text: str | None) -> str | None:
    """项目编号, canonical: full-width folded to ASCII (brackets too: ``ＺＪＺＣ（２０２５）００３``
    -> ``ZJZC(2025)003``), every space removed, trimmed."""
    if not text:
        return None
    value = _ANY_SPACE.sub("", fold_width(text).translate(_NUMBER_BRACKETS)).strip(_EDGE_PUNCT)
    return None if not value or value in _PLACEHOLDER else value


def lot_id(text: str | None) -> str | None:
    """A lot as shown, without its 包/标段 wording: ``A`` -> A, ``包1`` -> 1, ``第2包`` -> 2."""
    value = line_text(fold_width(text or ""))
    if value is None:
        return None
    match = _LOT.match(_ANY_SPACE.sub("", value))
    return match["id"] if match else value


def expert_names(text: str | None) -> list[str]:
    """评审专家名单 as names: split on 、，；/ when present, else on spaces (``王东煜  何宗海``).

    With separators, spaces inside a name are layout (``张  华`` -> 张华); without them, a list
    with a one-character piece is one padded name.
    """
    value = line_text(text)
    if value is None:
        return []
    if _NAME_LIST_SEP.search(value):
        pieces = _NAME_LIST_SEP.split(_CJK_GAP.sub("", value))
    else:
        pieces = value.split(" ")
        if any(len(piece) == 1 for piece in pieces):  # one padded name: 张 华
            pieces = [_CJK_GAP.sub("", value)]
    names = (piece.strip(_EDGE_PUNCT) for piece in pieces)
    return [name for name in names if name and name not in _PLACEHOLDER]


def date_time(text: str | None) -> str | None:
    """``YYYY-MM-DD HH:MM`` (``YYYY-MM-DD`` when the page gives no time), or None."""
    day, time = parse_datetime(text)
    if day is None:
        return None
    return f"{day.isoformat()} {time}" if time else day.isoformat()


def date_only(text: str | None) -> str | None:
    """``YYYY-MM-DD`` or None."""
    return parse_date_iso(text)
