"""Compare two archives table by table, timestamps and process details aside (not a test).

    python -m bench.archive_diff BEFORE.db AFTER.db

For refactorings that must not change what is stored: every row of every table of
``pipeline.store.schema`` is compared by primary key, with the columns that record *when* or
*which process* (``VOLATILE``) left out and raw captures compared decompressed (gzip headers carry
a time). Prints one line per table and exits 1 on any difference.
"""

from __future__ import annotations

import gzip
import sqlite3
import sys
from contextlib import closing

from pipeline.store.schema import TABLES

VOLATILE = frozenset(
    {"first_seen", "last_seen", "last_changed", "fetched_at", "started", "finished", "failed_at",
     "first_crawled", "last_crawled", "gone_since", "pid", "host", "args"}
)  # fmt: skip


def rows(path: str, table: str) -> dict[object, dict]:
    columns, pk = TABLES[table]
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        present = {r[1] for r in conn.execute(f"pragma table_info({table})")}
        kept = [c for c in columns if c in present and c not in VOLATILE]
        query = f"select {', '.join(kept)} from {table}"
        out = {}
        for row in conn.execute(query):
            values = dict(row)
            if values.get("raw_gzip") is not None:
                values["raw_gzip"] = gzip.decompress(values["raw_gzip"])
            out[values[pk]] = values
    return out


def compare(before: str, after: str) -> int:
    differences = 0
    for table in TABLES:
        old, new = rows(before, table), rows(after, table)
        changed = [k for k in old.keys() & new.keys() if old[k] != new[k]]
        missing, extra = old.keys() - new.keys(), new.keys() - old.keys()
        bad = len(changed) + len(missing) + len(extra)
        differences += bad
        status = "identical" if not bad else f"{len(changed)} changed, {len(missing)} missing, "
        status += "" if not bad else f"{len(extra)} extra"
        print(f"{table:22s} {len(old):6d} rows: {status}")
        for key in changed[:3]:
            cols = [c for c in old[key] if old[key][c] != new[key].get(c)]
            print(f"    {key}: {', '.join(cols)}")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(compare(sys.argv[1], sys.argv[2]))
