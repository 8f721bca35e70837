"""Compare two archives table by table, timestamps and process details aside (not a test).

    python -m bench.archive_diff BEFORE.db AFTER.db

For refactorings that must not change what is stored: every row of every table of
``pipeline.store.schema`` is compared by primary key, with the columns that record *when* or
*which process* (``VOLATILE``) left out, WARC pointers (file, offset, record id) among them: the
raw bytes are compared by their digests (``raw_sha256``, ``payload_sha256``); columns the second archive has and the first lacks (added by the change) are named,
not compared. Prints one line per table and exits 1 on any difference.
"""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing

from pipeline.store.schema import TABLES

VOLATILE = frozenset(
    {"first_seen", "last_seen", "last_changed", "fetched_at", "started", "finished", "failed_at",
     "first_crawled", "last_crawled", "gone_since", "pid", "host", "args",
     "warc_file", "warc_offset", "warc_length", "warc_record_id"}
)  # fmt: skip


def rows(path: str, table: str) -> dict[object, dict]:
    columns, pk = TABLES[table]
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        present = {r[1] for r in conn.execute(f"pragma table_info({table})")}
        kept = [c for c in columns if c in present and c not in VOLATILE]
        query = f"select {', '.join(f'[{c}]' for c in kept)} from [{table}]"
        out = {}
        for row in conn.execute(query):
            values = dict(row)
            out[values[pk]] = values
    return out


def compare(before: str, after: str) -> int:
    differences = 0
    for table in TABLES:
        old, new = rows(before, table), rows(after, table)
        added = _only_in(new, old)
        old, new = _without(old, added), _without(new, added)
        changed = [k for k in old.keys() & new.keys() if old[k] != new[k]]
        missing, extra = old.keys() - new.keys(), new.keys() - old.keys()
        bad = len(changed) + len(missing) + len(extra)
        differences += bad
        status = "identical" if not bad else f"{len(changed)} changed, {len(missing)} missing, "
        status += "" if not bad else f"{len(extra)} extra"
        note = f" (columns only after: {', '.join(sorted(added))})" if added else ""
        print(f"{table:22s} {len(old):6d} rows: {status}{note}")
        for key in changed[:3]:
            cols = [c for c in old[key] if old[key][c] != new[key].get(c)]
            print(f"    {key}: {', '.join(cols)}")
    return 1 if differences else 0


def _only_in(a: dict[object, dict], b: dict[object, dict]) -> set[str]:
    first_a = next(iter(a.values()), {})
    first_b = next(iter(b.values()), {})
    return set(first_a) - set(first_b) if first_b else set()


def _without(table: dict[object, dict], columns: set[str]) -> dict[object, dict]:
    return {k: {c: v for c, v in row.items() if c not in columns} for k, row in table.items()}


if __name__ == "__main__":
    sys.exit(compare(sys.argv[1], sys.argv[2]))
