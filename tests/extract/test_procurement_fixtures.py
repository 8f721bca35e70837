"""Our own ccgp procurement pages (tests/files/procurement_*.html), one per announcement type
plus an older-layout award, a multi-lot award with rate lots, a dirty page, a page whose
summary table and body disagree, a page naming its purchaser and agency once per lot and an
award with one table per lot. They follow the replica's markup contract (detail template
``vF_detail_*`` of the real ccgp pages; the non-award types are inferred from the 2020 format).

Each page's whole ``procurement`` object is compared with the values written into the page.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from pipeline.extract.procurement import FIELDS
from tests.conftest import FILES, extract_json

URL = "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/202504/t20250402_16412345.htm"
PROJECT = "湛江市第一中学智慧教室设备采购项目"
FIRST = "湛江市第一中学"
AGENCY = "广东湛诚招标代理有限公司"
EMPTY: dict[str, Any] = {
    "procurement_method": None, "project_number": None, "project_name": None, "purchaser": None,
    "agency": None, "region": None, "budget_amount": None, "bid_deadline": None,
    "bid_opening": None, "award_amount": None, "award_suppliers": [], "awards": [],
    "award_date": None, "contract_date": None, "contract_amount": None, "experts": [], "intent_items": [],
    "conflicts": [],
}  # fmt: skip


def award(lot: str | None, supplier: str, amount: float | None, rate: float | None = None):
    return {"lot": lot, "supplier": supplier, "amount": amount, "rate": rate}


EXPECTED: dict[str, dict[str, Any]] = {
    "intent": {
        "announcement_type": "intent",
        "purchaser": "湛江市教育局",  # 采购单位： above the first table
        "intent_items": [
            {"project_name": PROJECT, "budget_amount": 1865000.0, "expected_month": "2025-03"},
            {
                "project_name": "湛江市教育局信息化运维服务项目",
                "budget_amount": 480000.0,
                "expected_month": "2025-05",
            },
            {
                "project_name": "湛江市第二中学学生宿舍空调采购项目",
                "budget_amount": 624000.0,
                "expected_month": "2025-06",
            },
        ],  # the 合计 row is no item
    },
    "tender": {
        "announcement_type": "tender",
        "procurement_method": "公开招标",
        "project_number": "ZJCG2025-0123",
        "project_name": PROJECT,
        "purchaser": FIRST,
        "agency": AGENCY,
        "region": "湛江市赤坎区",
        "budget_amount": 1865000.0,  # ￥186.500000 万元 = 1,865,000.00元
        "bid_deadline": "2025-03-24 09:30",  # the date under 四、提交投标文件截止时间、开标时间和地点
        "bid_opening": "2025-03-24 09:30",
    },
    "tender_cs": {
        "announcement_type": "tender",
        "procurement_method": "竞争性磋商",
        "project_number": "ZJCKCG2025-0031",
        "project_name": "湛江市赤坎区人民医院物业管理服务项目",
        "purchaser": "湛江市赤坎区人民医院",
        "agency": "湛江市政府采购中心",
        "region": "湛江市赤坎区",
        "budget_amount": 960000.0,
        "bid_deadline": "2025-04-14 14:30",  # 四、响应文件提交 截止时间：
        "bid_opening": "2025-04-14 14:30",  # 五、开启 时间：
    },
    "correction": {
        "announcement_type": "correction",
        "project_number": "ZJCG2025-0123",  # 原公告的采购项目编号
        "project_name": PROJECT,
        "purchaser": FIRST,
        "agency": AGENCY,
        "region": "湛江市赤坎区",
    },
    "award": {
        "award_date": "2025-03-31",  # 中标/成交日期 printed by the page
        "announcement_type": "award",
        "project_number": "ZJCG2025-0123",
        "project_name": PROJECT,
        "purchaser": FIRST,
        "agency": AGENCY,
        "region": "湛江市赤坎区",
        "award_amount": 1862000.0,
        "award_suppliers": ["湛江市华信科技有限公司"],
        "awards": [award("1", "湛江市华信科技有限公司", 1862000.0)],
        "experts": ["李明", "王芳", "张强", "刘洋", "陈静"],
    },
    "contract": {
        "announcement_type": "contract",
        "procurement_method": "公开招标",  # 采购方式：公开招标
        "project_number": "ZJCG2025-0123",
        "project_name": PROJECT,
        "purchaser": FIRST,
        "agency": AGENCY,
        "region": "湛江市赤坎区",
        "contract_date": "2025-04-08",
        "contract_amount": 1862000.0,  # 壹佰捌拾陆万贰仟元整（￥1,862,000.00）
    },
    "termination": {
        "announcement_type": "termination",
        "project_number": "ZJPT2025-019",
        "project_name": "湛江市坡头区农村生活污水处理设施运维服务项目",
        "purchaser": "湛江市坡头区住房和城乡建设局",
        "agency": "广东华采招标有限公司",
        "region": "湛江市坡头区",
    },
    "award_old": {
        "award_date": "2019-11-18",  # 中标/成交日期 printed by the page
        "announcement_type": "award",
        "procurement_method": "询价",
        "project_number": "ZJXS-2019-088",
        "project_name": "湛江市霞山区环卫车辆采购项目",
        "purchaser": "湛江市霞山区城市管理和综合执法局",
        "agency": "湛江市诚信招标有限公司",
        "region": "湛江市霞山区",
        "award_amount": 1234567.89,
        "award_suppliers": ["湛江市粤西汽车贸易有限公司"],
        "awards": [award(None, "湛江市粤西汽车贸易有限公司", 1234567.89)],
        "experts": ["黄伟", "周敏", "郑国强"],
    },
    "award_lots": {
        "award_date": "2025-05-14",  # 中标/成交日期 printed by the page
        "announcement_type": "award",
        "project_number": "ZJCG2025-0456",
        "project_name": "湛江市2025年市直单位车辆维修服务定点采购项目",
        "purchaser": "湛江市机关事务管理局",
        "agency": "湛江市政府采购中心",
        "region": "湛江市",
        "award_amount": None,  # no total stated (详见公告正文) and two lots go by rate
        "award_suppliers": [
            "湛江市通达汽车维修有限公司",
            "湛江市安驰汽车服务有限公司",
            "湛江市鸿运汽车修理厂",
            "广东粤西汽车服务有限公司",
        ],
        "awards": [
            award("1", "湛江市通达汽车维修有限公司", 456000.0),
            award("2", "湛江市安驰汽车服务有限公司", None, 5.0),
            award("3", "湛江市鸿运汽车修理厂", 125000.0),
            award("3", "广东粤西汽车服务有限公司", None, 95.0),  # lot cell merged (rowspan)
        ],
        "experts": ["何志强", "梁晓红", "蔡文斌", "谢丽娟", "冯涛"],
    },
    "dirty": {
        "announcement_type": "tender",
        "procurement_method": "竞争性磋商",
        "project_number": "ZJCG2025-0156",  # ＺＪＣＧ２０２５－０１５６ after 项目 编号：
        "project_name": "湛江市麻章区道路养护服务项目",
        "purchaser": "湛江市麻章区交通运输局",  # 采 购 人：湛江市麻章区 交通运输局
        "agency": "广东湛诚招标代理有限公司",
        "region": "湛江市麻章区",
        "budget_amount": 1200000.0,
        "bid_deadline": "2025-05-12 14:30",
        "bid_opening": "2025-05-12 14:30",
    },
    "conflict": {
        "award_date": "2025-07-01",  # 中标/成交日期 printed by the page
        "announcement_type": "award",
        "project_number": "ZJXSCG2025-077",
        "project_name": "湛江市霞山区教育局课桌椅采购项目",
        "purchaser": "湛江市霞山区教育局",
        "agency": "湛江市政府采购中心",
        "region": "湛江市霞山区",
        "award_amount": 987000.0,  # the summary's ￥98.700000 万元
        "award_suppliers": ["湛江市金桥家具制造有限公司"],
        "awards": [award("A", "湛江市金桥家具制造有限公司", 987600.0)],
        "conflicts": [
            {
                "field": "project_name",
                "summary": "湛江市霞山区教育局课桌椅采购项目",
                "body": "湛江市霞山区教育局课桌椅采购项目（二次）",
            },
            {"field": "award_amount", "summary": 987000.0, "body": 987600.0},
        ],
    },
    "lot_parties": {  # 包1：湛江市第二中学 / 包2：湛江市第二中学, in the summary and the body
        "announcement_type": "award",
        "project_number": "ZJCG2025-0812",
        "project_name": "湛江市第二中学教学设备采购项目",
        "purchaser": "湛江市第二中学",
        "agency": "广东粤西招标代理有限公司",
        "region": "湛江市",
        "award_amount": 278500.0,
        "award_suppliers": ["湛江市启明教学仪器有限公司", "广州博学实验设备有限公司"],
        "awards": [
            award("1", "湛江市启明教学仪器有限公司", 186000.0),
            award("2", "广州博学实验设备有限公司", 92500.0),
        ],
    },
    "award_lot_tables": {  # 合同包1 / 合同包2, a table each, one supplier winning both
        "announcement_type": "award",
        "project_number": "ZJCK2025-0331",
        "project_name": "湛江市赤坎区食堂食材配送服务采购项目",
        "purchaser": "湛江市赤坎区教育局",
        "agency": "湛江市赤坎区政府采购中心",
        "award_amount": 572000.0,
        "award_suppliers": ["湛江市鲜丰农产品配送有限公司"],
        "awards": [
            award("1", "湛江市鲜丰农产品配送有限公司", 318000.0),
            award("2", "湛江市鲜丰农产品配送有限公司", 254000.0),
        ],
    },
}
CASES = [(page, name) for page in EXPECTED for name in FIELDS]


@cache
def procurement(page: str) -> dict[str, Any]:
    record = extract_json((FILES / f"procurement_{page}.html").read_bytes(), URL)
    assert record["kind"] == "procurement"
    return record["procurement"]


@pytest.mark.parametrize(("page", "name"), CASES)
def test_field(page: str, name: str) -> None:
    expected = {**EMPTY, **EXPECTED[page]}
    assert procurement(page)[name] == expected[name]


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_object_has_exactly_the_contract_fields(page: str) -> None:
    assert tuple(procurement(page)) == FIELDS


def test_every_fixture_has_expectations() -> None:
    names = {
        p.name.removeprefix("procurement_").removesuffix(".html")
        for p in FILES.glob("procurement_*.html")
    }
    assert names == set(EXPECTED)


def test_every_announcement_type_is_covered() -> None:
    kinds = {expected["announcement_type"] for expected in EXPECTED.values()}
    assert kinds == {"intent", "tender", "correction", "award", "contract", "termination"}


def test_bot_shield_stub_page_is_still_an_article() -> None:
    """The stub is on the page and the article too: content, not a challenge."""
    body = (FILES / "procurement_award.html").read_bytes()
    assert b"/_bot_sbu/sbu_fpcm.js" in body
    record = extract_json(body, URL)
    assert record["procurement"]["project_number"] == "ZJCG2025-0123"
    assert "16412345" not in (record["body_text"] or "")  # the hidden articleId input


def test_text_input_gives_the_same_object() -> None:
    text = (FILES / "procurement_dirty.html").read_text(encoding="utf-8")
    assert extract_json(text, URL)["procurement"] == procurement("dirty")


def test_attachment_block_after_the_body() -> None:
    record = extract_json((FILES / "procurement_award.html").read_bytes(), URL)
    assert record["attachments"] == [
        {
            "name": "招标文件.pdf",
            "url": "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/202504/P020250402612345.pdf",
        }
    ]
