"""``zwgk search``: the archive's full-text search from the terminal, best matches first."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from contextlib import closing

SQL = (
    "select n.publish_date, n.site, n.status, n.title, n.url from notices_fts"
    " join notices n on n.rowid = notices_fts.rowid"
    " where notices_fts match ? order by notices_fts.rank limit ?"
)
COUNT = "select count(*) from notices_fts where notices_fts match ?"


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1."""
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"not a whole number of at least 1: {value!r}")
    return int(value)


def search(db: str, query: str, limit: int = 20) -> int:
    """Print the ``limit`` notices FTS5's bm25 ranks highest for ``query`` and how many match;
    exit code 0, or 1 when the archive has no bigram index yet."""
    from pipeline.store import fts_index
    from pipeline.store.fts import match_query

    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        if not fts_index.is_current(conn):
            print(
                "zwgk search: this archive's full-text index predates Chinese search; the next "
                "`zwgk crawl` upgrades it",
                file=sys.stderr,
            )
            return 1
        expression = match_query(query)
        total = conn.execute(COUNT, [expression]).fetchone()[0]
        for date, site, status, title, url in conn.execute(SQL, [expression, limit]):
            gone = "  [gone]" if status == "gone" else ""
            print(f"{date or '?':10}  {site}  {title}{gone}\n            {url}")
    shown = min(total, limit)
    print(f"{total} notices match {query!r}; {shown} shown, most relevant first", file=sys.stderr)
    return 0
