"""Benchmark (not a test): what a re-crawl of an unchanged site costs, against its full crawl.

    python -m bench.recheck [--scale 10000] [--day 2026-09-29] [--spiders SPIDER ...]
                            [--before COMMIT]

One replica (``--scale N --as-of DAY``) serves the same sites throughout, so every re-crawl
sees an unchanged site. A first crawl on DAY builds the archive; each re-crawl then starts from
a copy of it (``ZWGK_TODAY`` sets the crawl's day), its requests counted by the replica
(``POST /__stats/reset`` before, ``/__stats.json`` after):

- ``same day``: the default policy on DAY (every recent notice was checked today);
- ``next day, before``: the day after, by the code of ``--before COMMIT`` (the baseline: each
  column stops at the first list page with nothing new and every detail listed on it is
  revalidated), unpacked with ``git archive`` into a temporary folder and run from there;
- ``next day, by age``: the day after, with the default ``ZWGK_RECHECK`` (the daily cron);
- ``next day, --full``: the weekly sweep (every list page, every page revalidated).

Every figure is relative to the first crawl's requests, measured in the same run. Seconds include
the crawl process's start and close; pages/s is requests over those seconds. Results:
docs/benchmarks-log.md, "Recrawl (2026-12-02)".
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READY = re.compile(r"replica serving (http://127\.0\.0\.1:\d+)/")


def start_replica(scale: int, day: dt.date) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "replica", "--port", "0", "--scale", str(scale)]
    command += ["--as-of", day.isoformat()]
    proc = subprocess.Popen(
        command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    match = READY.search(proc.stdout.readline())
    if not match:
        proc.kill()
        raise SystemExit("replica did not start")
    return proc, match.group(1)


def stats(url: str, reset: bool = False) -> dict:
    if reset:
        request = urllib.request.Request(f"{url}/__stats/reset", data=b"", method="POST")
        urllib.request.urlopen(request).close()
        return {}
    with urllib.request.urlopen(f"{url}/__stats.json") as response:
        return json.load(response)


def crawl(
    url: str, db: Path, spiders: list[str], day: dt.date | None, *extra: str, tree: Path = ROOT
) -> dict:
    """One ``zwgk crawl`` by the code in ``tree`` as of ``day`` (None: the code knows no
    days): its requests (by kind and status) and seconds."""
    stats(url, reset=True)
    command = [sys.executable, "-m", "zwgk", "crawl", *spiders, "--replica-url", url]
    command += ["--db", str(db), "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0"]
    if day is not None:
        command += ["-s", f"ZWGK_TODAY={day.isoformat()}"]
    started = time.perf_counter()
    subprocess.run([*command, *extra], cwd=tree, capture_output=True, check=True)
    seconds = time.perf_counter() - started
    served = stats(url)
    return {
        "requests": served["requests"],
        "lists": served["by_path_kind"]["list"],
        "details": served["by_path_kind"]["detail"],
        "not_modified": served["by_status"].get("304", 0),
        "seconds": seconds,
    }


def copy(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def unpack(commit: str, folder: Path) -> Path:
    """The tree of ``commit`` in ``folder`` (``git archive``; the repository is not touched)."""
    archive = subprocess.run(
        ["git", "archive", commit], cwd=ROOT, capture_output=True, check=True
    ).stdout
    folder.mkdir()
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def bench(scale: int, day: dt.date, spiders: list[str], before: str | None = None) -> dict:
    proc, url = start_replica(scale, day)
    next_day = day + dt.timedelta(days=1)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            first_db = Path(tmp) / "first.db"
            out = {"first crawl": crawl(url, first_db, spiders, day)}
            runs: list[tuple[str, dt.date | None, tuple[str, ...], Path]] = [
                ("same day", day, (), ROOT)
            ]
            if before:
                tree = unpack(before, Path(tmp) / "before")
                runs.append((f"next day, before ({before}, baseline)", None, (), tree))
            runs += [("next day, by age", next_day, (), ROOT)]
            runs += [("next day, --full", next_day, ("--full",), ROOT)]
            for label, when, extra, code in runs:
                db = copy(first_db, Path(tmp) / "again.db")
                out[label] = crawl(url, db, spiders, when, *extra, tree=code)
                db.unlink()
    finally:
        proc.terminate()
        proc.wait()
    return out


def table(results: dict) -> str:
    first = results["first crawl"]["requests"]
    lines = [
        "| crawl | requests | of the first crawl | lists | details (304) | seconds | pages/s |",
        "|---|---|---|---|---|---|---|",
    ]
    for label, r in results.items():
        share = f"{100 * r['requests'] / first:.2f}%"
        details = f"{r['details']} ({r['not_modified']})"
        lines.append(
            f"| {label} | {r['requests']} | {share} | {r['lists']} | {details} | "
            f"{r['seconds']:.1f} | {r['requests'] / r['seconds']:.0f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.recheck", description=__doc__)
    parser.add_argument("--scale", type=int, default=10000)
    parser.add_argument(
        "--day", type=dt.date.fromisoformat, default=dt.date(2026, 9, 29), help="the first day"
    )
    parser.add_argument("--spiders", nargs="*", default=[], help="default: every spider")
    parser.add_argument(
        "--before", metavar="COMMIT", help="also re-crawl the next day with this commit's code"
    )
    args = parser.parse_args(argv)
    results = bench(args.scale, args.day, args.spiders, args.before)
    print(json.dumps(results))
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
