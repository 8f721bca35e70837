"""Frozen-page tests: the procurement fields of the real procurement pages, one test per field.

Expected values were written by reading each page:

* ccgp_gov award 1 (older ccgp layout, 2021): summary table and body agree; one supplier in a
  ``成交金额(万元)`` table; total ``￥294.800000 万元`` = 2,948,000 yuan.
* ccgp_gov award 2 (browser-rendered 2025 page, bot-shield stub, summary hidden by a toggle):
  the body's bidder tables (投标供应商 / 报价) are not awards; the award is the labelled
  ``供应商名称：…`` / ``中标（成交）金额：6687920.0元`` lines. The summary's total ``￥668.790000
  万元`` (6,687,900) and its agency differ from the body: the summary wins, both are kept as
  conflicts.
* ccgp_hebei award 1 (2020 format as numbered spans): suppliers in 中标（成交）信息 without
  amounts, their 中标金额 (745,680 and 743,808) in 主要标的信息; no total is stated, so the
  award amount is the sum, 1,489,488.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from tests.conftest import extract_json, realpage, realpage_manifest

AWARD_1 = "ccgp_gov__procurement_award__1.html"
AWARD_2 = "ccgp_gov__procurement_award__2.html"
HEBEI = "ccgp_hebei__procurement_award__1.html"

EXPECTED: dict[str, dict[str, Any]] = {
    AWARD_1: {
        "project_number": "SZJXHH2021-010",
        "project_name": "贫困县乡村基础设施建设二期项目安防工程十标",
        "purchaser": "芷江侗族自治县公路建设养护中心、芷江侗族自治县扶贫开发服务有限责任公司",
        "agency": "深圳市建星项目管理顾问有限公司",
        "award_suppliers": ["湖南东晖耀建设有限公司"],
        "award_amount": 2948000.0,
    },
    AWARD_2: {
        "project_number": "LHACG2025000057",
        "project_name": "深圳市龙华科技实验高级中学空调采购",
        "purchaser": "深圳市龙华科技实验高级中学",
        "agency": "深圳交易集团有限公司龙华分公司",  # 代理机构名称 of the summary
        "award_suppliers": ["深圳市金龙空调电器有限公司"],
        "award_amount": 6687900.0,  # 总中标金额 ￥668.790000 万元 of the summary
    },
    HEBEI: {
        "project_number": "ZC130800202101632",
        "project_name": "村级信息资源共享支中心电脑项目",  # 二、项目名称 (the title words it differently)
        "purchaser": "围场满族蒙古族自治县旅游和文化广电局本级",
        "agency": "围场县政府采购中心",
        "award_suppliers": ["承德发金商贸有限公司", "河北泰鸿体育设施有限公司"],
        "award_amount": 1489488.0,
    },
}
TENDER = "ccgp_gov__procurement_tender__1.html"
GGZY_CONTRACT = "ggzy_gov__procurement_contract__1.html"
GGZY_PROJECT = "ggzy_gov__procurement_contract__2.html"
JSGGZY = "jsggzy__procurement_tender__1.html"
NONE = dict.fromkeys(
    ("project_number", "project_name", "purchaser", "agency", "budget_amount", "contract_amount")
)
OTHER: dict[str, dict[str, Any]] = {
    TENDER: {
        "announcement_type": "tender",
        "procurement_method": "单一来源",
        "project_number": "OITC-G260610702",
        "project_name": "中国科学院金属研究所球差原位透射电镜采购项目",
        "purchaser": "中国科学院金属研究所",
        "agency": "东方国际招标有限责任公司",
        "region": "沈阳市",
        "budget_amount": 33000000.0,
        "bid_opening": "2026-07-09 09:30",
        "award_suppliers": [],
    },
    GGZY_CONTRACT: {
        **NONE,
        "announcement_type": "contract",
        "purchaser": "德清县体育中心（德清县少年儿童体育学校）",
        "contract_amount": 0.0,
        "contract_date": "2026-03-17",
    },
    GGZY_PROJECT: {
        **NONE,
        "announcement_type": "contract",
        "project_number": "330521253680050000027-ZJXCXZF-2025-JC57",
    },
    JSGGZY: {**NONE, "announcement_type": "tender", "awards": []},
}
OTHER_CASES = [(page, name) for page in OTHER for name in OTHER[page]]
FIELDS = (
    "project_number",
    "project_name",
    "purchaser",
    "agency",
    "award_suppliers",
    "award_amount",
)
CASES = [(page, name) for page in EXPECTED for name in FIELDS]


def page_url(page: str) -> str:
    entry = realpage_manifest().get(page, {})
    host = (entry.get("site") or "example.invalid").split()[0]
    return entry.get("original_url") or f"https://{host}/{page}"


@cache
def procurement(page: str) -> dict[str, Any]:
    result = extract_json(realpage(page), page_url(page))["procurement"]
    assert result is not None
    return result


@pytest.mark.parametrize(("page", "name"), CASES)
def test_field(page: str, name: str) -> None:
    assert procurement(page)[name] == EXPECTED[page][name]


@pytest.mark.parametrize(("page", "name"), OTHER_CASES)
def test_other_stage_field(page: str, name: str) -> None:
    assert procurement(page)[name] == OTHER[page][name]


def test_project_page_has_no_body_of_its_own() -> None:
    """The tab titles and dates are links to other notices, not this page's text."""
    assert extract_json(realpage(GGZY_PROJECT), page_url(GGZY_PROJECT))["body_text"] is None


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_announcement_type(page: str) -> None:
    assert procurement(page)["announcement_type"] == "award"


@pytest.mark.parametrize("page", sorted([*EXPECTED, *OTHER]))
def test_saved_copy_without_url_gives_the_same_fields(page: str) -> None:
    """Saved pages have no URL: the templates are recognized from their markup."""
    assert extract_json(realpage(page), "file:///saved.html")["procurement"] == procurement(page)


def test_award_1_lot_table_in_wan_yuan() -> None:
    assert procurement(AWARD_1)["awards"] == [
        {"lot": None, "supplier": "湖南东晖耀建设有限公司", "amount": 2948000.0, "rate": None}
    ]


def test_award_1_region_and_experts() -> None:
    assert procurement(AWARD_1)["region"] == "芷江侗族自治县"
    assert procurement(AWARD_1)["experts"] == ["张华", "肖静", "舒良举"]  # 张  华、肖  静、舒良举


def test_award_1_summary_and_body_agree() -> None:
    assert procurement(AWARD_1)["conflicts"] == []


def test_award_2_bidders_are_not_awards() -> None:
    assert procurement(AWARD_2)["awards"] == [
        {"lot": None, "supplier": "深圳市金龙空调电器有限公司", "amount": 6687920.0, "rate": None}
    ]


def test_award_2_conflicts_keep_both_values() -> None:
    conflicts = {c["field"]: (c["summary"], c["body"]) for c in procurement(AWARD_2)["conflicts"]}
    assert conflicts["award_amount"] == (6687900.0, 6687920.0)
    assert conflicts["agency"] == (
        "深圳交易集团有限公司龙华分公司",
        "深圳公共资源交易中心，具体由深圳公共资源交易中心（深圳交易集团有限公司龙华分公司）组织实施",
    )
    assert "project_number" not in conflicts


def test_award_2_experts_from_the_body() -> None:
    """The summary's 评审专家名单 is the platform's whole pool, cut off; the body names five."""
    assert procurement(AWARD_2)["experts"] == ["张茂霞", "彭安轩", "陈卫红", "张巧平", "范港航"]


def test_hebei_awards_merge_supplier_and_goods_tables() -> None:
    assert [(a["supplier"], a["amount"]) for a in procurement(HEBEI)["awards"]] == [
        ("承德发金商贸有限公司", 745680.0),
        ("河北泰鸿体育设施有限公司", 743808.0),
    ]


def test_hebei_experts_separated_by_spaces() -> None:
    assert procurement(HEBEI)["experts"] == ["王东煜", "何宗海", "刘溪丹", "王晓春", "叶晓宇"]


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_no_tender_fields_on_awards(page: str) -> None:
    result = procurement(page)
    assert (result["bid_deadline"], result["bid_opening"], result["intent_items"]) == (
        None,
        None,
        [],
    )
