"""The researchers' canned queries and facets, on an archive crawled from the replica sites.

Each canned query runs through Datasette's in-process client exactly as served, and its rows
are checked against the archive's own SQL (or, for ordering, against Python over that SQL).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from urllib.parse import quote

import pytest
import sqlite_utils

from publish.config import make_datasette
from tests.publish.views_archive import CHANGED, GONE, OLD_CHANGE_DAYS, crawled_archive

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    return crawled_archive(tmp_path_factory, "views")


@pytest.fixture(scope="module")
def db(db_path):
    return sqlite_utils.Database(db_path)


@pytest.fixture
def ds(db_path):
    return make_datasette(str(db_path))


async def rows(ds, path):
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text[:1000]
    return response.json()["rows"]


def q(value: str) -> str:
    return quote(value, safe="")


# -- notices of a year and category ----------------------------------------------------------


async def test_notices_of_year_and_category_are_that_column_and_year_newest_first(ds, db):
    year, category, count = db.execute(
        "select publish_year, category, count(*) from notices where site = 'zjczj'"
        " group by 1, 2 order by 3 desc, 1 desc limit 1"
    ).fetchone()
    assert count > 1
    got = await rows(
        ds,
        f"/views/notices_of_year_and_category.json?year={year}&category={q(category)}"
        "&_shape=objects",
    )
    expected = {
        r[0]
        for r in db.execute(
            "select id from notices where publish_year = ? and category = ?", [year, category]
        ).fetchall()
    }
    assert {r["id"] for r in got} == expected
    keys = [(r["publish_date"], r["publish_time"] or "") for r in got]
    assert keys == sorted(keys, reverse=True)


async def test_notices_of_year_and_category_of_another_year_is_empty(ds, db):
    category = db.execute("select category from notices limit 1").fetchone()[0]
    got = await rows(
        ds, f"/views/notices_of_year_and_category.json?year=1990&category={q(category)}"
    )
    assert got == []


# -- documents by 文号 prefix ----------------------------------------------------------------


def doc_key(doc_number: str) -> tuple[str, int, int]:
    code, rest = doc_number.split("〔", 1)
    year, number = rest.split("〕", 1)
    return code, int(year), int(number.rstrip("号"))


async def test_documents_by_prefix_are_every_document_of_the_code_by_year_and_number(ds, db):
    code = "湛财预"
    got = await rows(ds, f"/views/documents_by_doc_number.json?prefix={q(code)}&_shape=objects")
    stored = [
        r[0]
        for r in db.execute(
            "select doc_number from notices where doc_number like ?", [code + "%"]
        ).fetchall()
    ]
    assert len(stored) > 5
    assert [r["doc_number"] for r in got] == sorted(stored, key=doc_key)
    assert all(r["code"] == code for r in got)
    assert [(r["year"], r["number"]) for r in got] == [
        doc_key(d)[1:] for d in sorted(stored, key=doc_key)
    ]


async def test_a_shorter_prefix_takes_every_code_it_starts(ds, db):
    got = await rows(ds, f"/views/documents_by_doc_number.json?prefix={q('湛财')}&_shape=objects")
    codes = {
        r[0].split("〔")[0]
        for r in db.execute(
            "select doc_number from notices where doc_number like '湛财%'"
        ).fetchall()
    }
    assert len(codes) > 3  # 湛财预, 湛财库, 湛财采 …
    assert [r["code"] for r in got] == sorted(r["code"] for r in got)
    assert {r["code"] for r in got} == codes
    assert "湛府办函" not in {r["code"] for r in got}


async def test_empty_prefix_finds_nothing(ds):
    assert await rows(ds, "/views/documents_by_doc_number.json?prefix=") == []


# -- what changed this week ------------------------------------------------------------------


def changed_in_week(db) -> set[str]:
    """Ids of versions after the first fetched within 7 days before the newest crawl started."""
    newest = db.execute("select max(started) from crawl_runs").fetchone()[0]
    start = dt.datetime.strptime(newest, "%Y-%m-%dT%H:%M:%SZ") - dt.timedelta(days=7)
    return {
        r[0]
        for r in db.execute(
            "select id from notice_versions where version > 1 and fetched_at >= ?",
            [start.strftime("%Y-%m-%dT%H:%M:%SZ")],
        ).fetchall()
    }


async def test_changed_this_week_lists_new_versions_since_a_week_before_the_newest_crawl(ds, db):
    got = await rows(ds, "/views/changed_this_week.json?_shape=objects")
    assert len(got) == CHANGED
    assert {r["version_id"] for r in got} == changed_in_week(db)
    assert all(r["version"] == 2 and r["previous_fetched_at"] for r in got)
    times = [r["fetched_at"] for r in got]
    assert times == sorted(times, reverse=True)


async def test_a_change_older_than_a_week_is_left_out_unless_asked(ds, db):
    versions = db.execute("select count(*) from notice_versions where version > 1").fetchone()[0]
    assert versions == CHANGED + 1  # the old change is in the archive …
    got = await rows(ds, f"/views/changed_this_week.json?days={OLD_CHANGE_DAYS + 1}")
    assert len(got) == CHANGED + 1  # … and within days=11


async def test_changed_this_week_is_relative_to_the_newest_crawl_not_today(db_path, tmp_path):
    old = tmp_path / "views.db"  # the served name decides the database's URL
    src, dst = sqlite3.connect(db_path), sqlite3.connect(old)
    src.backup(dst)
    src.close()
    shift = "'-5 years'"  # an archive last crawled five years ago
    dst.execute(f"update crawl_runs set started = strftime('%Y-%m-%dT%H:%M:%SZ', started, {shift})")
    dst.execute(
        f"update notice_versions set fetched_at = strftime('%Y-%m-%dT%H:%M:%SZ', fetched_at, {shift})"
    )
    dst.commit()
    dst.close()
    got = await rows(make_datasette(str(old)), "/views/changed_this_week.json?_shape=objects")
    assert len(got) == CHANGED
    assert all(r["fetched_at"] < str(dt.date.today().year - 4) for r in got)


# -- withdrawn notices -----------------------------------------------------------------------


async def test_withdrawn_notices_are_the_gone_ones_latest_first(ds, db):
    got = await rows(ds, "/views/withdrawn_notices.json?_shape=objects")
    gone = {r[0] for r in db.execute("select id from notices where status = 'gone'").fetchall()}
    assert len(gone) == GONE
    assert {r["id"] for r in got} == gone
    assert all(r["gone_since"] for r in got)
    assert [r["gone_since"] for r in got] == sorted((r["gone_since"] for r in got), reverse=True)


async def test_status_facet_counts_gone_notices(ds):
    response = await ds.client.get("/views/notices.json?_facet=status")
    facet = {r["value"]: r["count"] for r in response.json()["facet_results"]["status"]["results"]}
    assert facet["gone"] == GONE


# -- every canned query: a page with a bilingual title, and CSV ------------------------------

QUERIES = [
    "notices_of_year_and_category",
    "documents_by_doc_number",
    "changed_this_week",
    "withdrawn_notices",
    "new_notices",
]


@pytest.mark.parametrize("name", QUERIES)
async def test_canned_query_page_has_bilingual_title_and_description(ds, name):
    page = await ds.client.get(f"/views/{name}")
    assert page.status_code == 200
    query = ds.metadata("queries", database="views")[name]
    assert " · " in query["title"]  # 中文 · English
    assert query["title"] in page.text
    chinese, english = query["description"].split("/ ", 1)  # 中文。/ English
    assert chinese.strip()
    assert english.strip()
    assert english[:40] in page.text


async def test_canned_query_csv_is_the_same_rows(ds, db):
    response = await ds.client.get(f"/views/documents_by_doc_number.csv?prefix={q('湛财库')}")
    assert response.status_code == 200
    table = list(csv.DictReader(io.StringIO(response.text)))
    stored = [
        r[0] for r in db.execute("select doc_number from notices where doc_number like '湛财库%'")
    ]
    assert [r["doc_number"] for r in table] == sorted(stored, key=doc_key)
    assert table[0]["title"]
