"""Bad input never crashes the crawl and never invents a value.

Each fault of the replica hits a few detail pages; each such page must end either stored with the
fields the truth expects (null where the page has no value) or as a ``fetch_failures`` row with
its reason — and a healthy page beside it is unaffected.
"""

from __future__ import annotations

import pytest
import sqlite_utils

from tests.integration.conftest import (
    TRUTH_FIELDS,
    crawl,
    notices_by_url,
    running_replica,
    site_truth,
)

pytestmark = pytest.mark.integration

FAULTS = (
    "malformed",
    "missing-date",
    "bad-bytes",
    "http404",
    "http500",
    "flaky",
    "slow",
    "challenge",
)


@pytest.fixture(scope="module")
def faulty(tmp_path_factory):
    db = tmp_path_factory.mktemp("faults") / "archive.db"
    env = {"ZWGK_REPLICA_SLOW_SECONDS": "4"}
    with running_replica("--faults", ",".join(FAULTS), env=env) as url:
        truth = site_truth(url, "zjczj")
        result = crawl(db, url, "DOWNLOAD_TIMEOUT=1", "RETRY_TIMES=1")
        rerun = crawl(db, url, "DOWNLOAD_TIMEOUT=1", "RETRY_TIMES=1")
    database = sqlite_utils.Database(db)
    failures = {}
    for row in database["fetch_failures"].rows_where("crawl_run_id = 1"):
        failures[row["url"]] = row
    return {
        "truth": truth,
        "result": result,
        "rerun": rerun,
        "stored": notices_by_url(db),
        "failures": failures,
        "db": database,
    }


def _faulted(faulty, fault):
    notices = [n for n in faulty["truth"]["notices"] if n.get("fault") == fault]
    assert notices, f"the replica applied no {fault} fault"
    return notices


def test_crawl_finishes_despite_faults(faulty):
    assert faulty["result"].returncode == 0, faulty["result"].stderr[-3000:]
    assert "finish reason: finished" in faulty["result"].stdout


@pytest.mark.parametrize("fault", ["malformed", "missing-date", "bad-bytes", "flaky"])
def test_stored_faults_match_truth_field_by_field(faulty, fault):
    for notice in _faulted(faulty, fault):
        assert notice["expect"] == "stored"
        row = faulty["stored"].get(notice["url"])
        assert row is not None, f"{fault}: {notice['url']} not stored"
        for field in TRUTH_FIELDS:
            assert row[field] == notice[field], (fault, field, notice["url"])


def test_missing_date_is_null_not_invented(faulty):
    for notice in _faulted(faulty, "missing-date"):
        assert faulty["stored"][notice["url"]]["publish_date"] is None


def test_undecodable_title_is_null_not_mojibake(faulty):
    for notice in _faulted(faulty, "bad-bytes"):
        row = faulty["stored"][notice["url"]]
        assert row["title"] is None
        assert row["body_text"]


@pytest.mark.parametrize(
    ("fault", "status", "reason"),
    [
        ("http404", 404, "HTTP 404"),
        ("http500", 500, "HTTP 500"),
        ("slow", None, "timeout"),
        ("challenge", 200, "challenge page"),
    ],
)
def test_failed_faults_are_recorded_with_reason(faulty, fault, status, reason):
    for notice in _faulted(faulty, fault):
        assert notice["expect"] == "failed"
        assert notice["url"] not in faulty["stored"], f"{fault} page stored as content"
        failure = faulty["failures"].get(notice["url"])
        assert failure is not None, f"{fault}: no fetch_failures row for {notice['url']}"
        assert failure["status"] == status
        assert failure["reason"] == reason


def test_healthy_pages_are_all_stored(faulty):
    healthy = [n for n in faulty["truth"]["notices"] if n.get("fault") is None]
    missing = [n["url"] for n in healthy if n["url"] not in faulty["stored"]]
    assert not missing


def test_rerun_completes_nothing_lost(faulty):
    assert faulty["rerun"].returncode == 0, faulty["rerun"].stderr[-3000:]
    runs = list(faulty["db"]["crawl_runs"].rows)
    expected_failed = sum(n["expect"] == "failed" for n in faulty["truth"]["notices"])
    assert [r["failed"] for r in runs] == [expected_failed, expected_failed]
    assert runs[1]["new"] == 0
    assert runs[1]["changed"] == 0
