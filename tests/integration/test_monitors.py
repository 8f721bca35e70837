"""The crawl monitors on real crawls: each breakage of the replica fires its monitor, names the
site, check and column, and makes ``zwgk crawl`` exit 4; an unbroken replica fires none.

Each case is ``zwgk crawl zjczj`` (a subprocess) against ``python -m replica --scale 120`` on a
loopback port; the webhook goes to an ``http.server`` on 127.0.0.1 in this process.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from crawler.blocking import NOT_SENT
from tests.integration.conftest import crawl, get_json, running_replica, site_truth

pytestmark = pytest.mark.integration

SCALE = "120"
EXIT_MONITOR_FAILED = 4
WAF_AFTER = 30
BLOCK_AFTER = 20
CONCURRENCY = 8
MARKER = "ZWGK-MONITOR-FAILED"
AFTER_STOP = re.compile(
    r"(\d+) requests sent after the stop, (\d+) queued ones not sent, "
    r"(\d+) answers to earlier ones came after it"
)


def rows(db: Path, sql: str, *params) -> list[dict]:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(row) for row in conn.execute(sql, params)]


def failed_checks(db: Path) -> list[dict]:
    return rows(db, 'select site, "check", "column", field, message from monitor_results '
                "where passed = 0 order by id")  # fmt: skip


def after_stop(result) -> tuple[int, int, int]:
    """From a blocked run's summary: requests sent after the stop, queued ones not sent,
    answers to earlier ones that came after it."""
    match = AFTER_STOP.search(result.stdout)
    assert match, result.stdout + result.stderr[-3000:]
    sent, unsent, answers = map(int, match.groups())
    return sent, unsent, answers


def breakage(url: str, name: str) -> dict:
    return site_truth(url, "zjczj")["sites"][0]["breakages"][name]


class Receiver:
    """A webhook receiver on 127.0.0.1: keeps every JSON body POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/zwgk"


@contextmanager
def receiver() -> Iterator[Receiver]:
    hook = Receiver()
    thread = threading.Thread(target=hook.server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield hook
    finally:
        hook.server.shutdown()
        hook.server.server_close()
        thread.join()


# -- an unbroken site ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def healthy(tmp_path_factory):
    db = tmp_path_factory.mktemp("healthy") / "archive.db"
    with running_replica("--scale", SCALE) as url:
        first = crawl(db, url)
        second = crawl(db, url)  # with a baseline: empty_column is judged too
    return {"db": db, "first": first, "second": second}


def test_an_unbroken_site_fires_no_monitor(healthy):
    for result in (healthy["first"], healthy["second"]):
        assert result.returncode == 0, result.stdout + result.stderr[-3000:]
        assert MARKER not in result.stderr
        assert "monitor" not in result.stdout
    db = healthy["db"]
    assert failed_checks(db) == []
    checks = {r["check"] for r in rows(db, 'select "check" from monitor_results')}
    assert checks == {"empty_column", "field_nulls", "error_rate", "blocked"}
    judged = rows(db, "select distinct crawl_run_id from monitor_results "
                  "where \"check\" = 'empty_column'")  # fmt: skip
    assert [r["crawl_run_id"] for r in judged] == [2]  # the first run had no baseline
    assert rows(db, "select blocked_since from sites") == [{"blocked_since": None}]


# -- selector-change, with the webhook ----------------------------------------------------------
@pytest.fixture(scope="module")
def redesigned(tmp_path_factory):
    db = tmp_path_factory.mktemp("redesigned") / "archive.db"
    with (
        running_replica("--scale", SCALE, "--faults", "selector-change") as url,
        receiver() as hook,
    ):
        column = breakage(url, "selector-change")["column"]
        result = crawl(db, url, f"ZWGK_MONITOR_WEBHOOK={hook.url}")
    return {"db": db, "result": result, "column": column, "posted": hook.bodies}


def test_selector_change_fails_field_nulls_on_title_naming_site_and_column(redesigned):
    result, column = redesigned["result"], redesigned["column"]
    assert result.returncode == EXIT_MONITOR_FAILED, result.stdout + result.stderr[-3000:]
    line = f"zjczj: monitor field_nulls failed (column {column}): title null on"
    assert line in result.stdout
    assert f"{MARKER} site=zjczj check=field_nulls column={column} message=title null" in (
        result.stderr
    )
    fired = failed_checks(redesigned["db"])
    assert {"site": "zjczj", "check": "field_nulls", "column": column, "field": "title"} in [
        {k: f[k] for k in ("site", "check", "column", "field")} for f in fired
    ]
    assert {f["field"] for f in fired} == {"title"}  # nothing else moved
    assert {f["column"] for f in fired} <= {column, None}


def test_the_webhook_gets_one_message_per_failed_run(redesigned):
    posted = redesigned["posted"]
    assert len(posted) == 1
    message = posted[0]
    run_id = rows(redesigned["db"], "select max(id) as id from crawl_runs")[0]["id"]
    assert message["site"] == "zjczj"
    assert message["run_id"] == run_id
    assert message["checks_failed"] == ["field_nulls"]
    assert any(redesigned["column"] in m and "title null" in m for m in message["messages"])


def test_a_webhook_that_fails_never_fails_the_crawl(tmp_path):
    db = tmp_path / "archive.db"
    with receiver() as hook:
        dead = hook.url  # nothing listens there once the receiver has stopped
    with running_replica("--scale", SCALE, "--faults", "selector-change") as url:
        result = crawl(db, url, f"ZWGK_MONITOR_WEBHOOK={dead}", "ZWGK_MONITOR_WEBHOOK_TIMEOUT=2")
    assert result.returncode == EXIT_MONITOR_FAILED, result.stdout + result.stderr[-3000:]
    assert f"monitor webhook {dead} not delivered" in result.stderr
    assert f"{MARKER} site=zjczj check=field_nulls" in result.stderr


# -- empty-column, after a healthy run ----------------------------------------------------------
def test_empty_column_after_a_healthy_run_names_the_column(tmp_path):
    db = tmp_path / "archive.db"
    with running_replica("--scale", SCALE) as url:
        first = crawl(db, url)
    assert first.returncode == 0, first.stdout + first.stderr[-3000:]
    with running_replica("--scale", SCALE, "--faults", "empty-column") as url:
        column = breakage(url, "empty-column")["column"]
        second = crawl(db, url)
    assert second.returncode == EXIT_MONITOR_FAILED, second.stdout + second.stderr[-3000:]
    assert f"zjczj: monitor empty_column failed (column {column}): listed no items" in (
        second.stdout
    )
    assert f"{MARKER} site=zjczj check=empty_column column={column}" in second.stderr
    fired = failed_checks(db)
    assert [(f["check"], f["column"]) for f in fired] == [("empty_column", column)]
    assert "the last healthy run" in fired[0]["message"]


# -- waf-412 ------------------------------------------------------------------------------------
def blocked_crawl(db: Path, *settings: str) -> dict:
    """A crawl of a site whose WAF refuses every request after the first WAF_AFTER."""
    env = {"ZWGK_REPLICA_WAF_AFTER": str(WAF_AFTER)}
    settings = (
        f"ZWGK_BLOCK_AFTER={BLOCK_AFTER}",
        f"CONCURRENT_REQUESTS={CONCURRENCY}",
        *settings,
    )
    with running_replica("--scale", "200", "--faults", "waf-412", env=env) as url:
        truth = site_truth(url, "zjczj")
        result = crawl(db, url, *settings)
        stats = get_json(f"{url}/__stats.json")
    return {"db": db, "truth": truth, "result": result, "stats": stats}


@pytest.fixture(scope="module")
def walled(tmp_path_factory):
    """As fast as the replica answers: every request of the concurrency on the wire at once."""
    db = tmp_path_factory.mktemp("walled") / "archive.db"
    out = blocked_crawl(db, f"CONCURRENT_REQUESTS_PER_DOMAIN={CONCURRENCY}")
    out["blocked_since"] = rows(db, "select blocked_since from sites where name = 'zjczj'")[0][
        "blocked_since"
    ]
    with running_replica("--scale", "200") as url:  # the site lets us in again
        out["later"] = crawl(db, url)
    return out


@pytest.fixture(scope="module")
def walled_politely(tmp_path_factory):
    """The shape of a crawl of a real site: two requests to it at a time, a delay between
    them, so the downloader holds most of the concurrency's requests waiting."""
    db = tmp_path_factory.mktemp("walled_politely") / "archive.db"
    return blocked_crawl(db, "CONCURRENT_REQUESTS_PER_DOMAIN=2", "DOWNLOAD_DELAY=0.05")


def test_waf_412_stops_the_spider_and_marks_the_site_blocked(walled):
    result = walled["result"]
    assert result.returncode == EXIT_MONITOR_FAILED, result.stdout + result.stderr[-3000:]
    assert "finish reason: blocked" in result.stdout
    assert "zjczj: monitor blocked failed (whole run)" in result.stdout
    assert f"{MARKER} site=zjczj check=blocked column=-" in result.stderr
    run = rows(walled["db"], "select * from crawl_runs where id = 1")[0]
    assert run["finish_reason"] == "blocked"
    assert walled["blocked_since"] is not None
    assert [(f["check"], f["column"]) for f in failed_checks(walled["db"])] == [("blocked", None)]


def test_requests_stop_soon_after_the_storm_begins(walled):
    stats, truth = walled["stats"], walled["truth"]
    sent, _unsent, answers = after_stop(walled["result"])
    assert sent == 0  # no request leaves after the BLOCK_AFTER-th refusal in a row
    # What still comes answers requests sent before the stop: those being downloaded, and
    # those downloaded that the engine had not handed on yet (each at most the concurrency).
    assert answers <= 2 * CONCURRENCY
    refused = stats["by_status"]["412"]
    # Before the stop: the BLOCK_AFTER refusals in a row, and more only where a page asked for
    # before the storm, answered late, started the count again (none in 40 replica crawls;
    # up to the concurrency allowed).
    assert BLOCK_AFTER <= refused <= BLOCK_AFTER + CONCURRENCY + answers
    details = stats["by_path_kind"]["detail"]
    assert details < len(truth["notices"]) / 2  # most of the site was never requested


def test_requests_the_downloader_holds_are_not_sent_once_the_site_blocks(walled_politely):
    result, stats, db = walled_politely["result"], walled_politely["stats"], walled_politely["db"]
    assert result.returncode == EXIT_MONITOR_FAILED, result.stdout + result.stderr[-3000:]
    sent, unsent, answers = after_stop(result)
    assert sent == 0
    # Two at a time with a delay: the downloader holds the rest of the concurrency, waiting.
    assert 1 <= unsent <= CONCURRENCY
    assert answers <= 2 * CONCURRENCY
    # Each request not sent ends as a failure of the run, with its reason: a page's in
    # fetch_failures, an attachment's on its row.
    pages = rows(db, "select url from fetch_failures where reason = ?", NOT_SENT)
    files = rows(db, "select distinct url from attachments where reason = ?", NOT_SENT)
    assert len(pages) + len(files) == unsent
    assert BLOCK_AFTER <= stats["by_status"]["412"] <= BLOCK_AFTER + CONCURRENCY + answers


def test_the_truth_expects_a_blocked_site_and_the_archive_agrees(walled):
    truth, db = walled["truth"], walled["db"]
    assert {n["expect"] for n in truth["notices"]} == {"blocked"}
    urls = {n["url"] for n in truth["notices"]}
    stored = {
        r["url"]
        for r in rows(
            db,
            "select n.url from notices n join notice_versions v on v.notice_id = n.id "
            "where v.crawl_run_id = 1",
        )
    }
    assert stored <= urls
    assert len(stored) < WAF_AFTER
    failures = rows(db, "select status, reason from fetch_failures where crawl_run_id = 1")
    assert (412, "HTTP 412") in {(f["status"], f["reason"]) for f in failures}
    # Besides the refusals, only requests held when the spider stopped (a race: some runs none).
    assert {(f["status"], f["reason"]) for f in failures} <= {(412, "HTTP 412"), (None, NOT_SENT)}


def test_a_later_successful_run_clears_the_block(walled):
    later = walled["later"]
    assert later.returncode == 0, later.stdout + later.stderr[-3000:]
    assert rows(walled["db"], "select blocked_since from sites") == [{"blocked_since": None}]
