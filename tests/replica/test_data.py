"""The replica's data and truth: determinism, size, columns, dates, clean values, scale, time travel."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

import pytest

from replica import build_truth
from replica.site import BureauSite
from tests.replica.conftest import bureau_only
from tests.replica.reference import normalize_text

BASE = "http://127.0.0.1:8800"
COLUMNS = (
    "通知公告", "政策解读", "财政要闻", "工作动态", "办事指南", "部门预决算", "政府信息公开年报",
    "机构职能", "规范性文件", "行政许可", "便民服务",
)  # fmt: skip
ERA_COLUMNS = ("机构职能", "规范性文件", "行政许可", "便民服务")
RECORD_FIELDS = {
    "url", "site", "kind", "category", "title", "publish_date", "publish_time", "publisher",
    "author", "doc_number", "index_number", "doc_date", "body_text", "attachments", "procurement",
    "fault", "expect",
}  # fmt: skip
SHORT_FIELDS = ("title", "publisher", "author", "category", "doc_number", "index_number")
DOC_NUMBER = re.compile(r"^(湛财[预库采综会农行社]|湛府办函)〔(\d{4})〕\d{1,3}号$")
INDEX_NUMBER = re.compile(r"^(007049868|11440800MB2C86912P)/(\d{4})-\d{5}$")


def test_same_arguments_give_the_same_truth():
    assert build_truth(BASE, faults=["all"]) == build_truth(BASE, faults=["all"])


def test_same_arguments_give_byte_identical_pages():
    first, second = BureauSite(faults=["all"]), BureauSite(faults=["all"])
    assert first.routes.keys() == second.routes.keys()
    for path in first.routes:
        assert first.handle(path, {}).body == second.handle(path, {}).body, path


def test_another_seed_writes_other_notices():
    one, other = build_truth(BASE), build_truth(BASE, seed=7)
    assert {n["title"] for n in one["notices"]} != {n["title"] for n in other["notices"]}


def test_default_scale_has_at_least_400_notices(truth):
    assert len(truth["notices"]) >= 400


def test_every_column_has_notices(truth):
    counts = Counter(n["category"] for n in truth["notices"])
    assert set(counts) == set(COLUMNS)
    assert min(counts.values()) >= 10


def test_sites_entry_lists_the_columns(truth, server):
    (site,) = truth["sites"]
    assert site["name"] == "zjczj"
    assert site["base_url"] == server.site_base("zjczj")
    assert [c["name"] for c in site["columns"]] == list(COLUMNS)
    assert {c["family"] for c in site["columns"] if c["name"] in ERA_COLUMNS} == {"hanweb"}


def test_truth_document_shape(truth):
    assert truth["procurement_projects"] == []
    assert truth["expected_findings"]  # computed by replica/findings.py (test_findings.py)
    for notice in truth["notices"]:
        assert set(notice) == RECORD_FIELDS
        assert (notice["site"], notice["kind"], notice["procurement"]) == ("zjczj", "notice", None)
        assert notice["expect"] == "stored"


def test_dates_lie_within_2006_to_2026(truth):
    for notice in truth["notices"]:
        day = dt.date.fromisoformat(notice["publish_date"])
        assert dt.date(2006, 1, 1) <= day <= dt.date(2026, 12, 31)
        if notice["doc_date"]:
            assert dt.date.fromisoformat(notice["doc_date"]) <= day


def test_publish_times_are_hh_mm_on_trs_pages_only(truth):
    for notice in truth["notices"]:
        hanweb = "/art/" in notice["url"]
        if hanweb:
            assert notice["publish_time"] is None
        else:
            assert re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", notice["publish_time"])


def test_2006_era_columns_lean_to_2006_2012(truth):
    years = [int(n["publish_date"][:4]) for n in truth["notices"] if n["category"] in ERA_COLUMNS]
    early = sum(2006 <= y <= 2012 for y in years)
    assert early / len(years) >= 0.7
    assert min(years) == 2006


def test_one_annual_report_per_year_published_the_next_january(truth):
    reports = [n for n in truth["notices"] if n["category"] == "政府信息公开年报"]
    years = sorted(int(re.search(r"(\d{4})年政府信息公开", n["title"]).group(1)) for n in reports)
    assert years == list(range(2008, 2026))
    for report in reports:
        year = int(re.search(r"(\d{4})年", report["title"]).group(1))
        month = "03" if year == 2021 else "01"  # the 2021 report is a seeded late one
        assert report["publish_date"].startswith(f"{year + 1}-{month}-")


@pytest.mark.parametrize(
    "heading",
    [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
        "行政规范性文件",
        "（七）总计",
        "结果维持 结果纠正 其他结果 尚未审结 总计",
    ],
)
def test_annual_reports_follow_the_2021_format(truth, heading):
    reports = [n for n in truth["notices"] if n["category"] == "政府信息公开年报"]
    assert len(reports) == 18
    assert all(heading in report["body_text"] for report in reports)


@pytest.mark.parametrize(
    "part", ["部门概况", "收支总表", "“三公”经费", "名词解释", "收入合计", "支出合计"]
)
def test_budgets_carry_their_fixed_parts(truth, part):
    budgets = [n for n in truth["notices"] if n["category"] == "部门预决算"]
    assert {"预算", "决算"} == {n["title"][-2:] for n in budgets}
    assert all(part in n["body_text"] for n in budgets)


def test_budget_totals_balance(truth):
    for notice in (n for n in truth["notices"] if n["category"] == "部门预决算"):
        lines = notice["body_text"].split("\n")
        total = next(line for line in lines if line.startswith("收入合计"))
        _, income, _, spending = total.split(" ")
        assert income == spending
        assert float(income) > 0


@pytest.mark.parametrize("field", SHORT_FIELDS)
def test_short_values_are_already_normalized(truth, field):
    for notice in truth["notices"]:
        value = notice[field]
        assert value is None or normalize_text(value) == value, (field, value)


def test_body_lines_are_already_normalized(truth):
    for notice in truth["notices"]:
        assert notice["body_text"], notice["url"]
        for line in notice["body_text"].split("\n"):
            assert normalize_text(line) == line, (notice["url"], line)


def test_doc_numbers_are_canonical(truth):
    numbers = [n["doc_number"] for n in truth["notices"] if n["doc_number"]]
    assert len(numbers) >= 40
    for number in numbers:
        assert DOC_NUMBER.match(number), number
    assert any(n.startswith("湛府办函") for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_index_numbers_follow_the_era_codes(truth):
    for notice in truth["notices"]:
        if notice["index_number"]:
            match = INDEX_NUMBER.match(notice["index_number"])
            assert match, notice["index_number"]
            code, year = match.groups()
            assert year == notice["publish_date"][:4]
            assert (code == "007049868") == (int(year) < 2016)


def test_urls_are_absolute_unique_and_follow_the_cms_patterns(truth, server):
    base = server.site_base("zjczj")
    urls = [n["url"] for n in truth["notices"]]
    assert len(set(urls)) == len(urls)
    trs = re.compile(re.escape(base) + r"[a-z/]+/(\d{6})/t(\d{8})_\d+\.shtml$")
    hanweb = re.compile(re.escape(base) + r"art/\d{4}/\d{1,2}/\d{1,2}/art_280[1-4]_\d+\.html$")
    for url in urls:
        assert trs.match(url) or hanweb.match(url), url


def test_attachments_are_absolute_and_typed(truth, server):
    attachments = [a for n in truth["notices"] for a in n["attachments"]]
    assert len(attachments) >= 30
    for attachment in attachments:
        assert attachment["url"].startswith(server.site_base("zjczj"))
        assert attachment["name"].endswith((".pdf", ".doc", ".xls"))


def test_scale_gives_about_that_many_notices():
    notices = bureau_only(build_truth(BASE, scale=2000))["notices"]
    assert 1900 <= len(notices) <= 2100
    assert len({n["category"] for n in notices}) == len(COLUMNS)


def test_as_of_hides_later_notices_and_changes_no_other():
    cutoff = dt.date(2012, 6, 30)
    everything = {n["url"]: n for n in build_truth(BASE)["notices"]}
    earlier = build_truth(BASE, as_of=cutoff)["notices"]
    assert 0 < len(earlier) < len(everything)
    expected = {u for u, n in everything.items() if n["publish_date"] <= cutoff.isoformat()}
    assert {n["url"] for n in earlier} == expected
    assert all(everything[n["url"]] == n for n in earlier)


def test_as_of_keeps_detail_pages_byte_identical():
    cutoff = dt.date(2015, 1, 1)
    now, then = BureauSite(), BureauSite(as_of=cutoff)
    paths = [n.path for n in then.notices]
    assert paths
    for path in paths:
        assert now.handle(path, {}).body == then.handle(path, {}).body
    later = next(n.path for n in now.notices if n.publish_date > cutoff)
    assert then.handle(later, {}).status == 404
