"""The dashboard's charts: one read-only, bounded SQL query each, and the panel that shows it.

Every query reads an index range or one indexed value: the monthly charts read only the index
``notices(publish_date, category, site)`` over their months (counts per month and value first,
then the largest values), the award charts the award rows by ``procurement(announcement_type)``.
Each returns at most ``months × (TOP_SERIES + 1)`` or ``TOP_PURCHASERS`` rows or one row per
year, so a page stays fast on an archive of a million notices. A panel keeps the SQL and the
parameters it ran with: the page links each chart to that same query in Datasette and shows its
numbers in a table.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from datasette.database import QueryInterrupted
from markupsafe import Markup

from publish.charts import OTHER, ChartSpec, Series, bar_chart, column_chart, format_yuan

DEFAULT_MONTHS = 24
MAX_MONTHS = 240
TOP_SERIES = 7
TOP_PURCHASERS = 15
NOT_STATED = "（未注明 / not stated）"

NEWEST_CRAWL_SQL = "select max(started) as started from crawl_runs"
LAST_MONTH_SQL = "select max(publish_date) as last from notices where publish_date <= :until"

# {column} is "category" or "site" (PER_MONTH_COLUMNS), never user input.
PER_MONTH_SQL = """\
with counts as (
  select substr(publish_date, 1, 7) as month, coalesce({column}, '') as name, count(*) as n
  from notices
  where publish_date >= :start and publish_date < :stop
  group by month, name
),
top as (select name from counts group by name order by sum(n) desc, name limit {top})
select month,
       case when name in (select name from top) then name else '{other}' end as series,
       sum(n) as notices
from counts
group by month, series
order by month, series"""

AWARDS_BY_PURCHASER_SQL = """\
select coalesce(purchaser, '') as purchaser, count(*) as awards, sum(award_amount) as total_yuan
from procurement
where announcement_type = 'award' and award_amount is not null
group by 1
order by total_yuan desc, purchaser
limit :top"""

AWARDS_BY_YEAR_SQL = """\
select substr(publish_date, 1, 4) as year, count(*) as awards, sum(award_amount) as total_yuan
from procurement
where announcement_type = 'award' and award_amount is not null and publish_date is not null
group by year
order by year"""

PER_MONTH_COLUMNS = {
    "category": ("chart-per-month-category", "栏目 / Column"),
    "site": ("chart-per-month-site", "网站 / Site"),
}


@dataclass(frozen=True)
class Panel:
    """One chart with the query behind it and its numbers as a table."""

    spec: ChartSpec
    sql: str
    params: dict[str, Any]
    query_url: str
    header: list[str]
    rows: list[list[str]]
    error: str | None = None

    @property
    def svg(self) -> Markup:
        return bar_chart(self.spec) if self.spec.horizontal else column_chart(self.spec)


def query_url(datasette: Any, database: str, sql: str, params: dict[str, Any]) -> str:
    """Datasette's page for ``sql`` run with ``params`` on ``database``."""
    return datasette.urls.database(database) + "?" + urlencode({"sql": sql, **params})


def month_labels(start: str, count: int) -> list[str]:
    """``count`` months from ``start`` (``YYYY-MM``): ``['2024-11', '2024-12', '2025-01']``."""
    year, month = int(start[:4]), int(start[5:7])
    labels = []
    for _ in range(count):
        labels.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def shift_month(month: str, delta: int) -> str:
    """``YYYY-MM`` moved by ``delta`` months."""
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 + delta
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


async def newest_crawl_date(db: Any) -> str:
    """The UTC date the newest crawl started, or today when nothing was crawled yet."""
    started = (await db.execute(NEWEST_CRAWL_SQL)).first()["started"]
    return started[:10] if started else dt.datetime.now(dt.UTC).date().isoformat()


async def month_window(db: Any, months: int) -> list[str] | None:
    """The ``months`` months ending with the newest month a notice was published in, up to the
    newest crawl (a date past it is a typo on a page, not news); None when there is none."""
    until = (dt.date.fromisoformat(await newest_crawl_date(db)) + dt.timedelta(days=1)).isoformat()
    last = (await db.execute(LAST_MONTH_SQL, {"until": until})).first()["last"]
    if not last or len(last) < 7 or not last[:4].isdigit():
        return None
    return month_labels(shift_month(last[:7], 1 - months), months)


async def _run(db: Any, sql: str, params: dict[str, Any]) -> tuple[list[Any], str | None]:
    """The rows of ``sql``, or none and why when it ran past Datasette's time limit."""
    try:
        return (await db.execute(sql, params)).rows, None
    except QueryInterrupted:
        return [], "查询超时 / The query took too long"


def _series_name(value: str) -> str:
    return value if value else NOT_STATED


async def per_month(datasette: Any, db: Any, column: str, months: int) -> Panel:
    """Notices published per month, stacked by ``column`` (its TOP_SERIES values, the rest as
    one "other" series)."""
    chart_id, legend_title = PER_MONTH_COLUMNS[column]
    sql = PER_MONTH_SQL.format(column=column, top=TOP_SERIES, other=OTHER)
    labels = await month_window(db, months) or []
    params = {"start": "", "stop": ""}
    if labels:
        params = {"start": labels[0] + "-01", "stop": shift_month(labels[-1], 1) + "-01"}
    result, error = await _run(db, sql, params) if labels else ([], None)
    counts: dict[str, dict[str, int]] = {}
    for row in result:
        counts.setdefault(row["series"], {})[row["month"]] = row["notices"]
    names = sorted(counts, key=lambda n: (n == OTHER, -sum(counts[n].values()), n))
    series = [Series(_series_name(n), [counts[n].get(m, 0) for m in labels]) for n in names]
    spec = ChartSpec(
        chart_id=chart_id,
        title=f"每月发布量（按{legend_title.split(' / ')[0]}） · Notices per month by {column}",
        description=(
            f"Notices published per month, {labels[0]} to {labels[-1]}, stacked by {column}; "
            f"the {TOP_SERIES} largest are drawn, the rest summed as other."
            if labels
            else "Notices published per month: none has a publish date yet."
        ),
        x_title="发布月份 / Month published",
        y_title="公开信息数 / Notices",
        labels=labels,
        series=series,
    )
    header = ["月份 / Month", *(s.name for s in series), "合计 / Total"]
    rows = [
        [month, *(f"{s.values[i]:,}" for s in series), f"{spec.totals[i]:,}"]
        for i, month in enumerate(labels)
    ]
    url = query_url(datasette, db.name, sql, params)
    return Panel(spec, sql, params, url, header, rows, error)


async def awards_by_purchaser(datasette: Any, db: Any) -> Panel:
    """Award amounts (yuan) of the purchasers who awarded most."""
    params = {"top": TOP_PURCHASERS}
    result, error = await _run(db, AWARDS_BY_PURCHASER_SQL, params)
    labels = [_series_name(r["purchaser"]) for r in result]
    spec = ChartSpec(
        chart_id="chart-awards-by-purchaser",
        title=f"中标金额最多的{TOP_PURCHASERS}个采购人 · Award amounts by purchaser",
        description=(
            f"Sum of award_amount (yuan) of award announcements for the {TOP_PURCHASERS} "
            "purchasers who awarded most, largest first."
        ),
        x_title="中标（成交）金额（元） / Award amount (yuan)",
        y_title="采购人 / Purchaser",
        labels=labels,
        series=[Series("中标金额 / Award amount", [r["total_yuan"] for r in result])],
        value_format=format_yuan,
        horizontal=True,
    )
    sql, first = AWARDS_BY_PURCHASER_SQL, "采购人 / Purchaser"
    return _awards_panel(datasette, db, spec, (sql, params), result, first, error)


async def awards_by_year(datasette: Any, db: Any) -> Panel:
    """Award amounts (yuan) per year of publication."""
    result, error = await _run(db, AWARDS_BY_YEAR_SQL, {})
    spec = ChartSpec(
        chart_id="chart-awards-by-year",
        title="每年中标（成交）金额 · Award amounts by year",
        description="Sum of award_amount (yuan) of award announcements per year published.",
        x_title="发布年份 / Year published",
        y_title="金额（元） / Amount (yuan)",
        labels=[r["year"] for r in result],
        series=[Series("中标金额 / Award amount", [r["total_yuan"] for r in result])],
        value_format=format_yuan,
    )
    query = (AWARDS_BY_YEAR_SQL, {})
    return _awards_panel(datasette, db, spec, query, result, "年份 / Year", error)


def _awards_panel(datasette, db, spec: ChartSpec, query, result, first: str, error) -> Panel:
    sql, params = query
    header = [first, "公告数 / Awards", "金额（元） / Amount (yuan)"]
    rows = [
        [label, f"{r['awards']:,}", f"{r['total_yuan']:,.2f}"]
        for label, r in zip(spec.labels, result, strict=True)
    ]
    url = query_url(datasette, db.name, sql, params)
    return Panel(spec, sql, params, url, header, rows, error)


def months_param(value: str | None) -> int:
    """``?months=`` clamped to 1..MAX_MONTHS; DEFAULT_MONTHS when missing or not a number."""
    if not value or not value.strip().isdigit():
        return DEFAULT_MONTHS
    return min(max(int(value), 1), MAX_MONTHS)


async def dashboard_panels(datasette: Any, db: Any, months: int) -> list[Panel]:
    """Every chart of the dashboard, in page order (the queries run at once, on Datasette's
    threads)."""
    return list(
        await asyncio.gather(
            per_month(datasette, db, "category", months),
            per_month(datasette, db, "site", months),
            awards_by_purchaser(datasette, db),
            awards_by_year(datasette, db),
        )
    )
