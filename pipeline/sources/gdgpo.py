"""广东省政府采购网 (gdgpo): an announcement from its ``getInfoById`` JSON (docs/sites.md).

The JSON is the raw capture (the page routes answer 403); ``data.content`` is the announcement's
HTML, read by the procurement extractor. The API's own fields then take the place a ccgp page's
公告概要 table takes: ``openTenderCode``, ``purchaser``, ``agency`` and ``budget`` win over the
content's values, and where both give one and they differ, both are kept in ``conflicts``
(``summary`` = the API's). The title loses its ``<font>`` search highlighting; ``noticeTime``
gives the publish date and time, ``noticeTypeName`` the category and ``noticeType`` (longest
matching prefix) the announcement type.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pipeline.extract import extract_page
from pipeline.extract.procurement.clean import clean_name, project_number
from pipeline.normalize import normalize_text, parse_amount, parse_datetime
from pipeline.normalize.urls import web_url
from pipeline.record import Attachment, Conflict, Procurement, Record, replace

FORMAT = "gdgpo"
FAMILY = "gdgpo"
#: noticeType prefixes (codes carry extra digits: the longest matching prefix decides).
NOTICE_TYPES: dict[str, str] = {
    "59": "intent",
    "00101": "tender",
    "001051": "tender",
    "001052": "tender",
    "001053": "tender",
    "00102": "award",
    "00103": "correction",
    "00105B": "correction",
    "001004": "termination",
    "001006": "termination",
    "001054": "contract",
    "001009": "other",
    "00105A": "other",
    "001101": "other",
    "001059": "other",
}
_TAG = re.compile(r"<[^>]*>")


class NotAnAnnouncement(ValueError):
    """The JSON is no getInfoById answer (an error answer, a captcha, something else)."""


def announcement_type(code: str | None) -> str:
    """The announcement type of a noticeType code (``other`` when no prefix matches)."""
    code = code or ""
    matches = [prefix for prefix in NOTICE_TYPES if code.startswith(prefix)]
    return NOTICE_TYPES[max(matches, key=len)] if matches else "other"


def plain_title(title: str | None) -> str | None:
    """A list title without its ``<font>`` highlighting (or any other markup)."""
    return normalize_text(_TAG.sub("", title or "")) or None


def detail(raw: bytes) -> dict[str, Any]:
    try:
        answer = json.loads(raw)
    except ValueError as exc:
        raise NotAnAnnouncement(f"not JSON: {exc}") from None
    data = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("content"), str):
        code = answer.get("code") if isinstance(answer, dict) else None
        raise NotAnAnnouncement(f"no announcement in the answer (code {code!r})")
    return data


def read(raw: bytes, url: str, site: str | None = None, *, with_html: bool = True) -> Record:
    """The record of one getInfoById answer."""
    data = detail(raw)
    record = extract_page(data["content"], url, site=site, family=FAMILY, with_html=with_html)
    day, time = parse_datetime(str(data.get("noticeTime") or ""))
    sources = dict(record.sources)
    title = plain_title(data.get("title"))
    fields: dict[str, Any] = {
        "title": title or record.title,
        "publish_date": day.isoformat() if day else record.publish_date,
        "publish_time": time if day else record.publish_time,
        "category": normalize_text(data.get("noticeTypeName") or "") or record.category,
        "attachments": _attachments(data, url, record.attachments),
        "procurement": _procurement(record.procurement or Procurement(), data),
    }
    for name, key in (("title", "title"), ("publish_date", "noticeTime"),
                      ("publish_time", "noticeTime"), ("category", "noticeTypeName")):  # fmt: skip
        if fields[name] is not None and fields[name] != getattr(record, name):
            sources[name] = f"gdgpo api {key}"
    sources["procurement"] = "procurement extractor over content, with the API's fields"
    return replace(record, kind="procurement", **fields, sources=sources)


def _attachments(data: dict, url: str, shown: tuple[Attachment, ...]) -> tuple[Attachment, ...]:
    listed = []
    for item in data.get("attchList") or []:
        link = web_url(url, (item or {}).get("fileUrl")) if isinstance(item, dict) else None
        if link:
            listed.append(Attachment(normalize_text(item.get("fileName") or "") or None, link))
    by_url: dict[str, Attachment] = {}
    for attachment in (*listed, *shown):  # the list's name first, as the platform gives it
        by_url.setdefault(attachment.url, attachment)
    return tuple(by_url.values())


def _api_fields(data: dict) -> dict[str, Any]:
    return {
        "project_number": project_number(data.get("openTenderCode")),
        "purchaser": clean_name(data.get("purchaser")),
        "agency": clean_name(data.get("agency")),
        "budget_amount": parse_amount(str(data.get("budget") or "") or None, unit="元"),
    }


_API_KEY = {
    "project_number": "openTenderCode",
    "purchaser": "purchaser",
    "agency": "agency",
    "budget_amount": "budget",
}


def _procurement(proc: Procurement, data: dict) -> Procurement:
    values: dict[str, Any] = {}
    conflicts = [c for c in proc.conflicts if c.field not in _API_KEY]
    sources = dict(proc.sources)
    for name, api in _api_fields(data).items():
        page = getattr(proc, name)
        if api is None:
            continue
        values[name] = api
        sources[name] = f"gdgpo api {_API_KEY[name]}"
        if page is not None and page != api:
            conflicts.append(Conflict(name, summary=api, body=page))
    order = {name: i for i, name in enumerate(Procurement.compared())}
    conflicts.sort(key=lambda c: order.get(c.field, len(order)))
    kind = announcement_type(data.get("noticeType"))
    sources["announcement_type"] = "gdgpo api noticeType"
    return replace(
        proc,
        **values,
        announcement_type=kind,
        conflicts=tuple(conflicts),
        sources=sources,
    )
