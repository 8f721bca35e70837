"""``zwgk status``: each site's crawl health in the terminal, as ``/-/status`` shows it.

Exit 0 when every site is healthy; 1 when a site is blocked or its last run's monitors failed
(so cron or a check script can act on it).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from pipeline.store.status import BLOCKED, FAILING, NEVER, OK, SiteStatus, site_status

STATE_WORDS = {OK: "ok", FAILING: "MONITOR FAILED", BLOCKED: "BLOCKED", NEVER: "not crawled yet"}
BARS = "▁▂▃▄▅▆▇█"


def spark(values: list[int]) -> str:
    """``▁▃█▅``: values as block characters, the largest a full block."""
    top = max(values, default=0)
    if top <= 0:
        return BARS[0] * len(values)
    return "".join(BARS[min(round(v / top * (len(BARS) - 1)), len(BARS) - 1)] for v in values)


def run_line(run: dict) -> str:
    return (
        f"#{run['id']} {run['started']} {run.get('finish_reason') or 'running'}: "
        f"{run.get('new') or 0} new, {run.get('changed') or 0} changed, "
        f"{run.get('gone') or 0} gone, {run.get('failed') or 0} failed"
    )


def site_lines(status: SiteStatus) -> list[str]:
    """The lines of one site: state, runs, failures, monitors that fired, sparkline."""
    name = f"{status.site} {status.title}" if status.title else status.site
    lines = [f"{name}: {STATE_WORDS[status.state]}"]
    if status.blocked_since:
        lines.append(f"  blocked since {status.blocked_since} (cleared by the next finished run)")
    if status.last_run is None:
        return lines
    lines.append(f"  last run:            {run_line(status.last_run)}")
    success = status.last_success
    lines.append(f"  last successful run: {run_line(success) if success else 'none'}")
    if status.failures:
        reasons = ", ".join(f"{reason} ×{count}" for reason, count in status.failures)
        lines.append(f"  failures:            {reasons}")
    for m in status.monitors_failed:
        where = f"column {m['column']}" if m["column"] is not None else "whole run"
        lines.append(f"  monitor failed:      {m['check']} ({where}): {m['message']}")
    if not status.monitors_failed and status.monitors_checked:
        lines.append(f"  monitors:            {status.monitors_checked} checks passed")
    values = [run["archived"] or 0 for run in status.history]
    lines.append(
        f"  archived per run:    {spark(values)}  (last {len(values)} runs, "
        f"{values[0]} … {values[-1]})"
    )
    return lines


def status(db: str) -> int:
    """Print every site's status; 1 when one needs attention (blocked, monitors failed)."""
    uri = Path(db).resolve().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True, timeout=10)) as conn:
        statuses = site_status(conn)
    if not statuses:
        print(f"{db}: no site crawled yet")
        return 0
    for site in statuses:
        print("\n".join(site_lines(site)))
    attention = [s.site for s in statuses if s.needs_attention]
    if attention:
        print(f"{len(attention)} of {len(statuses)} sites need attention: {', '.join(attention)}")
        return 1
    print(f"{len(statuses)} site{'s' if len(statuses) != 1 else ''}, all healthy")
    return 0
