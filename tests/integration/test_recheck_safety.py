"""A recheck that meets a challenge page, a 503 or a timeout never marks a notice gone or changed.

Day 1: the bureau (``--scale 300``, no fault) is crawled into an archive. Day 2: the same sites
answer badly — some stored notices with a bot-shield challenge (status 200, no article), every
detail page with a 503 (``maintenance-503``), some stored notices after the download timeout
(``slow``), or a WAF's 412 challenge after the first requests (``waf-412``) — and a crawl
rechecks every held notice (``ZWGK_RECHECK=*:1``) on day 2's clock. Every notice stays live,
with the versions and content it had; each bad answer is a ``fetch_failures`` row with its
reason and status.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing

import pytest

from tests.integration.conftest import crawl, free_port, get_json, running_replica

pytestmark = pytest.mark.integration

DAY_1, DAY_2 = dt.date(2026, 10, 1), dt.date(2026, 10, 2)
SCALE = ("--scale", "300")
RECHECK = (f"ZWGK_TODAY={DAY_2.isoformat()}", "ZWGK_RECHECK=*:1")


def state(db) -> tuple[dict[str, tuple], set[tuple]]:
    """Each notice's (status, gone_since, version_count, content_sha256, title), and every
    stored version's (notice, version, content hash)."""
    with closing(sqlite3.connect(db)) as conn:
        notices = {
            row[0]: row[1:]
            for row in conn.execute(
                "select url, status, gone_since, version_count, content_sha256, title from notices"
            )
        }
        versions = set(
            conn.execute("select notice_id, version, content_sha256 from notice_versions")
        )
    return notices, versions


def last_run(db) -> tuple[dict, list[tuple]]:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        run = dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())
        failures = conn.execute(
            "select url, status, reason from fetch_failures where crawl_run_id = ?", [run["id"]]
        ).fetchall()
    return run, [tuple(f) for f in failures]


@pytest.fixture(scope="module")
def day_one(tmp_path_factory):
    db = tmp_path_factory.mktemp("safety") / "day1.db"
    port = free_port()
    with running_replica(*SCALE, "--as-of", DAY_1.isoformat(), port=port) as url:
        result = crawl(db, url, f"ZWGK_TODAY={DAY_1.isoformat()}")
    assert result.returncode == 0, result.stderr[-3000:]
    return {"db": db, "port": port, "state": state(db)}


def recheck(day_one, tmp_path, faults: str, *settings: str, env: dict | None = None):
    """Copy the day-1 archive, serve the sites with ``faults`` on day 2 and recheck everything;
    returns the faulty notices' URLs (by the truth), the last run and its failures."""
    db = tmp_path / "archive.db"
    with closing(sqlite3.connect(day_one["db"])) as src, closing(sqlite3.connect(db)) as dst:
        src.backup(dst)
    args = (*SCALE, "--as-of", DAY_1.isoformat(), "--faults", faults)
    with running_replica(*args, port=day_one["port"], env=env) as url:
        truth = get_json(f"{url}/__truth.json")["notices"]
        result = crawl(db, url, *RECHECK, *settings)
    # 1: the run archived nothing but failures; 4: a crawl monitor saw them (README: exit codes)
    assert result.returncode in (0, 1, 4), result.stderr[-3000:]
    faulty = {n["url"] for n in truth if n["site"] == "zjczj" and n.get("fault")}
    run, failures = last_run(db)
    return db, faulty, run, failures


def assert_untouched(day_one, db, faulty: set[str]) -> None:
    before, after = day_one["state"], state(db)
    assert faulty <= set(before[0])  # the faulty pages are notices the archive holds
    assert after == before  # not gone, not changed, no version added
    assert {row[0] for row in after[0].values()} == {"live"}


def test_a_challenge_page_on_recheck_is_a_failure_not_a_change(day_one, tmp_path):
    db, faulty, run, failures = recheck(day_one, tmp_path, "challenge")
    assert faulty
    assert_untouched(day_one, db, faulty)
    assert {(u, s, r) for u, s, r in failures if u in faulty} == {
        (u, 200, "challenge page") for u in faulty
    }
    assert (run["changed"], run["gone"], run["new"]) == (0, 0, 0)


def test_a_503_on_recheck_is_a_failure_not_a_withdrawal(day_one, tmp_path):
    db, faulty, run, failures = recheck(day_one, tmp_path, "maintenance-503", "RETRY_TIMES=0")
    assert faulty == set(day_one["state"][0])  # every detail page answered 503
    assert_untouched(day_one, db, faulty)
    assert {(u, s, r) for u, s, r in failures if u in faulty} == {
        (u, 503, "HTTP 503") for u in faulty
    }
    assert (run["changed"], run["gone"], run["unchanged"]) == (0, 0, 0)


def test_a_timeout_on_recheck_is_a_failure_not_a_withdrawal(day_one, tmp_path):
    env = {"ZWGK_REPLICA_SLOW_SECONDS": "6"}
    db, faulty, run, failures = recheck(
        day_one, tmp_path, "slow", "DOWNLOAD_TIMEOUT=2", "RETRY_TIMES=0", env=env
    )
    assert faulty
    assert_untouched(day_one, db, faulty)
    assert {(u, s, r) for u, s, r in failures if u in faulty} == {
        (u, None, "timeout") for u in faulty
    }
    # On a loaded machine a list page may time out too: a timeout all the same, nothing marked.
    assert {(s, r) for _, s, r in failures} == {(None, "timeout")}
    assert (run["changed"], run["gone"]) == (0, 0)


def test_a_waf_on_recheck_blocks_the_crawl_and_marks_nothing(day_one, tmp_path):
    db, _, run, failures = recheck(day_one, tmp_path, "waf-412")
    held = set(day_one["state"][0])
    refused = {u for u, status, _ in failures if status == 412}
    assert refused & held  # the WAF refused rechecks of stored notices
    assert_untouched(day_one, db, refused & held)
    assert (run["changed"], run["gone"]) == (0, 0)
