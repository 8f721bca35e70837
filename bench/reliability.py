"""Soak check (not a test): many consecutive default crawls of both sites in one process.

    python -m bench.reliability [--runs 50] [--scale 200] [--timeout 120]

Each run is ``zwgk crawl`` with its defaults (every spider, one process, one shared archive
writer) into a fresh archive, against one replica. A run counts as:

* **hung** if it has not exited after ``--timeout`` seconds (it is then killed);
* **lost a writer** if a spider's run has no ``finished`` reason, or fewer notices than the
  replica publishes for its site, or ``zwgk verify`` finds anything missing.

Prints one line per run and a summary; exits 1 if any run hung or lost a writer.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

from bench.run import ROOT, start_replica

#: The sites a default ``zwgk crawl`` archives (every spider, its default profile) and, for the
#: procurement platform, the city it keeps (湛江's regionCode prefix).
DEFAULT_SITES = frozenset({"ccgp", "zjczj", "zhanjiang", "gdgpo"})
CITY_REGION = "4408"


def truth_counts(url: str) -> Counter:
    """Notices per site that a default crawl of the replica should archive."""
    with urllib.request.urlopen(f"{url}/__truth.json", timeout=30) as response:
        truth = json.load(response)
    return Counter(
        n["site"]
        for n in truth["notices"]
        if n["site"] in DEFAULT_SITES and n.get("region_code", CITY_REGION).startswith(CITY_REGION)
    )


def one_run(url: str, db: Path, timeout: float) -> tuple[str, float]:
    command = [sys.executable, "-m", "zwgk", "crawl", "--replica-url", url, "--db", str(db)]
    command += ["--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0"]
    started = time.monotonic()
    proc = subprocess.Popen(
        command, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return "hung", time.monotonic() - started
    return f"exit {proc.returncode}", time.monotonic() - started


def lost_writers(db: Path, expected: Counter) -> list[str]:
    import sqlite_utils

    from pipeline.store.verify import damaged, verify

    database = sqlite_utils.Database(db)
    problems = []
    for run in database["crawl_runs"].rows:
        if run["finish_reason"] != "finished":
            problems.append(f"{run['spider']}: {run['finish_reason']} {run['error'] or ''}")
    stored = Counter(r[0] for r in database.execute("select site from notices"))
    problems += [
        f"{site}: {stored[site]} of {n}" for site, n in expected.items() if stored[site] < n
    ]
    problems += [check.name for check in damaged(verify(db))]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--scale", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    replica, url = start_replica(args.scale)
    tally: Counter = Counter()
    try:
        expected = truth_counts(url)
        with tempfile.TemporaryDirectory() as tmp:
            for n in range(1, args.runs + 1):
                db = Path(tmp) / f"run{n}.db"
                outcome, took = one_run(url, db, args.timeout)
                problems = [] if outcome == "hung" else lost_writers(db, expected)
                verdict = "hung" if outcome == "hung" else ("lost" if problems else "ok")
                tally[verdict] += 1
                print(f"run {n:3d}: {outcome}, {took:5.1f} s, {verdict} {'; '.join(problems)}")
                db.unlink(missing_ok=True)
    finally:
        replica.terminate()
        replica.wait()
    print(
        f"{args.runs} runs of `zwgk crawl` (all spiders, scale {args.scale}): "
        f"{tally['ok']} ok, {tally['lost']} lost a writer, {tally['hung']} hung"
    )
    return 0 if tally["ok"] == args.runs else 1


if __name__ == "__main__":
    sys.exit(main())
