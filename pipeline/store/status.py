"""Each site's crawl health, as ``zwgk status`` prints it and ``/-/status`` shows it.

Per site (the ``sites`` table): whether it is blocked (``sites.blocked_since``), its last run
(counts, finish reason), its last successful run, the last run's failures by reason
(``fetch_failures``) and the monitors that failed in it (``monitor_results``), and the notices
archived or confirmed per run over its last runs (the sparkline). Plain ``sqlite3`` on a
read-only connection; an archive older than the monitors (no ``monitor_results``, no
``blocked_since``) reads as having none.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from pipeline.store.monitors import SUCCESSFUL, TABLE

HISTORY = 20  # runs in the sparkline
OK, FAILING, BLOCKED, NEVER = "ok", "failing", "blocked", "never"
#: The notices a run archived or confirmed (new, changed, unchanged, repaired).
ARCHIVED = (
    "coalesce(new, 0) + coalesce(changed, 0) + coalesce(unchanged, 0) + coalesce(repaired, 0)"
)
RUN_COLUMNS = (
    "id, spider, site, started, finished, finish_reason, pages_fetched, new, changed, "
    f"unchanged, repaired, gone, failed, error, {ARCHIVED} as archived"
)


@dataclass
class SiteStatus:
    """One site's crawl health."""

    site: str
    title: str | None = None
    blocked_since: str | None = None
    last_run: dict[str, Any] | None = None
    last_success: dict[str, Any] | None = None
    failures: list[tuple[str, int]] = field(default_factory=list)
    monitors_failed: list[dict[str, Any]] = field(default_factory=list)
    monitors_checked: int = 0
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def state(self) -> str:
        """``blocked``, ``failing`` (the last run's monitors failed, or it did not finish),
        ``ok`` or ``never`` (no run yet)."""
        if self.blocked_since:
            return BLOCKED
        if self.last_run is None:
            return NEVER
        unfinished = self.last_run.get("finish_reason") not in ("finished", None)
        return FAILING if self.monitors_failed or unfinished else OK

    @property
    def needs_attention(self) -> bool:
        """Blocked, or the last run's monitors failed: ``zwgk status`` exits 1."""
        return bool(self.blocked_since or self.monitors_failed)


def site_status(conn: sqlite3.Connection, history: int = HISTORY) -> list[SiteStatus]:
    """Every site of the archive: those that need attention first, then by name (the
    connection is not changed: it may be Datasette's own)."""
    tables = {row[0] for row in conn.execute("select name from sqlite_master where type='table'")}
    if not {"sites", "crawl_runs"} <= tables:
        return []
    has_monitors = TABLE in tables
    columns = {row[1] for row in conn.execute("pragma table_info(sites)")}
    blocked = "blocked_since" if "blocked_since" in columns else "null as blocked_since"
    sites = _rows(conn, f"select name, title, {blocked} from sites order by name")  # noqa: S608 - column names from the schema
    statuses = [_one(conn, site, has_monitors, history) for site in sites]
    return sorted(statuses, key=lambda status: not status.needs_attention)  # stable: by name


def _rows(conn: sqlite3.Connection, sql: str, params: list[Any] | None = None) -> list[dict]:
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    return [dict(row) for row in cursor.execute(sql, params or [])]


def _one(
    conn: sqlite3.Connection, site: dict[str, Any], has_monitors: bool, history: int
) -> SiteStatus:
    name = site["name"]
    status = SiteStatus(name, site.get("title"), site.get("blocked_since"))
    runs = _rows(
        conn,
        f"select {RUN_COLUMNS} from crawl_runs where site = ? order by id desc limit ?",  # noqa: S608 - constant SQL
        [name, history],
    )
    if not runs:
        return status
    status.last_run = runs[0]
    success = _rows(
        conn,
        f"select {RUN_COLUMNS} from crawl_runs where site = ? and {SUCCESSFUL}"  # noqa: S608 - constant SQL
        " order by id desc limit 1",
        [name],
    )
    status.last_success = success[0] if success else None
    status.failures = [
        (row[0], row[1])
        for row in conn.execute(
            "select reason, count(*) from fetch_failures where crawl_run_id = ?"
            " group by reason order by count(*) desc, reason",
            [runs[0]["id"]],
        )
    ]
    fired: dict[int, int] = {}
    if has_monitors:
        status.monitors_failed = _rows(
            conn,
            f'select "check", "column", field, value, threshold, message from {TABLE}'  # noqa: S608 - constant table name
            " where crawl_run_id = ? and passed = 0 order by id",
            [runs[0]["id"]],
        )
        status.monitors_checked = conn.execute(
            f"select count(*) from {TABLE} where crawl_run_id = ?",  # noqa: S608 - constant table name
            [runs[0]["id"]],
        ).fetchone()[0]
        ids = [run["id"] for run in runs]
        marks = ",".join("?" * len(ids))
        fired = dict(
            conn.execute(
                f"select crawl_run_id, count(*) from {TABLE} where passed = 0"  # noqa: S608 - placeholders only
                f" and crawl_run_id in ({marks}) group by crawl_run_id",
                ids,
            ).fetchall()
        )
    for run in runs:
        run["monitors_failed"] = fired.get(run["id"], 0)
    status.history = runs[::-1]
    return status
