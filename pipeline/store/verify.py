"""``zwgk verify``: is everything the archive says it holds really there?

Each check is one query over the archive, read-only. A failed check names what is wrong, how
many rows, and a few examples; notices that are not whole (no current version, attachments
missing) are refetched by the next ``zwgk crawl`` of their site, which lists them first.

The evidence checks (``pipeline/store/evidence.py``) read every version's WARC record through
its pointer and compare its digests; ``deep`` also extracts each record again and compares the
result with the stored version.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.store.consistency import HAS_ATTACHMENTS, HAS_VERSION

EXAMPLES = 5


@dataclass
class Check:
    """One verified property: its name, the rows that break it (as short strings)."""

    name: str
    problems: list[str] = field(default_factory=list)
    hint: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> Iterator[str]:
        if self.ok:
            yield f"ok    {self.name}"
            return
        hint = f" ({self.hint})" if self.hint else ""
        yield f"FAIL  {self.name}: {len(self.problems):,}{hint}"
        for example in self.problems[:EXAMPLES]:
            yield f"        {example}"
        if len(self.problems) > EXAMPLES:
            yield f"        … and {len(self.problems) - EXAMPLES:,} more"


def verify(db_path: str | Path, *, deep: bool = False) -> list[Check]:
    """Every check on the archive at ``db_path``: its rows, and every version's WARC record and
    digests (``deep``: also extract every record again and compare with the stored version)."""
    from pipeline.store.evidence import attachment_checks, warc_checks  # they build on Check

    uri = f"{Path(db_path).resolve().as_uri()}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=30)) as conn:
        checks = [check(conn) for check in CHECKS]
        checks.append(attachment_files(conn, db_path, deep))
        checks += warc_checks(conn, Path(db_path), deep=deep)
        checks += attachment_checks(conn, Path(db_path), deep=deep)
    return checks


def attachment_files(conn: sqlite3.Connection, db_path: str | Path, deep: bool) -> Check:
    """Each stored attachment without a WARC record (downloaded before capture) has its plain
    copy in ``archive/files/`` with its size (``deep``: and it hashes to its sha256). The bytes
    of every other download are in its record: ``evidence.attachment_checks`` reads those."""
    from pipeline.attachments.store import missing_or_damaged

    sql = (
        "select distinct url, sha256, size from attachments"
        " where sha256 is not null and warc_file is null"
    )
    try:
        rows = conn.execute(sql).fetchall()
    except sqlite3.OperationalError:  # an archive from before attachment downloads
        rows = []
    name = "attachments without a WARC record: their files" + (
        " match their sha256" if deep else " are there"
    )
    hint = "restore archive/files/, or the next crawl fetching their page downloads them again"
    return Check(name, missing_or_damaged(db_path, rows, deep), hint)


def _rows(conn: sqlite3.Connection, sql: str) -> list[str]:
    return [" ".join(str(v) for v in row) for row in conn.execute(sql)]


def integrity(conn: sqlite3.Connection) -> Check:
    found = [r for r in _rows(conn, "pragma integrity_check") if r != "ok"]
    return Check("SQLite integrity_check", found, "the file is damaged: restore a backup")


def foreign_keys(conn: sqlite3.Connection) -> Check:
    return Check("foreign keys", _rows(conn, "pragma foreign_key_check"))


def _notices_where_not(name: str, condition: str, conn: sqlite3.Connection) -> Check:
    sql = f"select n.url from notices n where not {condition}"  # noqa: S608 - constant
    return Check(name, _rows(conn, sql), "the next zwgk crawl refetches them")


def current_versions(conn: sqlite3.Connection) -> Check:
    return _notices_where_not("every notice has its current version", HAS_VERSION, conn)


def attachments(conn: sqlite3.Connection) -> Check:
    return _notices_where_not("every notice has all its attachment rows", HAS_ATTACHMENTS, conn)


def version_runs(conn: sqlite3.Connection) -> Check:
    sql = (
        "select n.url, n.version_count, count(v.id) from notices n"
        " left join notice_versions v on v.notice_id = n.id"
        " group by n.id having count(v.id) != coalesce(n.version_count, 0)"
    )
    return Check("versions 1…N stored for each notice", _rows(conn, sql))


def procurement_rows(conn: sqlite3.Connection) -> Check:
    sql = (
        "select n.url from notices n join notice_versions v on v.id = n.id || '-' ||"
        " n.version_count where n.kind = 'procurement'"
        " and json_extract(v.record_json, '$.procurement') is not null"
        " and not exists (select 1 from procurement p where p.notice_id = n.id)"
    )
    return Check(
        "every procurement notice has its procurement row",
        _rows(conn, sql),
        "the next zwgk crawl refetches them",
    )


def open_runs(conn: sqlite3.Connection) -> Check:
    sql = "select id, spider, started from crawl_runs where finish_reason is null"
    return Check(
        "every crawl run has a finish reason",
        _rows(conn, sql),
        "runs still going, or killed: the next run of the spider records those as interrupted",
    )


CHECKS: tuple[Callable[[sqlite3.Connection], Check], ...] = (
    integrity,
    foreign_keys,
    current_versions,
    version_runs,
    attachments,
    procurement_rows,
    open_runs,
)
#: Checks whose failure is information, not damage (a crawl may be running right now).
INFORMATIONAL = frozenset(
    {"every crawl run has a finish reason", "every stored attachment points at a WARC record"}
)


def damaged(checks: list[Check]) -> list[Check]:
    """The failed checks that mean something is missing or broken."""
    return [c for c in checks if not c.ok and c.name not in INFORMATIONAL]
