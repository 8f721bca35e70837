"""The bureau's faults apply to the procurement site too: same names, same semantics."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest

from replica import ReplicaServer, build_truth
from replica.faults import FAULTS, per_fault
from tests.replica.conftest import fetch, procurement_only
from tests.replica.test_procurement_http import walk_list
from tests.replica.test_procurement_pages import FIELDS, read_page


@pytest.fixture(scope="module")
def faulty():
    with ReplicaServer(faults=FAULTS) as server:
        yield server


@pytest.fixture(scope="module")
def faulty_truth(faulty) -> dict:
    return procurement_only(faulty.truth())


@pytest.fixture(scope="module")
def clean(faulty) -> dict[str, dict]:
    return {n["url"]: n for n in procurement_only(build_truth(faulty.base_url))["notices"]}


def faulted(truth: dict, fault: str) -> list[dict]:
    notices = [n for n in truth["notices"] if n["fault"] == fault]
    assert notices, fault
    return notices


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_hits_a_few_procurement_pages(faulty_truth, fault):
    assert 3 <= len(faulted(faulty_truth, fault)) <= 10


@pytest.mark.parametrize(
    ("fault", "status", "reason"),
    [("http404", 404, "http"), ("http500", 500, "http"), ("slow", None, "timeout"),
     ("challenge", 200, "challenge")],
)  # fmt: skip
def test_failing_faults_are_expected_to_fail(faulty_truth, fault, status, reason):
    for notice in faulted(faulty_truth, fault):
        assert (notice["expect"], notice["status"], notice["reason"]) == ("failed", status, reason)


@pytest.mark.parametrize("fault", ["http404", "http500"])
def test_http_faults_answer_their_status(faulty_truth, fault):
    for notice in faulted(faulty_truth, fault):
        assert fetch(notice["url"])[0] == int(fault[4:])


def test_flaky_pages_fail_once_then_work(faulty_truth):
    for notice in faulted(faulty_truth, "flaky"):
        assert [fetch(notice["url"])[0] for _ in range(3)] == [500, 200, 200]


def test_challenge_pages_carry_no_article(faulty_truth):
    for notice in faulted(faulty_truth, "challenge"):
        status, _, body = fetch(notice["url"])
        html = body.decode()
        assert status == 200
        assert '<script id="keyparam" src="/_bot_sbu/sbu_fpcm.js">' in html
        assert "vF_detail_content" not in html
        assert notice["title"] not in html


def test_malformed_pages_are_broken_but_readable(faulty_truth):
    for notice in faulted(faulty_truth, "malformed"):
        html = fetch(notice["url"])[2].decode()
        assert "</ul></div></div></span>" in html
        record = read_page(html, notice["url"])
        assert {f: record[f] for f in FIELDS} == {f: notice[f] for f in FIELDS}


def test_missing_date_pages_show_no_publication_time(faulty_truth):
    for notice in faulted(faulty_truth, "missing-date"):
        _, headers, body = fetch(notice["url"])
        html = body.decode()
        assert (notice["publish_date"], notice["publish_time"]) == (None, None)
        for label in ('name="PubDate"', 'id="pubTime"', "公告时间"):
            assert label not in html, (label, notice["url"])
        assert "Last-Modified" not in headers
        record = read_page(html, notice["url"])
        assert {f: record[f] for f in FIELDS} == {f: notice[f] for f in FIELDS}


def test_bad_bytes_spoil_the_title_only(faulty_truth, clean):
    for notice in faulted(faulty_truth, "bad-bytes"):
        body = fetch(notice["url"])[2]
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        record = read_page(body.decode("utf-8", "replace"), notice["url"])
        assert notice["title"] is None
        assert "\ufffd" in record["title"]
        fields = [f for f in FIELDS if f != "title"]
        assert {f: record[f] for f in fields} == {f: notice[f] for f in fields}
        assert notice["procurement"] == clean[notice["url"]]["procurement"]


def test_faulty_pages_stay_linked_from_their_lists(faulty, faulty_truth):
    linked = set()
    for column in faulty_truth["sites"][0]["columns"]:
        start = urljoin(faulty.site_base("ccgp"), column["path"])
        for url, items, _ in walk_list(start):
            linked.update(urljoin(url, item[0]) for item in items)
    assert {n["url"] for n in faulty_truth["notices"] if n["fault"]} <= linked


def test_healthy_pages_beside_faulty_ones_are_untouched(faulty_truth, clean):
    healthy = [n for n in faulty_truth["notices"] if n["fault"] is None]
    assert len(healthy) == len(clean) - per_fault(len(clean)) * len(FAULTS)
    assert all(clean[n["url"]] == n for n in healthy)
    assert (
        faulty_truth["procurement_projects"]
        == procurement_only(
            build_truth(faulty_truth["sites"][0]["base_url"].removesuffix("/ccgp/"))
        )["procurement_projects"]
    )
