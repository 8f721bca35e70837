"""Sites crawled in one command against the same sites one command after the other (not a test).

    python -m bench.together [--scale 3000] [--repeat 3] [--targets default]

Each round, on one replica: ``together`` is one ``bench.crawl_once full`` of every target in one
process into a fresh archive (what a plain ``zwgk crawl`` does); ``in turn`` is one
``bench.crawl_once full`` per target, one after the other, into another fresh archive (what a
cron line per site does). Wall seconds are taken around each command, process start included,
as a scheduler sees them. The order of the two alternates from round to round. Reports pages/s
of each and their ratio (together / in turn): 1.0 or more means one command is not slower.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.run import ROOT, start_replica
from bench.workdir import archives_kept, new_archive, report_file_creation


def _crawl(url: str, db: Path, target: str) -> tuple[int, float]:
    """Pages fetched and wall seconds (process start included) of one full crawl."""
    command = [sys.executable, "-m", "bench.crawl_once", "full", url, str(db), target]
    started = time.perf_counter()
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    seconds = time.perf_counter() - started
    return json.loads(out.strip().splitlines()[-1])["pages"], seconds


def spider_names(spec: str) -> list[str]:
    """The targets of ``spec`` one by one (``default``: every spider with its default profile)."""
    from bench.crawl_once import targets

    return [name + (f":{args['profile']}" if args else "") for name, args in targets(spec)]


def one_round(url: str, spec: str, names: list[str], together_first: bool, keep: Path) -> dict:
    """One round; each archive in its own folder of ``keep``, kept until the benchmark ends."""
    result: dict = {}
    for kind in ("together", "in_turn") if together_first else ("in_turn", "together"):
        db = new_archive(keep, kind)
        if kind == "together":
            pages, seconds = _crawl(url, db, spec)
        else:
            runs = [_crawl(url, db, name) for name in names]
            pages, seconds = sum(p for p, _ in runs), sum(s for _, s in runs)
        result[kind] = {"pages": pages, "seconds": seconds, "pps": pages / seconds}
    result["ratio"] = result["together"]["pps"] / result["in_turn"]["pps"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=3000, help="replica notices (default 3000)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds (default 3)")
    parser.add_argument(
        "--targets", default="default", help="comma-separated crawl targets (default: every spider)"
    )
    args = parser.parse_args(argv)
    names = spider_names(args.targets)
    proc, url = start_replica(args.scale)
    rounds = []
    try:
        with archives_kept() as keep:
            print(report_file_creation(keep), flush=True)
            for n in range(args.repeat):
                rounds.append(one_round(url, args.targets, names, n % 2 == 0, keep))
                r = rounds[-1]
                print(
                    f"round {n + 1}: together {r['together']['pps']:.0f} pages/s"
                    f" ({r['together']['pages']} pages, {r['together']['seconds']:.1f} s),"
                    f" in turn {r['in_turn']['pps']:.0f} pages/s"
                    f" ({r['in_turn']['pages']} pages, {r['in_turn']['seconds']:.1f} s):"
                    f" ratio {r['ratio']:.2f}",
                    flush=True,
                )
    finally:
        proc.terminate()
        proc.wait()
    print(
        f"targets: {', '.join(names)}; median ratio {statistics.median(r['ratio'] for r in rounds):.2f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
