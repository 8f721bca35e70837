"""Failures are loud and recorded: exit codes and finish reasons in every path, and `zwgk verify`."""

from __future__ import annotations

import subprocess

import pytest
import sqlite_utils

from tests.cli.support import zwgk as _run
from tests.integration.conftest import crawl, free_port
from tests.store.test_atomic import URLS, damaged_archive, whole_archive  # noqa: F401 - fixtures


def zwgk(*args: str) -> subprocess.CompletedProcess:
    return _run(*args, timeout=120)


pytestmark = pytest.mark.integration


def test_a_crawl_whose_every_request_is_refused_exits_1(tmp_path):
    db = tmp_path / "archive.db"
    refused = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = crawl(db, refused)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "nothing archived: every request failed" in result.stdout
    run = next(sqlite_utils.Database(db)["crawl_runs"].rows)
    assert run["finish_reason"] == "finished"
    assert run["failed"] > 0
    reasons = {r["reason"] for r in sqlite_utils.Database(db)["fetch_failures"].rows}
    assert reasons == {"connection refused"}


def test_verify_on_a_damaged_archive_names_what_is_missing(damaged_archive):  # noqa: F811
    result = zwgk("verify", "--db", str(damaged_archive))
    assert result.returncode == 1
    assert "FAIL  every notice has its current version: 1" in result.stdout
    assert URLS[0] in result.stdout
    assert result.stdout.splitlines()[-1].endswith("3 of 12 checks failed")  # files, WARC too


def test_verify_on_a_whole_archive_exits_0(whole_archive):  # noqa: F811
    result = zwgk("verify", "--db", str(whole_archive))
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines()[-1].endswith("archive whole")
    assert "FAIL" not in result.stdout


def test_a_run_that_left_no_row_still_gets_a_summary():
    from zwgk.crawl import CrawlResult

    result = CrawlResult("zjczj", {}, {}, 1.0)
    assert not result.ok
    assert "no crawl run was recorded" in result.summary()
    writer_failed = {"finish_reason": "writer_failed", "error": "OperationalError: disk full"}
    assert "OperationalError: disk full" in CrawlResult("zjczj", writer_failed, {}, 1.0).summary()
