"""Two crawl configurations, A and B, in alternating runs on one replica: paired ratios (not a test).

    python -m bench.pairs --a "full" --b "full --set ZWGK_WARC=False" [--target gdsite:zhanjiang]
                          [--scale 3000] [--pairs 8]
    python -m bench.pairs --a full --b full --a-tree /tmp/before --target default --pairs 4

Each side is a ``bench.crawl_once`` mode (``full``, ``bare`` or ``items``) followed by any of
its options (``--set NAME=VALUE``). This machine's speed drifts by ±15% from one minute to the
next, so two medians measured minutes apart cannot show a change of a few percent; runs of A
and B alternate (A first in odd pairs, B first in even ones) and each pair gives B/A ratios of
pages/s and of CPU per page, whose median is the figure to read. Every archive stays until the end
(``bench.workdir``). Prints one line per run and the medians. ``--a-tree`` / ``--b-tree``: the
source tree a side runs (default: this one), to compare two commits (``git worktree add
/tmp/before COMMIT``); both use this checkout's virtual environment.
"""

from __future__ import annotations

import argparse
import shlex
import statistics
import sys
from pathlib import Path

from bench.run import ROOT, crawl_once_args, start_replica
from bench.workdir import archives_kept, new_archive, report_file_creation

FIGURES = ("pages/s", "crawl CPU ms/page", "writer CPU ms/page")


def figures(run: dict) -> tuple[float, float, float]:
    pages = run["pages"] or 1
    return (
        pages / run["seconds"],
        1000 * run["crawler_cpu"] / pages,
        1000 * run["writer_cpu"] / pages,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", required=True, help='side A: "full|bare|items [crawl_once options]"')
    parser.add_argument("--b", required=True, help='side B: "full|bare|items [crawl_once options]"')
    parser.add_argument("--target", default="gdsite:zhanjiang", help="crawl targets (zwgk crawl)")
    parser.add_argument("--scale", type=int, default=3000, help="replica notices (default 3000)")
    parser.add_argument("--pairs", type=int, default=8, help="pairs of runs (default 8)")
    parser.add_argument("--a-tree", type=Path, default=ROOT, help="source tree of side A")
    parser.add_argument("--b-tree", type=Path, default=ROOT, help="source tree of side B")
    args = parser.parse_args(argv)
    sides = {"A": shlex.split(args.a), "B": shlex.split(args.b)}
    trees = {"A": args.a_tree.resolve(), "B": args.b_tree.resolve()}
    results: dict[str, list[tuple[float, float, float]]] = {"A": [], "B": []}
    proc, url = start_replica(args.scale)
    try:
        with archives_kept() as keep:
            print(report_file_creation(keep), flush=True)
            for n in range(args.pairs):
                for side in ("A", "B") if n % 2 == 0 else ("B", "A"):
                    mode, *options = sides[side]
                    db = str(new_archive(keep, side)) if mode == "full" else None
                    run = crawl_once_args(mode, url, db, args.target, options, trees[side])
                    results[side].append(figures(run))
                    shown = ", ".join(
                        f"{v:.3g} {k}" for k, v in zip(FIGURES, results[side][-1], strict=True)
                    )
                    print(f"pair {n + 1} {side}: {shown}", flush=True)
    finally:
        proc.terminate()
        proc.wait()
    for side in ("A", "B"):
        medians = [statistics.median(r[i] for r in results[side]) for i in range(3)]
        label = " ".join(sides[side]) + ("" if trees[side] == ROOT else f" in {trees[side]}")
        print(f"{side} ({label}): medians " + ", ".join(
            f"{v:.3g} {k}" for k, v in zip(FIGURES, medians, strict=True)))  # fmt: skip
    for i, name in enumerate(FIGURES):
        ratios = sorted(
            b[i] / a[i] for a, b in zip(results["A"], results["B"], strict=True) if a[i]
        )
        if ratios:
            listed = " ".join(f"{r:.2f}" for r in ratios)
            print(f"B/A {name}: median {statistics.median(ratios):.3f} ({listed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
