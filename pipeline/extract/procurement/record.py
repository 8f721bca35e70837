"""The ``procurement`` object of a record: every field, from the summary table and the body.

Each source gives raw labelled text (``summary.py``, ``sections.py``) that the same converters
turn into values; ``conflicts.py`` picks one value per field and keeps the disagreements;
``awards.py`` and ``intents.py`` read the tables; ``kinds.py`` names the announcement type.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from lxml import etree

from pipeline.extract.body import body_paragraphs
from pipeline.extract.meta import meta_text, page_metas
from pipeline.extract.procurement import awards as award_lib
from pipeline.extract.procurement.clean import (
    clean_name,
    date_only,
    date_time,
    expert_names,
    project_number,
)
from pipeline.extract.procurement.conflicts import merge
from pipeline.extract.procurement.intents import intent_items, intent_purchaser
from pipeline.extract.procurement.kinds import announcement_type, procurement_method
from pipeline.extract.procurement.sections import Raw, read_body
from pipeline.extract.procurement.summary import find_summary, read_summary
from pipeline.normalize import parse_amount

FIELDS = (
    "announcement_type", "procurement_method", "project_number", "project_name", "purchaser",
    "agency", "region", "budget_amount", "bid_deadline", "bid_opening", "award_amount",
    "award_suppliers", "awards", "contract_date", "contract_amount", "experts", "intent_items",
    "conflicts",
)  # fmt: skip
AWARD_TYPES = frozenset({"award", "other"})  # types whose tables may hold awards


def _amount(raw: Raw) -> float | None:
    return parse_amount(raw.text, unit=raw.unit)


CONVERTERS: dict[str, Callable[[Raw], Any]] = {
    "project_number": lambda raw: project_number(raw.text),
    "project_name": lambda raw: clean_name(raw.text),
    "purchaser": lambda raw: clean_name(raw.text),
    "agency": lambda raw: clean_name(raw.text),
    "region": lambda raw: clean_name(raw.text),
    "budget_amount": _amount,
    "award_amount": _amount,
    "contract_amount": _amount,
    "bid_deadline": lambda raw: date_time(raw.text),
    "bid_opening": lambda raw: date_time(raw.text),
    "contract_date": lambda raw: date_only(raw.text),
    "experts": lambda raw: expert_names(raw.text),
}


def _convert(raw: dict[str, Raw]) -> dict[str, Any]:
    if "award_total" in raw:
        raw = {**raw, "award_amount": raw["award_total"]}
    return {name: convert(raw[name]) for name, convert in CONVERTERS.items() if name in raw}


def procurement_fields(
    root: etree._Element,
    body: etree._Element | None,
    url: str,
    *,
    title: str | None = None,
    category: str | None = None,
    paragraphs: list[str] | None = None,
) -> dict[str, Any] | None:
    """The ``procurement`` object of a procurement page (see docs/record.md).

    ``title``, ``category`` and ``paragraphs`` are what ``extract_page`` already computed for the
    record; without them they are read again from the page.
    """
    del url  # the page says everything; kept for the hook's signature
    if title is None:
        title = meta_text(page_metas(root), "ArticleTitle")
    if paragraphs is None:
        paragraphs = body_paragraphs(body) if body is not None else []
    summary_raw = read_summary(find_summary(root))
    lines = read_body(paragraphs)
    summary, from_body = _convert(summary_raw), _convert(lines.values)
    project = summary.get("project_name") or from_body.get("project_name")
    kind = announcement_type(title, category, summary_raw, project)
    awards = _awards(body, lines.award_lines) if kind in AWARD_TYPES else []
    if "award_amount" not in from_body:
        from_body["award_amount"] = award_lib.award_total(awards)
    values, conflicts = merge(summary, from_body)
    if kind == "intent":
        values["purchaser"] = values["purchaser"] or intent_purchaser(title, body)
    method = summary_raw.get("method") or lines.values.get("method")
    return _record(
        values,
        announcement_type=kind,
        procurement_method=procurement_method(method and method.text, title, category),
        award_suppliers=award_lib.suppliers(awards),
        awards=awards,
        intent_items=intent_items(body) if kind == "intent" and body is not None else [],
        conflicts=conflicts,
    )


def _awards(body: etree._Element | None, award_lines: list[dict[str, Raw]]) -> list[dict]:
    found = award_lib.table_awards(body) if body is not None else []
    return found or award_lib.line_awards(award_lines)


def _record(values: dict[str, Any], **fields: Any) -> dict[str, Any]:
    merged = {**values, **fields}
    record = {name: merged.get(name) for name in FIELDS}
    record["experts"] = record["experts"] or []
    return record
