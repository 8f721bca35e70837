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


@dataclass(frozen=True)
class IntentColumns:
    name: int
    budget: int | None
    unit: str | None
    month: int | None


def intent_items(body: etree._Element) -> list[IntentItem]:
    """``{project_name, budget_amount, expected_month}`` for every row of every intent table."""
    items: list[IntentItem] = []
    for table in data_tables(body):
        found = _header(table_grid(table, HEADER_ROWS))
        if found is not None:
            grid = table_grid(table)
            row, columns = found
            items.extend(_items(grid[row + 1 :], columns))
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


def intent_purchaser(title: str | None) -> str | None:
    """The purchasing unit an intent's title names (``XX单位2025年1至6月政府采购意向``)."""
    match = _TITLE_UNIT.match(title or "")
    return clean_name(match["unit"]) if match else None
