"""The dashboard (/-/dashboard) and the home page, on an archive crawled from the replica sites:
every number drawn equals the archive's own GROUP BY, every chart links to its query."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date, datetime, timedelta
from html import unescape

import pytest
import sqlite_utils

from publish import charts, overview
from publish.config import make_datasette
from publish.dashboard import DEFAULT_MONTHS, MAX_MONTHS, month_labels, months_param, shift_month
from tests.publish.views_archive import crawled_archive, empty_archive

pytestmark = pytest.mark.integration
SVG = "{http://www.w3.org/2000/svg}"
CHARTS = ["per-month-category", "per-month-site", "awards-by-purchaser", "awards-by-year"]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return crawled_archive(tmp_path_factory, "dash")


@pytest.fixture(scope="module")
def db(db_path):
    return sqlite_utils.Database(db_path)


@pytest.fixture
def ds(db_path):
    return make_datasette(str(db_path))


async def page(ds, path: str) -> str:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text[:1000]
    return response.text


def svg(html: str, chart: str) -> ET.Element:
    """The chart's SVG, parsed as XML (so it is well-formed)."""
    match = re.search(rf'<svg class="[^"]*" id="chart-{chart}".*?</svg>', html, re.S)
    assert match, f"no chart-{chart}"
    return ET.fromstring(match.group(0))


def bars(html: str, chart: str) -> dict[tuple[str, str], float]:
    """{(label, series): value} of every bar drawn."""
    drawn = {}
    for rect in svg(html, chart).iter(f"{SVG}rect"):
        if rect.get("class") == "zwgk-bar":
            drawn[(rect.get("data-label"), rect.get("data-series"))] = float(rect.get("data-value"))
    return drawn


def window(db, months: int = DEFAULT_MONTHS) -> list[str]:
    """The months the monthly charts cover, computed here from the archive."""
    newest = db.execute("select max(started) from crawl_runs").fetchone()[0]
    until = (date.fromisoformat(newest[:10]) + timedelta(days=1)).isoformat()
    last = db.execute(
        "select max(publish_date) from notices where publish_date <= ?", [until]
    ).fetchone()[0]
    end = datetime.strptime(last[:7], "%Y-%m")
    labels = []
    for back in range(months - 1, -1, -1):
        index = end.year * 12 + end.month - 1 - back
        labels.append(f"{index // 12:04d}-{index % 12 + 1:02d}")
    return labels


def expected_per_month(db, column: str, labels: list[str]) -> dict[tuple[str, str], float]:
    rows = db.execute(
        f"select substr(publish_date, 1, 7) as month, coalesce({column}, '') as name, count(*)"
        " from notices where publish_date >= ? and publish_date < ? group by month, name",
        [labels[0] + "-01", shift_month(labels[-1], 1) + "-01"],
    ).fetchall()
    totals = Counter()
    for _, name, n in rows:
        totals[name] += n
    top = {name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))[:7]}
    expected = Counter()
    for month, name, n in rows:
        expected[(month, name if name in top else charts.OTHER)] += n
    return dict(expected)


# -- the dashboard ---------------------------------------------------------------------------


async def test_plugins_are_installed(ds):
    plugins = {p["name"] for p in (await ds.client.get("/-/plugins.json")).json()}
    assert {"zwgk_dashboard.py", "zwgk_feed.py", "datasette-atom"} <= plugins


async def test_dashboard_has_four_accessible_charts(ds):
    html = await page(ds, "/-/dashboard")
    assert 'id="zwgk-dashboard"' in html
    for chart in CHARTS:
        root = svg(html, chart)
        assert root.get("class") == "zwgk-chart"
        assert root.get("role") == "img"
        title = root.find(f"{SVG}title")
        assert title.get("id") == f"chart-{chart}-title"
        assert " · " in title.text  # 中文 · English
        assert root.get("aria-labelledby") == f"chart-{chart}-title chart-{chart}-desc"
        assert f'id="data-{chart}"' in html
        assert f'id="query-{chart}"' in html


@pytest.mark.parametrize("column", ["category", "site"])
async def test_per_month_bars_equal_the_archives_group_by(ds, db, column):
    html = await page(ds, "/-/dashboard")
    labels = window(db)
    drawn = bars(html, f"per-month-{column}")
    assert drawn == expected_per_month(db, column, labels)
    assert sum(drawn.values()) > 100
    ticks = [t.text for t in svg(html, f"per-month-{column}").iter(f"{SVG}text")]
    assert labels[0] in ticks  # the first month is labelled on the x axis


async def test_per_month_site_chart_has_a_legend_entry_per_site(ds, db):
    html = await page(ds, "/-/dashboard")
    texts = {t.text for t in svg(html, "per-month-site").iter(f"{SVG}text")}
    sites = {r[0] for r in db.execute("select distinct site from notices")}
    assert sites == {"zjczj", "gdgpo"}
    assert sites <= texts
    assert "公开信息数 / Notices" in texts  # the y axis title
    assert "发布月份 / Month published" in texts


async def test_data_table_totals_equal_notices_published_each_month(ds, db):
    html = await page(ds, "/-/dashboard")
    table = re.search(
        r'<table class="zwgk-chart-data" id="data-per-month-category">.*?</table>', html, re.S
    )
    rows = re.findall(r'<tr><th scope="row">(\d{4}-\d\d)</th>(.*?)</tr>', table.group(0), re.S)
    assert [month for month, _ in rows] == window(db)
    for month, cells in rows:
        total = int(re.findall(r"<td>([\d,]+)</td>", cells)[-1].replace(",", ""))
        stored = db.execute(
            "select count(*) from notices where publish_date like ?", [month + "-%"]
        ).fetchone()[0]
        assert total == stored, month


async def test_awards_by_year_equal_the_archives_sums(ds, db):
    html = await page(ds, "/-/dashboard")
    expected = {
        (year, "中标金额 / Award amount"): total
        for year, total in db.execute(
            "select substr(publish_date, 1, 4), sum(award_amount) from procurement"
            " where announcement_type = 'award' and award_amount is not null group by 1"
        )
    }
    assert expected
    assert bars(html, "awards-by-year") == pytest.approx(expected)


async def test_awards_by_purchaser_are_the_top_15_by_amount(ds, db):
    html = await page(ds, "/-/dashboard")
    expected = db.execute(
        "select purchaser, sum(award_amount) as total from procurement"
        " where announcement_type = 'award' and award_amount is not null"
        " group by purchaser order by total desc, purchaser limit 15"
    ).fetchall()
    assert len(expected) == 15
    drawn = bars(html, "awards-by-purchaser")
    assert list(drawn) == [(name, "中标金额 / Award amount") for name, _ in expected]
    assert list(drawn.values()) == pytest.approx([total for _, total in expected])


@pytest.mark.parametrize("chart", CHARTS)
async def test_each_chart_links_to_the_query_that_produced_it(ds, db, chart):
    html = await page(ds, "/-/dashboard")
    href = unescape(re.search(rf'id="query-{chart}" href="([^"]+)"', html).group(1))
    assert href.startswith("/dash?sql=")
    result = await ds.client.get(href.replace("/dash?", "/dash.json?") + "&_shape=objects")
    assert result.status_code == 200, result.text[:500]
    rows = result.json()["rows"]
    drawn = bars(html, chart)
    if chart.startswith("per-month"):
        from_query = {(r["month"], r["series"]): r["notices"] for r in rows}
        assert from_query == {k: v for k, v in drawn.items()}
    else:
        assert [r["total_yuan"] for r in rows] == pytest.approx(list(drawn.values()))


async def test_months_parameter_sets_the_window(ds, db):
    html = await page(ds, "/-/dashboard?months=6")
    labels = {label for label, _ in bars(html, "per-month-category")}
    assert labels <= set(window(db, 6))
    assert max(labels) == window(db)[-1]


def test_months_parameter_is_bounded():
    assert months_param(None) == DEFAULT_MONTHS
    assert months_param("abc") == DEFAULT_MONTHS
    assert months_param("-3") == DEFAULT_MONTHS
    assert months_param("0") == 1
    assert months_param("99999") == MAX_MONTHS
    assert months_param("36") == 36


def test_month_arithmetic():
    assert month_labels("2024-11", 3) == ["2024-11", "2024-12", "2025-01"]
    assert shift_month("2025-01", -1) == "2024-12"
    assert shift_month("2024-03", -23) == "2022-04"


# -- an empty archive ------------------------------------------------------------------------


async def test_empty_archive_draws_no_data_charts(tmp_path_factory):
    ds = make_datasette(str(empty_archive(tmp_path_factory)))
    html = await page(ds, "/-/dashboard")
    for chart in CHARTS:
        root = svg(html, chart)
        assert root.get("class") == "zwgk-chart zwgk-chart-empty"
        assert charts.NO_DATA in {t.text for t in root.iter(f"{SVG}text")}
        assert not bars(html, chart)
    home = await page(ds, "/")
    assert 'id="zwgk-home"' in home
    assert "尚未抓取 / none yet" in home


# -- the home page ---------------------------------------------------------------------------


async def test_home_page_counts_equal_the_archive(ds, db):
    html = await page(ds, "/")
    for key, table in [
        ("notices", "notices"),
        ("versions", "notice_versions"),
        ("attachments", "attachments"),
        ("procurement", "procurement"),
    ]:
        shown = re.search(rf'data-count="{key}">(?:<a [^>]*>)?([\d,]+)', html).group(1)
        assert int(shown.replace(",", "")) == db[table].count, key
    first, last = db.execute("select min(publish_date), max(publish_date) from notices").fetchone()
    assert f"{first} – {last}" in html


async def test_home_page_lists_sites_with_counts_and_last_crawl(ds, db):
    html = await page(ds, "/")
    for site, count in db.execute("select site, count(*) from notices group by site"):
        row = re.search(rf'<tr data-site="{site}">(.*?)</tr>', html, re.S).group(1)
        assert f">{count:,}<" in row
        assert "finished" in row
    newest = db.execute(
        "select started, finish_reason from crawl_runs order by started desc, id desc"
    ).fetchone()
    last = re.search(r'<p id="zwgk-last-crawl">(.*?)</p>', html, re.S).group(1)
    assert newest[0] in last
    assert newest[1] in last


async def test_home_page_links_search_dashboard_queries_feed_and_tables(ds):
    html = await page(ds, "/")
    assert re.search(r'<form id="zwgk-search"[^>]* action="/dash/notices" method="get"', html)
    assert 'name="_search"' in html
    assert 'id="zwgk-link-dashboard" href="/-/dashboard"' in html
    assert 'href="/dash/new_notices.atom"' in html
    assert 'type="application/atom+xml"' in html
    for name in ["changed_this_week", "documents_by_doc_number", "withdrawn_notices"]:
        assert f'href="/dash/{name}" data-query="{name}"' in html
    assert 'href="/dash/notice_versions"' in html  # Datasette's own list of tables is kept
    assert '<a href="/-/dashboard">图表 / Dashboard</a>' in html  # the navigation menu


async def test_search_box_target_answers(ds):
    response = await ds.client.get("/dash/notices?_search=%E9%A2%84%E7%AE%97")
    assert response.status_code == 200


async def test_dashboard_menu_link_on_every_page(ds):
    assert "/-/dashboard" in await page(ds, "/dash/crawl_runs")


# -- the chart drawing -----------------------------------------------------------------------


def test_nice_ticks_cover_the_top_in_round_steps():
    assert charts.nice_ticks(42) == [0, 10, 20, 30, 40, 50]
    assert charts.nice_ticks(6.0e7, 4) == [0, 2e7, 4e7, 6e7]
    assert charts.nice_ticks(0) == [0.0, 1.0]


def test_yuan_are_written_as_chinese_readers_do():
    assert charts.format_yuan(352_000_000) == "3.52亿"
    assert charts.format_yuan(1_200_000) == "120万"
    assert charts.format_yuan(8000) == "8,000"


def test_labels_are_escaped_and_clipped():
    spec = charts.ChartSpec(
        chart_id="chart-x",
        title="<script>标题</script> · Title",
        description="d",
        x_title="x",
        y_title="y",
        labels=["湛江市某某某某某某某某某某某某某某某某某某局 & <b>"],
        series=[charts.Series("s", [5.0])],
        horizontal=True,
    )
    drawn = str(charts.bar_chart(spec))
    assert "<script>" not in drawn
    root = ET.fromstring(drawn)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert any(t.endswith("…") for t in texts)
    rect = next(r for r in root.iter(f"{SVG}rect") if r.get("class") == "zwgk-bar")
    assert rect.get("data-label") == "湛江市某某某某某某某某某某某某某某某某某某局 & <b>"


async def test_home_page_sites_from_the_counts_equal_the_group_by(ds):
    db = next(d for name, d in ds.databases.items() if not name.startswith("_"))
    grouped = [dict(r) for r in (await db.execute(overview.SITES_SQL)).rows]
    counted = [dict(r) for r in (await db.execute(overview.SITES_FROM_COUNTS_SQL)).rows]
    assert grouped
    assert counted == grouped
