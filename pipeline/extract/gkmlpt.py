"""gkmlpt (政府信息公开目录平台) content pages: the article as data, the rendered table as fallback.

A content page (``…/gkmlpt/content/<N//1e6>/<N//1e3>/post_<N>.html``) embeds
``window._CONFIG = {ACTION:'content', DETAIL:{…}, TREE:[…]}``. ``DETAIL`` holds the article:
``title``, ``content`` (its body HTML), ``publisher`` (发布机构), ``classify_main_name`` (its
category); the list API's article fields (``identifier`` 索引号, ``document_number`` 文号,
``date`` 成文日期 in unix seconds, ``created_at`` 发布日期, ``attachment``) are read too when
present (the real sample, ``realpages/api/gkmlpt_content__zhaoqing.html``, carries only the
first four). The full page also renders ``div.classify``, a table of 索引号 / 分类 / 发布机构 /
成文日期 / 名称 / 文号 / 发布日期 / 主题词 (label cell, then a ``td.td-value`` value cell): its
values fill what ``DETAIL`` lacks. Each value's source says which (``gkmlpt DETAIL.title``,
``gkmlpt table 索引号``).
"""

from __future__ import annotations

import json
import re
from itertools import pairwise
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from pipeline.extract.dom import flat_text, parse_html, tag_of
from pipeline.extract.found import Embedded, Found
from pipeline.extract.index import PageIndex, select, selector
from pipeline.extract.text import short_text
from pipeline.normalize import date_from_unix, normalize_doc_number, parse_datetime
from pipeline.normalize.urls import web_url
from pipeline.record import Attachment

MARK = "gkmlpt"  # index.SCRIPT_MARKS: a script holding window._CONFIG
CLASSIFY = selector("div.classify")
_DETAIL = re.compile(r"\bDETAIL\s*:\s*")
_ACTION = re.compile(r"\bACTION\s*:\s*['\"](\w+)['\"]")
_SPACE = re.compile(r"\s+")
#: DETAIL key -> record field (dates and attachments are read apart).
DETAIL_TEXT = {
    "title": "title",
    "publisher": "publisher",
    "classify_main_name": "category",
    "identifier": "index_number",
    "document_number": "doc_number",
}
#: Label of the rendered table -> record field.
TABLE_LABELS = {
    "名称": "title",
    "发布机构": "publisher",
    "分类": "category",
    "索引号": "index_number",
    "文号": "doc_number",
    "成文日期": "doc_date",
    "发布日期": "publish_date",
}


def read_embedded(index: PageIndex, base: str) -> Embedded | None:
    """The page's DETAIL values (and its rendered table's), its body and attachments
    (``base``: the URL the page's relative links resolve against)."""
    detail = _detail(index)
    table = _table_fields(index)
    if detail is None and not table:
        return None
    fields = _detail_fields(detail or {})
    for name, found in table.items():
        fields.setdefault(name, found)
    content = (detail or {}).get("content")
    body = _content_body(content) if isinstance(content, str) else None
    source = "gkmlpt DETAIL.content" if body is not None else None
    return Embedded(fields, body, _listed_attachments(detail or {}, base), source)


def _detail(index: PageIndex) -> dict[str, Any] | None:
    """``window._CONFIG.DETAIL`` as a dict (None when absent, not a content page, or broken)."""
    script = index.marks.get(MARK)
    text = script.text if script is not None else None
    if not text:
        return None
    action = _ACTION.search(text)
    match = _DETAIL.search(text)
    if match is None or (action is not None and action.group(1) != "content"):
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text, match.end())
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _detail_fields(detail: dict[str, Any]) -> dict[str, Found]:
    fields: dict[str, Found] = {}
    for key, name in DETAIL_TEXT.items():
        value = _field_value(name, _text(detail.get(key)))
        if value:
            fields[name] = Found(value, f"gkmlpt DETAIL.{key}")
    day, time = parse_datetime(_text(detail.get("created_at")))
    if day is not None:
        fields["publish_date"] = Found(day.isoformat(), "gkmlpt DETAIL.created_at")
        fields["publish_time"] = Found(time, "gkmlpt DETAIL.created_at" if time else None)
    written = date_from_unix(detail.get("date"))
    if written:
        fields["doc_date"] = Found(written, "gkmlpt DETAIL.date")
    return fields


def _text(value: Any) -> str | None:
    return short_text(str(value)) if isinstance(value, str | int) and value != "" else None


def _field_value(name: str, text: str | None) -> str | None:
    if not text:
        return None
    if name == "doc_number":
        return normalize_doc_number(text)
    if name == "index_number":
        return text.split(" ")[0]
    return text


def _table_fields(index: PageIndex) -> dict[str, Found]:
    """Values of the rendered ``div.classify`` table, by record field."""
    fields: dict[str, Found] = {}
    for block in select(index, CLASSIFY):
        for cell, value in pairwise(block.iter("td", "th")):
            label = _SPACE.sub("", flat_text(cell)).rstrip(":：")
            name = TABLE_LABELS.get(label)
            if name is None or name in fields or _is_label(value):
                continue
            fields.update(_table_value(name, label, short_text(flat_text(value, " "))))
    return fields


def _is_label(cell: etree._Element) -> bool:
    return _SPACE.sub("", flat_text(cell)).rstrip(":：") in TABLE_LABELS


def _table_value(name: str, label: str, text: str | None) -> dict[str, Found]:
    source = f"gkmlpt table {label}"
    if name in ("doc_date", "publish_date"):
        day, time = parse_datetime(text)
        if day is None:
            return {}
        found = {name: Found(day.isoformat(), source)}
        if name == "publish_date":  # the date comes with its own time, or none
            found["publish_time"] = Found(time, source if time else None)
        return found
    value = _field_value(name, text)
    return {name: Found(value, source)} if value else {}


def _content_body(content: str) -> etree._Element | None:
    """DETAIL.content as a container element (a ``div`` of its own small tree)."""
    if not content.strip():
        return None
    root = parse_html(f"<html><body><div>{content}</div></body></html>")
    body = next((el for el in root.iter("body")), None)
    found = body[0] if body is not None and len(body) else None
    return found if found is not None and tag_of(found) == "div" else None


def _listed_attachments(detail: dict[str, Any], base: str) -> tuple[Attachment, ...]:
    """DETAIL.attachment ``[{name, url, …}]``, URLs made absolute (http(s) ones only)."""
    listed = detail.get("attachment")
    out = []
    for item in listed if isinstance(listed, list) else ():
        url = web_url(base, item.get("url")) if isinstance(item, dict) else None
        if url and urlsplit(url).scheme in ("http", "https"):
            out.append(Attachment(_text(item.get("name")), url))
    return tuple(out)
