"""The ``monitor_results`` table and the run history the crawl monitors judge against.

Every check a crawl monitor evaluated (crawler/monitors.py) is one row: the run, the site, the
check (``empty_column``, ``field_nulls``, ``error_rate``, ``blocked``), the column and field it
looked at (null for the whole run), whether it passed, the value measured against its threshold,
and a message. ``sites.blocked_since`` says since when a site answers with challenges or
403/412/429/521 only; the next run that finishes clears it.

Written from the crawl process after the archive writer has closed the run (a short transaction
with a busy timeout, as ``runs.record_writer_failure`` does); read by ``zwgk crawl`` (its exit
code), ``zwgk status`` and the status page. ``check`` is an SQL keyword: quote it in queries
(``select "check" from monitor_results``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from dataclasses import asdict, dataclass
from typing import Any

from pipeline.store.runs import utcnow

TABLE = "monitor_results"
CHECKS = ("empty_column", "field_nulls", "error_rate", "blocked")
#: A run that archived something (or failed nothing) and finished: what a "successful run" is.
SUCCESSFUL = (
    "finish_reason = 'finished'"
    " and (coalesce(new, 0) + coalesce(changed, 0) + coalesce(unchanged, 0)"
    " + coalesce(repaired, 0) > 0 or coalesce(failed, 0) = 0)"
)
#: ... and whose monitors all passed: the baseline a run is compared with.
HEALTHY = (
    f"{SUCCESSFUL} and not exists (select 1 from {TABLE} m"  # noqa: S608 - constant SQL
    " where m.crawl_run_id = crawl_runs.id and m.passed = 0)"
)


@dataclass(frozen=True)
class Result:
    """One evaluated check."""

    check: str
    passed: bool
    value: float | None
    threshold: float | None
    message: str
    column: str | None = None
    field: str | None = None

    def where(self) -> str:
        """``column 通知公告, field title`` / ``whole run``: what the check looked at."""
        parts = [f"column {self.column}"] if self.column is not None else ["whole run"]
        if self.field:
            parts.append(f"field {self.field}")
        return ", ".join(parts)


def connect(db_path: str, timeout: float = 30.0) -> sqlite3.Connection:
    """A connection for the monitors (rows as ``sqlite3.Row``, the writer's busy timeout)."""
    conn = sqlite3.connect(db_path, timeout=timeout)
    conn.row_factory = sqlite3.Row
    return conn


def baseline_run(conn: sqlite3.Connection, run: dict[str, Any]) -> dict[str, Any] | None:
    """The last healthy run of the same spider and site before ``run``, or None."""
    row = conn.execute(
        f"select * from crawl_runs where spider = ? and site is ? and id < ? and {HEALTHY}"  # noqa: S608 - constant SQL
        " order by id desc limit 1",
        [run["spider"], run.get("site"), run["id"]],
    ).fetchone()
    return dict(row) if row else None


def attempts(conn: sqlite3.Connection, run: dict[str, Any]) -> int:
    """Requests answered (``pages_fetched``) plus failures that got no answer (timeouts,
    refusals): the denominator of the error rate."""
    unanswered = conn.execute(
        "select count(*) from fetch_failures where crawl_run_id = ? and status is null",
        [run["id"]],
    ).fetchone()[0]
    return (run.get("pages_fetched") or 0) + unanswered


def record(
    db_path: str, run: dict[str, Any], site: str, results: Iterable[Result], blocked: bool
) -> int:
    """Store a run's results and the site's blocked mark in one transaction; returns how many
    rows were written. A blocked run marks the site (keeping an earlier mark); a run that
    finished clears it."""
    now = utcnow()
    rows = [
        [run["id"], site, r.check, r.column, r.field, int(r.passed), r.value, r.threshold,
         r.message, now]
        for r in results
    ]  # fmt: skip
    with closing(connect(db_path)) as conn, conn:
        conn.executemany(
            f'insert into {TABLE} (crawl_run_id, site, "check", "column", field, passed, value,'  # noqa: S608 - constant table name
            " threshold, message, checked_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        if blocked:
            conn.execute(
                "update sites set blocked_since = coalesce(blocked_since, ?) where name = ?",
                [now, site],
            )
        elif run.get("finish_reason") == "finished":
            conn.execute("update sites set blocked_since = null where name = ?", [site])
    return len(rows)


def failed_results(db_path: str, run_id: int) -> list[dict[str, Any]]:
    """The failed checks of a run, in the order they were stored ([] without the table)."""
    try:
        with closing(connect(db_path, timeout=10)) as conn:
            rows = conn.execute(
                f'select site, "check", "column", field, value, threshold, message from {TABLE}'  # noqa: S608 - constant table name
                " where crawl_run_id = ? and passed = 0 order by id",
                [run_id],
            ).fetchall()
    except sqlite3.Error:
        return []
    return [dict(row) for row in rows]


def payload(run: dict[str, Any], site: str, failures: list[Result]) -> dict[str, Any]:
    """The webhook's JSON message for a run with failed checks."""
    return {
        "site": site,
        "spider": run.get("spider"),
        "run_id": run["id"],
        "finish_reason": run.get("finish_reason"),
        "checks_failed": sorted({r.check for r in failures}),
        "messages": [f"{r.check} ({r.where()}): {r.message}" for r in failures],
        "failures": [asdict(r) for r in failures],
    }


def loads(value: str | None) -> dict[str, Any]:
    """A JSON column of ``crawl_runs`` as a dict ({} when empty or not an object)."""
    try:
        data = json.loads(value or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}
