"""The truth's expected compliance findings (replica/findings.py) and the violations seeded for
them: late 成文日期 on every bureau site, zjczj's late 2021 annual report, ``short-tender`` and
``late-intent`` procurement projects, beside the late / missing stages the traits already made."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

import pytest

from replica import build_truth
from replica.findings import (
    DEFAULT_AS_OF,
    add_working_days,
    nth_working_day_from,
    project_subject,
    unit_level,
    working_days_between,
    working_days_within,
)

BASE = "http://127.0.0.1:8800"
BUREAUS = ("zjczj", "zhanjiang", "zs-czj", "jiangmen", "zhaoqing")
PROCUREMENT = ("ccgp", "gdgpo")
VERDICTS = {"on_time", "late", "missing", "not_yet_due", "undeterminable"}
FIELDS = {"rule_id", "site", "subject_type", "subject", "verdict", "days_late", "due_date", "url"}
COUNTS_BEFORE_SEEDING = {
    "zjczj": 445, "ccgp": 662, "gdgpo": 523, "zhanjiang": 246, "jiangmen": 236, "zs-czj": 198,
    "zhaoqing": 146,
}  # fmt: skip


@pytest.fixture(scope="module")
def truth() -> dict:
    return build_truth(BASE)


@pytest.fixture(scope="module")
def findings(truth) -> list[dict]:
    return truth["expected_findings"]


@pytest.fixture(scope="module")
def notices(truth) -> dict[str, dict]:
    return {n["url"]: n for n in truth["notices"]}


@pytest.fixture(scope="module")
def projects(truth) -> list[dict]:
    """Both procurement sites' projects (gdgpo's sit in its ``sites`` entry)."""
    gdgpo = next(s for s in truth["sites"] if s["name"] == "gdgpo")
    return truth["procurement_projects"] + gdgpo["procurement_projects"]


def day(value: str) -> dt.date:
    return dt.date.fromisoformat(value[:10])


def index(findings: list[dict]) -> dict[tuple[str, str, str], dict]:
    return {(f["rule_id"], f["site"], f["subject"]): f for f in findings}


def site_of(project: dict, notices: dict[str, dict]) -> str:
    return next(notices[u]["site"] for urls in project["stages"].values() for u in urls)


# -- the calendar ----------------------------------------------------------------------------
def test_working_days_follow_the_official_calendar():
    friday = dt.date(2025, 9, 26)  # docs/working-days.md: due 2025-10-30 after 20 working days
    assert add_working_days(friday, 20) == dt.date(2025, 10, 30)
    assert working_days_between(friday, dt.date(2025, 10, 30)) == 20
    assert add_working_days(dt.date(2025, 9, 30), 1) == dt.date(2025, 10, 9)  # 国庆 + 中秋
    assert add_working_days(dt.date(2025, 10, 10), 1) == dt.date(2025, 10, 11)  # 调休 Saturday
    assert working_days_within(dt.date(2025, 9, 29), dt.date(2025, 10, 3)) == 2
    assert nth_working_day_from(dt.date(2025, 9, 22), 5) == dt.date(2025, 9, 26)
    assert nth_working_day_from(dt.date(2025, 9, 20), 5) == dt.date(2025, 9, 26)  # Saturday


def test_unit_levels_and_project_subjects():
    assert unit_level("湛江市第一中学") == "below_provincial"
    assert unit_level("国家税务总局湛江市税务局") == "central"
    assert unit_level("广东省财政厅") == "provincial"
    assert unit_level("广东省湛江市教育局") == "below_provincial"
    numbered = {"link": "number", "project_number": "ZJCG2025-0123", "purchaser": "x",
                "project_name": "y"}  # fmt: skip
    assert project_subject(numbered) == "ZJCG2025-0123"
    partly = numbered | {"link": "purchaser+name"}  # some page lacks the number: still known
    assert project_subject(partly) == "ZJCG2025-0123"
    named = numbered | {"link": "purchaser+name", "project_number": None,
                        "purchaser": "湛江市 第一中学", "project_name": "2025年 办公设备采购项目"}  # fmt: skip
    assert project_subject(named) == "湛江市第一中学|2025年办公设备采购项目"


# -- the document ------------------------------------------------------------------------------
def test_seeding_keeps_the_number_of_notices_per_site(truth):
    assert Counter(n["site"] for n in truth["notices"]) == COUNTS_BEFORE_SEEDING


def test_the_served_truth_carries_the_findings(full_truth, truth, server):
    assert full_truth["compliance_as_of"] == DEFAULT_AS_OF.isoformat() == "2026-11-30"
    served = json.dumps(full_truth["expected_findings"], ensure_ascii=False)
    built = json.dumps(truth["expected_findings"], ensure_ascii=False)
    assert served.replace(server.base_url, BASE) == built


def test_findings_are_deterministic_and_sorted(findings):
    again = build_truth(BASE)["expected_findings"]
    assert again == findings
    keys = [(f["rule_id"], f["site"], f["subject_type"], f["subject"], f["url"] or "")
            for f in findings]  # fmt: skip
    assert keys == sorted(keys)
    assert len({(f["rule_id"], f["site"], f["subject"]) for f in findings}) == len(findings)


def test_findings_have_their_fields(findings, notices):
    for finding in findings:
        extra = {"region_code"} if finding["site"] == "gdgpo" else set()
        assert set(finding) == FIELDS | extra
        assert finding["verdict"] in VERDICTS
        if finding["verdict"] == "late":
            assert finding["days_late"] > 0, finding
        else:
            assert finding["days_late"] is None, finding
        if finding["verdict"] == "undeterminable":
            assert finding["due_date"] is None, finding
        if finding["verdict"] == "missing":
            assert finding["url"] is None, finding
        elif finding["url"] is not None:
            assert notices[finding["url"]]["site"] == finding["site"]
        if extra:
            assert re.fullmatch(r"44\d{4}", finding["region_code"]), finding


def test_rules_cover_what_the_brief_says(findings, notices):
    by_rule: dict[str, set[str]] = {}
    for finding in findings:
        by_rule.setdefault(finding["rule_id"], set()).add(finding["site"])
    for rule in ("GI-01", "GI-02", "BU-01", "BU-02"):
        assert by_rule[rule] == set(BUREAUS), rule
    assert "zjczj" in by_rule["HX-01"]  # (and the site group's of 2019-01 … 2019-05-14)
    assert by_rule["HX-02"] == {"zjczj"}
    for rule in ("GP-01", "GP-02", "GP-03", "GP-04", "GP-08", "GP-10", "GP-11"):
        assert by_rule[rule] == set(PROCUREMENT), rule
    documents = [f for f in findings if f["subject_type"] == "document"]
    per_notice = Counter(f["url"] for f in documents)
    bureau = [n for n in notices.values() if n["site"] in BUREAUS]
    for notice in bureau:  # every bureau document has a finding once its anchor is in force
        anchor = notice["doc_date"] or notice["publish_date"]
        assert per_notice[notice["url"]] >= (anchor >= "2008-05-01"), notice["url"]
    both = [u for u, n in per_notice.items() if n == 2]
    assert all({f["rule_id"] for f in documents if f["url"] == u} == {"BU-01", "BU-02"}
               for u in both)  # fmt: skip


def test_budgets_are_undeterminable_and_print_no_approval_date(findings, notices):
    budget = [f for f in findings if f["rule_id"] in ("BU-01", "BU-02")]
    assert budget
    assert {f["verdict"] for f in budget} == {"undeterminable"}
    date = r"\d{4}年\d{1,2}月\d{1,2}日"
    sentence = r"[^。；;\n]*?"
    approval = re.compile(
        rf"{date}{sentence}(?:(?:人民代表大会|人大){sentence}批准|财政{sentence}批复)"
    )
    for finding in budget:
        assert not approval.search(notices[finding["url"]]["body_text"]), finding["url"]
        assert day(notices[finding["url"]]["publish_date"]) >= dt.date(2015, 1, 1)


# -- seeded violations -------------------------------------------------------------------------
def test_each_seeded_family_has_late_and_missing_findings(findings):
    seen = Counter((f["rule_id"][:2] if f["rule_id"] in ("GI-01", "HX-01") else f["rule_id"],
                    f["site"], f["verdict"]) for f in findings)  # fmt: skip
    for site in BUREAUS:
        assert seen[("GI", site, "late")] + seen[("HX", site, "late")] >= 1, site
        assert seen[("GI-02", site, "late")] >= 1, site
    assert seen[("GI-02", "jiangmen", "missing")] >= 1  # 2019-2022: not served by gkmlpt
    for site in PROCUREMENT:
        for rule in ("GP-01", "GP-02", "GP-10"):
            assert seen[(rule, site, "late")] >= 1, (rule, site)
        for rule in ("GP-01", "GP-11"):
            assert seen[(rule, site, "missing")] >= 1, (rule, site)
    assert seen[("GP-08", "ccgp", "late")] >= 1


def test_late_doc_dates_are_seeded_on_every_bureau_site_and_found_late(findings, notices):
    found = index(findings)
    for site in BUREAUS:
        dated = [n for n in notices.values() if n["site"] == site and n["doc_date"]]
        late = [n for n in dated if (day(n["publish_date"]) - day(n["doc_date"])).days >= 40]
        assert 1 <= len(late) <= max(1, round(0.04 * len(dated))), site
        for notice in late:
            assert 40 <= (day(notice["publish_date"]) - day(notice["doc_date"])).days <= 80
            rule = "GI-01" if notice["doc_date"] >= "2019-05-15" else "HX-01"
            finding = found[(rule, site, notice["url"])]
            due = add_working_days(day(notice["doc_date"]), 20)
            assert finding["verdict"] == "late"
            assert finding["due_date"] == due.isoformat()
            assert finding["days_late"] == working_days_between(due, day(notice["publish_date"]))
    late_urls = {f["url"] for f in findings if f["rule_id"] in ("GI-01", "HX-01")
                 and f["verdict"] == "late"}  # fmt: skip
    gaps = [(day(notices[u]["publish_date"]) - day(notices[u]["doc_date"])).days for u in late_urls]
    assert min(gaps) >= 40  # nothing else is late


def test_the_2021_annual_report_of_zjczj_is_late(findings, notices):
    finding = index(findings)[("GI-02", "zjczj", "2021")]
    report = notices[finding["url"]]
    assert report["title"] == "湛江市财政局2021年政府信息公开工作年度报告"
    assert report["publish_date"].startswith("2022-03-")
    assert finding["verdict"] == "late"
    assert finding["due_date"] == "2022-01-31"
    assert finding["days_late"] == (day(report["publish_date"]) - dt.date(2022, 1, 31)).days
    others = [f for f in findings if f["rule_id"] == "GI-02" and f["site"] == "zjczj"]
    assert [f["subject"] for f in others] == [str(y) for y in range(2019, 2026)]
    assert {f["verdict"] for f in others if f is not finding} == {"on_time"}


def test_short_tenders_are_found_late(findings, notices):
    found = index(findings)
    short = [
        n for n in notices.values()
        if n["procurement"] and n["procurement"]["announcement_type"] == "tender"
        and n["procurement"]["procurement_method"] == "公开招标"
        and n["procurement"]["bid_deadline"]
        and (day(n["procurement"]["bid_deadline"]) - day(n["publish_date"])).days <= 15
    ]  # fmt: skip
    assert {n["site"] for n in short} == set(PROCUREMENT)
    assert any(n.get("region_code", "").startswith("4408") for n in short)  # the demo's city
    for notice in short:
        finding = found[("GP-02", notice["site"], notice["url"])]
        assert finding["verdict"] == "late"
        assert finding["days_late"] >= 6  # (a tender at 20 days misses by 1-3 at most)


def test_late_intents_come_10_to_15_days_ahead_and_are_found_late(findings, notices, projects):
    found = index(findings)
    late = [p for p in projects if "intent" in p["late"]]
    assert late
    for project in late:
        gap = (day(project["dates"]["tender"]) - day(project["dates"]["intent"])).days
        assert 10 <= gap <= 15, project["project_name"]
        key = ("GP-01", site_of(project, notices), project_subject(project))
        if project["dates"]["tender"] >= "2022-01-01":  # in force for a city's units since 2022
            assert found[key]["verdict"] == "late"
            assert found[key]["days_late"] == 30 - gap
        else:
            assert key not in found


def test_the_traits_late_and_missing_stages_are_found(findings, notices, projects):
    found = index(findings)
    for project in projects:
        site, subject = site_of(project, notices), project_subject(project)
        if "intent" in project["missing"] and project["dates"]["tender"] >= "2022-01-01":
            assert found[("GP-01", site, subject)]["verdict"] == "missing"
        if "contract" in project["missing"]:
            assert found[("GP-11", site, subject)]["verdict"] == "missing"
        if "contract" in project["late"]:
            contracts = [found[("GP-10", site, u)] for u in project["stages"]["contract"]]
            assert {f["verdict"] for f in contracts} == {"late"}, subject
        if "award" in project["late"] and site == "ccgp":  # ccgp prints the 中标日期
            (url,) = project["stages"]["award"]
            assert found[("GP-08", site, url)]["verdict"] == "late", subject
    late_awards = {u for p in projects if "award" in p["late"] for u in p["stages"]["award"]}
    ccgp_late = {f["url"] for f in findings if f["rule_id"] == "GP-08" and f["site"] == "ccgp"
                 and f["verdict"] == "late"}  # fmt: skip
    assert ccgp_late <= late_awards


# -- as_of -------------------------------------------------------------------------------------
def test_as_of_sets_the_check_date_and_moves_not_yet_due_and_missing(findings):
    early = build_truth(BASE, as_of=dt.date(2026, 1, 20))
    assert early["compliance_as_of"] == "2026-01-20"
    found = index(early["expected_findings"])
    assert found[("GI-02", "jiangmen", "2025")]["verdict"] == "not_yet_due"  # published 02-16
    assert found[("GI-02", "jiangmen", "2025")]["url"] is None
    later = index(build_truth(BASE, as_of=dt.date(2026, 2, 10))["expected_findings"])
    assert later[("GI-02", "jiangmen", "2025")]["verdict"] == "missing"
    assert index(findings)[("GI-02", "jiangmen", "2025")]["verdict"] == "late"


def test_as_of_turns_a_missing_contract_not_yet_due(findings, truth, notices):
    missing = [f for f in findings if f["rule_id"] == "GP-11" and f["verdict"] == "missing"]
    finding = max(missing, key=lambda f: f["due_date"])
    as_of = day(finding["due_date"]) - dt.timedelta(days=1)
    earlier = index(build_truth(BASE, as_of=as_of)["expected_findings"])
    assert earlier[("GP-11", finding["site"], finding["subject"])]["verdict"] == "not_yet_due"


def test_as_of_before_the_catalogue_columns_makes_them_missing():
    found = index(build_truth(BASE, as_of=dt.date(2006, 1, 10))["expected_findings"])
    columns = [found[("HX-02", "zjczj", c)]["verdict"]
               for c in ("机构职能", "规范性文件", "行政许可", "便民服务", "工作动态")]  # fmt: skip
    assert "missing" in columns
    assert all(f["rule_id"] == "HX-02" for f in found.values())  # nothing else before 2008-05
