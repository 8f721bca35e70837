"""The archive writer's whole work, replayed in this process, with its CPU a page as the archive grows (not a test).

    python -m bench.writer_replay MESSAGES [--scale 20000] [--workdir DIR]
    python -m bench.cpu_profile OUT.txt -m bench.writer_replay MESSAGES --scale 20000

Replays every message a default ``zwgk crawl`` sent its writer process (``MESSAGES``: the file
``bench.writer_cpu --messages`` keeps; captured here first, from a ``--scale`` replica, when it
does not exist) through the writer's message handler into a fresh archive under ``--workdir``
(default: the system's temporary directory), in this one process: so ``bench.cpu_profile`` can
sample it (``bench.writer_cpu`` times trees in child processes, which a sampler does not see).
Prints, on stderr, the CPU a written entry (a page, an exchange, a download …) for each tenth of
the messages in order, then one JSON line: CPU ms a fetched page over the whole replay. Compare
the profiles of two scales per 1,000 pages to see what grows with the archive
(docs/benchmarks-log.md, 2026-12-05, fourth). ``--cache-kib N``: SQLite page cache of the writer's
connection in KiB (an experiment; default: SQLite's 2 MB). ``--by-table``: also the CPU each
table's batch inserts (``upsert_rows``, native SQLite) cost a row.
"""

from __future__ import annotations

import argparse
import collections
import gc
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path

from bench.writer_cpu import capture_messages


def replay(data: dict, workdir: str, cache_kib: int = 0) -> float:
    """Replay ``data["messages"]`` into an archive in ``workdir``; CPU ms a fetched page."""
    from pipeline.store.archive import Archive
    from pipeline.writer import _Handler

    messages = data["messages"]
    archive = Archive(str(Path(workdir) / "archive.db"))
    if cache_kib:
        archive.db.conn.execute(f"pragma cache_size = -{int(cache_kib)}")
    handler = _Handler(archive)
    for _ in range(max(p["run_id"] for verb, p in messages if verb == "finish")):
        archive.start_run("bench")
    gc.collect()
    tenth = max(1, len(messages) // 10)
    started = last = time.process_time()
    entries = since = 0
    for at, (verb, payload) in enumerate(messages, 1):
        if verb == "close":
            continue
        entries += len(payload) if verb == "pages" else 1
        handler.handle(verb, payload)
        if at % tenth == 0:
            now = time.process_time()
            each = (now - last) / max(entries - since, 1) * 1000
            print(f"tenth {at // tenth}: {each:.3f} ms an entry", file=sys.stderr, flush=True)
            last, since = now, entries
    archive.close()
    return (time.process_time() - started) / data["pages"] * 1000


def by_table() -> tuple[collections.Counter, collections.Counter]:
    """Time the archive's batch inserts per table from now on: (CPU seconds, rows) by table."""
    import pipeline.store.archive as archive_module

    spent: collections.Counter = collections.Counter()
    rows: collections.Counter = collections.Counter()
    upsert = archive_module.upsert_rows

    def timed(conn, table, items, *args, **kwargs):
        started = time.process_time()
        try:
            return upsert(conn, table, items, *args, **kwargs)
        finally:
            spent[table] += time.process_time() - started
            rows[table] += len(items)

    archive_module.upsert_rows = timed
    return spent, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("messages", help="captured writer messages (captured first if absent)")
    parser.add_argument("--scale", type=int, default=3000, help="replica scale for a capture")
    parser.add_argument("--workdir", default=None, help="where the archive is built")
    parser.add_argument("--cache-kib", type=int, default=0, help="SQLite page cache, KiB")
    parser.add_argument("--by-table", action="store_true", help="CPU a row of each table's inserts")
    args = parser.parse_args(argv)
    if not Path(args.messages).exists():
        print(f"capturing a default crawl of a scale-{args.scale} replica …", file=sys.stderr)
        capture_messages(args.messages, args.scale)
    with Path(args.messages).open("rb") as handle:
        data = pickle.load(handle)
    spent, rows = by_table() if args.by_table else (None, None)
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.workdir) as tmp:
        ms = replay(data, tmp, args.cache_kib)
    result = {"pages": data["pages"], "writer_ms_per_page": round(ms, 3)}
    if spent is not None:
        result["inserts"] = {
            table: {"rows": rows[table], "us_a_row": round(spent[table] / rows[table] * 1e6, 1)}
            for table, _ in spent.most_common()
            if rows[table]
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
