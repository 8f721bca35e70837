"""Datasette plugin: the operators' view of the crawl (``/-/status``).

- ``/-/status``: per site (``pipeline.store.status``): blocked or not, the last run with its new,
  changed and gone notices and its failures by reason (each linked to its ``fetch_failures``
  rows), the last successful run, the monitors that failed in the last run
  (``monitor_results``, crawler/monitors.py), and a sparkline (publish/charts.py) of the
  notices archived or confirmed per run over the last runs, runs whose monitors failed marked.
  ``zwgk status`` prints the same in a terminal.
- A "Status" entry in the navigation menu; the home page links it too.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response

from pipeline.store.status import BLOCKED, FAILING, NEVER, OK, SiteStatus, site_status
from publish.charts import Point, sparkline
from publish.overview import is_archive

STATUS_PATH = "/-/status"
STATE_LABELS = {
    OK: "正常 / OK",
    FAILING: "监控告警 / Monitor failed",
    BLOCKED: "已被封锁 / Blocked",
    NEVER: "尚未抓取 / Not crawled yet",
}
CHECK_LABELS = {
    "empty_column": "栏目为空 / Empty column",
    "field_nulls": "字段缺失 / Fields null",
    "error_rate": "失败率 / Error rate",
    "blocked": "被封锁 / Blocked",
}


def site_view(datasette: Any, database: str, status: SiteStatus) -> dict[str, Any]:
    """One site as the page shows it: its state, runs with links, failures, monitors, chart."""
    runs_url = datasette.urls.table(database, "crawl_runs")
    failures_url = datasette.urls.table(database, "fetch_failures")
    monitors_url = datasette.urls.table(database, "monitor_results")
    last = status.last_run

    def run_url(run: dict[str, Any] | None) -> str | None:
        return datasette.urls.row(database, "crawl_runs", str(run["id"])) if run else None

    failures = [
        {
            "reason": reason,
            "count": count,
            "url": failures_url + "?" + urlencode({"crawl_run_id": last["id"], "reason": reason}),
        }
        for reason, count in status.failures
    ]
    monitors = [
        {**m, "label": CHECK_LABELS.get(m["check"], m["check"])} for m in status.monitors_failed
    ]
    points = [
        Point(
            f"run {run['id']} · {(run['started'] or '')[:10]}",
            run["archived"] or 0,
            bool(run["monitors_failed"]) or run["finish_reason"] not in ("finished", None),
        )
        for run in status.history
    ]
    title = f"{status.site}: 每次抓取存档的公开信息 / notices archived per run"
    return {
        "site": status.site,
        "title": status.title,
        "state": status.state,
        "state_label": STATE_LABELS[status.state],
        "blocked_since": status.blocked_since,
        "last_run": last,
        "last_run_url": run_url(last),
        "last_success": status.last_success,
        "last_success_url": run_url(status.last_success),
        "failures": failures,
        "monitors": monitors,
        "monitors_checked": status.monitors_checked,
        "monitors_url": (
            monitors_url + "?" + urlencode({"crawl_run_id": last["id"]}) if last else None
        ),
        "runs_url": runs_url + "?" + urlencode({"site": status.site}),
        "sparkline": sparkline(f"spark-{status.site}", title, points),
        "runs_shown": len(points),
    }


async def status_page(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    if not await is_archive(db):
        return Response.html("这不是 zwgk 存档 / Not a zwgk archive", status=404)
    statuses = await db.execute_fn(site_status)
    sites = [site_view(datasette, db.name, s) for s in statuses]
    context = {
        "metadata": datasette.metadata(),
        "database": db.name,
        "sites": sites,
        "attention": sum(1 for s in statuses if s.needs_attention),
        "monitors_table_url": datasette.urls.table(db.name, "monitor_results"),
    }
    html = await datasette.render_template(
        "status.html", context, request=request, view_name="zwgk_status"
    )
    return Response.html(html)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(rf"^{STATUS_PATH}$", status_page)]


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [{"href": datasette.urls.path(STATUS_PATH), "label": "抓取状态 / Status"}]
