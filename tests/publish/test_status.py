"""The status page (/-/status) and ``zwgk status`` on an archive built here run by run: a healthy
site, a site whose last run's monitors failed, a blocked site and a site never crawled. Every
figure shown equals what the archive holds."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
import xml.etree.ElementTree as ET
from contextlib import closing
from html import unescape
from pathlib import Path

import pytest

from pipeline.record import Record
from pipeline.store import Archive, Capture
from pipeline.store import monitors as store
from publish.config import make_datasette

ROOT = Path(__file__).resolve().parents[2]
SVG = "{http://www.w3.org/2000/svg}"
#: site -> the new notices of each of its runs, oldest first
RUNS = {"healthy": [5, 2, 3], "failing": [4, 6], "walled": [3, 1]}


def _run(archive: Archive, site: str, index: int, new: int, finish: str = "finished") -> dict:
    run_id = archive.start_run(site, site)
    for n in range(new):
        url = f"http://127.0.0.1:1/{site}/{index}/{n}.html"
        record = Record(url=url, site=site, title=f"{site} {index} {n}", category="通知公告")
        archive.store(record, Capture(b"<html></html>"), run_id, column="通知公告")
    return run_id


def build(path: Path) -> Path:
    archive = Archive(str(path))
    for site in (*RUNS, "unseen"):
        archive.register_site(site, title=f"{site} 网站", kind="bureau")
    ok = store.Result("error_rate", True, 0.0, 0.1, "0 of 20 requests failed (0%)")
    for site, news in RUNS.items():
        for index, new in enumerate(news):
            last = index == len(news) - 1
            run_id = _run(archive, site, index, new)
            if last and site == "healthy":
                archive.fail(run_id, f"http://127.0.0.1:1/{site}/x1", "HTTP 404", 404, site)
                archive.fail(run_id, f"http://127.0.0.1:1/{site}/x2", "HTTP 404", 404, site)
                archive.fail(run_id, f"http://127.0.0.1:1/{site}/x3", "timeout", None, site)
            if last and site == "walled":
                for n in range(4):
                    url = f"http://127.0.0.1:1/{site}/w{n}"
                    archive.fail(run_id, url, "HTTP 412", 412, site)
            finish = "blocked" if last and site == "walled" else "finished"
            run = archive.finish_run(run_id, finish, pages_fetched=new + 3)
            results = [ok]
            if last and site == "failing":
                results.append(
                    store.Result(
                        "field_nulls", False, 1.0, 0.2, "title null on 6 of 6 pages (100%)",
                        "通知公告", "title",
                    )
                )  # fmt: skip
            if last and site == "walled":
                results = [store.Result("blocked", False, 20, 20, "20 answers in a row")]
            store.record(str(path), run, site, results, blocked=finish == "blocked")
    archive.close()
    return path


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> Path:
    return build(tmp_path_factory.mktemp("status") / "archive.db")


@pytest.fixture
def ds(db_path):
    return make_datasette(str(db_path))


def query(db_path: Path, sql: str, *params) -> list[tuple]:
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(sql, params).fetchall()


def section(html: str, site: str) -> str:
    match = re.search(rf'<section class="zwgk-site-status"[^>]*data-site="{site}".*?</section>',
                      html, re.S)  # fmt: skip
    assert match, site
    return match.group(0)


async def page(ds) -> str:
    response = await ds.client.get("/-/status")
    assert response.status_code == 200, response.text[:1000]
    return response.text


async def test_each_site_has_its_state(ds):
    html = await page(ds)
    states = dict(re.findall(r'data-site="([^"]+)" data-state="([^"]+)"', html))
    assert states == {"failing": "failing", "healthy": "ok", "unseen": "never", "walled": "blocked"}
    assert "2 个需要处理 / need attention" in html


async def test_blocked_site_says_since_when(ds, db_path):
    (since,) = query(db_path, "select blocked_since from sites where name = 'walled'")[0]
    walled = section(await page(ds), "walled")
    assert since
    assert f"Blocked since {since}" in walled
    assert "已被封锁 / Blocked" in walled
    assert 'data-check="blocked"' in walled


async def test_fired_monitors_of_the_last_run_only(ds):
    failing = unescape(section(await page(ds), "failing"))
    fired = re.findall(r'<li class="zwgk-monitor-failed" data-check="([^"]+)" data-column="([^"]*)"',
                       failing)  # fmt: skip
    assert fired == [("field_nulls", "通知公告")]
    assert "title null on 6 of 6 pages (100%)" in failing
    healthy = section(await page(ds), "healthy")
    assert "zwgk-monitor-failed" not in healthy
    assert "1 项检查全部通过 / checks, all passed" in healthy


async def test_last_run_counts_and_failures_by_reason(ds, db_path):
    healthy = section(await page(ds), "healthy")
    run_id, new, failed = query(
        db_path, "select id, new, failed from crawl_runs where site = 'healthy' order by id desc"
    )[0]
    assert f'<a href="/archive/crawl_runs/{run_id}">#{run_id}</a>' in healthy
    assert f'<dd data-count="new">{new}</dd>' in healthy
    assert f'<dd data-count="failed">{failed}</dd>' in healthy
    reasons = dict(
        re.findall(r'<li data-reason="([^"]+)"><a href="[^"]+">[^<]+</a>: (\d+)', healthy)
    )
    assert reasons == {"HTTP 404": "2", "timeout": "1"}
    assert f"fetch_failures?crawl_run_id={run_id}&amp;reason=HTTP+404" in healthy


async def test_last_successful_run_skips_a_blocked_one(ds, db_path):
    walled = section(await page(ds), "walled")
    ids = [
        r[0] for r in query(db_path, "select id from crawl_runs where site = 'walled' order by id")
    ]
    success = re.search(r'class="zwgk-last-success"><a href="[^"]+">#(\d+)</a>', walled)
    assert success
    assert int(success.group(1)) == ids[0]
    assert ">blocked</span>" in walled  # the last run's finish reason


async def test_sparkline_draws_every_run(ds):
    html = await page(ds)
    for site, news in RUNS.items():
        match = re.search(rf'<svg class="zwgk-sparkline" id="spark-{site}".*?</svg>', html, re.S)
        assert match, site
        svg = ET.fromstring(match.group(0))
        points = [c for c in svg.iter(f"{SVG}circle")]
        assert [float(p.get("data-value")) for p in points] == [float(n) for n in news]
        alarms = [p.get("data-alarm") for p in points]
        expected = "1" if site in ("failing", "walled") else "0"
        assert alarms == ["0"] * (len(news) - 1) + [expected]
        assert svg.find(f"{SVG}title").text.startswith(site)


async def test_home_page_and_menu_link_the_status_page(ds):
    response = await ds.client.get("/")
    assert response.status_code == 200
    assert '<a id="zwgk-link-status" href="/-/status">抓取状态 / Status</a>' in response.text
    assert '<a href="/-/status">抓取状态 / Status</a>' in response.text  # the navigation menu


def test_zwgk_status_prints_the_same_and_exits_1(db_path):
    done = subprocess.run(
        [sys.executable, "-m", "zwgk", "status", "--db", str(db_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    out = done.stdout
    assert "walled walled 网站: BLOCKED" in out
    assert "failing failing 网站: MONITOR FAILED" in out
    assert "healthy healthy 网站: ok" in out
    assert "unseen unseen 网站: not crawled yet" in out
    assert "monitor failed:      field_nulls (column 通知公告): title null on 6 of 6" in out
    assert "failures:            HTTP 404 ×2, timeout ×1" in out
    assert "2 of 4 sites need attention: failing, walled" in out


def test_zwgk_status_exits_0_when_every_site_is_healthy(tmp_path):
    path = tmp_path / "archive.db"
    archive = Archive(str(path))
    archive.register_site("healthy", title="healthy 网站")
    run = archive.finish_run(_run(archive, "healthy", 0, 3), "finished", pages_fetched=3)
    archive.close()
    store.record(str(path), run, "healthy", [], blocked=False)
    done = subprocess.run(
        [sys.executable, "-m", "zwgk", "status", "--db", str(path)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 site, all healthy" in done.stdout
