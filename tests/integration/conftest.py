"""Real parts: the replica as a subprocess on a free loopback port, `zwgk crawl` as a subprocess."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlite_utils

from pipeline.extract import RECORD_FIELDS

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"replica serving (http://127\.0\.0\.1:\d+)/")
CRAWL_TIMEOUT = 600

#: Fields of the record contract that the replica's truth lists for each notice (the record
#: minus its URL, the procurement object, compared separately, and the decoder's extras).
TRUTH_FIELDS = tuple(
    f
    for f in RECORD_FIELDS
    if f not in ("url", "body_html", "procurement", "charset", "decode_errors")
)


@contextmanager
def running_replica(*args: str, env: dict | None = None, port: int = 0) -> Iterator[str]:
    """Start ``python -m replica --port PORT ARGS`` (0: any free port); yield its base URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "replica", "--port", str(port), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
    )
    try:
        line = proc.stdout.readline()
        match = READY.search(line)
        assert match, f"replica did not start: {line!r}"
        yield match.group(1)
    finally:
        from tests.cli.support import kill_group

        kill_group(proc)  # the whole process group: nothing it started outlives the test
        proc.stdout.close()


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.load(response)


def site_truth(url: str, site: str) -> dict:
    """The replica's truth with only the notices of one site."""
    truth = get_json(f"{url}/__truth.json")
    truth["notices"] = [n for n in truth["notices"] if n["site"] == site]
    return truth


def crawl(
    db: Path, replica_url: str, *settings: str, spiders: tuple[str, ...] = ("zjczj",)
) -> subprocess.CompletedProcess:
    """Run ``zwgk crawl SPIDERS --replica-url`` into ``db``."""
    command = [sys.executable, "-m", "zwgk", "crawl", *spiders, "--replica-url", replica_url]
    command += ["--db", str(db), "--log-level", "WARNING"]
    for setting in ("ZWGK_PROGRESS_INTERVAL=0", *settings):
        command += ["-s", setting]
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=CRAWL_TIMEOUT, check=False
    )


def notices_by_url(db: Path) -> dict[str, dict]:
    database = sqlite_utils.Database(db)
    rows = {row["url"]: row for row in database["notices"].rows}
    for row in rows.values():
        atts = database.execute(
            "select name, url from attachments where notice_id = ? order by position", [row["id"]]
        ).fetchall()
        row["attachments"] = [{"name": name, "url": url} for name, url in atts]
    return rows


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_datasette(db: Path) -> Iterator[str]:
    """``zwgk serve`` as a user runs it, on a free port; yields its base URL once it answers."""
    import time

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "zwgk", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/-/versions.json", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.2)
        yield url
    finally:
        from tests.cli.support import kill_group

        kill_group(proc)  # the whole process group: nothing it started outlives the test
