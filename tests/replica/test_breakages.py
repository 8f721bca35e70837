"""The breakages (selector-change, empty-column, waf-412) break what they say on the bureau, and
the truth says what a crawl should then find; ``all`` never includes them."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from pipeline.extract import extract_page
from replica import ReplicaServer
from replica.faults import BREAKAGES, FAULTS, WAF_ENV, WAF_STATUS, parse
from tests.replica.conftest import bureau_only

SCALE = 120


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_all_means_the_page_faults_only():
    assert parse("all") == FAULTS
    assert parse("all,waf-412") == (*FAULTS, "waf-412")
    assert parse("empty-column,selector-change") == ("selector-change", "empty-column")
    with pytest.raises(ValueError, match=r"known: .*waf-412"):
        parse("waf-413")


@pytest.fixture(scope="module")
def broken():
    with ReplicaServer(scale=SCALE, faults=["selector-change", "empty-column"]) as server:
        yield server, bureau_only(server.truth())


def test_breakages_name_two_different_columns_in_the_truth(broken):
    _, truth = broken
    breakages = truth["sites"][0]["breakages"]
    assert set(breakages) == {"selector-change", "empty-column"}
    assert breakages["selector-change"]["column"] != breakages["empty-column"]["column"]


def test_selector_change_leaves_the_extractor_without_a_title(broken):
    _, truth = broken
    column = truth["sites"][0]["breakages"]["selector-change"]["column"]
    redesigned = [n for n in truth["notices"] if n["category"] == column]
    assert redesigned
    for notice in redesigned:
        assert notice["fault"] == "selector-change"
        assert notice["expect"] == "stored"
        assert notice["title"] is None
        status, body = get(notice["url"])
        assert status == 200
        record = extract_page(body, notice["url"])
        assert record.title is None, notice["url"]
        assert record.publish_date == notice["publish_date"]  # nothing else moved
        assert record.body_text == notice["body_text"]
    elsewhere = next(n for n in truth["notices"] if n["category"] != column and not n["fault"])
    assert extract_page(get(elsewhere["url"])[1], elsewhere["url"]).title == elsewhere["title"]


def test_empty_column_lists_nothing_but_its_pages_still_answer(broken):
    server, truth = broken
    site = truth["sites"][0]
    column = site["breakages"]["empty-column"]["column"]
    entry = next(c for c in site["columns"] if c["name"] == column)
    status, body = get(server.site_base("zjczj") + entry["path"])
    assert status == 200
    hidden = [n for n in truth["notices"] if n["category"] == column]
    assert hidden
    text = body.decode("utf-8", "replace")
    for notice in hidden:
        assert notice["expect"] == "unlisted"
        assert notice["url"].rsplit("/", 1)[1] not in text
        assert get(notice["url"])[0] == 200


def test_waf_answers_412_after_the_first_requests(monkeypatch):
    monkeypatch.setenv(WAF_ENV, "5")
    with ReplicaServer(scale=SCALE, faults=["waf-412"]) as server:
        truth = bureau_only(server.truth())
        assert truth["sites"][0]["breakages"] == {"waf-412": {"after": 5, "status": WAF_STATUS}}
        assert {n["expect"] for n in truth["notices"]} == {"blocked"}
        urls = [n["url"] for n in truth["notices"][:8]]
        statuses = [get(url)[0] for url in urls]
        assert statuses == [200] * 5 + [WAF_STATUS] * 3
        status, body = get(urls[0])  # every answer now, pages fetched before included
        assert status == WAF_STATUS
        assert b"/_bot_sbu/" in body  # a challenge, as a WAF serves it
        ccgp = server.site_base("ccgp")
        assert get(ccgp + "cgyx/index.htm")[0] == 200  # the bureau's breakage only
        with urllib.request.urlopen(server.base_url + "/__stats.json", timeout=30) as response:
            stats = json.load(response)
        assert stats["by_status"][str(WAF_STATUS)] == 4


def test_breakage_names_are_documented():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "replica" / "README.md").read_text("utf-8")
    for name in BREAKAGES:
        assert f"`{name}`" in readme
