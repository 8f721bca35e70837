"""Datasette plugin: the supervisors' view of the compliance findings (``zwgk check``).

- ``/-/compliance``: per site and rule, the findings by verdict (each count links to the rows);
  the on-time rate by year as a chart (publish/charts.py) with its numbers; the late and missing
  findings with their evidence: rule, legal basis, subject, due date, days late, the dates used
  with where each came from, and links to the notice's page, the original URL, the raw capture
  that was read and the finding's own row. ``?site=`` and ``?rule_id=`` narrow the whole page.
  Without a ``compliance_findings`` table, or with an empty one, the page says to run
  ``zwgk check``.
- Every figure comes from a canned query of metadata.yml (``COUNTS_QUERY``, ``RATE_QUERY``,
  ``LATE_QUERY``), run with the page's parameters: each section links to that same query.
- The cells of a finding (its table and row pages): ``capture`` links to its raw capture,
  ``notice_id`` to the notice's page, ``dates`` is a list; in query results ``capture`` and
  ``finding_id`` link the same way. ``url`` is a link through Datasette's own rule (http(s) only).
- A "Compliance" entry in the navigation menu.

The table's schema and the meaning of its columns: pipeline/compliance/findings.py.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import tilde_encode
from datasette.utils.asgi import Response
from markupsafe import Markup

from pipeline.compliance.findings import TABLE, VERDICTS
from publish.charts import ChartSpec, Series
from publish.dashboard import Panel
from publish.overview import is_archive

COMPLIANCE_PATH = "/-/compliance"
COUNTS_QUERY = "compliance_counts"
RATE_QUERY = "compliance_on_time_rate"
LATE_QUERY = "compliance_late_and_missing"
#: Late and missing findings listed on the page; the canned query has them all.
LIST_LIMIT = 500
FILTERS = ("site", "rule_id")
ANY_SQL = f"select 1 from {TABLE} limit 1"  # noqa: S608 - constant table name
SUMMARY_SQL = f"""\
select count(*) as findings, max(as_of) as as_of, max(checked_at) as checked_at
from {TABLE}
where (:site = '' or site = :site) and (:rule_id = '' or rule_id = :rule_id)"""  # noqa: S608 - constant table name

VERDICT_LABELS = {
    "on_time": "按时 / On time",
    "late": "逾期 / Late",
    "missing": "缺失 / Missing",
    "not_yet_due": "未到期 / Not yet due",
    "undeterminable": "无法判断 / Undeterminable",
}
#: The shares of the rate chart, stacked to 100%: on time first (Okabe-Ito green, vermillion,
#: orange).
RATE_SERIES = (
    ("on_time", "按时 / On time", "#009E73"),
    ("late", "逾期 / Late", "#D55E00"),
    ("missing", "缺失 / Missing", "#E69F00"),
)
TIMED_OUT = "查询超时 / The query took too long"


def percent(value: float) -> str:
    """A share in percent as the axis and table write it: ``66.7%``, ``100%``."""
    return f"{value:,.1f}".rstrip("0").rstrip(".") + "%"


def filters_param(request: Any) -> dict[str, str]:
    """The page's filters (``site``, ``rule_id``): '' for all."""
    return {name: (request.args.get(name) or "").strip() for name in FILTERS}


def evidence_dates(value: Any) -> list[dict[str, str]]:
    """The ``dates`` column as a list of ``{field, label, value, source}`` (strings); text that
    is not such a list becomes one entry holding it."""
    if value in (None, ""):
        return []
    try:
        items = json.loads(value) if isinstance(value, str) else value
    except ValueError:
        items = None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        return [{"field": "", "label": "", "value": str(value), "source": ""}]
    keys = ("field", "label", "value", "source")
    return [{k: "" if i.get(k) is None else str(i[k]) for k in keys} for i in items]


def raw_url(datasette: Any, capture: str) -> str:
    """The raw capture of a ``notice_versions`` id (route of publish/plugins/zwgk_notice.py)."""
    return datasette.urls.path("/-/raw/" + quote(capture, safe=""))


def row_url(datasette: Any, database: str, table: str, pk: str) -> str:
    return datasette.urls.row(database, table, tilde_encode(pk))


class Queries:
    """The canned queries of the served archive, run with the page's filters."""

    def __init__(self, datasette: Any, db: Any, canned: dict[str, Any], filters: dict[str, str]):
        self.datasette, self.db, self.canned, self.filters = datasette, db, canned, filters

    def url(self, name: str) -> str:
        """The canned query's page with the page's filters."""
        base = self.datasette.urls.query(self.db.name, name)
        return base + "?" + urlencode(self.filters) if any(self.filters.values()) else base

    def sql(self, name: str) -> str | None:
        query = self.canned.get(name)
        return query.get("sql") if query else None

    async def run(self, name: str, limit: int | None = None) -> tuple[list[Any], str | None]:
        """The query's rows (at most ``limit``), or none and why."""
        sql = self.sql(name)
        if not sql:
            return [], f"查询 {name} 未配置 / The query {name} is not configured"
        if limit is not None:
            sql = f"select * from (\n{sql}\n) limit {int(limit)}"  # noqa: S608 - canned SQL
        try:
            return (await self.db.execute(sql, self.filters)).rows, None
        except QueryInterrupted:
            return [], TIMED_OUT


def rate_panel(queries: Queries, rows: list[Any], error: str | None) -> Panel:
    """On time, late and missing per year as shares of 100% (the rate is the first share)."""
    labels = [str(r["year"]) for r in rows]
    shares = {
        verdict: [
            r["on_time_rate"]
            if verdict == "on_time"
            else round(100.0 * r[verdict] / (r["on_time"] + r["late"] + r["missing"]), 1)
            for r in rows
        ]
        for verdict, _, _ in RATE_SERIES
    }
    spec = ChartSpec(
        chart_id="chart-on-time-rate",
        title="每年按时公开率 · On-time rate by year",
        description=(
            "Per year of the subject: findings on time as a share of those on time, late or "
            "missing (the green bar), the rest late or missing; findings not yet due or "
            "undeterminable are not counted."
        ),
        x_title="年份 / Year",
        y_title="占比 / Share (%)",
        labels=labels,
        series=[Series(name, shares[verdict]) for verdict, name, _ in RATE_SERIES],
        value_format=percent,
        colors=[colour for _, _, colour in RATE_SERIES],
        y_max=100,
    )
    header = [
        "年份 / Year",
        *(VERDICT_LABELS[v] for v, _, _ in RATE_SERIES),
        "按时率 / On-time rate",
    ]
    table = [
        [
            label,
            *(f"{r[v]:,}" for v, _, _ in RATE_SERIES),
            percent(r["on_time_rate"]),
        ]
        for label, r in zip(labels, rows, strict=True)
    ]
    sql = queries.sql(RATE_QUERY) or ""
    return Panel(spec, sql, queries.filters, queries.url(RATE_QUERY), header, table, error)


def finding_view(datasette: Any, database: str, row: Any) -> dict[str, Any]:
    """One late or missing finding as the page shows it, with its evidence links."""
    finding = dict(row)
    finding["verdict_label"] = VERDICT_LABELS.get(row["verdict"], row["verdict"])
    finding["dates"] = evidence_dates(row["dates"])
    finding["finding_url"] = row_url(datasette, database, TABLE, row["finding_id"])
    finding["notice_url"] = (
        row_url(datasette, database, "notices", row["notice_id"]) if row["notice_id"] else None
    )
    finding["raw_url"] = raw_url(datasette, row["capture"]) if row["capture"] else None
    return finding


def counts_view(datasette: Any, database: str, rows: list[Any], filters: dict[str, str]):
    """The counts per site and rule, each count with the link to its rows, and the totals."""
    table = datasette.urls.table(database, TABLE)
    lines, totals = [], dict.fromkeys((*VERDICTS, "findings"), 0)
    for row in rows:
        keep = {"site": row["site"], "rule_id": row["rule_id"]}
        cells = []
        for verdict in (*VERDICTS, "findings"):
            n = row[verdict] or 0
            totals[verdict] += n
            query = {**keep, "verdict": verdict} if verdict != "findings" else keep
            href = table + "?" + urlencode({k: v for k, v in query.items() if v is not None})
            cells.append({"verdict": verdict, "n": n, "href": href if n else None})
        lines.append(
            {
                **dict(row),
                "cells": cells,
                "page_url": "?" + urlencode({k: v or "" for k, v in keep.items()}),
            }
        )
    determinable = totals["on_time"] + totals["late"] + totals["missing"]
    rate = round(100.0 * totals["on_time"] / determinable, 1) if determinable else None
    return lines, totals, rate


async def compliance(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    if not await is_archive(db):
        return Response.html("这不是 zwgk 存档 / Not a zwgk archive", status=404)
    filters = filters_param(request)
    context: dict[str, Any] = {
        "metadata": datasette.metadata(),
        "database": db.name,
        "filters": filters,
        "verdicts": [{"name": v, "label": VERDICT_LABELS[v]} for v in VERDICTS],
        "table_url": datasette.urls.table(db.name, TABLE),
        "summary": None,
        "checked": False,
    }
    if await db.table_exists(TABLE):
        context["checked"] = bool((await db.execute(ANY_SQL)).rows)
        summary = dict((await db.execute(SUMMARY_SQL, filters)).first())
        if summary["findings"]:
            context["summary"] = summary
            context.update(await _sections(datasette, db, request, filters))
    html = await datasette.render_template(
        "compliance.html", context, request=request, view_name="zwgk_compliance"
    )
    return Response.html(html)


async def _sections(datasette: Any, db: Any, request: Any, filters: dict[str, str]) -> dict:
    canned = await datasette.get_canned_queries(db.name, request.actor)
    queries = Queries(datasette, db, canned, filters)
    counts, counts_error = await queries.run(COUNTS_QUERY)
    by_year, rate_error = await queries.run(RATE_QUERY)
    late, late_error = await queries.run(LATE_QUERY, LIST_LIMIT + 1)
    lines, totals, rate = counts_view(datasette, db.name, counts, filters)
    return {
        "counts": lines,
        "totals": totals,
        "rate": rate,
        "counts_error": counts_error,
        "counts_url": queries.url(COUNTS_QUERY),
        "panel": rate_panel(queries, by_year, rate_error),
        "findings": [finding_view(datasette, db.name, r) for r in late[:LIST_LIMIT]],
        "more_findings": len(late) > LIST_LIMIT,
        "list_limit": LIST_LIMIT,
        "late_error": late_error,
        "late_url": queries.url(LATE_QUERY),
    }


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(rf"^{COMPLIANCE_PATH}$", compliance)]


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [{"href": datasette.urls.path(COMPLIANCE_PATH), "label": "合规检查 / Compliance"}]


def _link(href: str, text: str, cls: str) -> Markup:
    return Markup('<a class="{}" href="{}">{}</a>').format(cls, href, text)


def dates_cell(value: Any) -> Markup:
    """The dates a finding used, one line each: label (field): value — source."""
    items = []
    for d in evidence_dates(value):
        name = d["label"] or d["field"]
        field = f" ({d['field']})" if d["label"] and d["field"] else ""
        source = Markup(' — <span class="zwgk-source">{}</span>').format(d["source"])
        items.append(
            Markup('<li data-field="{}">{}{}: <strong>{}</strong>{}</li>').format(
                d["field"], name, field, d["value"], source if d["source"] else ""
            )
        )
    return Markup('<ul class="zwgk-dates">{}</ul>').format(Markup("").join(items))


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any):
    if not isinstance(value, str) or not value:
        return None
    if table == TABLE:
        if column == "capture":
            return _link(raw_url(datasette, value), value, "zwgk-link-raw")
        if column == "notice_id":
            return _link(row_url(datasette, database, "notices", value), value, "zwgk-link-notice")
        if column == "dates":
            return dates_cell(value)
    elif table is None:  # a query's results: the columns of the compliance queries
        if column == "capture":
            return _link(raw_url(datasette, value), value, "zwgk-link-raw")
        if column == "finding_id":
            href = row_url(datasette, database, TABLE, value)
            return _link(href, value, "zwgk-link-finding")
    return None
