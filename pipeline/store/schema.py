"""The archive's schema, declared once.

Table and column names are a contract (DESIGN.md, docs/data-dictionary.md). Columns may be added;
``ensure_schema`` adds missing ones to an older archive so upgrades never need a rebuild.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils.db import DescIndex

from pipeline.store import facet_counts, fts_index, repairs

SITES = {
    "name": str,
    "title": str,
    "base_url": str,
    "kind": str,
    "cms": str,
    "first_crawled": str,
    "last_crawled": str,
    "blocked_since": str,
}

NOTICES = {
    "id": str,
    "url": str,
    "site": str,
    "kind": str,
    "category": str,
    "title": str,
    "publish_date": str,
    "publish_time": str,
    "publish_year": int,
    "publisher": str,
    "author": str,
    "doc_number": str,
    "index_number": str,
    "doc_date": str,
    "body_text": str,
    "body_html": str,
    "attachment_count": int,
    "charset": str,
    "content_sha256": str,
    "etag": str,
    "last_modified": str,
    "version_count": int,
    "first_seen": str,
    "last_seen": str,
    "last_changed": str,
    "status": str,
    "gone_since": str,
}

NOTICE_VERSIONS = {
    "id": str,
    "notice_id": str,
    "version": int,
    "content_sha256": str,
    "raw_sha256": str,
    "fetched_at": str,
    "crawl_run_id": int,
    "http_status": int,
    "content_type": str,
    "record_json": str,
    # What the crawl knew beside the bytes (list, list fields, format): to extract again.
    "context_json": str,
    # The response record in the archive's WARC files (pipeline/warc): file, gzip member offset
    # and length, WARC-Record-ID, sha256 (hex) of the payload as received.
    "warc_file": str,
    "warc_offset": int,
    "warc_length": int,
    "warc_record_id": str,
    "payload_sha256": str,
}

ATTACHMENTS = {
    "id": str,
    "notice_id": str,
    "position": int,
    "name": str,
    "url": str,
    # The downloaded file (pipeline/attachments): the sha256 of its bytes (kept in the WARC record
    # below), the type sniffed from them and the one the server sent, the text read from it.
    "sha256": str,
    "size": int,
    "mime": str,
    "text": str,
    "mime_header": str,
    # stored, not_extracted, broken, skipped or failed (pipeline/attachments/policy.py)
    "status": str,
    "reason": str,
    "fetched_at": str,
    "etag": str,
    "last_modified": str,
    # The download's response record in the archive's WARC files, as for notice_versions.
    "warc_file": str,
    "warc_offset": int,
    "warc_length": int,
    "warc_record_id": str,
    "payload_sha256": str,
}

CRAWL_RUNS = {
    "id": int,
    "spider": str,
    "site": str,
    "started": str,
    "finished": str,
    "pages_fetched": int,
    "new": int,
    "changed": int,
    "unchanged": int,
    "gone": int,
    "failed": int,
    "repaired": int,
    "returned": int,
    "field_nulls": str,
    "column_nulls": str,
    "listings": str,
    "finish_reason": str,
    "error": str,
    "args": str,
    "pid": int,
    "host": str,
    "projects_linked": int,
}

FETCH_FAILURES = {
    "id": int,
    "crawl_run_id": int,
    "url": str,
    "site": str,
    "status": int,
    "reason": str,
    "failed_at": str,
}

MONITOR_RESULTS = {
    "id": int,
    "crawl_run_id": int,
    "site": str,
    "check": str,
    "column": str,
    "field": str,
    "passed": int,
    "value": float,
    "threshold": float,
    "message": str,
    "checked_at": str,
}

PROCUREMENT = {
    "notice_id": str,
    "url": str,
    "publish_date": str,
    "announcement_type": str,
    "procurement_method": str,
    "project_number": str,
    "project_name": str,
    "purchaser": str,
    "agency": str,
    "region": str,
    "budget_amount": float,
    "bid_deadline": str,
    "bid_opening": str,
    "award_amount": float,
    "award_suppliers": str,
    "award_date": str,
    "contract_date": str,
    "contract_amount": float,
    "experts": str,
    "conflicts": str,
    "has_conflict": int,
    "project_id": str,
    "link": str,
}

PROCUREMENT_AWARDS = {
    "id": str,
    "notice_id": str,
    "position": int,
    "lot": str,
    "supplier": str,
    "amount": float,
    "rate": float,
    "project_id": str,
}

PROCUREMENT_INTENTS = {
    "id": str,
    "notice_id": str,
    "position": int,
    "purchaser": str,
    "project_name": str,
    "budget_amount": float,
    "expected_month": str,
    "project_id": str,
}

PROCUREMENT_PROJECTS = {
    "id": str,
    "project_number": str,
    "project_name": str,
    "purchaser": str,
    "agency": str,
    "region": str,
    "procurement_method": str,
    "budget_amount": float,
    "award_amount": float,
    "award_suppliers": str,
    "link": str,
    "intent_date": str,
    "tender_date": str,
    "correction_count": int,
    "last_correction_date": str,
    "award_date": str,
    "contract_date": str,
    "contract_signed_date": str,
    "termination_date": str,
    "stages": str,
    "missing_stages": str,
    "status": str,
    "announcement_count": int,
}

TABLES: dict[str, tuple[dict, str]] = {
    "sites": (SITES, "name"),
    "notices": (NOTICES, "id"),
    "notice_versions": (NOTICE_VERSIONS, "id"),
    "attachments": (ATTACHMENTS, "id"),
    "crawl_runs": (CRAWL_RUNS, "id"),
    "fetch_failures": (FETCH_FAILURES, "id"),
    "monitor_results": (MONITOR_RESULTS, "id"),
    "procurement": (PROCUREMENT, "notice_id"),
    "procurement_awards": (PROCUREMENT_AWARDS, "id"),
    "procurement_intents": (PROCUREMENT_INTENTS, "id"),
    "procurement_projects": (PROCUREMENT_PROJECTS, "id"),
}

FOREIGN_KEYS = {
    "notices": [("site", "sites", "name")],
    "notice_versions": [("notice_id", "notices", "id"), ("crawl_run_id", "crawl_runs", "id")],
    "attachments": [("notice_id", "notices", "id")],
    "fetch_failures": [("crawl_run_id", "crawl_runs", "id")],
    "monitor_results": [("crawl_run_id", "crawl_runs", "id")],
    "procurement": [("notice_id", "notices", "id")],
    "procurement_awards": [("notice_id", "notices", "id")],
    "procurement_intents": [("notice_id", "notices", "id")],
}

INDEXES = {
    "notices": [
        # Newest first, ties by id: Datasette's first page orders by publish_date desc, its
        # later pages by publish_date desc, id; one index walks both (and a search's `walk`).
        [DescIndex("publish_date"), "id"],
        ["category"],
        ["site", "publish_date"],
        ["publish_year"],
        ["url"],
        ["status"],
        # The dashboard's monthly charts and the feeds read only this index over a date range.
        ["publish_date", "category", "site"],
        ["doc_number"],  # documents by 文号 prefix (a range on this index)
    ],
    # fetched_at: what changed this week, and the versions table's default sort.
    "notice_versions": [["notice_id", "version"], ["fetched_at"]],
    "attachments": [["notice_id"], ["url"], ["sha256"]],
    "fetch_failures": [["crawl_run_id"], ["url"]],
    # A run's checks (zwgk crawl's exit code, the status page); a site's checks over time.
    "monitor_results": [["crawl_run_id", "passed"], ["site", "check"]],
    "procurement": [["project_id"], ["project_number"], ["purchaser"], ["announcement_type"]],
    "procurement_awards": [["notice_id"], ["supplier"], ["project_id"]],
    "procurement_intents": [["notice_id"], ["project_id"]],
    "procurement_projects": [["project_number"], ["purchaser"]],
}


#: Bytes per database page of a new archive (SQLite's default is 4,096; an existing archive
#: keeps the size it was made with: WAL mode fixes it). A version row (``record_json`` ~2.2 KB
#: and its columns) and a notice row (its ``body_text``) are often over half of a 4 KB page, so
#: one fitted a page and the rest of the page stayed empty: 16 KB pages hold the archive of a
#: scale-3,000 replica crawl in 94 MB instead of 107 (``bench.storage``: ``notice_versions``
#: 3.51 → 2.86 KB a notice, ``notices`` 2.19 → 1.71), and its writer makes 105,000 write calls
#: instead of 279,000 (docs/benchmarks-log.md, 2026-12-06, second).
PAGE_SIZE = 16384


def open_db(path: str) -> sqlite_utils.Database:
    """Open (creating if needed) an archive with WAL journaling and the full schema; a new one
    gets ``PAGE_SIZE`` pages."""
    db = sqlite_utils.Database(path)
    db.execute(f"PRAGMA page_size={PAGE_SIZE}")  # a no-op unless the file is still empty
    db.enable_wal()
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA busy_timeout=30000")  # a reader or a concurrent spider may hold the lock
    db.execute("PRAGMA foreign_keys=ON")
    ensure_schema(db)
    return db


def _create_tables(db: sqlite_utils.Database, tables: dict[str, tuple[dict, str]]) -> None:
    """Create ``tables`` with their foreign keys, each after the tables it refers to. Adding
    the keys afterwards made sqlite-utils rebuild eight tables and ``VACUUM``: a new archive's
    first open took 47 ms instead of 19, which a first crawl spends before it fetches
    anything."""
    pending = dict(tables)
    while pending:
        ready = [
            name
            for name in pending
            if not any(other in pending and other != name for _, other, _ in _fks(name))
        ]
        if not ready:
            raise ValueError(f"foreign keys form a cycle: {sorted(pending)}")
        for name in ready:
            columns, pk = pending.pop(name)
            db[name].create(columns, pk=pk, foreign_keys=_fks(name) or None)


def _fks(name: str) -> list[tuple[str, str, str]]:
    return FOREIGN_KEYS.get(name, [])


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create missing tables, columns, indexes and the full-text index; idempotent."""
    missing_tables = {}
    for name, (columns, pk) in TABLES.items():
        table = db[name]
        if not table.exists():
            missing_tables[name] = columns, pk
        else:
            existing = set(table.columns_dict)
            for column, col_type in columns.items():
                if column not in existing:
                    table.add_column(column, col_type)
    _create_tables(db, missing_tables)
    for name, fks in FOREIGN_KEYS.items():  # those an archive made by an older version lacks
        present = {(fk.column, fk.other_table) for fk in db[name].foreign_keys}
        missing = [fk for fk in fks if (fk[0], fk[1]) not in present]
        if missing:
            db.add_foreign_keys([(name, *fk) for fk in missing])
    for name, indexes in INDEXES.items():
        for columns in indexes:
            db[name].create_index(columns, if_not_exists=True)
    fts_index.ensure(db.conn)  # the bigram index; replaces the older unicode61 one once
    facet_counts.ensure(db.conn)  # facet figures over whole tables, kept by triggers
    repairs.run(db.conn)  # data older writers stored wrong, once
