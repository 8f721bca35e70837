"""Labelled body lines (sections.py) and value cleaning (clean.py), table-driven."""

from __future__ import annotations

import pytest

from pipeline.extract.procurement.clean import (
    clean_name,
    date_time,
    expert_names,
    lot_id,
    project_number,
)
from pipeline.extract.procurement.sections import Raw, read_body


def values(*lines: str) -> dict[str, str]:
    return {name: raw.text for name, raw in read_body(list(lines)).values.items()}


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["项目编号：ZJCG2025-0123"], {"project_number": "ZJCG2025-0123"}),
        (["项 目 编 号：ZJCG2025-0123"], {"project_number": "ZJCG2025-0123"}),  # spaced label
        (["项目 编号 ：ZJCG2025-0123"], {"project_number": "ZJCG2025-0123"}),
        (["一、项目编号：", "ZC130800202101632"], {"project_number": "ZC130800202101632"}),
        (
            ["一、项目编号：ZJ-1", "二、项目名称：某项目"],
            {"project_number": "ZJ-1", "project_name": "某项目"},
        ),
        (["原公告的采购项目编号：ZJ-9"], {"project_number": "ZJ-9"}),
        (
            ["采购项目编号：ZJ-8 采购项目名称：某某项目"],
            {"project_number": "ZJ-8", "project_name": "某某项目"},
        ),
        (["采 购 人：湛江市第一中学"], {"purchaser": "湛江市第一中学"}),
        (["采购人（甲方）：湛江市第一中学"], {"purchaser": "湛江市第一中学"}),
        (["采购单位名称：湛江市第一中学"], {"purchaser": "湛江市第一中学"}),
        (["采购代理机构全称：广东湛诚招标代理有限公司"], {"agency": "广东湛诚招标代理有限公司"}),
        (["预算金额（万元）：120"], {"budget_amount": "120"}),
        (["采购方式：竞争性磋商"], {"method": "竞争性磋商"}),
        (["总成交金额：294.8 万元（人民币）"], {"award_amount": "294.8 万元（人民币）"}),
        (["中标（成交）总金额：￥1,862,000.00"], {"award_amount": "￥1,862,000.00"}),
        (["七、合同签订日期：2025年04月08日"], {"contract_date": "2025年04月08日"}),
        (
            ["合同金额：壹佰万元整（￥1,000,000.00）"],
            {"contract_amount": "壹佰万元整（￥1,000,000.00）"},
        ),
    ],
)
def test_labelled_values(lines: list[str], expected: dict[str, str]) -> None:
    assert values(*lines) == expected


def test_name_takes_its_meaning_from_the_section() -> None:
    found = values(
        "1.采购人信息",
        "名 称：湛江市第一中学",
        "地址：湛江市赤坎区",
        "2.采购代理机构信息",
        "名称：广东湛诚招标代理有限公司",
        "3.项目联系方式",
        "名称：不是任何人",
    )
    assert found == {"purchaser": "湛江市第一中学", "agency": "广东湛诚招标代理有限公司"}


def test_heading_and_label_on_one_line() -> None:
    """ccgp-hebei: ``1.采购人信息 名称：`` with the value on the same line."""
    assert values("1.采购人信息 名称： 围场县旅游局")["purchaser"] == "围场县旅游局"
    assert values("2.采购代理机构信息名称：围场县政府采购中心")["agency"] == "围场县政府采购中心"


def test_a_spaced_name_before_the_next_label_stays_whole() -> None:
    """``湛江市 第一中学 地址：`` — only 地址 is a label; the name keeps both words."""
    assert values("采购人：湛江市 第一中学 地址：湛江市赤坎区")["purchaser"] == "湛江市 第一中学"


def test_a_label_inside_prose_is_not_a_field() -> None:
    line = "某公司受某单位的委托，就“某项目”项目（项目编号：SZJX-010）组织采购，评标工作已经结束"
    assert values(line) == {}


def test_an_unnamed_section_clears_the_context() -> None:
    assert values("1.采购人信息", "四、拟定的唯一供应商名称、地址", "名称：某供应商") == {}


@pytest.mark.parametrize(
    ("lines", "deadline", "opening"),
    [
        (  # 公开招标, 2020 format: one date under the combined heading
            [
                "四、提交投标文件截止时间、开标时间和地点",
                "2025年03月24日 09点30分（北京时间）",
                "地点：某处",
            ],
            "2025年03月24日 09点30分（北京时间）",
            "2025年03月24日 09点30分（北京时间）",
        ),
        (  # 竞争性磋商: 四、响应文件提交 / 五、开启
            [
                "四、响应文件提交",
                "截止时间：2025年04月14日 14点30分",
                "五、开启",
                "时间：2025年04月14日 15点00分",
            ],
            "2025年04月14日 14点30分",
            "2025年04月14日 15点00分",
        ),
        (
            ["提交响应文件截止时间：2025年5月6日 9:30", "响应文件开启时间：2025年5月6日 10:00"],
            "2025年5月6日 9:30",
            "2025年5月6日 10:00",
        ),
        (  # a correction moves both
            [
                "更正后提交投标（响应）文件截止时间：2025年03月28日 09点30分",
                "更正后开标时间：2025年03月28日 09点30分",
            ],
            "2025年03月28日 09点30分",
            "2025年03月28日 09点30分",
        ),
        (  # 获取招标文件 时间 is neither
            ["三、获取招标文件", "时间：2025年03月04日至2025年03月11日"],
            None,
            None,
        ),
    ],
)
def test_deadline_and_opening(lines: list[str], deadline: str | None, opening: str | None) -> None:
    found = values(*lines)
    assert (found.get("bid_deadline"), found.get("bid_opening")) == (deadline, opening)


@pytest.mark.parametrize(
    "lines",
    [
        ["五、评审专家（单一来源采购人员）名单：", "王东煜  何宗海"],
        ["七、评审委员会成员名单", "王东煜、何宗海"],
        ["谈判小组、询价小组、磋商小组成员名单及单一来源采购人员名单：", "王东煜、何宗海"],
        ["评审专家名单：王东煜、何宗海"],
    ],
)
def test_expert_lists(lines: list[str]) -> None:
    assert expert_names(values(*lines)["experts"]) == ["王东煜", "何宗海"]


def test_unit_of_the_label_is_kept() -> None:
    assert read_body(["预算金额（万元）：120"]).values["budget_amount"] == Raw("120", "万元")


def test_award_lines_pair_supplier_and_amount() -> None:
    lines = read_body(
        [
            "五、中标（成交）信息",
            "供应商名称：甲公司",
            "供应商地址：湛江市",
            "中标（成交）金额：6687920.0元",
            "供应商名称：乙公司",
            "中标（成交）金额：下浮率：5%",
        ]
    ).award_lines
    assert [{k: v.text for k, v in line.items()} for line in lines] == [
        {"supplier": "甲公司", "lot_amount": "6687920.0元"},
        {"supplier": "乙公司", "lot_amount": "下浮率：5%"},
    ]


def test_supplier_name_outside_an_award_section_is_no_award() -> None:
    assert read_body(["四、拟定的唯一供应商名称、地址", "供应商名称：甲公司"]).award_lines == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("湛江市 第一中学", "湛江市第一中学"),
        ("湛江市\u3000第一\xa0中学；", "湛江市第一中学"),
        ("ＡＢＣ 科技 有限公司", "ABC 科技有限公司"),
        ("LIU YANG", "LIU YANG"),
        ("无", None),
        ("  ", None),
        (None, None),
    ],
)
def test_clean_name(text: str | None, expected: str | None) -> None:
    assert clean_name(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ＺＪＣＧ２０２５－０１２３", "ZJCG2025-0123"),
        (" ZJCG 2025 - 0123 ", "ZJCG2025-0123"),
        ("ＺＪＺＣ（２０２５）００３", "ZJZC(2025)003"),
        ("440800-2025-00012；", "440800-2025-00012"),
        ("", None),
    ],
)
def test_project_number(text: str, expected: str | None) -> None:
    assert project_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A", "A"),
        ("1", "1"),
        ("包1", "1"),
        ("第2包", "2"),
        ("标包３", "3"),
        ("B包", "B"),
        ("", None),
    ],
)
def test_lot_id(text: str, expected: str | None) -> None:
    assert lot_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("张  华、肖  静、舒良举", ["张华", "肖静", "舒良举"]),
        ("王东煜  何宗海  刘溪丹", ["王东煜", "何宗海", "刘溪丹"]),
        ("张 华", ["张华"]),
        ("张茂霞、彭安轩；", ["张茂霞", "彭安轩"]),
        ("ASEFAF,LIU YANG,丁一飞", ["ASEFAF", "LIU YANG", "丁一飞"]),
        ("", []),
    ],
)
def test_expert_names(text: str, expected: list[str]) -> None:
    assert expert_names(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年03月24日 09点30分（北京时间）", "2025-03-24 09:30"),
        ("2025年03月24日  09:30", "2025-03-24 09:30"),
        ("2025年03月24日", "2025-03-24"),
        ("详见采购文件", None),
    ],
)
def test_date_time(text: str, expected: str | None) -> None:
    assert date_time(text) == expected
