"""gkmlpt's catalogue fields laid over a site-group document's page (docs/sites.md).

The list API's article carries the 政府信息公开目录 entry: ``document_number`` (文号),
``identifier`` (索引号), ``publisher`` (发布机构), ``date`` (成文日期, unix seconds),
``created_at`` (发布日期, ``YYYY-MM-DD HH:MM:SS``), ``classify_main_name`` (栏目). Where the
catalogue gives a value it wins over the page's (it is the platform's register; the page shows the
same when it shows it at all), recorded as ``gkmlpt api <field>``; where it gives none, the page's
value stays.
"""

from __future__ import annotations

from typing import Any

from pipeline.normalize import (
    date_from_unix,
    normalize_doc_number,
    normalize_text,
    parse_datetime,
)
from pipeline.record import Record, replace

SOURCE = "gkmlpt"


def _text(value: Any) -> str | None:
    return normalize_text(str(value)) if value not in (None, "") else None


def catalogue_fields(article: dict[str, Any]) -> dict[str, str | None]:
    """The record fields an article gives (None where it gives nothing)."""
    day, time = parse_datetime(str(article.get("created_at") or ""))
    return {
        "publish_date": day.isoformat() if day else None,
        "publish_time": time if day else None,
        "doc_date": date_from_unix(article.get("date")),
        "doc_number": normalize_doc_number(_text(article.get("document_number"))),
        "index_number": _text(article.get("identifier")),
        "publisher": _text(article.get("publisher")),
    }


_FROM = {
    "publish_date": "created_at",
    "publish_time": "created_at",
    "doc_date": "date",
    "doc_number": "document_number",
    "index_number": "identifier",
    "publisher": "publisher",
}


def apply_catalogue(record: Record, article: dict[str, Any]) -> Record:
    """``record`` with the catalogue's values where it gives them, and their sources."""
    given = {k: v for k, v in catalogue_fields(article).items() if v is not None}
    if given.get("publish_date") and "publish_time" not in given:
        given["publish_time"] = None  # the catalogue's date comes with its own time or none
    category = record.category or _text(article.get("classify_main_name"))
    sources = dict(record.sources)
    sources.update({name: f"gkmlpt api {_FROM[name]}" for name in given})
    if category and not record.category:
        sources["category"] = "gkmlpt api classify_main_name"
    return replace(record, **given, category=category, sources=sources)
