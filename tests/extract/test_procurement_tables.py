"""Award and intent tables: header-driven columns, units, rates, merged cells, several tables."""

from __future__ import annotations

from typing import Any

import pytest

from pipeline.extract.dom import parse_html
from pipeline.extract.procurement.awards import award_total, suppliers, table_awards
from pipeline.extract.procurement.intents import intent_items, intent_purchaser
from pipeline.extract.procurement.tables import table_grid


def body(markup: str) -> Any:
    root = parse_html(f"<html><body><div id='b'>{markup}</div></body></html>")
    return root.find(".//div")


def table(*rows: tuple[str, ...], attrs: str = "") -> str:
    cells = ("".join(f"<td>{c}</td>" for c in row) for row in rows)
    return f"<table {attrs}>" + "".join(f"<tr>{r}</tr>" for r in cells) + "</table>"


def awards(markup: str) -> list[tuple]:
    return [(a["lot"], a["supplier"], a["amount"], a["rate"]) for a in table_awards(body(markup))]


HEADER = ("序号", "标包", "中标（成交）供应商名称", "供应商地址", "中标（成交）金额（万元）")


def test_unit_from_the_header() -> None:
    assert awards(table(HEADER, ("1", "包1", "甲公司", "湛江", "294.800000"))) == [
        ("1", "甲公司", 2948000.0, None)
    ]


def test_yuan_header_and_commas() -> None:
    header = ("序号", "成交供应商名称", "成交供应商联系地址", "成交金额(元)")
    assert awards(table(header, ("1", "甲公司", "湛江", "1,234,567.89"))) == [
        (None, "甲公司", 1234567.89, None)
    ]


@pytest.mark.parametrize(
    ("cell", "rate"), [("下浮率：5%", 5.0), ("折扣率：95%", 95.0), ("优惠率3.5%", 3.5)]
)
def test_rate_in_the_amount_column_is_never_an_amount(cell: str, rate: float) -> None:
    assert awards(table(HEADER, ("1", "A", "甲公司", "湛江", cell))) == [
        ("A", "甲公司", None, rate)
    ]


def test_rate_column_with_percent_header() -> None:
    header = ("包号", "中标供应商", "下浮率（%）")
    assert awards(table(header, ("1", "甲公司", "6.5"))) == [("1", "甲公司", None, 6.5)]


def test_bidders_and_candidates_are_not_awards() -> None:
    bidders = table(("包组", "投标供应商", "报价（元）"), ("A", "甲公司", "5727100.0"))
    candidates = table(("包组", "候选中标供应商", "报价（元）"), ("A", "乙公司", "4131090.0"))
    assert awards(bidders + candidates) == []


def test_rowspan_lot_shared_by_two_suppliers() -> None:
    markup = (
        "<table><tr><th>序号</th><th>标包</th><th>中标（成交）供应商名称</th><th>中标（成交）金额（元）</th></tr>"
        "<tr><td>1</td><td rowspan='2'>包3</td><td>甲公司</td><td>100.00</td></tr>"
        "<tr><td>2</td><td>乙公司</td><td>200.00</td></tr></table>"
    )
    assert awards(markup) == [("3", "甲公司", 100.0, None), ("3", "乙公司", 200.0, None)]


def test_header_after_a_caption_row_and_total_row_skipped() -> None:
    markup = table(
        ("中标结果",), HEADER, ("1", "A", "甲公司", "湛江", "10"), ("合计", "", "合计", "", "10")
    )
    assert awards(markup) == [("A", "甲公司", 100000.0, None)]


def test_supplier_table_and_amount_table_merge() -> None:
    """ccgp-hebei: 中标（成交）信息 lists suppliers, 主要标的信息 their 中标金额."""
    names = table(("供应商名称", "供应商地址"), ("甲公司", "承德"), ("乙公司", "定州"))
    goods = table(
        ("供应商名称", "货物名称", "数量", "单价", "中标金额"),
        ("甲公司", "计算机", "156", "4780.00", "745680"),
        ("乙公司", "计算机", "156", "4768.00", "743808"),
    )
    found = table_awards(body(names + goods))
    assert [(a["supplier"], a["amount"]) for a in found] == [
        ("甲公司", 745680.0),
        ("乙公司", 743808.0),
    ]
    assert award_total(found) == 1489488.0
    assert suppliers(found) == ["甲公司", "乙公司"]


def test_a_supplier_winning_two_lots_is_listed_once() -> None:
    found = table_awards(
        body(table(HEADER, ("1", "A", "甲公司", "湛江", "1"), ("2", "B", "甲公司", "湛江", "2")))
    )
    assert len(found) == 2
    assert suppliers(found) == ["甲公司"]
    assert award_total(found) == 30000.0


def test_no_total_when_a_lot_goes_by_rate() -> None:
    found = table_awards(
        body(
            table(
                HEADER,
                ("1", "A", "甲公司", "湛江", "1"),
                ("2", "B", "乙公司", "湛江", "下浮率：5%"),
            )
        )
    )
    assert award_total(found) is None


def test_layout_and_hidden_tables_are_skipped() -> None:
    inner = table(HEADER, ("1", "A", "甲公司", "湛江", "1"))
    hidden = f"<div style='display:none'>{table(HEADER, ('1', 'B', '乙公司', '湛江', '2'))}</div>"
    layout = f"<table><tr><td>{inner}</td></tr></table>"
    assert awards(layout + hidden) == [("A", "甲公司", 10000.0, None)]


def test_grid_repeats_colspan_and_rowspan() -> None:
    markup = (
        "<table><tr><td colspan='2'>a</td><td rowspan='2'>b</td></tr>"
        "<tr><td>c</td><td>d</td></tr><tr><td>e</td></tr></table>"
    )
    assert table_grid(body(markup).find("table")) == [["a", "a", "b"], ["c", "d", "b"], ["e"]]


INTENT_HEADER = (
    "序号",
    "采购项目名称",
    "采购需求概况",
    "预算金额（万元）",
    "预计采购时间（填写到月）",
    "备注",
)


def test_intent_rows() -> None:
    markup = table(
        INTENT_HEADER,
        ("1", "湛江市 第一中学课桌椅采购项目", "课桌椅500套", "62.4", "2025年3月", ""),
        ("2", "物业服务项目", "一年", "120", "2025-07", "分散采购"),
        ("合计", "合计", "", "182.4", "", ""),
    )
    assert intent_items(body(markup)) == [
        {
            "project_name": "湛江市第一中学课桌椅采购项目",
            "budget_amount": 624000.0,
            "expected_month": "2025-03",
        },
        {"project_name": "物业服务项目", "budget_amount": 1200000.0, "expected_month": "2025-07"},
    ]


def test_intent_budget_in_yuan() -> None:
    header = ("序号", "采购项目名称", "预算金额（元）", "预计采购时间")
    assert intent_items(body(table(header, ("1", "某项目", "1,200,000.00", "2025年6月")))) == [
        {"project_name": "某项目", "budget_amount": 1200000.0, "expected_month": "2025-06"}
    ]


def test_award_table_is_no_intent_table() -> None:
    assert intent_items(body(table(HEADER, ("1", "A", "甲公司", "湛江", "1")))) == []


@pytest.mark.parametrize(
    ("title", "unit"),
    [
        ("湛江市教育局2025年1至6月政府采购意向", "湛江市教育局"),
        ("湛江市教育局2025年7至12月政府采购意向（补充）", "湛江市教育局"),
        ("湛江市人民政府政府采购意向", "湛江市人民政府"),
        ("湛江市第一中学采购意向公开", "湛江市第一中学"),
        ("湛江市第一中学课桌椅采购公告", None),
    ],
)
def test_intent_purchaser_from_the_title(title: str, unit: str | None) -> None:
    assert intent_purchaser(title) == unit


def test_intent_purchaser_from_the_heading_above_the_table() -> None:
    """A title lost to bad bytes: the unit's name above its table still names it."""
    rows = table(INTENT_HEADER, ("1", "某项目", "某需求", "10", "2025年3月", ""))
    prose = "<p>现将有关采购意向公开如下：</p>"
    heading = "<p><strong>湛江市 第一中学</strong></p>"
    assert intent_purchaser(None, body(prose + heading + rows)) == "湛江市第一中学"
    assert intent_purchaser(None, body(prose + rows)) is None  # prose names no unit
