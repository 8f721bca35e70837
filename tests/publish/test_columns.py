"""The notices table page shows about ten columns unless the URL names its own; search pages
keep the highlighted body; JSON and CSV URLs keep every column (publish/plugins/zwgk_columns.py)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from pipeline.record import Record
from pipeline.store import Archive, Capture
from publish.config import make_datasette
from publish.plugins.zwgk_columns import hidden_columns

SHOWN = {"id", "url", "site", "category", "title", "publish_date", "publish_year", "publisher",
         "doc_number", "doc_date", "status"}  # fmt: skip


@pytest.fixture
def ds(tmp_path):
    path = tmp_path / "archive.db"
    archive = Archive(str(path))
    run = archive.start_run("zjczj", "zjczj")
    for i in range(3):
        record = {
            "url": f"http://www.zjczj.gov.cn/xxgk/t2024032{i}_{i}.shtml",
            "site": "zjczj",
            "kind": "notice",
            "category": "通知公告",
            "title": f"关于预算公开的通知{i}",
            "publish_date": f"2024-03-2{i}",
            "body_text": "为做好预算公开工作，现将有关事项通知如下。",
            "body_html": "<p>为做好预算公开工作</p>",
            "attachments": [],
        }
        archive.store(Record.from_dict(record), Capture(b"<html></html>"), run)
    archive.finish_run(run, "finished")
    archive.close()
    return make_datasette(str(path))


async def columns(ds, query: str = "") -> set[str]:
    response = await ds.client.get("/archive/notices" + query)
    assert response.status_code == 200, response.text[:300]
    return set(re.findall(r'data-column="([a-z_]+)"', response.text))


async def test_the_table_page_shows_the_reading_columns(ds):
    assert await columns(ds) == SHOWN
    assert await columns(ds, "?_sort=title&_facet=site") == SHOWN


async def test_a_search_page_keeps_the_highlighted_body(ds):
    response = await ds.client.get("/archive/notices?_search=" + quote("预算"))
    shown = set(re.findall(r'data-column="([a-z_]+)"', response.text))
    assert shown == SHOWN | {"body_text"}
    assert "<mark>预算</mark>" in response.text


async def test_a_url_that_names_columns_gets_them(ds):
    named = await columns(ds, "?_nocol=url")
    assert named >= (SHOWN - {"url"}) | {"body_html", "body_text", "etag", "first_seen"}
    assert "url" not in named
    assert await columns(ds, "?_col=title&_col=body_text") >= {"title", "body_text"}
    assert "publisher" not in await columns(ds, "?_col=title&_col=body_text")


async def test_json_and_csv_keep_every_column(ds):
    response = await ds.client.get("/archive/notices.json?_shape=objects")
    assert len(response.json()["rows"][0]) == 27
    csv = await ds.client.get("/archive/notices.csv")
    assert "body_text" in csv.text.splitlines()[0]


def test_hidden_columns_rules():
    config = {"notices": {"hidden": ["body_text", "etag"], "shown_when_searching": ["body_text"]}}
    assert hidden_columns(config, "notices", []) == ["body_text", "etag"]
    assert hidden_columns(config, "notices", [("_search", "预算")]) == ["etag"]
    assert hidden_columns(config, "notices", [("_col", "title")]) == []
    assert hidden_columns(config, "other", []) == []
