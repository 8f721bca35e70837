"""The 公告概要 summary table of ccgp detail pages: label cell -> value cell.

``<div class="table"><h5>公告概要：</h5><table>`` sits between the header and the body, with rows
``<td class="title">采购项目名称</td><td colspan="3">…</td>`` (two label/value pairs on some
rows). The browser-rendered real page hides it (``display:none``, toggled by a 显示公告概要
button): it is read all the same, it is data the site publishes.
"""

from __future__ import annotations

from lxml import etree

from pipeline.extract.dom import flat_text, tag_of
from pipeline.extract.procurement import vocab
from pipeline.extract.procurement.sections import Raw, compact, label_unit
from pipeline.extract.text import line_text

SUMMARY_HEADING = "公告概要"


def find_summary(root: etree._Element) -> etree._Element | None:
    """The summary table, or None (intent pages and other sites have none).

    全国公共资源交易平台 shows its fields the same way, label ``<th>`` beside value ``<td>``, in
    ``table.detail_Table`` without a heading."""
    for heading in root.iter("h5"):
        if SUMMARY_HEADING in "".join(heading.itertext()):
            table = next(heading.itersiblings("table"), None)
            parent = heading.getparent()
            if table is None and parent is not None:
                table = next(parent.iter("table"), None)
            return table
    for table in root.iter("table"):
        if "detail_Table" in (table.get("class") or "").split():
            return table
    return None


def read_summary(table: etree._Element | None) -> tuple[dict[str, Raw], dict[str, str]]:
    """(raw values by field, the label each was read under); the first row of a label wins
    (采购单位 appears twice).

    Label cells are the ``td.title`` ones; a table without that class is read cell by cell."""
    values: dict[str, Raw] = {}
    labels: dict[str, str] = {}
    if table is None:
        return values, labels
    cells = [c for c in table.iter("td", "th") if "title" in (c.get("class") or "").split()]
    for cell in cells or table.iter("td", "th"):
        label = flat_text(cell)
        if len(label) > 80:
            continue
        name = _field_of(compact(label))
        value = _value_cell(cell) if name else None
        text = line_text(flat_text(value)) if value is not None else None
        if name and text and name not in values:
            values[name] = Raw(text, label_unit(label))
            labels[name] = compact(label)
    return values, labels


def _field_of(key: str) -> str | None:
    if vocab.EXPERTS_LABEL.search(key):
        return "experts"
    return vocab.SUMMARY_LABELS.get(key)


def _value_cell(cell: etree._Element) -> etree._Element | None:
    following = cell.getnext()
    while following is not None and tag_of(following) not in ("td", "th"):
        following = following.getnext()
    return following
