"""The ``procurement`` object of a record: every field, from the summary table and the body.

Each source gives raw labelled text (``summary.py``, ``sections.py``) that the same converters
(``convert.py``, chosen by the contract) turn into values; ``conflicts.py`` picks one value per
field and keeps the disagreements; ``awards.py`` and ``intents.py`` read the tables;
``kinds.py`` names the announcement type. ``sources`` says where each value came from.
"""

from __future__ import annotations

from lxml import etree

from pipeline.extract.body import body_paragraphs
from pipeline.extract.meta import meta_text, page_metas
from pipeline.extract.procurement import awards as award_lib
from pipeline.extract.procurement.conflicts import chosen_side, merge
from pipeline.extract.procurement.convert import convert
from pipeline.extract.procurement.intents import has_intent_table, intent_items, intent_purchaser
from pipeline.extract.procurement.kinds import announcement_type, procurement_method
from pipeline.extract.procurement.sections import Raw, read_body
from pipeline.extract.procurement.summary import find_summary, read_summary
from pipeline.record import Award, Conflict, IntentItem, Procurement

AWARD_TYPES = frozenset({"award", "other"})  # types whose tables may hold awards


def procurement_fields(
    root: etree._Element,
    body: etree._Element | None,
    *,
    title: str | None = None,
    category: str | None = None,
    paragraphs: list[str] | None = None,
) -> Procurement:
    """The ``procurement`` object of a procurement page (see docs/record.md).

    ``title``, ``category`` and ``paragraphs`` are what ``extract_page`` already computed for the
    record; without them they are read again from the page.
    """
    if title is None:
        title = meta_text(page_metas(root), "ArticleTitle")
    if paragraphs is None:
        paragraphs = body_paragraphs(body) if body is not None else []
    summary_raw, summary_labels = read_summary(find_summary(root))
    lines = read_body(paragraphs)
    summary, from_body = convert(summary_raw), convert(lines.values)
    project = summary.get("project_name") or from_body.get("project_name")
    kind = announcement_type(title, category, summary_raw, project)
    sources = {"announcement_type": "title, column or summary labels"}
    if kind == "other" and body is not None and has_intent_table(body):
        kind = "intent"  # no title to tell (a platform's content fragment): its tables do
        sources["announcement_type"] = "intent table of the body"
    awards, where = _awards(body, lines.award_lines) if kind in AWARD_TYPES else ([], None)
    if awards:
        sources["awards"] = sources["award_suppliers"] = where
    if "award_amount" not in from_body:
        from_body["award_amount"] = award_lib.award_total(awards)
        lines.labels["award_amount"] = "award table (sum of lots)"
    values, conflicts = merge(summary, from_body)
    for name, value in values.items():
        if value not in (None, []):
            side = chosen_side(name, summary, from_body)
            labels = summary_labels if side == "summary" else lines.labels
            sources[name] = f"{side} {labels.get(name, name)}"
    if kind == "intent" and not values["purchaser"]:
        values["purchaser"] = intent_purchaser(title, body)
        sources["purchaser"] = "title or the unit heading above the intent table"
    method = summary_raw.get("method") or lines.values.get("method")
    items = _intent_items(body) if kind == "intent" else ()
    if items:
        sources["intent_items"] = "intent tables of the body"
    return Procurement(
        **{k: v for k, v in values.items() if k != "experts"},
        announcement_type=kind,
        procurement_method=procurement_method(method and method.text, title, category),
        award_suppliers=tuple(award_lib.suppliers(awards)),
        awards=tuple(Award(**a) for a in awards),
        experts=tuple(values["experts"] or ()),
        intent_items=items,
        conflicts=tuple(Conflict(**c) for c in conflicts),
        sources=sources,
    )


def _awards(
    body: etree._Element | None, award_lines: list[dict[str, Raw]]
) -> tuple[list[dict], str]:
    found = award_lib.table_awards(body) if body is not None else []
    if found:
        return found, "award tables of the body"
    return award_lib.line_awards(award_lines), "award lines of the body (供应商名称 …)"


def _intent_items(body: etree._Element | None) -> tuple[IntentItem, ...]:
    return tuple(IntentItem(**item) for item in intent_items(body)) if body is not None else ()
