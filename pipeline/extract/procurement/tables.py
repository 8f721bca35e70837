"""Data tables of the body as grids of cell texts, merged cells (rowspan/colspan) repeated.

Only leaf tables are data: a table holding another table is layout (the browser-rendered ccgp
page wraps its whole announcement in one). Hidden tables and rows are left out.
"""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

from pipeline.extract.dom import flat_text, is_skipped, tag_of
from pipeline.extract.text import line_text

Grid = list[list[str]]
MAX_SPAN = 50  # a larger rowspan/colspan is a markup error, read as 1
_ROW_PARENTS = frozenset({"table", "tbody", "thead", "tfoot"})


def data_tables(body: etree._Element) -> Iterator[etree._Element]:
    """Leaf tables inside ``body``, in document order, that are shown."""
    for table in body.iter("table"):
        if next(table.iterdescendants("table"), None) is None and not _hidden_within(table, body):
            yield table


def _hidden_within(el: etree._Element, top: etree._Element) -> bool:
    node: etree._Element | None = el
    while node is not None and node is not top:
        if is_skipped(node):
            return True
        node = node.getparent()
    return False


def _rows(table: etree._Element) -> Iterator[etree._Element]:
    for child in table:
        tag = tag_of(child)
        if tag == "tr":
            yield child
        elif tag in _ROW_PARENTS:
            yield from _rows(child)


def _span(cell: etree._Element, name: str) -> int:
    value = cell.get(name)
    if value is None:
        return 1
    value = value.strip()
    number = int(value) if value.isdigit() else 1
    return number if 1 <= number <= MAX_SPAN else 1


def table_grid(table: etree._Element, max_rows: int | None = None) -> Grid:
    """Rows of normalized cell texts ('' for empty cells); merged cells fill every slot.

    ``max_rows``: stop after that many rows (enough to look for a header row)."""
    grid: Grid = []
    carried: dict[int, tuple[int, str]] = {}  # column -> (rows left, text) from a rowspan
    for tr in _rows(table):
        if max_rows is not None and len(grid) >= max_rows:
            break
        if is_skipped(tr):
            continue
        row: list[str] = []
        cells = [c for c in tr if tag_of(c) in ("td", "th") and not is_skipped(c)]
        for cell in cells:
            if carried:
                _fill_carried(row, carried)
            text = line_text(flat_text(cell, " ")) or ""
            rows, columns = _span(cell, "rowspan"), _span(cell, "colspan")
            for _ in range(columns):
                if rows > 1:
                    carried[len(row)] = (rows - 1, text)
                row.append(text)
        if carried:
            _fill_carried(row, carried, to_end=True)
        grid.append(row)
    return grid


def _fill_carried(
    row: list[str], carried: dict[int, tuple[int, str]], to_end: bool = False
) -> None:
    """Put the texts of cells merged down from above into ``row`` at their columns."""
    while len(row) in carried or (to_end and any(col >= len(row) for col in carried)):
        column = len(row)
        if column not in carried:
            row.append("")
            continue
        left, text = carried[column]
        row.append(text)
        if left <= 1:
            del carried[column]
        else:
            carried[column] = (left - 1, text)
