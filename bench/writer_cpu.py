"""The archive writer's CPU per page, of two (or more) checkouts on the same pages (not a test).

    python -m bench.writer_cpu BEFORE_TREE AFTER_TREE [--rounds 5] [--pages FILE]
    python -m bench.writer_cpu BEFORE_TREE AFTER_TREE --messages FILE [--scale 3000] [--keep DIR]

Captures once what the demo's crawl hands the writer (every page dict ``ingest_page`` receives,
from this checkout's crawler and replica; ``--pages FILE`` keeps them in FILE for later runs),
then times each tree's ``ingest_page`` over all of them into a fresh archive, flush included, in
its own process, tree after tree (the order reversed every other round), ``--rounds`` times.
Reports the fastest round of each (CPU ms per page: ``time.process_time``, so other processes
on the machine count less) and the ratio to the first tree. Use ``git worktree add /tmp/before
COMMIT`` for the tree before a change.

``--messages FILE``: the writer's whole work instead of ``ingest_page`` alone. Captures once every
message a default ``zwgk crawl`` of a ``--scale`` replica sends its writer process (pages, the
HTTP exchanges for WARC, attachment downloads, the runs' ends: ``bench.crawl_once full … default``
with the writer's pipe tapped), then replays them through the writer's message handler into a
fresh archive, per tree, as above. CPU ms per *fetched* page (what ``bench.run`` reports as
``writer_ms_per_page``); the text reader's CPU (attachments read in its child process) is
reported apart, and the read calls a page (``/proc/self/io``: SQLite reads each page it does
not hold in its page cache with one ``pread``). ``--keep DIR`` keeps each tree's last archive
as ``DIR/<n>.db`` (compare them with ``bench.archive_diff``). ``--workdir DIR``: where the
archives are built (default: the system's temporary directory). On this project's test
machine, creating a file on ext4 cost 0.03 ms of CPU or 0.2 ms, depending on what had been
deleted before: the ~7,000 attachment files of a scale-3000 crawl made rounds of the same tree
differ by 7%. A tmpfs directory (``/dev/shm/…``) takes that out when comparing code.
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


MESSAGE_TIMER = """
import gc, json, os, pickle, resource, shutil, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from pipeline.store.archive import Archive
from pipeline.writer import _Handler
data = pickle.load(open(sys.argv[2], "rb"))
messages = data["messages"]
runs = max(payload["run_id"] for verb, payload in messages if verb == "finish")
def read_calls():
    # read(2)/pread(2) calls of this process: SQLite reads a page it does not hold in its cache
    with open("/proc/self/io") as io:
        return next(int(line.split()[1]) for line in io if line.startswith("syscr"))
def run(db):
    os.makedirs(os.path.dirname(db))
    archive = Archive(db)
    handler = _Handler(archive)
    for _ in range(runs):
        archive.start_run("bench")
    gc.collect()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    reads = read_calls()
    started = time.process_time()
    for verb, payload in messages:
        if verb != "close":
            handler.handle(verb, payload)
    archive.close()
    spent = time.process_time() - started
    reads = read_calls() - reads
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    reader = after.ru_utime + after.ru_stime - kids.ru_utime - kids.ru_stime
    return spent, reader, reads
with tempfile.TemporaryDirectory(dir=sys.argv[5] or None) as tmp:
    run(tmp + "/warm/archive.db")
    spent, reader, reads = run(tmp + "/run/archive.db")
    if sys.argv[3]:
        shutil.copy(tmp + "/run/archive.db", sys.argv[3] + "/" + sys.argv[4] + ".db")
pages = data["pages"]
print(json.dumps({"ms": spent / pages * 1000, "reader_ms": reader / pages * 1000,
                  "reads": reads / pages}))
"""
#: The crawl whose writer messages ``--messages`` captures: bench.crawl_once with the pipe tapped.
#: It writes the file itself, pages counted from crawl_once's JSON line: at scale 100,000 the
#: messages are ~4 GB, and reading them back to add the count held them twice.
TAP = """
import contextlib, io, json, pickle, sys
import pipeline.writer
from bench import crawl_once
messages = []
send = pipeline.writer.Writer._put
def tap(self, message):
    messages.append(message)
    return send(self, message)
pipeline.writer.Writer._put = tap
out = io.StringIO()
with contextlib.redirect_stdout(out):
    crawl_once.main(["full", sys.argv[1], sys.argv[2], "default"])
line = out.getvalue().strip().splitlines()[-1]
with open(sys.argv[3], "wb") as handle:
    pickle.dump({"pages": json.loads(line)["pages"], "messages": messages}, handle, 5)
print(line)
"""


def capture_messages(path: str, scale: int) -> int:
    """Crawl a ``scale`` replica (every spider, default profiles) with the writer in its own
    process, keeping every message sent to it in ``path``; returns the pages fetched. The replica
    runs in a process of its own (a scale-100,000 replica holds ~6 GB), and the messages are
    written once, by the crawl that sent them."""
    from bench.run import start_replica

    replica, url = start_replica(scale)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = str(Path(tmp) / "archive.db")
            command = [sys.executable, "-c", TAP, url, db, path]
            out = subprocess.run(command, capture_output=True, text=True, check=True)
    finally:
        replica.kill()
        replica.wait()
    return json.loads(out.stdout.strip().splitlines()[-1])["pages"]


def time_messages(
    tree: str, messages_file: str, keep: str, name: str, workdir: str
) -> dict[str, float]:
    """One replay of the captured messages in ``tree`` (its own process)."""
    command = [sys.executable, "-c", MESSAGE_TIMER, tree, messages_file, keep, name, workdir]
    out = subprocess.run(command, cwd=tree, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{tree}: the replay failed\n{out.stderr}")
    return json.loads(out.stdout)


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
    parser.add_argument(
        "--messages", help="writer message file: captured if missing, reused if present"
    )
    parser.add_argument("--scale", type=int, default=3000, help="replica scale of a capture")
    parser.add_argument("--keep", default="", help="keep each tree's archive in this directory")
    parser.add_argument("--workdir", default="", help="build the archives in this directory")
    args = parser.parse_args(argv)
    trees = [str(Path(tree).resolve()) for tree in args.trees]
    if args.messages:
        return replay(trees, args)
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


def replay(trees: list[str], args: argparse.Namespace) -> int:
    """``--messages``: the writer's whole work, tree against tree (fastest round of each)."""
    if not Path(args.messages).exists():
        pages = capture_messages(args.messages, args.scale)
        print(f"captured the writer messages of {pages} fetched pages", file=sys.stderr)
    for directory in (args.keep, args.workdir):
        if directory:
            Path(directory).mkdir(parents=True, exist_ok=True)
    best: dict[str, dict[str, float]] = {}
    for round_ in range(args.rounds):  # ABBA order: neither tree always runs first
        for tree in trees if round_ % 2 == 0 else trees[::-1]:
            name = str(trees.index(tree))
            timed = time_messages(tree, args.messages, args.keep, name, args.workdir)
            if tree not in best or timed["ms"] < best[tree]["ms"]:
                best[tree] = timed
    base = best[trees[0]]["ms"]
    for tree, timed in best.items():
        ms, reader, reads = timed["ms"], timed["reader_ms"], timed["reads"]
        print(
            f"{tree}: {ms:.3f} CPU ms/page ({ms / base:.2f}x), text reader {reader:.3f}, "
            f"{reads:.1f} read calls a page"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
