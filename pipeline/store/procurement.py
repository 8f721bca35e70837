"""Rows of the procurement tables for one extracted procurement record."""

from __future__ import annotations

import hashlib
from typing import Any

from pipeline.record import Record
from pipeline.store.columns import row_of


def _row_id(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def procurement_rows(
    nid: str, record: Record
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """(procurement row, award rows, intent rows) of a record whose ``procurement`` is set."""
    proc = record.procurement
    row = row_of(proc)
    row.update(
        notice_id=nid,
        url=record.url,
        publish_date=record.publish_date,
        has_conflict=int(bool(proc.conflicts)),
    )
    awards = [
        {"id": _row_id(nid, "award", i), "notice_id": nid, "position": i, **award.to_dict()}
        for i, award in enumerate(proc.awards)
    ]
    intents = [
        {
            "id": _row_id(nid, "intent", i),
            "notice_id": nid,
            "position": i,
            "purchaser": proc.purchaser,
            **item.to_dict(),
        }
        for i, item in enumerate(proc.intent_items)
    ]
    return row, awards, intents
