"""Short record fields from labelled values and spec metas: one helper per field, None over a guess.

Precedence (docs/record.md): a visible labelled field first, then the spec ``<meta>``.
``publisher`` is the 公开目录 发布机构 when shown, else 来源 (visible, then ContentSource).
Each helper returns a :class:`~pipeline.extract.found.Found`: the value and where it came from.
"""

from __future__ import annotations

import re

from pipeline.extract.found import NOTHING, Found
from pipeline.extract.labels import Labelled, Labels
from pipeline.extract.meta import meta_text
from pipeline.extract.text import short_text
from pipeline.normalize import normalize_doc_number, parse_datetime

# A source/author value stops at a date, a bracketed control or a bar: 来源：本网 2024-10-17
_VALUE_END = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}|[【\[［|｜]")
_UNLABELLED_DATE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}")


def _name(value: str) -> str | None:
    match = _VALUE_END.search(value)
    return short_text(value[: match.start()] if match else value)


def _label(found: Labelled, suffix: str = "") -> str:
    return f"label {found.label}{suffix}"


def publish_datetime(labels: Labels, metas: dict[str, str]) -> tuple[Found, Found]:
    """``(YYYY-MM-DD, HH:MM)``: labelled 发布时间, a bare date on the 来源 line, else PubDate."""
    for values in (labels.get("publish", []), _info_dates(labels)):
        parsed = [(parse_datetime(v.text), v) for v in values]
        dates = [(day, time, v) for (day, time), v in parsed if day is not None]
        if dates:
            day, _, where = dates[0]
            when = next(((t, v) for d, t, v in dates if d == day and t), None)
            time = Found(when[0], _label(when[1])) if when else NOTHING
            return Found(day.isoformat(), _label(where)), time
    day, time = parse_datetime(metas.get("pubdate"))
    if day is None:
        return NOTHING, NOTHING
    return Found(day.isoformat(), "meta PubDate"), Found(time, "meta PubDate" if time else None)


def _info_dates(labels: Labels) -> list[Labelled]:
    out = []
    for line in labels.get("info", []):
        match = _UNLABELLED_DATE.search(line.text)
        if match:
            date = line.text[match.start() : match.end() + 9]
            out.append(Labelled(date, f"{line.label} line (unlabelled date)"))
    return out


def publisher(labels: Labels, metas: dict[str, str]) -> Found:
    """发布机构 of the 公开目录 block, else the visible 来源, else ``ContentSource``."""
    for name in ("agency", "source"):
        for value in labels.get(name, []):
            found = _name(value.text)
            if found:
                return Found(found, _label(value))
    source = meta_text(metas, "ContentSource")
    return Found(source, "meta ContentSource") if source else NOTHING


def author(labels: Labels) -> Found:
    """作者, when shown with a value."""
    for value in labels.get("author", []):
        name = _name(value.text)
        if name:
            return Found(name, _label(value))
    return NOTHING


def doc_number(labels: Labels) -> Found:
    """文号 / 文件编号 with canonical 〔〕 brackets."""
    for value in labels.get("doc_number", []):
        number = normalize_doc_number(short_text(value.text))
        if number and "\ufffd" not in number:
            return Found(number, _label(value))
    return NOTHING


def index_number(labels: Labels) -> Found:
    """索引号: the first whitespace-free token of the labelled value."""
    for value in labels.get("index_number", []):
        text = short_text(value.text)
        if text:
            return Found(text.split(" ")[0], _label(value))
    return NOTHING


def doc_date(labels: Labels) -> Found:
    """成文日期 (Hanweb: 生成日期) as ``YYYY-MM-DD``."""
    for value in labels.get("doc_date", []):
        day, _ = parse_datetime(value.text)
        if day:
            return Found(day.isoformat(), _label(value))
    return NOTHING
