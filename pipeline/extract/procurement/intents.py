"""采购意向 tables: one row per intended purchase, one table per purchasing unit.

Header (2020 national practice, INFERRED for ccgp: no real intent page was seen): 序号 · 采购项目
名称 · 采购需求概况 · 预算金额（万元） · 预计采购时间（填写到月） · 备注. Columns are found by their
header; the budget unit comes from the header (``（万元）``) unless a cell writes its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from pipeline.extract.dom import flat_text, is_skipped
from pipeline.extract.procurement.clean import clean_name
from pipeline.extract.procurement.sections import compact, label_unit
from pipeline.extract.procurement.tables import Grid, data_tables, table_grid
from pipeline.normalize import parse_amount, parse_year_month

IntentItem = dict[str, Any]
_NAME = re.compile(r"^(?:采购)?项目名称$")
_BUDGET = re.compile(r"^(?:采购)?预算(?:金额)?$")
_MONTH = re.compile(r"^预计采购(?:时间|月份|日期)$|^采购时间$")
_TOTALS = frozenset({"合计", "小计", "总计"})
# 湛江市教育局2025年1至6月政府采购意向（补充）: the unit is what precedes the period.
_TITLE_UNIT = re.compile(r"^(?P<unit>.+?)\s*(?:\d{4}\s*年[^采]*?)?(?:政府)?采购意向")
HEADER_ROWS = 3
MAX_UNIT = 40  # characters: a longer line above a table is prose, not the unit's name


@dataclass(frozen=True)
class IntentColumns:
    name: int
    budget: int | None
    unit: str | None
    month: int | None


def intent_tables(body: etree._Element) -> list[tuple[etree._Element, int, IntentColumns]]:
    """(table, header row, columns) of every intent table of the body."""
    found = []
    for table in data_tables(body):
        header = _header(table_grid(table, HEADER_ROWS))
        if header is not None:
            found.append((table, *header))
    return found


def has_intent_table(body: etree._Element) -> bool:
    """An intent table with its 预计采购时间 column: what marks an intent page without a title."""
    return any(columns.month is not None for _, _, columns in intent_tables(body))


def intent_items(body: etree._Element) -> list[IntentItem]:
    """``{project_name, budget_amount, expected_month}`` for every row of every intent table."""
    items: list[IntentItem] = []
    for table, row, columns in intent_tables(body):
        items.extend(_items(table_grid(table)[row + 1 :], columns))
    return items


def _header(grid: Grid) -> tuple[int, IntentColumns] | None:
    for index, row in enumerate(grid[:HEADER_ROWS]):
        keys = [compact(cell) for cell in row]
        name = _find(keys, _NAME)
        budget = _find(keys, _BUDGET)
        month = _find(keys, _MONTH)
        if name is not None and (budget is not None or month is not None):
            unit = label_unit(row[budget]) if budget is not None else None
            return index, IntentColumns(name, budget, unit, month)
    return None


def _find(keys: list[str], pattern: re.Pattern[str]) -> int | None:
    return next((i for i, key in enumerate(keys) if pattern.match(key)), None)


def _cell(row: list[str], column: int | None) -> str:
    return row[column] if column is not None and column < len(row) else ""


def _items(rows: Grid, columns: IntentColumns) -> list[IntentItem]:
    items = []
    for row in rows:
        name = clean_name(_cell(row, columns.name))
        if name is None or name in _TOTALS:
            continue
        items.append(
            {
                "project_name": name,
                "budget_amount": parse_amount(_cell(row, columns.budget), unit=columns.unit),
                "expected_month": parse_year_month(_cell(row, columns.month)),
            }
        )
    return items


def intent_purchaser(title: str | None, body: etree._Element | None = None) -> str | None:
    """The purchasing unit: named by the title (``XX单位2025年1至6月政府采购意向``), else the
    unit heading right above the first intent table (a title with bad bytes is no title)."""
    match = _TITLE_UNIT.match(title or "")
    if match:
        return clean_name(match["unit"])
    tables = intent_tables(body) if body is not None else []
    return _unit_above(tables[0][0]) if tables else None


def _unit_above(table: etree._Element) -> str | None:
    above = table.getprevious()
    while above is not None and (is_skipped(above) or not flat_text(above).strip()):
        above = above.getprevious()  # comments (<!-- 正文分隔 -->) and hidden blocks say nothing
    raw = flat_text(above) if above is not None else ""
    text = clean_name(raw)
    if not text or len(text) > MAX_UNIT or any(c in raw for c in "：:。，\ufffd"):
        return None
    return text
