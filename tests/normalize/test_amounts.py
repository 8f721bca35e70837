"""Amounts in yuan, ranges and rates, over real-world forms from procurement pages."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize.amounts import (
    amounts_disagree,
    parse_amount,
    parse_amount_range,
    parse_rate,
)

PROPERTY = settings(database=None, max_examples=500)
AMOUNT_ALPHABET = (
    "0123456789０１,.，元万亿千¥￥%％-~至 壹贰叁肆伍陆柒捌玖拾佰仟零角分整一二十百率（）大写小写"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arabic numerals in yuan, with commas and currency signs.
        ("1,234,567.89元", 1234567.89),
        ("￥1,234,567.89", 1234567.89),
        ("¥ 120000", 120000.0),
        ("¥120,000.00", 120000.0),
        ("￥：120000", 120000.0),
        ("人民币120000元", 120000.0),
        ("RMB 120,000.00", 120000.0),
        ("120000元", 120000.0),
        ("120000.5元", 120000.5),
        ("0.005元", 0.01),
        ("中标（成交）金额：6687920.0元", 6687920.0),
        ("中标金额： 6687920元", 6687920.0),
        ("(小写)￥120,000.00元", 120000.0),
        ("（小写）：¥120,000.00元", 120000.0),
        ("合同金额：120000元/年", 120000.0),
        # 万元 / 亿元, with decimals.
        ("12.5万元", 125000.0),
        ("0.85万元", 8500.0),
        ("120万", 1200000.0),
        ("120 万元", 1200000.0),
        ("1.2亿元", 120000000.0),
        ("3亿", 300000000.0),
        ("5千元", 5000.0),
        ("预算金额：120.000000万元", 1200000.0),
        ("总中标金额￥668.790000 万元（人民币）", 6687900.0),
        ("总成交金额：294.8 万元（人民币）", 2948000.0),
        ("本项目代理费总金额：2.3636 万元（人民币）", 23636.0),
        ("最高限价：99.99万元", 999900.0),
        ("预算金额：1,200.5万元", 12005000.0),
        ("1亿2000万元", 120000000.0),
        ("3万5000元", 35000.0),
        ("2万3千元", 23000.0),
        # Capital numerals (大写).
        ("壹佰贰拾万元整", 1200000.0),
        ("人民币壹佰万元整", 1000000.0),
        ("伍万叁仟贰佰元伍角", 53200.5),
        ("叁拾万零伍佰元", 300500.0),
        ("壹拾贰万元整", 120000.0),
        ("拾万元整", 100000.0),
        ("壹亿贰仟万元整", 120000000.0),
        ("玖佰玖拾玖元玖角玖分", 999.99),
        ("壹佰元零伍分", 100.05),
        ("人民币（大写）：贰拾叁万肆仟伍佰陆拾柒元捌角玖分", 234567.89),
        ("一百二十万元", 1200000.0),
        ("两千元", 2000.0),
        # Both 大写 and 小写: the 小写 number wins.
        ("大写：壹拾贰万元整（小写：¥120000.00）", 120000.0),
        ("大写：壹拾贰万元整（小写：¥130000.00）", 130000.0),
        ("人民币壹佰万元整（¥1,000,000.00）", 1000000.0),
        # Full-width digits.
        ("１２０，０００．００元", 120000.0),
        ("１２.５万元", 125000.0),
        ("￥１２００００", 120000.0),
        # Unit from a label in the text; labels and lots are not amounts.
        ("预算金额（万元）：12.5", 125000.0),
        ("成交金额(元)：6687920", 6687920.0),
        ("包1中标金额：120万元", 1200000.0),
        ("第一包，120万元", 1200000.0),
        ("中标金额：120万元（下浮率5%）", 1200000.0),
    ],
)
def test_parse_amount(text: str, expected: float) -> None:
    assert parse_amount(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "无",
        "详见附件",
        "元",
        "万元",
        # Rates are never amounts.
        "下浮率：5%",
        "折扣率 95%",
        "优惠率3.5%",
        "费率0.8%",
        "下浮率：５％",
        "下浮率：5",
        "折扣率：95",
        # Ranges go to parse_amount_range.
        "10-20万元",
        "10万元至20万元",
        "10~20万元",
        "5000元-2万元",
        # Several unmarked numbers, or a foreign currency: no guess.
        "1 2 3",
        "1万2",
        "1亿2亿元",
        "包1：120，包2：80",
        "2025-03-01",
        "120万美元",
        "USD 120,000",
        "港币50000元",
        # Absurd magnitudes.
        "1" * 40 + "元",
    ],
)
def test_parse_amount_none(text: str | None) -> None:
    assert parse_amount(text) is None


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("12.5", "万元", 125000.0),
        ("12.5", "预算金额（万元）", 125000.0),
        ("12.5", "万", 125000.0),
        ("1.5", "亿元", 150000000.0),
        ("120000", "元", 120000.0),
        ("120000", "金额（元）", 120000.0),
        ("12.5元", "万元", 12.5),
        ("12.5万元", "元", 125000.0),
        ("１２.５", "万元", 125000.0),
        ("12.5", "%", None),
        ("12.5", "美元", None),
        ("12.5", "数量", None),
    ],
)
def test_parse_amount_with_unit_hint(text: str, unit: str, expected: float | None) -> None:
    assert parse_amount(text, unit=unit) == expected


@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("10-20万元", None, (100000.0, 200000.0)),
        ("10万元至20万元", None, (100000.0, 200000.0)),
        ("10万-20万元", None, (100000.0, 200000.0)),
        ("10~20万元", None, (100000.0, 200000.0)),
        ("10 到 20 万元", None, (100000.0, 200000.0)),
        ("5000元-2万元", None, (5000.0, 20000.0)),
        ("￥10,000-￥20,000", None, (10000.0, 20000.0)),
        ("１０－２０万元", None, (100000.0, 200000.0)),
        ("10-20", "万元", (100000.0, 200000.0)),
        ("10-20", None, None),
        ("20-10万元", None, None),
        ("12.5万元", None, None),
        ("2025-2026年", None, None),
        ("下浮率5%-10%", None, None),
        (None, None, None),
    ],
)
def test_parse_amount_range(
    text: str | None, unit: str | None, expected: tuple[float, float] | None
) -> None:
    assert parse_amount_range(text, unit=unit) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("下浮率：5%", 5.0),
        ("折扣率 95%", 95.0),
        ("优惠率3.5%", 3.5),
        ("费率0.8%", 0.8),
        ("下浮率：５％", 5.0),
        ("下浮率（%）：3.5", 3.5),
        ("中标金额：120万元（下浮率5%）", 5.0),
        ("下浮率：5", None),
        ("下浮率5%-10%", None),
        ("5-10%", None),
        ("120万元", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_rate(text: str | None, expected: float | None) -> None:
    assert parse_rate(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("大写：壹拾贰万元整（小写：¥130000.00）", True),
        ("人民币壹佰万元整（¥1,100,000.00）", True),
        ("大写：壹拾贰万元整（小写：¥120000.00）", False),
        ("大写：壹拾贰万元整（小写：12万元）", False),
        ("壹拾贰万元整", False),
        ("¥120000", False),
        ("12.5万元", False),
        (None, False),
    ],
)
def test_amounts_disagree(text: str | None, expected: bool) -> None:
    assert amounts_disagree(text) is expected


@PROPERTY
@given(st.one_of(st.text(), st.text(alphabet=AMOUNT_ALPHABET)), st.sampled_from([None, "万元"]))
def test_parse_amount_never_crashes(text: str, unit: str | None) -> None:
    value = parse_amount(text, unit=unit)
    assert value is None or (value >= 0 and round(value, 2) == value)
    bounds = parse_amount_range(text, unit=unit)
    assert bounds is None or bounds[0] < bounds[1]
    assert bounds is None or value is None
    assert isinstance(amounts_disagree(text), bool)


@PROPERTY
@given(st.one_of(st.text(), st.text(alphabet=AMOUNT_ALPHABET)))
def test_parse_rate_never_crashes(text: str) -> None:
    rate = parse_rate(text)
    assert rate is None or rate >= 0


@PROPERTY
@given(st.decimals(min_value=0, max_value=10**12, places=2))
def test_formatted_yuan_round_trip(value: object) -> None:
    assert parse_amount(f"{value:,}元") == float(value)
    assert parse_amount(f"¥{value}") == float(value)
