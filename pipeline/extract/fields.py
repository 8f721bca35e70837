"""Short record fields from labelled values and spec metas: one helper per field, None over a guess.

Precedence (docs/record.md): a visible labelled field first, then the spec ``<meta>``.
``publisher`` is the 公开目录 发布机构 when shown, else 来源 (visible, then ContentSource).
"""

from __future__ import annotations

import re

from pipeline.extract.meta import meta_text
from pipeline.extract.text import short_text
from pipeline.normalize import normalize_doc_number, parse_datetime

Labels = dict[str, list[str]]

# A source/author value stops at a date, a bracketed control or a bar: 来源：本网 2024-10-17
_VALUE_END = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}|[【\[［|｜]")
_UNLABELLED_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


def _name(value: str) -> str | None:
    match = _VALUE_END.search(value)
    return short_text(value[: match.start()] if match else value)


def publish_datetime(labels: Labels, metas: dict[str, str]) -> tuple[str | None, str | None]:
    """``(YYYY-MM-DD, HH:MM)``: labelled 发布时间, a bare date on the 来源 line, else PubDate."""
    for values in (labels.get("publish", []), _info_dates(labels)):
        parsed = [parse_datetime(v) for v in values]
        dates = [(day, time) for day, time in parsed if day is not None]
        if dates:
            day = dates[0][0]
            time = next((t for d, t in dates if d == day and t), None)
            return day.isoformat(), time
    day, time = parse_datetime(metas.get("pubdate"))
    return (day.isoformat(), time) if day else (None, None)


def _info_dates(labels: Labels) -> list[str]:
    out = []
    for line in labels.get("info", []):
        match = _UNLABELLED_DATE.search(line)
        if match:
            out.append(line[match.start() : match.end() + 9])
    return out


def publisher(labels: Labels, metas: dict[str, str]) -> str | None:
    """发布机构 of the 公开目录 block, else the visible 来源, else ``ContentSource``."""
    for name in ("agency", "source"):
        for value in labels.get(name, []):
            found = _name(value)
            if found:
                return found
    return meta_text(metas, "ContentSource")


def author(labels: Labels) -> str | None:
    """作者, when shown with a value."""
    return next(filter(None, map(_name, labels.get("author", []))), None)


def doc_number(labels: Labels) -> str | None:
    """文号 / 文件编号 with canonical 〔〕 brackets."""
    for value in labels.get("doc_number", []):
        number = normalize_doc_number(short_text(value))
        if number and "\ufffd" not in number:
            return number
    return None


def index_number(labels: Labels) -> str | None:
    """索引号: the first whitespace-free token of the labelled value."""
    for value in labels.get("index_number", []):
        text = short_text(value)
        if text:
            return text.split(" ")[0]
    return None


def doc_date(labels: Labels) -> str | None:
    """成文日期 (Hanweb: 生成日期) as ``YYYY-MM-DD``."""
    for value in labels.get("doc_date", []):
        day, _ = parse_datetime(value)
        if day:
            return day.isoformat()
    return None
