"""Atom feeds of new notices (datasette-atom over the new_notices canned query), per column and
site, on an archive crawled from the replica sites: parsed as XML, entries checked against SQL."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
import sqlite_utils

from pipeline.record import Record
from pipeline.store import Archive, Capture
from publish.config import make_datasette
from tests.publish.views_archive import crawled_archive

pytestmark = pytest.mark.integration
ATOM = "{http://www.w3.org/2005/Atom}"
ODD_TITLE = 'A<b>&"预算"</b> 公告'
ODD_CATEGORY = "测试栏目"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = crawled_archive(tmp_path_factory, "feed")
    archive = Archive(str(path))  # one notice whose title needs escaping, newer than the rest
    run = archive.start_run("zjczj", "zjczj")
    record = {
        "url": "http://www.zjczj.gov.cn/xxgk/tzgg/203001/t20300101_1.shtml",
        "site": "zjczj",
        "kind": "notice",
        "category": ODD_CATEGORY,
        "title": ODD_TITLE,
        "publish_date": "2030-01-01",
        "publish_time": "09:30",
        "publisher": "湛江市财政局",
        "body_text": "正文",
        "attachments": [],
    }
    archive.store(Record.from_dict(record), Capture(b"<html></html>"), run)
    archive.finish_run(run, "finished")
    archive.close()
    return path


@pytest.fixture(scope="module")
def db(db_path):
    return sqlite_utils.Database(db_path)


@pytest.fixture
def ds(db_path):
    return make_datasette(str(db_path))


async def feed(ds, query: str = "") -> ET.Element:
    response = await ds.client.get(f"/feed/new_notices.atom{query}")
    assert response.status_code == 200, response.text[:1000]
    assert "xml" in response.headers["content-type"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "新公告 · New notices"
    return root


def newest(db, where: str = "1", params=()) -> list[dict]:
    """The 50 newest notices by publish date and time, as the feed should list them."""
    return [
        dict(zip(["url", "title", "publish_date", "publish_time", "category"], row, strict=True))
        for row in db.execute(
            "select url, title, publish_date, coalesce(publish_time, '00:00'), category"
            f" from notices where {where}"
            " order by publish_date desc, coalesce(publish_time, '00:00') desc, id limit 50",
            list(params),
        )
    ]


def entries(root: ET.Element) -> list[dict]:
    return [
        {
            "id": e.find(f"{ATOM}id").text,
            "title": e.find(f"{ATOM}title").text,
            "updated": e.find(f"{ATOM}updated").text,
            "link": e.find(f"{ATOM}link").get("href"),
            "content": e.find(f"{ATOM}content").text,
        }
        for e in root.findall(f"{ATOM}entry")
    ]


async def test_feed_lists_the_50_newest_notices(ds, db):
    got = entries(await feed(ds))
    expected = newest(db)
    assert len(got) == 50
    assert [e["id"] for e in got] == [n["url"] for n in expected]
    assert [e["link"] for e in got] == [n["url"] for n in expected]
    assert [e["title"] for e in got] == [n["title"] for n in expected]
    first = expected[0]
    assert got[0]["updated"] == f"{first['publish_date']}T{first['publish_time']}:00+08:00"


async def test_feed_of_one_column(ds, db):
    category = db.execute(
        "select category from notices where site = 'zjczj' group by 1 order by count(*) desc"
    ).fetchone()[0]
    got = entries(await feed(ds, f"?category={quote(category)}"))
    expected = newest(db, "category = ?", [category])
    assert len(got) == len(expected) > 10
    assert [e["id"] for e in got] == [n["url"] for n in expected]
    assert all(f"<p>{category} · " in e["content"] for e in got)


async def test_feed_of_one_site(ds, db):
    got = entries(await feed(ds, "?site=gdgpo"))
    expected = newest(db, "site = 'gdgpo'")
    assert [e["id"] for e in got] == [n["url"] for n in expected]
    assert len(got) == 50


async def test_feed_of_a_column_of_one_site(ds, db):
    category, site = db.execute(
        "select category, site from notices where site = 'gdgpo' limit 1"
    ).fetchone()
    got = entries(await feed(ds, f"?category={quote(category)}&site={site}"))
    assert [e["id"] for e in got] == [
        n["url"] for n in newest(db, "category = ? and site = ?", [category, site])
    ]


async def test_feed_of_a_column_with_no_notice_is_empty_and_valid(ds):
    root = await feed(ds, "?category=" + quote("没有这个栏目"))
    assert root.findall(f"{ATOM}entry") == []
    assert root.find(f"{ATOM}updated").text
    assert "%E6%B2%A1" in root.find(f"{ATOM}id").text  # its own URL: one id per column


async def test_titles_and_content_are_escaped_not_markup(ds):
    got = entries(await feed(ds, "?category=" + quote(ODD_CATEGORY)))
    assert len(got) == 1
    assert got[0]["title"] == ODD_TITLE
    assert got[0]["updated"] == "2030-01-01T09:30:00+08:00"
    content = got[0]["content"]  # HTML as text in the XML: tags of the title are escaped in it
    assert "A&lt;b&gt;&amp;" in content
    assert "<b>" not in content
    assert "发布机构 / Publisher: 湛江市财政局" in content


async def test_feed_is_linked_from_home_and_notices_table(ds):
    home = (await ds.client.get("/")).text
    assert 'href="/feed/new_notices.atom"' in home
    assert 'href="/feed/new_notices.atom?site=gdgpo"' in home
    table = (await ds.client.get("/feed/notices")).text
    assert 'href="new_notices.atom"' in table  # relative: /feed/new_notices.atom
    filtered = (await ds.client.get("/feed/notices?site=gdgpo")).text
    assert 'href="/feed/new_notices.atom?site=gdgpo"' in filtered  # the table's action menu


async def test_feed_query_offers_the_atom_format(ds):
    page = (await ds.client.get("/feed/new_notices?site=zjczj")).text
    assert re.search(r'href="/feed/new_notices\.atom\?site=zjczj[^"]*"', page)
