"""Real processes for the reliability tests: crawls started, watched and killed like an operator
(or the kernel's OOM killer) would, and an archive checked row by row against the replica truth.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

import sqlite_utils

from pipeline.store.verify import damaged, verify
from pipeline.warc import Pointer, warc_dir
from pipeline.warc.read import read_response
from tests.integration.conftest import ROOT

#: Fields compared notice by notice with the truth (the record contract's main ones).
COMPARED = ("title", "publish_date", "category", "doc_number", "index_number", "body_text")


def crawl_command(db: Path, url: str, *settings: str, spiders: tuple[str, ...] = ("zjczj",)):
    command = [sys.executable, "-m", "zwgk", "crawl", *spiders, "--replica-url", url]
    command += ["--db", str(db), "--log-level", "ERROR"]
    for setting in ("ZWGK_PROGRESS_INTERVAL=0", *settings):
        command += ["-s", setting]
    return command


def start_crawl(db: Path, url: str, *settings: str, **kwargs) -> subprocess.Popen:
    """``zwgk crawl`` in its own session (so the test can kill it and everything it started)."""
    return subprocess.Popen(
        crawl_command(db, url, *settings, **kwargs),
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def served(url: str) -> int:
    """Requests the replica has answered so far."""
    with urllib.request.urlopen(f"{url}/__stats.json", timeout=10) as response:
        return json.load(response)["requests"]


def children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (read from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def writer_pids(crawl_pid: int) -> list[int]:
    """The archive writer processes of a crawl (multiprocessing spawn children)."""
    return [
        pid
        for pid in children(crawl_pid)
        if "spawn_main" in cmdline(pid) and "resource_tracker" not in cmdline(pid)
    ]


def alive(pid: int) -> bool:
    try:
        stat = (Path("/proc") / str(pid) / "stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def kill_group(proc: subprocess.Popen) -> None:
    """SIGKILL the crawl's whole session: the crawl, its writer and anything else it started."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(timeout=10)


def notice_rows(db: Path) -> dict[str, dict]:
    return {row["url"]: row for row in sqlite_utils.Database(db)["notices"].rows}


def assert_whole(db: Path) -> None:
    """``zwgk verify``'s checks (deep: every WARC record extracted again) all pass."""
    problems = damaged(verify(db, deep=True))
    assert not problems, "\n".join(line for check in problems for line in check.lines())


def assert_equals_truth(db: Path, truth: dict) -> None:
    """Every notice of the truth is stored with its fields, one version, its raw capture and
    exactly its attachments; nothing else is stored."""
    assert_whole(db)
    database = sqlite_utils.Database(db)
    rows = notice_rows(db)
    expected = {n["url"]: n for n in truth["notices"]}
    assert set(rows) == set(expected)
    for url, notice in expected.items():
        row = rows[url]
        assert {k: row[k] for k in COMPARED} == {k: notice[k] for k in COMPARED}, url
        versions = list(database["notice_versions"].rows_where("notice_id = ?", [row["id"]]))
        assert [v["version"] for v in versions] == [1] == [row["version_count"]], url
        pointer = Pointer.of_row(versions[0])
        raw = read_response(warc_dir(db), pointer).body
        assert hashlib.sha256(raw).hexdigest() == versions[0]["raw_sha256"]
        assert versions[0]["content_sha256"] == row["content_sha256"]
        stored = database.execute(
            "select name, url from attachments where notice_id = ? order by position", [row["id"]]
        ).fetchall()
        assert [{"name": n, "url": u} for n, u in stored] == notice["attachments"], url
