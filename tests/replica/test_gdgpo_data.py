"""The gdgpo replica's truth: records as docs/sites.md describes them, the API/content conflicts,
projects, sizes, time travel and seeds (no HTTP: the site object answers)."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter

import lxml.html
import pytest

from replica.gdgpo import GdgpoSite
from tests.replica import reference as ref
from tests.replica.test_gdgpo_api import PREFIXES, gdgpo_only, longest_prefix
from tests.replica.test_procurement_data import PROCUREMENT_FIELDS
from tests.replica.test_procurement_pages import yuan

BASE = "http://127.0.0.1:8800"
RECORD_FIELDS = {
    "url", "site", "kind", "category", "title", "publish_date", "publish_time", "publisher",
    "author", "doc_number", "index_number", "doc_date", "body_text", "attachments",
    "procurement", "fault", "expect", "notice_type", "region_code",
}  # fmt: skip
BUDGET_LINE = re.compile(r"预算 ?金额：(.+)")


@pytest.fixture(scope="module")
def site() -> GdgpoSite:
    return GdgpoSite()


@pytest.fixture(scope="module")
def truth(site) -> dict:
    entry, records = site.truth(BASE)
    return {"notices": records, "site": entry}


@pytest.fixture(scope="module")
def projects(truth) -> list[dict]:
    return truth["site"]["procurement_projects"]


def row_of(site: GdgpoSite, url: str) -> dict:
    return site.by_id[url.rsplit("id=", 1)[1]].row


def text_of(site: GdgpoSite, url: str) -> str:
    """The text of the content getInfoById answers for ``url``, read by the reference reader."""
    answer = site.handle("gpcms/rest/web/v2/info/getInfoById", {"id": url.rsplit("id=", 1)[1]})
    content = json.loads(answer.body)["data"]["content"]
    return ref.body_text(lxml.html.fragment_fromstring(content, create_parent="div"))


# -- records ----------------------------------------------------------------------------------------
def test_the_server_truth_holds_the_site(full_truth, truth):
    served = gdgpo_only(full_truth)
    assert len(served["notices"]) == len(truth["notices"])
    assert served["site"]["base_url"].endswith("/gdgpo/")
    assert served["site"]["kind"] == "procurement"
    assert full_truth["sites"][0]["name"] == "zjczj"


def test_records_have_the_contract_fields(truth):
    for notice in truth["notices"]:
        assert set(notice) == RECORD_FIELDS
        assert (notice["site"], notice["kind"], notice["expect"]) == (
            "gdgpo",
            "procurement",
            "stored",
        )
        assert notice["url"].startswith(BASE + "/gdgpo/gpcms/rest/web/v2/info/getInfoById?id=")
        assert notice["publisher"] is notice["author"] is notice["doc_number"] is None
        assert set(notice["procurement"]) == PROCUREMENT_FIELDS
        assert notice["procurement"]["region"] is None
        assert re.fullmatch(r"\d\d:\d\d", notice["publish_time"])


def test_types_follow_the_notice_type_table(truth):
    kinds = Counter()
    for notice in truth["notices"]:
        name, kind = PREFIXES[longest_prefix(notice["notice_type"])]
        assert (notice["category"], notice["procurement"]["announcement_type"]) == (name, kind)
        kinds[kind] += 1
    assert set(kinds) == {"intent", "tender", "correction", "award", "contract", "termination",
                          "other"}  # fmt: skip


def test_sizes_at_the_default_scale(site, truth, projects):
    zhanjiang = [n for n in truth["notices"] if row_of(site, n["url"])["regionCode"][:4] == "4408"]
    assert 300 <= len(zhanjiang) < len(truth["notices"]) <= 700
    assert 100 <= len(projects) <= 130
    years = {n["publish_date"][:4] for n in truth["notices"]}
    assert min(years) == "2020"
    assert max(years) == "2026"
    assert "2020" in years


# -- API versus content ----------------------------------------------------------------------------
def test_each_kind_of_conflict_exists_and_the_content_says_the_body_value(site, truth):
    conflicts = [(n, c) for n in truth["notices"] for c in n["procurement"]["conflicts"]]
    assert {c["field"] for _, c in conflicts} == {"purchaser", "agency", "budget_amount"}
    assert len(conflicts) <= 12
    for notice, conflict in conflicts:
        shown = text_of(site, notice["url"])
        if conflict["field"] == "budget_amount":
            assert yuan(BUDGET_LINE.search(shown).group(1)) == conflict["body"]
            assert conflict["summary"] * 10000 == conflict["body"]
        else:
            assert conflict["body"] in shown.replace(" ", "")
            assert conflict["field"] == "agency" or conflict["summary"] not in shown
        assert notice["procurement"][conflict["field"]] == conflict["summary"]


def test_an_empty_api_budget_leaves_the_content_budget(site, truth):
    tenders = [n for n in truth["notices"] if n["notice_type"].startswith("00101")]
    empty = [n for n in tenders if not row_of(site, n["url"])["budget"]]
    assert empty
    for notice in empty:
        shown = yuan(BUDGET_LINE.search(text_of(site, notice["url"])).group(1))
        assert notice["procurement"]["budget_amount"] == shown
        assert not notice["procurement"]["conflicts"]


def test_numbers_from_the_api_where_the_content_has_none(site, truth):
    numbered = [n for n in truth["notices"] if n["procurement"]["project_number"]]
    assert any(n["procurement"]["project_number"] not in n["body_text"] for n in numbered)
    for notice in truth["notices"]:
        row = row_of(site, notice["url"])
        assert notice["procurement"]["project_number"] == (row["openTenderCode"] or None) or (
            notice["procurement"]["project_number"] in notice["body_text"]
        )


# -- projects -----------------------------------------------------------------------------------------
def test_projects_sit_in_the_site_entry_and_name_record_urls(full_truth, truth, projects):
    assert len(full_truth["procurement_projects"]) == 160  # ccgp's alone
    types = {n["url"]: n["procurement"]["announcement_type"] for n in truth["notices"]}
    for project in projects:
        for stage, urls in project["stages"].items():
            assert all(types[u] == stage for u in urls), stage
        assert all(types[u] == "other" for u in project["others"])
    assert any(p["others"] for p in projects)
    links = Counter(p["link"] for p in projects)
    assert links["number"] > 90
    assert links["purchaser+name"] >= 1


def test_projects_are_not_the_ccgp_sites(full_truth, projects):
    ccgp = full_truth["procurement_projects"]
    assert not {p["project_number"] for p in ccgp} & {p["project_number"] for p in projects} - {
        None
    }
    assert not {p["project_name"] for p in ccgp} & {p["project_name"] for p in projects}


def test_a_prequalification_states_no_bid_deadline_or_opening(truth, projects):
    prequal = [n for n in truth["notices"] if n["notice_type"] in ("001052", "001053")]
    assert len(prequal) >= 2
    assert all(n["procurement"]["bid_deadline"] is n["procurement"]["bid_opening"] is None
               for n in prequal)  # fmt: skip
    urls = {n["url"] for n in prequal}
    for project in projects:
        if urls & set(project["stages"]["tender"]):
            assert project["dates"]["bid_opening"] is None


# -- scale, time travel, seeds ---------------------------------------------------------------------
def test_scale_grows_the_site_like_the_ccgp_site(site):
    large = GdgpoSite(scale=1335)
    assert len(site.projects) == 114
    assert 330 <= len(large.projects) <= 350
    assert 2.7 < len(large.entries) / len(site.entries) < 3.3


def test_as_of_hides_later_announcements_and_changes_no_other(site, truth):
    cutoff = dt.date(2023, 6, 30)
    earlier = GdgpoSite(as_of=cutoff)
    _, records = earlier.truth(BASE)
    everything = {n["url"]: n for n in truth["notices"]}
    expected = {u for u, n in everything.items() if n["publish_date"] <= cutoff.isoformat()}
    assert 0 < len(expected) < len(everything)
    assert {n["url"] for n in records} == expected
    assert all(everything[n["url"]] == n for n in records)
    answer = earlier.handle(
        "gpcms/rest/web/v2/info/selectInfoForIndex",
        {"siteId": "cd64e06a-21a7-4620-aebc-0576bab7e07a", "pageSize": "1"},
    )
    assert f'"total":{len(expected)}'.encode() in answer.body


def test_another_seed_writes_other_projects(site):
    other = GdgpoSite(seed=7)
    assert {p.name for p in site.projects} != {p.name for p in other.projects}
