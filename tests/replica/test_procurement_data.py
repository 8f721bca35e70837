"""The procurement replica's data and truth: determinism, size, stages, dates, late and missing."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from replica import build_truth
from replica.procurement import calendar, money
from replica.procurement.site import ProcurementSite
from tests.replica.conftest import procurement_only
from tests.replica.reference import normalize_text

BASE = "http://127.0.0.1:8800"
CATEGORIES = {
    "采购意向": "intent",
    "公开招标": "tender",
    "竞争性磋商": "tender",
    "询价公告": "tender",
    "单一来源": "tender",
    "更正公告": "correction",
    "中标公告": "award",
    "合同公告": "contract",
    "终止公告": "termination",
}
TENDER_METHODS = {
    "公开招标": {"公开招标"},
    "竞争性磋商": {"竞争性磋商", "竞争性谈判"},
    "询价公告": {"询价"},
    "单一来源": {"单一来源"},
}
PROCUREMENT_FIELDS = {
    "announcement_type", "procurement_method", "project_number", "project_name", "purchaser",
    "agency", "region", "budget_amount", "bid_deadline", "bid_opening", "award_amount",
    "award_suppliers", "awards", "award_date", "contract_date", "contract_amount", "experts", "intent_items",
    "conflicts",
}  # fmt: skip
NUMBER_STYLES = (
    r"ZJCG20\d\d-\d{4}",
    r"GDZC20\d\dG\d{4}",
    r"ZJZC\(20\d\d\)\d{3}",
    r"440800-20\d\d-\d{5}",
)
CJK_GAP = re.compile(r"[\u4e00-\u9fff] [\u4e00-\u9fff]")


def day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


@pytest.fixture(scope="module")
def notices(ccgp_truth) -> list[dict]:
    return ccgp_truth["notices"]


@pytest.fixture(scope="module")
def by_url(notices) -> dict[str, dict]:
    return {n["url"]: n for n in notices}


@pytest.fixture(scope="module")
def projects(ccgp_truth) -> list[dict]:
    return ccgp_truth["procurement_projects"]


# -- determinism and size ------------------------------------------------------------------------
def test_same_arguments_give_the_same_truth():
    first = procurement_only(build_truth(BASE, faults=["all"]))
    assert first == procurement_only(build_truth(BASE, faults=["all"]))
    assert first["notices"]
    assert first["procurement_projects"]


def test_same_arguments_give_byte_identical_pages():
    first, second = ProcurementSite(faults=["all"]), ProcurementSite(faults=["all"])
    assert first.routes.keys() == second.routes.keys()
    for path in first.routes:
        assert first.handle(path, {}).body == second.handle(path, {}).body, path


def test_another_seed_writes_other_projects():
    one = {p["project_name"] for p in procurement_only(build_truth(BASE))["procurement_projects"]}
    other = procurement_only(build_truth(BASE, seed=7))["procurement_projects"]
    assert one != {p["project_name"] for p in other}


def test_default_scale_has_at_least_150_projects(projects, notices):
    assert len(projects) >= 150
    assert len(notices) >= 4 * 150


def test_scale_grows_the_projects_proportionally():
    small = procurement_only(build_truth(BASE, scale=445))["procurement_projects"]
    large = procurement_only(build_truth(BASE, scale=1335))["procurement_projects"]
    assert len(small) == 160
    assert 470 <= len(large) <= 490


# -- the record -----------------------------------------------------------------------------------
def test_records_have_the_contract_fields(notices):
    for notice in notices:
        assert notice["site"] == "ccgp"
        assert notice["kind"] == "procurement"
        assert notice["publisher"] == "中国政府采购网"
        assert notice["author"] is None
        assert (notice["doc_number"], notice["index_number"], notice["doc_date"]) == (None,) * 3
        assert set(notice["procurement"]) == PROCUREMENT_FIELDS
        assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", notice["publish_time"])


def test_every_category_holds_its_announcement_type(notices):
    counts = Counter(n["category"] for n in notices)
    assert set(counts) == set(CATEGORIES)
    assert min(counts.values()) >= 5
    for notice in notices:
        assert notice["procurement"]["announcement_type"] == CATEGORIES[notice["category"]]


def test_tender_lists_hold_their_methods(notices):
    seen: dict[str, set] = {}
    for notice in notices:
        if notice["category"] in TENDER_METHODS:
            method = notice["procurement"]["procurement_method"]
            seen.setdefault(notice["category"], set()).add(method)
    assert seen == TENDER_METHODS


def test_every_stage_kind_is_present(notices):
    kinds = {n["procurement"]["announcement_type"] for n in notices}
    assert kinds == {"intent", "tender", "correction", "award", "contract", "termination"}


def test_dates_lie_within_2019_to_2026(notices):
    for notice in notices:
        assert dt.date(2019, 1, 1) <= day(notice["publish_date"]) <= dt.date(2026, 12, 31)
        assert calendar.is_workday(day(notice["publish_date"])), notice["url"]
    years = {n["publish_date"][:4] for n in notices}
    assert {"2019", "2026"} <= years


def test_short_values_and_body_lines_are_normalized(notices):
    for notice in notices:
        assert normalize_text(notice["title"]) == notice["title"]
        for line in notice["body_text"].split("\n"):
            assert normalize_text(line) == line, (notice["url"], line)


def test_names_are_cleaned(notices):
    for notice in notices:
        record = notice["procurement"]
        names = [record["project_name"], record["purchaser"], record["agency"]]
        names += record["award_suppliers"] + record["experts"]
        for name in filter(None, names):
            assert normalize_text(name) == name
            assert not CJK_GAP.search(name), name
        assert all(" " not in expert for expert in record["experts"])


def test_project_numbers_are_canonical_and_in_four_styles(notices):
    numbers = {n["procurement"]["project_number"] for n in notices} - {None}
    for number in numbers:
        assert any(re.fullmatch(style, number) for style in NUMBER_STYLES), number
    for style in NUMBER_STYLES:
        assert any(re.fullmatch(style, number) for number in numbers), style


def test_amounts_are_yuan_and_rates_percent(notices):
    awards = [n["procurement"] for n in notices if n["category"] == "中标公告"]
    for record in awards:
        rows = record["awards"]
        assert rows
        for row in rows:
            assert (row["amount"] is None) != (row["rate"] is None)
        amounts = [row["amount"] for row in rows]
        if None in amounts:
            assert record["award_amount"] is None
        elif not record["conflicts"]:
            assert round(sum(amounts), 2) == record["award_amount"]
        assert record["award_suppliers"] == list(dict.fromkeys(r["supplier"] for r in rows))


def test_multi_lot_awards_with_several_winners_exist(notices):
    awards = [n["procurement"]["awards"] for n in notices if n["category"] == "中标公告"]
    multi = [rows for rows in awards if len({r["lot"] for r in rows}) >= 2]
    assert len(multi) >= 5
    assert all({r["lot"] for r in rows} <= set("ABCD") for rows in multi)
    shared = [rows for rows in multi if max(Counter(r["lot"] for r in rows).values()) >= 2]
    assert shared
    assert {r["lot"] for rows in awards for r in rows} >= {None, "1", "A", "B"}


def test_rate_awards_exist(notices):
    rows = [r for n in notices for r in n["procurement"]["awards"] if r["rate"] is not None]
    assert len(rows) >= 5
    assert all(0 < r["rate"] < 100 for r in rows)
    assert any(r["rate"] != int(r["rate"]) for r in rows)


def test_conflicts_keep_both_values(notices):
    conflicted = [n["procurement"] for n in notices if n["procurement"]["conflicts"]]
    assert len(conflicted) >= 3
    for record in conflicted:
        (conflict,) = record["conflicts"]
        assert conflict["field"] == "award_amount"
        assert conflict["summary"] != conflict["body"]
        assert record["award_amount"] == conflict["summary"]
        assert round(sum(r["amount"] for r in record["awards"]), 2) == conflict["body"]


# -- projects -------------------------------------------------------------------------------------
def test_project_stage_urls_are_notices_of_that_stage(projects, by_url):
    linked = set()
    for project in projects:
        for stage, urls in project["stages"].items():
            for url in urls:
                assert by_url[url]["procurement"]["announcement_type"] == stage
            linked.update(urls)
    assert linked == set(by_url)


def test_projects_are_linked_by_number_or_by_purchaser_and_name(projects, by_url):
    for project in projects:
        own = [by_url[u] for s, urls in project["stages"].items() if s != "intent" for u in urls]
        numbers = {n["procurement"]["project_number"] for n in own}
        assert project["link"] == ("purchaser+name" if None in numbers else "number")
        assert numbers - {None} <= {project["project_number"]}
        for notice in own:
            assert notice["procurement"]["project_name"] == project["project_name"]
            assert notice["procurement"]["purchaser"] == project["purchaser"]
    by_name = [p for p in projects if p["link"] == "purchaser+name"]
    assert len(by_name) >= 3
    assert any(p["project_number"] is None for p in by_name)
    keys = [(p["purchaser"], p["project_name"]) for p in projects]
    assert len(set(keys)) == len(keys)


def test_intents_list_their_projects_by_purchaser_and_name(projects, by_url):
    for project in projects:
        tender = by_url[project["stages"]["tender"][0]]["procurement"]
        for url in project["stages"]["intent"]:
            intent = by_url[url]["procurement"]
            assert intent["purchaser"] == project["purchaser"]
            items = {i["project_name"]: i for i in intent["intent_items"]}
            item = items[project["project_name"]]
            assert item["budget_amount"] == tender["budget_amount"]
            assert item["expected_month"] == project["dates"]["tender"][:7]
    several = [n for n in by_url.values() if len(n["procurement"]["intent_items"]) >= 3]
    assert several


def test_lifecycle_dates_are_ordered(projects, by_url):
    for project in projects:
        dates = {k: day(v) for k, v in project["dates"].items()}
        tender = dates["tender"]
        assert tender is not None
        if dates["intent"]:
            assert dates["intent"] < tender
        for url in project["stages"]["correction"]:
            assert tender < day(by_url[url]["publish_date"]) < dates["bid_opening"]
        if dates["termination"]:
            assert not project["stages"]["award"]
            assert tender < dates["termination"]
        if dates["award"]:
            assert dates["bid_opening"] <= dates["award_determined"] <= dates["award"]
        if dates["contract"]:
            assert dates["award"] < dates["contract_signed"] <= dates["contract"]
        for urls in project["stages"].values():
            published = [by_url[u]["publish_date"] for u in urls]
            assert published == sorted(published)


def test_every_project_ends_awarded_or_terminated(projects):
    for project in projects:
        stages = project["stages"]
        assert len(stages["tender"]) == 1
        assert bool(stages["award"]) != bool(stages["termination"])
        assert len(stages["correction"]) <= 2


def late_by(project: dict, start: str, end: str) -> int:
    return calendar.workdays_between(day(project["dates"][start]), day(project["dates"][end]))


def test_late_awards_and_contracts_are_late_by_the_replica_calendar(projects):
    for stage, start in (("award", "award_determined"), ("contract", "contract_signed")):
        done = [p for p in projects if p["stages"][stage]]
        late = [p for p in done if stage in p["late"]]
        assert late, stage
        for project in done:
            waited = late_by(project, start, stage)
            assert (waited >= 4) if project in late else (waited <= 2), project["project_name"]


def test_late_intents_come_fewer_than_30_days_before_the_tender(projects):
    listed = [p for p in projects if p["stages"]["intent"]]
    late = [p for p in listed if "intent" in p["late"]]
    assert late
    for project in listed:
        gap = (day(project["dates"]["tender"]) - day(project["dates"]["intent"])).days
        assert (gap < 30) if project in late else (gap >= 30), project["project_name"]


def test_missing_stages_are_recorded(projects):
    no_contract = [p for p in projects if "contract" in p["missing"]]
    no_intent = [p for p in projects if "intent" in p["missing"]]
    assert no_contract
    assert no_intent
    for project in projects:
        stages = project["stages"]
        lacks_contract = bool(stages["award"]) and not stages["contract"]
        assert lacks_contract == ("contract" in project["missing"])
        # GP-01: intents due from 2022 for the replica's units (all below the province)
        due = project["dates"]["tender"] >= "2022-01-01"
        assert (due and not stages["intent"]) == ("intent" in project["missing"])


# -- time travel ----------------------------------------------------------------------------------
def test_as_of_hides_later_announcements_and_changes_no_other():
    cutoff = dt.date(2023, 6, 30)
    everything = {n["url"]: n for n in procurement_only(build_truth(BASE))["notices"]}
    earlier = procurement_only(build_truth(BASE, as_of=cutoff))
    expected = {u for u, n in everything.items() if n["publish_date"] <= cutoff.isoformat()}
    assert 0 < len(expected) < len(everything)
    assert {n["url"] for n in earlier["notices"]} == expected
    assert all(everything[n["url"]] == n for n in earlier["notices"])
    for project in earlier["procurement_projects"]:
        assert all(u in expected for urls in project["stages"].values() for u in urls)
    only_intent = [p for p in earlier["procurement_projects"] if not p["stages"]["tender"]]
    assert only_intent  # announced in an intent, tendered after the cutoff
    for project in only_intent:
        assert (project["link"], project["project_number"]) == ("purchaser+name", None)
        assert project["missing"] == project["late"] == []


def test_as_of_keeps_detail_pages_byte_identical():
    cutoff = dt.date(2022, 1, 1)
    now, then = ProcurementSite(), ProcurementSite(as_of=cutoff)
    paths = [n.path for n in then.notices]
    assert paths
    for path in paths:
        assert now.handle(path, {}).body == then.handle(path, {}).body
    later = next(n.path for n in now.notices if n.publish_date > cutoff)
    assert then.handle(later, {}).status == 404


# -- helpers ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (120_000_000, "壹佰贰拾万元整"),
        (3_000_556, "叁万零伍元伍角陆分"),
        (102_030_500, "壹佰零贰万零叁佰零伍元整"),
        (1_000_000_000, "壹仟万元整"),
        (10_001_000_000, "壹亿零壹万元整"),
        (1_050, "壹拾元伍角整"),
        (100_006, "壹仟元零陆分"),
    ],
)
def test_capital_numerals(fen, text):
    assert money.upper(fen) == text


def test_amount_forms():
    assert money.line(123_456_789, "yuan") == "1,234,567.89元"
    assert money.line(123_456_789, "yen") == "￥1,234,567.89"
    assert money.line(294_800_000, "wan6") == "294.800000万元"
    assert money.line(12_500_000, "wan") == "12.5万元"
    assert money.summary(294_800_000, padded=False) == "￥294.8 万元（人民币）"
    assert money.line(120_000_000, "upper") == "壹佰贰拾万元整（￥1,200,000.00）"
    assert money.rate("下浮率", "5") == "下浮率：5%"
    assert money.rate("优惠率", "3.5") == "优惠率3.5%"


def test_working_days():
    friday, monday = dt.date(2025, 3, 7), dt.date(2025, 3, 10)
    assert calendar.workdays_between(friday, monday) == 1
    assert calendar.add_workdays(friday, 1) == monday
    assert not calendar.is_workday(dt.date(2025, 10, 3))  # 国庆
    assert not calendar.is_workday(dt.date(2025, 1, 29))  # 春节
    assert calendar.add_workdays(dt.date(2025, 9, 30), 1) == dt.date(2025, 10, 8)
    assert calendar.on_or_before(dt.date(2025, 3, 9)) == friday
