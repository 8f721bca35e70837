"""Summary table versus body: one value per field, and every disagreement kept as evidence.

The 公告概要 table is the platform's structured copy of the announcement; where it gives a
field its value is used, else the body's. The expert list is the exception: the body names the
panel of this project, while the summary's list can be a platform defect (on the real page
ccgp_gov award 2 it is hundreds of names from the whole expert pool, cut off mid-name).

Where both give a value and the normalized values differ (``￥668.790000 万元`` against
``6687920.0元``, two different agency names), the record keeps both in ``conflicts`` as
``{field, summary, body}``, in field order.
"""

from __future__ import annotations

from typing import Any

from pipeline.record import Procurement

COMPARED = Procurement.compared()  # in the contract's field order
BODY_FIRST = frozenset({"experts"})


def merge(
    summary: dict[str, Any], body: dict[str, Any]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """(value per field: summary first (body first for ``BODY_FIRST``), the fields where both
    differ)."""
    merged: dict[str, Any] = {}
    conflicts: list[dict[str, Any]] = []
    for name in COMPARED:
        in_summary, in_body = summary.get(name), body.get(name)
        merged[name] = in_summary if chosen_side(name, summary, body) == "summary" else in_body
        if _given(in_summary) and _given(in_body) and in_summary != in_body:
            conflicts.append({"field": name, "summary": in_summary, "body": in_body})
    return merged, conflicts


def chosen_side(name: str, summary: dict[str, Any], body: dict[str, Any]) -> str:
    """``summary`` or ``body``: where :func:`merge` takes the field's value from."""
    first, second = ("body", "summary") if name in BODY_FIRST else ("summary", "body")
    sides = {"summary": summary, "body": body}
    return first if _given(sides[first].get(name)) else second


def _given(value: Any) -> bool:
    return value is not None and value != []
