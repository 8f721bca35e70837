"""Where a crawl's cores go, over time: CPU of the crawl process, its writer and the replica (not a test).

    python -m bench.timeline [--scale 3000] [--target default] [--interval 0.2] [--rows]

Starts a replica, warms it with one bare crawl, then runs one ``bench.crawl_once full`` crawl
and reads, every ``--interval`` seconds, the CPU seconds (``/proc``, user + system) of the crawl
process, of its descendants (the archive writer and its text reader) and of the replica. The
ratio ``bench.run`` reports is bounded by the cores these three keep busy; this shows how busy,
and when not:

* **start**: the seconds before the writer first works (the crawl fetches list pages, the
  writer process starts; one core);
* **middle**: cores busy on average while both work, and each process's share;
* **tail**: the seconds after the crawl process's last work while the writer drains its queue,
  links procurement projects and closes the archive (one core);
* **end**: the crawl process alone after its writer's last work (Scrapy closing, the
  interpreter's exit).

A core's worth of idle time in the middle means waiting (a pipe, the replica), not work; two
cores busy mean the crawl can only get faster by doing less. ``--rows`` prints every sample.
Linux only (``/proc``). The sampling itself costs a little CPU (a few ``/proc`` reads a tick).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from bench.run import ROOT, _cpu_seconds, crawl_once, start_replica
from bench.workdir import archives_kept, new_archive

T = TypeVar("T")

BUSY = 0.2  # cores: a process using less than this in a tick is taken as not working


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (``/proc/PID/task/TID/children``)."""
    found, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                kids = [int(kid) for kid in (task / "children").read_text().split()]
            except OSError:
                continue
            found += kids
            todo += kids
    return found


def cpu_or_none(pid: int) -> float | None:
    try:
        return _cpu_seconds(pid)
    except OSError:
        return None


def sample(crawl: subprocess.Popen, replica: int, interval: float) -> list[tuple[float, ...]]:
    """``(seconds, crawl CPU, writer CPU, replica CPU)`` until the crawl exits. A writer that
    has exited keeps its last reading."""
    rows: list[tuple[float, ...]] = []
    last: dict[int, float] = {}
    started = time.perf_counter()
    while crawl.poll() is None:
        own = cpu_or_none(crawl.pid)
        for pid in descendants(crawl.pid):
            seconds = cpu_or_none(pid)
            if seconds is not None:
                last[pid] = seconds
        if own is None:
            break
        rows.append((time.perf_counter() - started, own, sum(last.values()), _cpu_seconds(replica)))
        time.sleep(interval)
    return rows


def rates(rows: list[tuple[float, ...]]) -> list[tuple[float, float, float, float]]:
    """Cores used by each process in each tick: ``(end, crawl, writer, replica)``."""
    out = []
    for before, after in itertools.pairwise(rows):
        span = after[0] - before[0]
        out.append((after[0], *((after[i] - before[i]) / span for i in (1, 2, 3))))
    return out


def phases(ticks: list[tuple[float, float, float, float]]) -> dict[str, float]:
    """Start (before the writer works), middle, tail (the writer working after the crawl's
    last work) and end (the crawl process after its writer's last work: Scrapy's close, the
    interpreter's exit; a tail measured to the last tick of all read as 0 s whenever the crawl
    process did anything after its writer had finished)."""
    writer_from = next((t for t in ticks if t[2] >= BUSY), ticks[-1])[0]
    writer_until = next((t for t in reversed(ticks) if t[2] >= BUSY), ticks[-1])[0]
    crawl_until = next(
        (t for t in reversed(ticks) if t[1] >= BUSY and t[0] <= writer_until), ticks[-1]
    )[0]
    middle = [t for t in ticks if writer_from < t[0] <= crawl_until]
    span = (middle[-1][0] - middle[0][0]) if len(middle) > 1 else 0.0
    n = max(len(middle), 1)
    return {
        "seconds": ticks[-1][0],
        "start_s": writer_from,
        "tail_s": max(writer_until - crawl_until, 0.0),
        "end_s": ticks[-1][0] - max(writer_until, crawl_until),
        "middle_s": span,
        "middle_cores": sum(t[1] + t[2] + t[3] for t in middle) / n,
        "middle_crawl": sum(t[1] for t in middle) / n,
        "middle_writer": sum(t[2] for t in middle) / n,
        "middle_replica": sum(t[3] for t in middle) / n,
    }


def observed_crawl(
    scale: int, target: str, observe: Callable[[subprocess.Popen, int], T]
) -> tuple[T, str]:
    """Start a replica of ``scale``, warm it with one bare crawl, then run one full crawl of
    ``target`` in its own process while ``observe(crawl process, replica pid)`` watches it;
    returns what ``observe`` returned and the crawl's output (its JSON line)."""
    replica, url = start_replica(scale)
    try:
        with archives_kept() as keep:
            crawl_once("bare", url, spider=target)  # warm the replica's page cache
            db = str(new_archive(keep, "observed"))
            command = [sys.executable, "-m", "bench.crawl_once", "full", url, db, target]
            crawl = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
            seen = observe(crawl, replica.pid)
            return seen, crawl.communicate()[0]
    finally:
        replica.terminate()
        replica.wait()


def crawl_parser(doc: str, interval: float) -> argparse.ArgumentParser:
    """The options of a tool that watches one crawl (``observed_crawl``): scale, target and
    the seconds between readings."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=3000, help="replica scale (default 3000)")
    parser.add_argument("--target", default="default", help="crawl targets (bench.crawl_once)")
    parser.add_argument("--interval", type=float, default=interval, help="seconds between readings")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = crawl_parser(__doc__, 0.2)
    parser.add_argument("--rows", action="store_true", help="print every tick")
    args = parser.parse_args(argv)
    rows, out = observed_crawl(
        args.scale, args.target, lambda crawl, replica: sample(crawl, replica, args.interval)
    )
    result = json.loads(out.strip().splitlines()[-1])
    ticks = rates(rows)
    if not ticks:
        raise SystemExit(f"the crawl ended before a second reading ({len(rows)} taken)")
    if args.rows:
        print("| s | crawl | writer | replica | cores |\n|---|---|---|---|---|")
        for end, c, w, r in ticks:
            print(f"| {end:.1f} | {c:.2f} | {w:.2f} | {r:.2f} | {c + w + r:.2f} |")
    found = phases(ticks)
    print(json.dumps({"pages": result["pages"], "pps": result["pages"] / result["seconds"],
                      "prepared_in_crawl": result.get("prepared_in_crawl", 0),
                      **{k: round(v, 2) for k, v in found.items()}}))  # fmt: skip
    print(
        f"{result['pages']} pages in {found['seconds']:.1f} s: start {found['start_s']:.1f} s"
        f" (crawl alone), middle {found['middle_s']:.1f} s at {found['middle_cores']:.2f} cores"
        f" (crawl {found['middle_crawl']:.2f}, writer {found['middle_writer']:.2f}, replica"
        f" {found['middle_replica']:.2f}), tail {found['tail_s']:.1f} s (writer alone), end"
        f" {found['end_s']:.1f} s (crawl process after its writer); {os.cpu_count()} cores"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
