"""A crawl killed mid-way loses nothing: a re-run completes the job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import sqlite_utils

from tests.integration.conftest import ROOT, crawl, running_replica, site_truth

pytestmark = pytest.mark.integration


def test_rerun_after_a_kill_completes_the_archive(tmp_path):
    db = tmp_path / "archive.db"
    with running_replica("--scale", "2000") as url:
        truth = site_truth(url, "zjczj")
        command = [
            sys.executable,
            "-m",
            "zwgk",
            "crawl",
            "zjczj",
            "--replica-url",
            url,
            "--db",
            str(db),
            "-s",
            "ZWGK_PROGRESS_INTERVAL=0",
            "--log-level",
            "ERROR",
        ]
        proc = subprocess.Popen(
            command,
            cwd=ROOT,
            start_new_session=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # kill once some notices are committed
            time.sleep(0.2)
            if db.exists() and _count(db) >= 200:
                break
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
        partial = _count(db)
        assert 0 < partial < len(truth["notices"]), "the kill should land mid-crawl"
        rerun = crawl(db, url)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    database = sqlite_utils.Database(db)
    stored = {row["url"] for row in database["notices"].rows}
    assert stored == {n["url"] for n in truth["notices"]}
    runs = list(database["crawl_runs"].rows)
    assert runs[0]["finish_reason"] == "interrupted"  # recorded by the next run
    assert runs[1]["finish_reason"] == "finished"
    assert runs[1]["new"] == len(truth["notices"]) - partial
    assert runs[1]["changed"] == 0


def _count(db) -> int:
    try:
        return sqlite_utils.Database(db)["notices"].count
    except Exception:  # the schema may not exist yet
        return 0
