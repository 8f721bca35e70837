"""Rows of the procurement tables for one extracted procurement record."""

from __future__ import annotations

import hashlib
import json
from typing import Any

SCALAR_FIELDS = (
    "announcement_type",
    "procurement_method",
    "project_number",
    "project_name",
    "purchaser",
    "agency",
    "region",
    "budget_amount",
    "bid_deadline",
    "bid_opening",
    "award_amount",
    "contract_date",
    "contract_amount",
)


def _row_id(*parts: object) -> str:
    return hashlib.sha256("|".join(map(str, parts)).encode("utf-8")).hexdigest()[:16]


def procurement_rows(
    nid: str, record: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    """(procurement row, award rows, intent rows) of a record whose ``procurement`` is set."""
    proc = record["procurement"]
    conflicts = proc.get("conflicts") or []
    row = {field: proc.get(field) for field in SCALAR_FIELDS}
    row.update(
        notice_id=nid,
        url=record["url"],
        publish_date=record.get("publish_date"),
        award_suppliers=json.dumps(proc.get("award_suppliers") or [], ensure_ascii=False),
        experts=json.dumps(proc.get("experts") or [], ensure_ascii=False),
        conflicts=json.dumps(conflicts, ensure_ascii=False),
        has_conflict=int(bool(conflicts)),
    )
    awards = [
        {
            "id": _row_id(nid, "award", i),
            "notice_id": nid,
            "position": i,
            "lot": award.get("lot"),
            "supplier": award.get("supplier"),
            "amount": award.get("amount"),
            "rate": award.get("rate"),
        }
        for i, award in enumerate(proc.get("awards") or [])
    ]
    intents = [
        {
            "id": _row_id(nid, "intent", i),
            "notice_id": nid,
            "position": i,
            "purchaser": proc.get("purchaser"),
            "project_name": item.get("project_name"),
            "budget_amount": item.get("budget_amount"),
            "expected_month": item.get("expected_month"),
        }
        for i, item in enumerate(proc.get("intent_items") or [])
    ]
    return row, awards, intents
