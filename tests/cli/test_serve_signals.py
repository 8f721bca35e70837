"""``zwgk serve`` stops on SIGTERM / SIGINT and leaves no server or child process behind."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.cli.support import ROOT, children, free_port, group_alive, kill_group

START_TIMEOUT = 60
STOP_TIMEOUT = 10


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2).close()
    except OSError:
        return False
    return True


def wait_until_answers(url: str, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not answers(url):
        assert proc.poll() is None, f"zwgk serve exited with {proc.returncode}"
        assert time.monotonic() < deadline, f"{url} did not answer"
        time.sleep(0.2)


@pytest.fixture
def archive(tmp_path: Path) -> Path:
    db = tmp_path / "archive.db"
    sqlite3.connect(db).execute("create table notices (id integer primary key)").connection.close()
    return db


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_stops_on_signal_and_leaves_nothing(archive, sig):
    port = free_port()
    command = [sys.executable, "-m", "zwgk", "serve", "--db", str(archive), "--port", str(port)]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/-/versions.json"
    try:
        wait_until_answers(url, proc)
        assert children(proc.pid) == [], "Datasette should run inside zwgk serve"
        proc.send_signal(sig)
        assert proc.wait(timeout=STOP_TIMEOUT) == 0
        assert not answers(url)
        assert not group_alive(proc.pid), "a process of zwgk serve outlived it"
    finally:
        kill_group(proc)
