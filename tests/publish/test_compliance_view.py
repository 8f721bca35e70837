"""The supervisors' compliance view (/-/compliance), the compliance canned queries and a
finding's row page, on a small archive with a few findings of every verdict.

Every figure the page shows is checked against counts made here in Python from the rows
written; every evidence link is followed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html import unescape
from urllib.parse import quote

import pytest
import sqlite_utils

from pipeline.compliance import findings
from pipeline.record import Record
from pipeline.store import Archive, Capture
from publish.config import make_datasette

SVG = "{http://www.w3.org/2000/svg}"
RAW = b"<html><body>raw capture of the late notice</body></html>"
DETERMINABLE = ("on_time", "late", "missing")
DATES = [
    {"field": "doc_date", "label": "成文日期", "value": "2024-03-01", "source": "页面 成文日期"},
    {"field": "publish_date", "label": "发布日期", "value": "2024-03-28", "source": "meta PubDate"},
]


def build_archive(path, notices: int = 3) -> dict[str, str]:
    """An archive of ``notices`` notices of zjczj; returns {url: notice id}."""
    archive = Archive(str(path))
    run = archive.start_run("zjczj", "zjczj")
    for i in range(notices):
        record = Record.from_dict(
            {
                "url": f"http://www.zjczj.gov.cn/xxgk/t2024032{i}_{i}.shtml",
                "site": "zjczj",
                "kind": "notice",
                "category": "通知公告",
                "title": f"关于预算公开的通知{i}",
                "publish_date": f"2024-03-2{i}",
                "body_text": "正文",
                "body_html": "<p>正文</p>",
                "attachments": [],
            }
        )
        archive.store(record, Capture(RAW, content_type="text/html; charset=utf-8"), run)
    archive.finish_run(run, "finished")
    archive.close()
    db = sqlite_utils.Database(path)
    return {r["url"]: r["id"] for r in db.query("select id, url from notices")}


def finding(rule_id, site, subject, verdict, year, **evidence) -> dict:
    return {
        "id": findings.finding_id(rule_id, site, subject),
        "rule_id": rule_id,
        "rule_title": {"R1": "主动公开二十个工作日内", "R2": "采购结果两个工作日内"}[rule_id],
        "legal_basis": "《中华人民共和国政府信息公开条例》第二十六条",
        "quote": "自该政府信息形成或者变更之日起20个工作日内",
        "severity": "high" if rule_id == "R1" else "medium",
        "needs_verification": 0,
        "site": site,
        "subject_type": "document",
        "subject": subject,
        "subject_label": f"对象 {subject}",
        "year": year,
        "verdict": verdict,
        "days_late": None,
        "due_date": None,
        "notice_id": None,
        "url": None,
        "capture": None,
        "dates": "[]",
        "explanation": f"{verdict} explanation",
        "as_of": "2026-05-30",
        "checked_at": "2026-05-30T08:00:00Z",
        **evidence,
    }


def sample_findings(ids: dict[str, str]) -> list[dict]:
    """Findings of every verdict on two sites and two rules."""
    (url0, n0), (url1, n1), (url2, n2) = sorted(ids.items())
    return [
        finding("R1", "zjczj", url0, "on_time", 2024, notice_id=n0, url=url0, capture=f"{n0}-1"),
        finding("R1", "zjczj", "s-on-2025", "on_time", 2025),
        finding(
            "R1",
            "zjczj",
            url1,
            "late",
            2024,
            notice_id=n1,
            url=url1,
            capture=f"{n1}-1",
            days_late=7,
            due_date="2024-03-29",
            dates=json.dumps(DATES, ensure_ascii=False),
        ),
        finding("R1", "zjczj", "report-2025", "missing", 2025, due_date="2025-03-31"),
        finding("R1", "zjczj", "s-due", "not_yet_due", 2025, due_date="2026-07-01"),
        finding("R1", "zjczj", "s-undet", "undeterminable", None),
        # late, with a notice and its URL but no capture read: no raw link
        finding(
            "R2",
            "zjczj",
            url2,
            "late",
            2025,
            notice_id=n2,
            url=url2,
            days_late=2,
            due_date="2025-01-10",
        ),
        finding("R2", "zjczj", "s-r2-on", "on_time", 2025),
        finding("R1", "gdsite", "g-on", "on_time", 2024),
        finding("R1", "gdsite", "g-missing", "missing", 2024, due_date="2024-12-31"),
        # a URL that is not http(s) is never a link
        finding(
            "R1",
            "gdsite",
            "g-late",
            "late",
            2024,
            url="javascript:alert(1)",
            days_late=30,
            due_date="2024-02-01",
        ),
    ]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("compliance") / "archive.db"
    ids = build_archive(path)
    rows = sample_findings(ids)
    findings.replace(sqlite_utils.Database(path), rows)
    return str(path), rows


@pytest.fixture
def ds(archive):
    return make_datasette(archive[0])


@pytest.fixture
def rows(archive):
    return archive[1]


async def page(ds, path: str) -> str:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text[:1000]
    return response.text


async def query_rows(ds, path: str) -> list[dict]:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text[:1000]
    return response.json()["rows"]


def by_id(rows: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in rows}


def late_and_missing(rows: list[dict]) -> set[str]:
    return {r["id"] for r in rows if r["verdict"] in ("late", "missing")}


def expected_rates(rows: list[dict]) -> dict[str, float]:
    """{year: on-time rate in percent} over the on-time, late and missing findings."""
    counts = Counter((r["year"], r["verdict"]) for r in rows if r["verdict"] in DETERMINABLE)
    years = sorted({y for y, _ in counts if y is not None})
    return {
        str(y): round(100 * counts[(y, "on_time")] / sum(counts[(y, v)] for v in DETERMINABLE), 1)
        for y in years
    }


def finding_rows(html: str) -> dict[str, str]:
    """{finding id: its <tr>} of the late and missing list."""
    return dict(
        re.findall(
            r'<tr class="zwgk-finding" data-finding="([0-9a-f]+)"[^>]*>(.*?)</tr>', html, re.S
        )
    )


def svg(html: str, chart: str) -> ET.Element:
    match = re.search(rf'<svg class="[^"]*" id="chart-{chart}".*?</svg>', html, re.S)
    assert match, f"no chart-{chart}"
    return ET.fromstring(match.group(0))


# -- without findings ------------------------------------------------------------------------


async def test_page_without_the_table_says_to_run_zwgk_check(tmp_path):
    build_archive(tmp_path / "archive.db", notices=1)
    ds = make_datasette(str(tmp_path / "archive.db"))
    html = await page(ds, "/-/compliance")
    assert 'id="compliance-empty"' in html
    assert "zwgk check" in html
    assert "尚无合规检查结果" in html
    assert 'id="compliance-counts"' not in html
    assert "chart-on-time-rate" not in html


async def test_page_with_an_empty_table_says_to_run_zwgk_check(tmp_path):
    build_archive(tmp_path / "archive.db", notices=1)
    findings.ensure(sqlite_utils.Database(tmp_path / "archive.db"))
    ds = make_datasette(str(tmp_path / "archive.db"))
    html = await page(ds, "/-/compliance")
    assert 'id="compliance-empty"' in html
    assert 'id="compliance-findings"' not in html


async def test_not_an_archive_is_a_404(tmp_path):
    sqlite_utils.Database(tmp_path / "other.db")["t"].insert({"a": 1})
    ds = make_datasette(str(tmp_path / "other.db"))
    assert (await ds.client.get("/-/compliance")).status_code == 404


# -- the page --------------------------------------------------------------------------------


async def test_counts_by_site_rule_and_verdict(ds, rows):
    html = await page(ds, "/-/compliance")
    assert 'id="compliance-empty"' not in html
    expected = Counter((r["site"], r["rule_id"], r["verdict"]) for r in rows)
    groups = {(r["site"], r["rule_id"]) for r in rows}
    assert len(groups) == 3
    for site, rule in groups:
        row = re.search(rf'<tr data-site="{site}" data-rule="{rule}">(.*?)</tr>', html, re.S)
        assert row, (site, rule)
        cells = dict(re.findall(r'<td data-verdict="(\w+)">(?:<a [^>]*>)?([\d,]+)', row.group(1)))
        for verdict in findings.VERDICTS:
            assert int(cells[verdict]) == expected[(site, rule, verdict)], (site, rule, verdict)
        assert int(cells["findings"]) == sum(
            1 for r in rows if (r["site"], r["rule_id"]) == (site, rule)
        )
    total = re.search(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    assert f'<td data-verdict="findings">{len(rows)}</td>' in total
    assert f'<td data-verdict="late">{sum(r["verdict"] == "late" for r in rows)}</td>' in total


async def test_each_count_links_to_its_rows(ds, rows):
    html = await page(ds, "/-/compliance")
    row = re.search(r'<tr data-site="zjczj" data-rule="R1">(.*?)</tr>', html, re.S).group(1)
    href = unescape(re.search(r'<td data-verdict="late"><a href="([^"]+)"', row).group(1))
    got = await query_rows(ds, href.replace("/compliance_findings?", "/compliance_findings.json?"))
    expected = [
        r for r in rows if (r["site"], r["rule_id"], r["verdict"]) == ("zjczj", "R1", "late")
    ]
    assert [r[0] for r in got] == [r["id"] for r in expected]


async def test_overall_on_time_rate(ds, rows):
    html = await page(ds, "/-/compliance")
    counts = Counter(r["verdict"] for r in rows)
    rate = 100 * counts["on_time"] / sum(counts[v] for v in DETERMINABLE)
    assert f'<strong id="compliance-rate">{rate:.1f}%</strong>' in html


async def test_late_and_missing_are_listed_with_their_evidence(ds, rows):
    html = await page(ds, "/-/compliance")
    listed = finding_rows(html)
    assert set(listed) == late_and_missing(rows)
    findings_by_id = by_id(rows)
    for fid, tr in listed.items():
        f = findings_by_id[fid]
        assert f'data-verdict="{f["verdict"]}"' in html
        assert f["rule_id"] in tr
        assert f["legal_basis"] in unescape(tr)
        assert f["subject_label"] in tr
        if f["due_date"]:
            assert f'<td data-field="due_date">{f["due_date"]}</td>' in tr
        if f["days_late"] is not None:
            assert f">{f['days_late']}</td>" in tr
        assert f'href="/archive/compliance_findings/{fid}"' in tr


async def test_a_late_finding_shows_the_dates_used_and_where_they_came_from(ds, rows):
    html = await page(ds, "/-/compliance")
    late = next(r for r in rows if r["verdict"] == "late" and r["capture"])
    tr = finding_rows(html)[late["id"]]
    for d in DATES:
        assert re.search(
            rf'<li data-field="{d["field"]}">{d["label"]}: <strong>{d["value"]}</strong>'
            rf".*?{d['source']}",
            tr,
        ), d


async def test_evidence_links_lead_to_the_notice_the_page_and_the_raw_capture(ds, rows):
    html = await page(ds, "/-/compliance")
    late = next(r for r in rows if r["verdict"] == "late" and r["capture"])
    tr = finding_rows(html)[late["id"]]
    notice = re.search(r'class="zwgk-link-notice" href="([^"]+)"', tr).group(1)
    assert notice == f"/archive/notices/{late['notice_id']}"
    assert (await ds.client.get(notice)).status_code == 200
    source = unescape(re.search(r'class="zwgk-link-source" href="([^"]+)"', tr).group(1))
    assert source == late["url"]
    raw = re.search(r'class="zwgk-link-raw" href="([^"]+)"', tr).group(1)
    assert raw == f"/-/raw/{late['capture']}"
    response = await ds.client.get(raw)
    assert response.status_code == 200
    assert response.content == RAW


async def test_no_raw_link_without_a_capture_and_no_link_from_a_javascript_url(ds, rows):
    listed = finding_rows(await page(ds, "/-/compliance"))
    uncaptured = next(r for r in rows if r["verdict"] == "late" and r["url"] and not r["capture"])
    tr = listed[uncaptured["id"]]
    assert "zwgk-link-notice" in tr
    assert "zwgk-link-source" in tr
    assert "zwgk-link-raw" not in tr
    scripted = next(r for r in rows if (r["url"] or "").startswith("javascript:"))
    tr = listed[scripted["id"]]
    assert "zwgk-link-source" not in tr
    assert 'href="javascript' not in tr
    missing = next(r for r in rows if r["verdict"] == "missing" and r["site"] == "zjczj")
    tr = listed[missing["id"]]
    assert "zwgk-link-notice" not in tr
    assert "zwgk-link-finding" in tr


async def test_on_time_rate_chart_by_year(ds, rows):
    html = await page(ds, "/-/compliance")
    root = svg(html, "on-time-rate")
    assert root.get("class") == "zwgk-chart"
    assert root.find(f"{SVG}title").text == "每年按时公开率 · On-time rate by year"
    drawn = {
        r.get("data-label"): float(r.get("data-value"))
        for r in root.iter(f"{SVG}rect")
        if r.get("class") == "zwgk-bar" and r.get("data-series") == "按时 / On time"
    }
    expected = expected_rates(rows)
    assert expected == {"2024": 40.0, "2025": 50.0}
    assert drawn == expected
    table = re.search(
        r'<table class="zwgk-chart-data" id="data-on-time-rate">.*?</table>', html, re.S
    )
    assert '<th scope="row">2024</th>' in table.group(0)
    assert "<td>40%</td>" in table.group(0)
    ticks = {t.text for t in root.iter(f"{SVG}text")}
    assert "100%" in ticks  # the axis is a share, up to 100%


async def test_filter_by_site_narrows_the_page(ds, rows):
    html = await page(ds, "/-/compliance?site=gdsite")
    assert 'id="compliance-filters"' in html
    assert set(finding_rows(html)) == late_and_missing([r for r in rows if r["site"] == "gdsite"])
    assert 'data-site="zjczj"' not in html
    link = unescape(re.search(r'id="query-late-missing" href="([^"]+)"', html).group(1))
    assert link == "/archive/compliance_late_and_missing?site=gdsite&rule_id="


async def test_a_filter_matching_nothing_says_so_not_to_run_the_check(ds):
    html = await page(ds, "/-/compliance?rule_id=R9")
    assert 'id="compliance-no-match"' in html
    assert 'id="compliance-empty"' not in html
    assert not finding_rows(html)
    assert 'id="compliance-counts"' not in html


async def test_each_section_links_to_its_canned_query(ds, rows):
    html = await page(ds, "/-/compliance")
    for anchor, name in [
        ("query-counts", "compliance_counts"),
        ("query-on-time-rate", "compliance_on_time_rate"),
        ("query-late-missing", "compliance_late_and_missing"),
    ]:
        href = re.search(rf'id="{anchor}" href="([^"]+)"', html).group(1)
        assert href == f"/archive/{name}"
        assert (await ds.client.get(href)).status_code == 200


# -- canned queries --------------------------------------------------------------------------


async def test_late_and_missing_query(ds, rows):
    got = await query_rows(ds, "/archive/compliance_late_and_missing.json?_shape=objects")
    assert {r["finding_id"] for r in got} == late_and_missing(rows)
    assert all(r["verdict"] in ("late", "missing") for r in got)
    keys = [(r["site"], r["rule_id"], r["verdict"]) for r in got]
    assert keys == sorted(keys)
    one = await query_rows(
        ds, "/archive/compliance_late_and_missing.json?_shape=objects&site=zjczj&rule_id=R2"
    )
    assert [r["finding_id"] for r in one] == [
        r["id"] for r in rows if (r["site"], r["rule_id"], r["verdict"]) == ("zjczj", "R2", "late")
    ]


async def test_counts_query(ds, rows):
    got = await query_rows(ds, "/archive/compliance_counts.json?_shape=objects")
    counted = Counter((r["site"], r["rule_id"], r["verdict"]) for r in rows)
    assert {(r["site"], r["rule_id"]) for r in got} == {(r["site"], r["rule_id"]) for r in rows}
    for r in got:
        for verdict in findings.VERDICTS:
            assert r[verdict] == counted[(r["site"], r["rule_id"], verdict)]
    zjczj_r1 = next(r for r in got if (r["site"], r["rule_id"]) == ("zjczj", "R1"))
    assert zjczj_r1["findings"] == 6
    assert zjczj_r1["on_time_rate"] == 50.0  # 2 on time of 2 + 1 late + 1 missing


async def test_on_time_rate_query(ds, rows):
    got = await query_rows(ds, "/archive/compliance_on_time_rate.json?_shape=objects")
    assert {str(r["year"]): r["on_time_rate"] for r in got} == expected_rates(rows)
    gdsite = await query_rows(
        ds, "/archive/compliance_on_time_rate.json?_shape=objects&site=gdsite"
    )
    assert [(r["year"], r["on_time"], r["late"], r["missing"]) for r in gdsite] == [(2024, 1, 1, 1)]


@pytest.mark.parametrize(
    "name", ["compliance_late_and_missing", "compliance_counts", "compliance_on_time_rate"]
)
async def test_canned_query_pages_have_bilingual_titles_and_descriptions(ds, name):
    html = await page(ds, f"/archive/{name}")
    query = ds.metadata("queries", database="archive")[name]
    assert " · " in query["title"]
    assert query["title"] in html
    chinese, english = query["description"].split("/ ", 1)
    assert chinese.strip()
    assert english[:40] in html


async def test_query_results_link_the_finding_and_the_raw_capture(ds, rows):
    html = await page(ds, "/archive/compliance_late_and_missing")
    late = next(r for r in rows if r["verdict"] == "late" and r["capture"])
    assert f'class="zwgk-link-raw" href="/-/raw/{late["capture"]}"' in html
    assert f'class="zwgk-link-finding" href="/archive/compliance_findings/{late["id"]}"' in html


# -- the table and a finding's row page -------------------------------------------------------


async def test_table_has_its_title_and_facets(ds):
    data = (await ds.client.get("/archive/compliance_findings.json")).json()
    assert {"rule_id", "verdict", "site", "severity"} <= set(data["facet_results"])
    verdicts = {r["value"]: r["count"] for r in data["facet_results"]["verdict"]["results"]}
    assert verdicts == {
        "on_time": 4,
        "late": 3,
        "missing": 2,
        "not_yet_due": 1,
        "undeterminable": 1,
    }
    html = await page(ds, "/archive/compliance_findings")
    assert "合规检查 · Compliance findings" in html
    assert 'href="../-/compliance"' in html


async def test_table_opens_most_days_late_first(ds):
    got = await query_rows(ds, "/archive/compliance_findings.json?_shape=objects")
    assert [r["days_late"] for r in got[:3]] == [30, 7, 2]


async def test_finding_row_page_links_the_page_the_capture_and_the_notice(ds, rows):
    late = next(r for r in rows if r["verdict"] == "late" and r["capture"])
    html = await page(ds, f"/archive/compliance_findings/{late['id']}")
    assert f'<a href="{late["url"]}">' in html
    assert f'class="zwgk-link-raw" href="/-/raw/{quote(late["capture"])}"' in html
    assert f'class="zwgk-link-notice" href="/archive/notices/{late["notice_id"]}"' in html
    assert (
        '<li data-field="publish_date">发布日期 (publish_date): <strong>2024-03-28</strong>' in html
    )
    assert "meta PubDate" in html
    assert "2024-03-29" in html  # due date
    assert "zwgk-notice" not in html  # Datasette's own row layout, not the notice page


async def test_finding_row_page_of_a_javascript_url_has_no_link(ds, rows):
    scripted = next(r for r in rows if (r["url"] or "").startswith("javascript:"))
    html = await page(ds, f"/archive/compliance_findings/{scripted['id']}")
    assert "javascript:alert(1)" in html
    assert 'href="javascript' not in html


# -- links to the page -----------------------------------------------------------------------


async def test_home_page_and_menu_link_the_page(ds):
    html = await page(ds, "/")
    assert 'id="zwgk-link-compliance" href="/-/compliance"' in html
    assert '<a href="/-/compliance">合规检查 / Compliance</a>' in html  # the navigation menu
    assert "/-/compliance" in await page(ds, "/archive/crawl_runs")
    plugins = {p["name"] for p in (await ds.client.get("/-/plugins.json")).json()}
    assert "zwgk_compliance.py" in plugins
