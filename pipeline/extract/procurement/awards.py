"""Awards: one ``{lot, supplier, amount, rate}`` per lot × supplier, from tables or lines.

Tables are read by their header row, not by column position: the supplier column is headed
``中标（成交）供应商名称`` / ``成交供应商名称`` / ``供应商名称`` / ``中标人`` (never 投标供应商 or
候选…: a bidders' list is no award), the amount column ``中标（成交）金额（万元）`` /
``成交金额`` / ``中标价`` with the unit taken from the header, the lot column ``标包`` /
``包组`` / ``标段``, rate columns ``下浮率`` / ``折扣率`` / ``优惠率``. A cell such as
``下浮率：5%`` in the amount column is a rate, never an amount. Several award tables merge by
supplier (ccgp-hebei lists suppliers in 中标（成交）信息 and their 中标金额 in 主要标的信息).

A table without a lot column takes its lot from a caption row above its header or the heading
line right before it (``合同包1：`` then the table): one table per lot, the same supplier in two
lots gives two awards.

Pages without an award table (the 2020 format's ``供应商名称：…`` / ``中标（成交）金额：…``
lines) give their awards from the labelled lines ``sections.py`` collected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from pipeline.extract.dom import flat_text, is_skipped
from pipeline.extract.procurement.clean import clean_name, heading_lot, lot_id
from pipeline.extract.procurement.sections import Raw, compact, label_unit
from pipeline.extract.procurement.tables import Grid, data_tables, table_grid
from pipeline.normalize import parse_amount, parse_rate

Award = dict[str, Any]
_SUPPLIER = re.compile(r"^(?:(?:中标|成交)+(?:供应商|人|单位)|供应商)(?:名称)?$")
_AMOUNT = re.compile(r"^(?:中标|成交)*总?(?:金额|价格?|总价)$")
_RATE = re.compile(r"(?:下浮|折扣|优惠|费)率")
_LOT = re.compile(r"^(?:标包|包号|包组|分包|采购包|包件|标段|标项|包|标包号|标段号|包名称)$")
_NOT_A_SUPPLIER = frozenset({"合计", "小计", "总计", "/", "-", "无"})
HEADER_ROWS = 3  # the header is one of a table's first rows (a caption row may come first)


@dataclass(frozen=True)
class Columns:
    """Where an award table keeps each field, and the unit of its amount column."""

    supplier: int
    amount: int | None
    unit: str | None
    lot: int | None
    rates: tuple[tuple[int, str], ...]  # (column, header)


def table_awards(body: etree._Element) -> list[Award]:
    """Awards from every award table of the body, merged across tables."""
    awards: list[Award] = []
    for table in data_tables(body):
        found = _header(table_grid(table, HEADER_ROWS))
        if found is not None:
            grid = table_grid(table)
            row, columns = found
            rows = _table_rows(grid[row + 1 :], columns)
            lot = None if columns.lot is not None else _table_lot(table, body, grid[:row])
            for award in rows:
                award["lot"] = award["lot"] or lot
            _merge(awards, rows)
    return awards


def _table_lot(table: etree._Element, body: etree._Element, above: Grid) -> str | None:
    """The lot a table without a lot column belongs to: a caption row above its header, or
    the heading line right before it (``合同包1（教学设备）：`` <table>…)."""
    for row in above:
        lot = heading_lot(" ".join(cell for cell in dict.fromkeys(row) if cell))
        if lot:
            return lot
    text = _text_before(table, body)
    return heading_lot(text) if text else None


def _text_before(el: etree._Element, top: etree._Element) -> str | None:
    """The last line of text before ``el`` inside ``top`` (previous siblings, then up)."""
    node = el
    while node is not top and node is not None:
        for previous in node.itersiblings(preceding=True):
            if previous.tail and previous.tail.strip():
                return previous.tail.strip()
            if not is_skipped(previous):
                lines = [line.strip() for line in flat_text(previous, "\n").splitlines()]
                last = next((line for line in reversed(lines) if line), None)
                if last:
                    return last
        parent = node.getparent()
        if parent is not None and parent.text and parent.text.strip():
            return parent.text.strip()
        node = parent
    return None


def _header(grid: Grid) -> tuple[int, Columns] | None:
    for index, row in enumerate(grid[:HEADER_ROWS]):
        columns = _columns(row)
        if columns is not None:
            return index, columns
    return None


def _columns(row: list[str]) -> Columns | None:
    keys = [compact(cell) for cell in row]
    supplier = next((i for i, key in enumerate(keys) if _SUPPLIER.match(key)), None)
    if supplier is None:
        return None
    amount = next((i for i, key in enumerate(keys) if _AMOUNT.match(key)), None)
    return Columns(
        supplier=supplier,
        amount=amount,
        unit=label_unit(row[amount]) if amount is not None else None,
        lot=next((i for i, key in enumerate(keys) if _LOT.match(key)), None),
        rates=tuple((i, row[i]) for i, key in enumerate(keys) if _RATE.search(key)),
    )


def _cell(row: list[str], column: int | None) -> str:
    return row[column] if column is not None and column < len(row) else ""


def _table_rows(rows: Grid, columns: Columns) -> list[Award]:
    """Awards of one table; a supplier on several rows of one lot (items) sums its amounts."""
    found: dict[tuple[str | None, str], Award] = {}
    for row in rows:
        supplier = clean_name(_cell(row, columns.supplier))
        if supplier is None or supplier in _NOT_A_SUPPLIER:
            continue
        award = _award(_cell(row, columns.lot), supplier, _cell(row, columns.amount), columns.unit)
        for column, header in columns.rates:
            if award["rate"] is None:
                award["rate"] = _rate(_cell(row, column), header)
        key = (award["lot"], supplier)
        if key in found:
            _add_amount(found[key], award["amount"])
        else:
            found[key] = award
    return list(found.values())


def _award(lot: str, supplier: str, amount: str, unit: str | None) -> Award:
    is_rate = "率" in amount or "%" in amount or "％" in amount
    return {
        "lot": lot_id(lot),
        "supplier": supplier,
        "amount": None if is_rate else parse_amount(amount, unit=unit),
        "rate": parse_rate(amount) if is_rate else None,
    }


def _rate(cell: str, header: str) -> float | None:
    if not cell:
        return None
    if "%" in cell or "％" in cell:
        return parse_rate(cell)
    return parse_rate(f"{header}：{cell}") if "%" in header or "％" in header else None


def _add_amount(award: Award, amount: float | None) -> None:
    if amount is not None:
        award["amount"] = round((award["amount"] or 0) + amount, 2)


def _merge(awards: list[Award], new: list[Award]) -> None:
    """Add a table's awards: fill what an earlier table left open for the same supplier."""
    for award in new:
        same = next((a for a in awards if _same(a, award)), None)
        if same is None:
            awards.append(award)
            continue
        for name in ("lot", "amount", "rate"):
            if same[name] is None:
                same[name] = award[name]


def _same(old: Award, new: Award) -> bool:
    lots_agree = old["lot"] is None or new["lot"] is None or old["lot"] == new["lot"]
    return old["supplier"] == new["supplier"] and lots_agree


def line_awards(lines: list[dict[str, Raw]]) -> list[Award]:
    """Awards from ``供应商名称：…`` / ``中标（成交）金额：…`` / ``包号：…`` lines."""
    awards: list[Award] = []
    for line in lines:
        supplier = clean_name(line["supplier"].text) if "supplier" in line else None
        if supplier is None:
            continue
        amount = line.get("lot_amount", Raw(""))
        lot = line.get("lot") or line.get("heading_lot") or Raw("")
        _merge(awards, [_award(lot.text, supplier, amount.text, amount.unit)])
    return awards


def award_total(awards: list[Award]) -> float | None:
    """The sum of the lot amounts when every award has one, else None."""
    if not awards or any(a["amount"] is None for a in awards):
        return None
    return round(sum(a["amount"] for a in awards), 2)


def suppliers(awards: list[Award]) -> list[str]:
    """Winning suppliers, distinct, in table order."""
    return list(dict.fromkeys(a["supplier"] for a in awards))
