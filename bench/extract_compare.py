"""Extraction cost of two (or more) checkouts on the same pages, alternating (not a test).

    python -m bench.extract_compare BEFORE_TREE AFTER_TREE [--pages 400] [--rounds 5]

Samples ``--pages`` replica detail pages once (from this checkout's replica), then times
``extract_page`` of each tree in its own process, tree after tree, ``--rounds`` times; reports
the fastest round of each (ms per page, without and with ``body_html``) and the ratio to the
first tree. Use ``git worktree add /tmp/before COMMIT`` for the tree before a change.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.run import sample_pages

TIMER = """
import json, pickle, sys, time
sys.path.insert(0, sys.argv[1])
from pipeline.extract import extract_page
pages = pickle.load(open(sys.argv[2], "rb"))
def ms(html):
    started = time.perf_counter()
    for body, url in pages:
        extract_page(body, url, with_html=html)
    return (time.perf_counter() - started) / len(pages) * 1000
ms(False)  # warm up
print(json.dumps({"plain": ms(False), "html": ms(True)}))
"""


def time_tree(tree: str, pages_file: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", TIMER, tree, pages_file], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="+", help="source trees (the first is the baseline)")
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        pages_file = str(Path(tmp) / "pages.pkl")
        Path(pages_file).write_bytes(pickle.dumps(sample_pages(args.pages)))
        best = {tree: {"plain": 1e9, "html": 1e9} for tree in args.trees}
        for _ in range(args.rounds):
            for tree in args.trees:
                for key, value in time_tree(tree, pages_file).items():
                    best[tree][key] = min(best[tree][key], value)
    base = best[args.trees[0]]
    for tree, ms in best.items():
        print(
            f"{tree}: {ms['plain']:.3f} ms/page ({ms['plain'] / base['plain']:.2f}x), "
            f"with body_html {ms['html']:.3f} ms/page ({ms['html'] / base['html']:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
