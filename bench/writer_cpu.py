"""The archive writer's CPU per page, of two (or more) checkouts on the same pages (not a test).

    python -m bench.writer_cpu BEFORE_TREE AFTER_TREE [--rounds 5] [--pages FILE]

Captures once what the demo's crawl hands the writer (every page dict ``ingest_page`` receives,
from this checkout's crawler and replica; ``--pages FILE`` keeps them in FILE for later runs),
then times each tree's ``ingest_page`` over all of them into a fresh archive, flush included, in
its own process, tree after tree (the order reversed every other round), ``--rounds`` times. Reports the fastest round of each (CPU ms
per page: ``time.process_time``, so other processes on the machine count less) and the ratio to
the first tree. Use ``git worktree add /tmp/before COMMIT`` for the tree before a change.
"""

from __future__ import annotations

import argparse
import json
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

TIMER = """
import gc, json, pickle, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from pipeline.ingest import ingest_page
from pipeline.store.archive import Archive
pages = pickle.load(open(sys.argv[2], "rb"))
def run(db):
    archive = Archive(db)
    run_id = archive.start_run("bench")
    gc.collect()
    started = time.process_time()
    for page in pages:
        ingest_page(archive, page, run_id)
    archive.flush()
    spent = time.process_time() - started
    archive.close()
    return spent / len(pages) * 1000
with tempfile.TemporaryDirectory() as tmp:
    run(tmp + "/warm.db")
    print(json.dumps({"ms": run(tmp + "/archive.db")}))
"""


def capture(path: str) -> int:
    """Crawl the demo's targets from a replica in this process, keeping every page dict."""
    import pipeline.writer
    from replica.server import ReplicaServer
    from zwgk.crawl import run_crawl
    from zwgk.demo import TARGETS

    pages: list[dict[str, Any]] = []
    real = pipeline.writer.ingest_page

    def keep(archive, page, run_id=None):
        pages.append(dict(page))
        return real(archive, page, run_id)

    pipeline.writer.ingest_page = keep
    server = ReplicaServer().start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = str(Path(tmp) / "archive.db")
            run_crawl(list(TARGETS), db, server.base_url, "ERROR", ZWGK_WRITER_PROCESS=False)
    finally:
        server.stop()
    Path(path).write_bytes(pickle.dumps(pages))
    return len(pages)


def time_tree(tree: str, pages_file: str) -> float:
    command = [sys.executable, "-c", TIMER, tree, pages_file]
    out = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["ms"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="+", help="source trees (the first is the baseline)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--pages", help="page file: captured if missing, reused if present")
    args = parser.parse_args(argv)
    trees = [str(Path(tree).resolve()) for tree in args.trees]
    with tempfile.TemporaryDirectory() as tmp:
        pages_file = args.pages or str(Path(tmp) / "pages.pkl")
        if not Path(pages_file).exists():
            print(f"captured {capture(pages_file)} pages", file=sys.stderr)
        best = dict.fromkeys(trees, float("inf"))
        for round_ in range(args.rounds):  # ABBA order: neither tree always runs first
            for tree in trees if round_ % 2 == 0 else trees[::-1]:
                best[tree] = min(best[tree], time_tree(tree, pages_file))
    base = best[trees[0]]
    for tree, ms in best.items():
        print(f"{tree}: {ms:.3f} CPU ms/page ({ms / base:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
