"""Announcement type and method (kinds.py), summary-vs-body merging (conflicts.py), and the
extractor never failing on broken procurement pages."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.procurement import FIELDS
from pipeline.extract.procurement.conflicts import merge
from pipeline.extract.procurement.kinds import announcement_type, procurement_method
from tests.conftest import FILES, extract_json

NAME = "湛江市第一中学智慧教室设备采购项目"


@pytest.mark.parametrize(
    ("title", "category", "expected"),
    [
        (f"{NAME}公开招标公告", "公开招标", "tender"),
        (f"{NAME}竞争性谈判公告", "竞争性磋商", "tender"),
        (f"{NAME}询价公告", "询价公告", "tender"),
        (f"{NAME}单一来源采购公示", "单一来源", "tender"),
        (f"{NAME}更正公告（二）", "更正公告", "correction"),
        (f"{NAME}中标结果更正公告", "中标公告", "correction"),  # the title wins
        (f"{NAME}中标（成交）结果公告", "中标公告", "award"),
        (f"{NAME}成交公告", "成交公告", "award"),
        (f"{NAME}（A、B）合同公告", "合同公告", "contract"),
        (f"{NAME}终止公告", "终止公告", "termination"),
        (f"{NAME}废标公告", "终止公告", "termination"),
        ("湛江市教育局2025年1至6月政府采购意向", "采购意向", "intent"),
        ("湛江市教育局关于有关事项的说明", "合同公告", "contract"),  # the category decides
        ("湛江市教育局关于有关事项的说明", None, "other"),
    ],
)
def test_announcement_type(title: str, category: str | None, expected: str) -> None:
    assert announcement_type(title, category, (), NAME) == expected


def test_title_read_after_the_project_name() -> None:
    """A project named …合同… or …结果… is typed by what follows its name."""
    name = "湛江市合同公告管理系统采购项目"
    assert announcement_type(f"{name}公开招标公告", None, (), name) == "tender"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (("award_amount",), "award"),
        (("contract_amount",), "contract"),
        (("bid_opening",), "tender"),
    ],
)
def test_type_from_summary_labels(fields: tuple[str, ...], expected: str) -> None:
    assert announcement_type("无题", None, fields, None) == expected


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        (("竞争性谈判", "某项目竞争性磋商公告", "竞争性磋商"), "竞争性谈判"),  # the label first
        ((None, "某项目询价公告", "询价公告"), "询价"),
        ((None, "某项目单一来源采购公示", None), "单一来源"),
        ((None, "某项目中标公告", "中标公告"), None),
    ],
)
def test_procurement_method(texts: tuple[str | None, ...], expected: str | None) -> None:
    assert procurement_method(*texts) == expected


def test_merge_prefers_the_summary_and_keeps_conflicts() -> None:
    values, conflicts = merge(
        {"project_name": "甲项目", "award_amount": 987000.0, "experts": ["张华"]},
        {
            "project_name": "甲项目",
            "award_amount": 987600.0,
            "agency": "乙公司",
            "experts": ["李明"],
        },
    )
    assert (values["project_name"], values["award_amount"], values["agency"]) == (
        "甲项目",
        987000.0,
        "乙公司",
    )
    assert values["experts"] == ["李明"]  # the body names the panel
    assert conflicts == [
        {"field": "award_amount", "summary": 987000.0, "body": 987600.0},
        {"field": "experts", "summary": ["张华"], "body": ["李明"]},
    ]


def test_empty_values_are_no_conflict() -> None:
    assert (
        merge({"experts": [], "region": None}, {"experts": ["李明"], "region": "湛江市"})[1] == []
    )


PAGES = sorted(FILES.glob("procurement_*.html"))


@settings(database=None, max_examples=60, deadline=None)
@given(
    page=st.sampled_from(PAGES),
    start=st.integers(min_value=0, max_value=8000),
    length=st.integers(min_value=0, max_value=3000),
    noise=st.text(alphabet="<>/：:（）()、 \n项目编号名称采购人金额万元%率td", max_size=40),
)
def test_never_fails_on_cut_or_spliced_pages(page, start: int, length: int, noise: str) -> None:
    data = page.read_text(encoding="utf-8")
    broken = data[:start] + noise + data[start + length :]
    record = extract_json(broken, "http://127.0.0.1:8800/ccgp/t.htm")
    if record["procurement"] is not None:
        assert tuple(record["procurement"]) == FIELDS
