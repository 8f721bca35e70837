"""Datasette over the archive, configured exactly as `zwgk serve` runs it (in-process client)."""

from __future__ import annotations

import pytest

from pipeline.record import Record
from pipeline.store import Archive, Capture
from publish.config import make_datasette, metadata_for

CATEGORIES = ["通知公告", "政策解读", "机构职能", "规范性文件"]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("ds") / "archive.db"
    archive = Archive(str(path))
    run = archive.start_run("zjczj", "zjczj")
    for i in range(12):
        archive.store(
            Record.from_dict(
                {
                    "url": f"http://www.zjczj.gov.cn/a/t2006090{i % 9}_{i}.shtml",
                    "site": "zjczj",
                    "kind": "notice",
                    "category": CATEGORIES[i % 4],
                    "title": f"关于预算管理的通知{i}",
                    "publish_date": f"{2006 + i}-09-07",
                    "body_text": "第一段\n第二段",
                    "body_html": "<p>第一段</p><script>alert(1)</script><p>第二段</p>",
                    "attachments": [],
                }
            ),
            Capture(b"<html></html>"),
            run,
        )
    archive.finish_run(run, "finished")
    archive.close()
    return str(path)


@pytest.fixture
def ds(db_path):
    return make_datasette(db_path)


def test_plugin_is_installed(ds):
    import asyncio

    response = asyncio.run(ds.client.get("/-/plugins.json"))
    assert "zwgk_render.py" in {p["name"] for p in response.json()}


async def test_facet_category_lists_every_category(ds):
    response = await ds.client.get("/archive/notices.json?_facet=category")
    assert response.status_code == 200
    facet = response.json()["facet_results"]["category"]["results"]
    assert sorted(r["value"] for r in facet) == sorted(CATEGORIES)
    assert sum(r["count"] for r in facet) == 12


async def test_default_sort_is_publish_date_descending(ds):
    rows = (await ds.client.get("/archive/notices.json?_shape=objects")).json()["rows"]
    dates = [r["publish_date"] for r in rows]
    assert dates == sorted(dates, reverse=True)


async def test_configured_facets_site_category_year(ds):
    data = (await ds.client.get("/archive/notices.json")).json()
    assert {"site", "category", "publish_year"} <= set(data["facet_results"])


async def test_bilingual_metadata(ds):
    html = (await ds.client.get("/")).text
    assert "政务公开档案" in html
    assert "zwgk-archive" in html
    table = (await ds.client.get("/archive/notices")).text
    assert "公开信息 · Notices" in table


async def test_search_on_title_and_body(ds):
    data = (await ds.client.get("/archive/notices.json?_search=第二段&_shape=objects")).json()
    # unicode61 indexes a run of Chinese as one token: a whole-run query matches; making
    # Chinese search good is a separate piece of work (bigram index).
    assert len(data["rows"]) == 12


async def test_row_page_renders_sanitized_body_only(ds, db_path):
    rows = (await ds.client.get("/archive/notices.json?_shape=objects&_size=1")).json()["rows"]
    page = (await ds.client.get(f"/archive/notices/{rows[0]['id']}")).text
    assert "<p>第一段</p>" in page
    assert "<script>alert(1)</script>" not in page
    assert "zwgk.css" in page


async def test_stylesheet_is_served(ds):
    response = await ds.client.get("/zwgk-static/zwgk.css")
    assert response.status_code == 200
    assert "pre-line" in response.text


def test_metadata_follows_the_database_name():
    metadata = metadata_for("/tmp/other.db")
    assert "other" in metadata["databases"]
    assert "archive" not in metadata["databases"]


async def test_notice_row_page_reads_like_a_document(ds):
    rows = (await ds.client.get("/archive/notices.json?_shape=objects&_size=1")).json()["rows"]
    page = (await ds.client.get(f"/archive/notices/{rows[0]['id']}")).text
    assert 'class="zwgk-notice"' in page
    assert f"<h1>{rows[0]['title']}</h1>" in page
    assert "<p>第二段</p>" in page
    assert "发布日期 · Published" in page


async def test_other_row_pages_keep_datasette_layout(ds):
    page = (await ds.client.get("/archive/crawl_runs/1")).text
    assert "zwgk-notice" not in page
    assert "crawl_runs: 1" in page


async def test_the_writers_bookkeeping_table_is_hidden(ds):
    """``procurement_relink`` (which projects the writer is to rebuild) is in the archive but
    not among its tables for readers."""
    tables = (await ds.client.get("/archive.json")).json()["tables"]
    by_name = {t["name"]: t for t in tables}
    assert by_name["procurement_relink"]["hidden"] is True
    assert by_name["procurement_projects"]["hidden"] is False
    html = (await ds.client.get("/archive")).text
    assert "procurement_relink" not in html.split("hidden table", 1)[0]
