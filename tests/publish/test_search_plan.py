"""A search page read by each plan (publish/search_plan.py), and facets answered without a
``group by`` over every notice (publish/plugins/zwgk_facets.py, pipeline/store/facet_counts.py).

Truth is computed here from the stored rows; every page is served by Datasette's own client."""

from __future__ import annotations

import sqlite3
from collections import Counter
from urllib.parse import quote, urlsplit

import pytest

from pipeline.store import facet_counts
from publish import search_plan
from publish.config import make_datasette
from tests.publish import test_search
from tests.publish.test_search import containing

FACETS = ("site", "category", "publish_year", "status")
crawled = test_search.crawled  # the crawled archive and its notices, as fixtures
notices = test_search.notices


@pytest.fixture(scope="module")
def ds(crawled):
    return make_datasette(str(crawled))


def rows(path, sql: str, params=()) -> list[tuple]:
    with sqlite3.connect(path) as conn:
        return conn.execute(sql, params).fetchall()


def truth_facets(path, ids: set[str] | None = None) -> dict[str, Counter]:
    found = {c: Counter() for c in FACETS}
    for row in rows(path, f"select id, {', '.join(FACETS)} from notices"):
        if ids is None or row[0] in ids:
            for column, value in zip(FACETS, row[1:], strict=True):
                if value is not None:
                    found[column][value] += 1
    return found


def page_facets(data: dict) -> dict[str, dict]:
    results = data["facet_results"]
    return {
        name: {v["value"]: v["count"] for v in info["results"]} for name, info in results.items()
    }


def top(counter: Counter, size: int = 8) -> dict:
    ordered = sorted(counter.items(), key=lambda kv: (-kv[1], isinstance(kv[0], str), kv[0]))
    return dict(ordered[:size])


async def test_the_table_page_facets_come_from_the_counts_and_are_exact(ds, crawled):
    data = (await ds.client.get("/archive/notices.json?_size=1&_facet=kind")).json()
    truth = truth_facets(crawled)
    for column in FACETS:
        assert page_facets(data)[column] == top(truth[column]), column
    kinds = Counter(k for (k,) in rows(crawled, "select kind from notices"))
    assert page_facets(data)["kind"] == top(kinds)


async def test_a_common_word_walks_the_date_index_with_an_exact_count(ds, crawled, notices):
    expected = containing(notices, "预算")
    assert len(expected) > search_plan.SCAN_SHARE * len(notices)
    url = f"/archive/notices.json?_search={quote('预算')}&_size=100&_shape=objects"
    data = (await ds.client.get(url)).json()
    assert "exists (select 1 from notices_fts" in data["query"]["sql"]
    assert data["filtered_table_rows_count"] == len(expected)
    dates = dict(rows(crawled, "select id, publish_date from notices"))
    newest = sorted((dates[i] or "" for i in expected), reverse=True)[:100]
    assert [r["publish_date"] or "" for r in data["rows"]] == newest
    assert {r["id"] for r in data["rows"]} <= expected
    # facets: the sample covers this small archive whole, so they are exact
    truth = truth_facets(crawled, expected)
    for column in FACETS:
        assert page_facets(data)[column] == top(truth[column]), column
    assert not any(info.get("estimated") for info in data["facet_results"].values())
    following = urlsplit(data["next_url"])
    more = (await ds.client.get(f"{following.path}?{following.query}")).json()
    assert {r["id"] for r in more["rows"]} <= expected
    # (Datasette 0.65 breaks publish_date ties by id on later pages only: ids may repeat)
    assert max(r["publish_date"] or "" for r in more["rows"]) <= newest[-1]


async def test_facets_of_a_common_word_are_estimated_from_a_sample(
    ds, crawled, notices, monkeypatch
):
    monkeypatch.setattr(search_plan, "SAMPLE", 60)
    monkeypatch.setattr(search_plan, "EXACT", 0)
    expected = containing(notices, "预算")
    url = f"/archive/notices.json?_search={quote('预算')}&_size=1"
    data = (await ds.client.get(url)).json()
    assert data["filtered_table_rows_count"] == len(expected)
    facets = data["facet_results"]
    assert all(facets[c].get("estimated") for c in FACETS)
    truth = truth_facets(crawled, expected)
    # scaled to the exact total: a column every match has sums to it, give or take rounding
    assert abs(sum(page_facets(data)["status"].values()) - len(expected)) <= len(truth["status"])
    assert set(page_facets(data)["site"]) <= set(truth["site"])
    html = (await ds.client.get(url.replace(".json", ""))).text
    assert "≈ 估算 / estimated" in html
    assert html.count("≈") > 4


async def test_a_filtered_search_is_not_estimated(ds, crawled, notices):
    url = f"/archive/notices.json?_search={quote('预算')}&site=ccgp&_size=1"
    data = (await ds.client.get(url)).json()
    expected = containing(notices, "预算") & {
        i for (i,) in rows(crawled, "select id from notices where site = 'ccgp'")
    }
    assert data["filtered_table_rows_count"] == len(expected)
    assert page_facets(data)["category"] == top(truth_facets(crawled, expected)["category"])
    assert not any(info.get("estimated") for info in data["facet_results"].values())


def test_counts_follow_inserts_updates_and_deletes_by_any_writer(crawled, tmp_path):
    path = tmp_path / "copy.db"
    with sqlite3.connect(crawled) as source, sqlite3.connect(path) as target:
        source.backup(target)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("update notices set category = '改过的栏目' where rowid % 3 = 0")
        conn.execute("update notices set status = 'gone' where rowid % 5 = 0")
        conn.execute("delete from notices where rowid % 7 = 0")
        conn.execute(
            "insert into notices(id, url, site, kind, category, publish_year, status)"
            " values ('x1', 'http://x/1', 'newsite', 'notice', '通知公告', 2030, 'live')"
        )
    for column in (*FACETS, "kind"):
        truth = dict(
            conn.execute(
                f"select {column}, count(*) from notices where {column} is not null group by 1"
            )
        )
        kept = dict(facet_counts.read(conn, "notices", column, 10_000))
        assert kept == truth, column
    assert (
        facet_counts.rows(conn, "notices")
        == conn.execute("select count(*) from notices").fetchone()[0]
    )


def test_an_archive_without_counts_gets_them_once(crawled, tmp_path):
    path = tmp_path / "old.db"
    with sqlite3.connect(crawled) as source, sqlite3.connect(path) as target:
        source.backup(target)
    conn = sqlite3.connect(path)
    conn.execute("drop table facet_counts")
    assert not facet_counts.is_current(conn)
    facet_counts.ensure(conn)
    assert facet_counts.is_current(conn)
    assert dict(facet_counts.read(conn, "notices", "site", 100)) == dict(
        conn.execute("select site, count(*) from notices group by site")
    )


def test_windows_spread_a_sample_over_the_archive():
    ranges = search_plan.windows(total=710_000, max_rowid=1_000_000, sample=4000, count=32)
    assert len(ranges) == 32
    assert ranges[0][0] == 0
    assert ranges[-1][1] < 1_000_000
    covered = sum(hi - lo + 1 for lo, hi in ranges)
    assert 4000 <= covered * 0.71 <= 4000 * 1.05
    assert search_plan.windows(total=900, max_rowid=1000, sample=4000) == [(0, 1000)]


def test_estimate_scales_a_sample_to_the_total():
    sample = [("a", 2024, 30), ("a", 2023, 10), ("b", 2024, 10), (None, 2024, 50)]
    assert search_plan.estimate(sample, 0, 1000) == [("a", 400), ("b", 100)]
    assert search_plan.estimate(sample, 1, 1000) == [(2024, 900), (2023, 100)]


def test_choose():
    assert search_plan.choose(4, 1000, True, "publish_date") == "lookup"
    assert search_plan.choose(10, 1000, True, "publish_date") == "scan"
    assert search_plan.choose(80, 1000, True, "publish_date") == "walk"
    assert search_plan.choose(80, 1000, True, "title") == "scan"
    assert search_plan.choose(80, 1000, False, "publish_date") == "scan"
    assert search_plan.choose(80, 1000, True, "publish_date", '"预"*') == "scan"
    assert search_plan.is_plain({"_search": ["预算"], "_col": ["id"], "_next": ["x"]})
    assert not search_plan.is_plain({"_search": ["预算"], "site": ["ccgp"]})
    assert not search_plan.is_plain({"_search": ["预算"], "_search_title": ["x"]})


async def test_an_archive_not_yet_migrated_is_faceted_by_datasette(crawled, tmp_path):
    path = tmp_path / "archive.db"
    with sqlite3.connect(crawled) as source, sqlite3.connect(path) as target:
        source.backup(target)
    with sqlite3.connect(path) as conn:
        conn.execute("drop table facet_counts")
    served = make_datasette(str(path))
    data = (await served.client.get("/archive/notices.json?_size=1")).json()
    assert page_facets(data)["site"] == top(truth_facets(path)["site"])


async def test_later_pages_facet_what_the_first_page_facets(ds):
    """Datasette 0.65 faceted page 2 over the rows after page 1; here every page facets (and
    counts) all the rows its filters and search select."""
    for query in ("", f"_search={quote('预算')}&"):
        first = (await ds.client.get(f"/archive/notices.json?{query}_size=20")).json()
        url = f"/archive/notices.json?{query}_size=20&_next={quote(first['next'])}"
        second = (await ds.client.get(url)).json()
        assert second["rows"]
        assert second["rows"] != first["rows"]
        assert page_facets(second) == page_facets(first), query
        assert second["filtered_table_rows_count"] == first["filtered_table_rows_count"]


async def test_the_whole_table_count_comes_from_the_counts(ds, crawled):
    data = (await ds.client.get("/archive/notices.json?_size=1")).json()
    (total,) = rows(crawled, "select count(*) from notices")[0]
    assert data["filtered_table_rows_count"] == total
    with sqlite3.connect(crawled) as conn:
        assert facet_counts.rows(conn, "notices") == total
