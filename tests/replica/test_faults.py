"""Each fault does what it says, on a few pages, recorded in the truth."""

from __future__ import annotations

import socket
import time
import urllib.error
from collections import Counter

import pytest

from replica import ReplicaServer, build_truth
from replica.faults import FAULTS, parse
from tests.replica.conftest import bureau_only, fetch
from tests.replica.reference import normalize_text
from tests.replica.test_http import walk_site
from tests.replica.test_pages import FIELDS, read_page


@pytest.fixture(scope="module")
def faulty():
    with ReplicaServer(faults=FAULTS) as server:
        yield server


@pytest.fixture(scope="module")
def faulty_truth(faulty) -> dict:
    return bureau_only(faulty.truth())


def faulted(truth: dict, fault: str) -> list[dict]:
    notices = [n for n in truth["notices"] if n["fault"] == fault]
    assert notices, fault
    return notices


def decode(body: bytes, url: str) -> str:
    return body.decode("gb18030" if "/gzdt/" in url else "utf-8", "replace")


@pytest.mark.parametrize("fault", FAULTS)
def test_each_fault_hits_a_few_pages_of_both_families(faulty_truth, fault):
    notices = faulted(faulty_truth, fault)
    assert 3 <= len(notices) <= 10
    assert any("/art/" in n["url"] for n in notices)
    assert any(n["url"].endswith(".shtml") for n in notices)


def test_faults_are_deterministic_and_disjoint(faulty_truth):
    again = bureau_only(
        build_truth(faulty_truth["sites"][0]["base_url"].removesuffix("/czj/"), faults=FAULTS)
    )
    assert again == faulty_truth
    per_url = Counter(n["url"] for n in faulty_truth["notices"] if n["fault"])
    assert set(per_url.values()) == {1}


def test_no_faults_means_a_healthy_site(truth):
    assert all(n["fault"] is None and n["expect"] == "stored" for n in truth["notices"])


def test_unknown_fault_names_are_refused():
    with pytest.raises(ValueError, match="unknown fault"):
        parse(["malformed", "teapot"])
    assert parse("all") == FAULTS
    assert parse("slow,http404") == ("http404", "slow")


@pytest.mark.parametrize(
    ("fault", "status", "reason"),
    [("http404", 404, "http"), ("http500", 500, "http"), ("slow", None, "timeout"),
     ("challenge", 200, "challenge")],
)  # fmt: skip
def test_failing_faults_are_expected_to_fail(faulty_truth, fault, status, reason):
    for notice in faulted(faulty_truth, fault):
        assert (notice["expect"], notice["status"], notice["reason"]) == ("failed", status, reason)


@pytest.mark.parametrize("fault", ["malformed", "missing-date", "bad-bytes", "flaky"])
def test_storable_faults_are_expected_stored(faulty_truth, fault):
    for notice in faulted(faulty_truth, fault):
        assert notice["expect"] == "stored"
        assert "status" not in notice


def test_faulty_pages_stay_linked_from_their_lists(faulty, faulty_truth):
    links = walk_site(faulty, faulty_truth)["links"]
    assert all(links[n["url"]] == 1 for n in faulty_truth["notices"] if n["fault"])


@pytest.mark.parametrize("fault", ["http404", "http500"])
def test_http_faults_answer_their_status(faulty_truth, fault):
    for notice in faulted(faulty_truth, fault):
        assert fetch(notice["url"])[0] == int(fault[4:])


def test_malformed_pages_are_broken_but_readable(faulty_truth):
    for notice in faulted(faulty_truth, "malformed"):
        status, _, body = fetch(notice["url"])
        html = decode(body, notice["url"])
        assert status == 200
        assert "</ul></div></div></span>" in html
        assert "</font></b></p>" in html
        assert html.count("<p") > html.count("</p>")
        record = read_page(html, notice["url"])
        assert {f: record[f] for f in FIELDS} == {f: notice[f] for f in FIELDS}


def test_missing_date_pages_show_no_publication_date(faulty_truth):
    for notice in faulted(faulty_truth, "missing-date"):
        _, headers, body = fetch(notice["url"])
        html = decode(body, notice["url"])
        assert (notice["publish_date"], notice["publish_time"]) == (None, None)
        for label in ("发布时间", "发布日期", 'name="PubDate"'):
            assert label not in html, (label, notice["url"])
        assert "Last-Modified" not in headers
        record = read_page(html, notice["url"])
        assert {f: record[f] for f in FIELDS} == {f: notice[f] for f in FIELDS}


def test_bad_bytes_spoil_every_occurrence_of_the_title_only(faulty, faulty_truth):
    clean = {n["url"]: n for n in build_truth(faulty.base_url)["notices"]}
    for notice in faulted(faulty_truth, "bad-bytes"):
        _, headers, body = fetch(notice["url"])
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert b"\xff\xfe" in body
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")
        html = body.decode("utf-8", "replace")
        title = clean[notice["url"]]["title"]
        assert notice["title"] is None
        record = read_page(html, notice["url"])
        assert "\ufffd" in record["title"]
        assert title not in normalize_text(html)
        assert html.count("\ufffd") >= 3  # <title>, h1 or td.title, and more
        fields = [f for f in FIELDS if f != "title"]
        assert {f: record[f] for f in fields} == {f: notice[f] for f in fields}


def test_flaky_pages_fail_once_then_work(faulty_truth):
    for notice in faulted(faulty_truth, "flaky"):
        assert [fetch(notice["url"])[0] for _ in range(3)] == [500, 200, 200]


def test_slow_pages_answer_late(faulty_truth, monkeypatch):
    monkeypatch.setenv("ZWGK_REPLICA_SLOW_SECONDS", "0.4")
    notice = faulted(faulty_truth, "slow")[0]
    started = time.monotonic()
    assert fetch(notice["url"])[0] == 200
    assert time.monotonic() - started >= 0.4
    with pytest.raises((TimeoutError, socket.timeout, urllib.error.URLError)):
        fetch(notice["url"], timeout=0.1)


def test_challenge_pages_are_a_bot_shield_not_an_article(faulty_truth):
    for notice in faulted(faulty_truth, "challenge"):
        status, _, body = fetch(notice["url"])
        html = body.decode()
        assert status == 200
        assert '<script id="keyparam" src="/_bot_sbu/sbu_fpcm.js">' in html
        assert 'document.cookie = "HOY_TR=' in html
        assert "TRS_Editor" not in html
        assert 'id="zoom"' not in html
        assert notice["title"] not in html


def test_healthy_pages_beside_faulty_ones_are_untouched(faulty, faulty_truth):
    clean = {n["url"]: n for n in bureau_only(build_truth(faulty.base_url))["notices"]}
    healthy = [n for n in faulty_truth["notices"] if n["fault"] is None]
    assert len(healthy) == len(clean) - 3 * len(FAULTS)
    assert all(clean[n["url"]] == n for n in healthy)
