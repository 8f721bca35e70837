"""Benchmark (not a test): what a re-crawl a month or more later costs, and how much of the
site's history it finds, by this code and by the code before.

    python -m bench.history [--scale 3000] [--share 0.8] [--day 2025-05-10] [--gap 45]
                            [--before COMMIT]

The bureau's replica with a history (``--history SHARE``: edits, withdrawals answering 404/410
and leaving the lists, returns) is crawled as of DAY, then served as of DAY + GAP on the same
port, and each re-crawl starts from a copy of the first archive, on DAY + GAP's clock
(``ZWGK_TODAY``):

- ``before`` (``--before COMMIT``, the baseline): that commit's code, unpacked with ``git
  archive``, with the default ``ZWGK_RECHECK``: each column walks while a page lists something
  new or due, and only listed pages are requested;
- ``by age``: this code, default ``ZWGK_RECHECK``: also every held notice due that no list led
  to, by its URL;
- ``sweep``: this code with ``ZWGK_RECHECK=*:1`` (every held notice revalidated, as ``--full``).

For each: the replica's request count, seconds, and — from the two truths — of the notices the
first crawl stored, how many the site withdrew or edited by DAY + GAP and how many of each the
archive now shows (gone, the new content). Results: docs/benchmarks-log.md,
"History (2026-12-02)".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

from bench.recheck import READY, ROOT, copy, stats, unpack

DEFAULT_POLICY = "7:1,30:7,365:30,*:180"


@contextmanager
def replica(port: int, scale: int, share: float, day: dt.date):
    command = [sys.executable, "-m", "replica", "--port", str(port), "--scale", str(scale)]
    command += ["--history", str(share), "--as-of", day.isoformat()]
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    try:
        match = READY.search(proc.stdout.readline())
        if not match:
            raise SystemExit("replica did not start")
        yield match.group(1)
    finally:
        proc.terminate()
        proc.wait()
        proc.stdout.close()


def truth(url: str) -> dict[str, dict]:
    with urllib.request.urlopen(f"{url}/__truth.json") as response:
        notices = json.load(response)["notices"]
    return {n["url"]: n for n in notices if n["site"] == "zjczj"}


def crawl(url: str, db: Path, day: dt.date, policy: str, tree: Path = ROOT) -> dict:
    stats(url, reset=True)
    command = [sys.executable, "-m", "zwgk", "crawl", "zjczj", "--replica-url", url]
    command += ["--db", str(db), "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0"]
    command += ["-s", f"ZWGK_TODAY={day.isoformat()}", "-s", f"ZWGK_RECHECK={policy}"]
    started = time.perf_counter()
    subprocess.run(command, cwd=tree, capture_output=True, check=False)
    seconds = time.perf_counter() - started
    served = stats(url)
    return {
        "requests": served["requests"],
        "details": served["by_path_kind"]["detail"],
        "not_modified": served["by_status"].get("304", 0),
        "seconds": seconds,
    }


def content(record: dict) -> tuple:
    return record["title"], record["body_text"], tuple(a["url"] for a in record["attachments"])


def archived(db: Path) -> dict[str, dict]:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        rows = {r["url"]: dict(r) for r in conn.execute("select * from notices")}
        for row in rows.values():
            files = conn.execute(
                "select url from attachments where notice_id = ? order by position", [row["id"]]
            )
            row["attachments"] = [{"url": u} for (u,) in files]
    return rows


def found(first: dict[str, dict], later: dict[str, dict], db: Path) -> dict[str, str]:
    """Of the notices the first crawl stored: ``found/happened`` per kind of change."""
    now = archived(db)
    withdrawn = {u for u in first if later[u].get("status") == "gone"}
    edited = {u for u in first if u not in withdrawn and content(later[u]) != content(first[u])}
    seen = {
        "withdrawn": {u for u in withdrawn if now[u]["status"] == "gone"},
        "edited": {u for u in edited if content(now[u]) == content(later[u])},
    }
    happened = {"withdrawn": withdrawn, "edited": edited}
    return {k: f"{len(seen[k])}/{len(happened[k])}" for k in happened}


def bench(scale: int, share: float, day: dt.date, gap: int, before: str | None) -> dict:
    later_day = day + dt.timedelta(days=gap)
    with tempfile.TemporaryDirectory() as tmp:
        first_db = Path(tmp) / "first.db"
        port = _free_port()
        with replica(port, scale, share, day) as url:
            out = {"first crawl": crawl(url, first_db, day, DEFAULT_POLICY)}
            stored = archived(first_db)
            first = {u: n for u, n in truth(url).items() if u in stored}
        runs = []
        if before:
            baseline = unpack(before, Path(tmp) / "before")
            runs.append((f"before ({before}, baseline)", DEFAULT_POLICY, baseline))
        runs += [("by age", DEFAULT_POLICY, ROOT), ("sweep (*:1)", "*:1", ROOT)]
        with replica(port, scale, share, later_day) as url:
            later = truth(url)
            for label, policy, tree in runs:
                db = copy(first_db, Path(tmp) / "again.db")
                out[label] = crawl(url, db, later_day, policy, tree) | found(first, later, db)
                db.unlink()
    return out


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def table(results: dict) -> str:
    lines = [
        "| crawl | requests | details (304) | seconds | withdrawals found | edits found |",
        "|---|---|---|---|---|---|",
    ]
    for label, r in results.items():
        found_ = [r.get(k, "–") for k in ("withdrawn", "edited")]
        lines.append(
            f"| {label} | {r['requests']} | {r['details']} ({r['not_modified']}) | "
            f"{r['seconds']:.1f} | " + " | ".join(found_) + " |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.history", description=__doc__)
    parser.add_argument("--scale", type=int, default=3000)
    parser.add_argument("--share", type=float, default=0.8)
    parser.add_argument("--day", type=dt.date.fromisoformat, default=dt.date(2025, 5, 10))
    parser.add_argument("--gap", type=int, default=45, help="days to the re-crawl")
    parser.add_argument("--before", metavar="COMMIT", help="also re-crawl with this code")
    args = parser.parse_args(argv)
    results = bench(args.scale, args.share, args.day, args.gap, args.before)
    print(json.dumps(results))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
