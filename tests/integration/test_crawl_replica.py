"""The acceptance path: crawl the whole bureau replica, compare the archive with its truth."""

from __future__ import annotations

import pytest
import sqlite_utils

from tests.integration.conftest import (
    TRUTH_FIELDS,
    crawl,
    get_json,
    notices_by_url,
    running_datasette,
    running_replica,
    site_truth,
)

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """Two crawls of one replica into one archive, with snapshots between them."""
    db = tmp_path_factory.mktemp("crawl") / "archive.db"
    with running_replica() as url:
        truth = site_truth(url, "zjczj")
        first = crawl(db, url)
        stats_first = get_json(f"{url}/__stats.json")
        snapshot = _snapshot(db)
        second = crawl(db, url, "ZWGK_INCREMENTAL=False")  # a full re-crawl: every page again
        stats_second = get_json(f"{url}/__stats.json")
        third = crawl(db, url)  # incremental: stops each column at the first page with nothing new
        stats_third = get_json(f"{url}/__stats.json")
    return {
        "db": db,
        "truth": truth,
        "first": first,
        "second": second,
        "third": third,
        "stats": (stats_first, stats_second, stats_third),
        "snapshot": snapshot,
    }


def _snapshot(db):
    database = sqlite_utils.Database(db)
    rows = {}
    for row in database["notices"].rows:
        row.pop("last_seen")
        rows[row["id"]] = row
    return {
        "notices": rows,
        "versions": database["notice_versions"].count,
        "attachments": database["attachments"].count,
    }


def test_crawls_exit_cleanly(crawled):
    for run in ("first", "second", "third"):
        assert crawled[run].returncode == 0, crawled[run].stderr[-3000:]


def test_incremental_recrawl_stops_early_and_changes_nothing(crawled):
    first, second, third = crawled["stats"]
    full_lists = first["by_path_kind"]["list"]
    lists = third["by_path_kind"]["list"] - second["by_path_kind"]["list"]
    details = third["by_path_kind"]["detail"] - second["by_path_kind"]["detail"]
    revalidated = third["by_status"].get("304", 0) - second["by_status"].get("304", 0)
    columns = 11
    assert lists == columns < full_lists  # each column's first page only: nothing new on it
    assert details == revalidated  # the details on those pages: revalidated, not downloaded
    assert _snapshot(crawled["db"]) == crawled["snapshot"]


def test_archive_holds_exactly_the_truth(crawled):
    stored = notices_by_url(crawled["db"])
    expected = {n["url"] for n in crawled["truth"]["notices"]}
    assert len(expected) >= 400
    assert set(stored) == expected


@pytest.mark.parametrize("field", TRUTH_FIELDS)
def test_every_notice_field_equals_truth(crawled, field):
    stored = notices_by_url(crawled["db"])
    wrong = {
        n["url"]: (n[field], stored[n["url"]][field])
        for n in crawled["truth"]["notices"]
        if n["url"] in stored and stored[n["url"]][field] != n[field]
    }
    assert not wrong, f"{len(wrong)} notices differ in {field}; first: {next(iter(wrong.items()))}"


def test_no_failures_on_a_healthy_site(crawled):
    assert sqlite_utils.Database(crawled["db"])["fetch_failures"].count == 0


def test_second_crawl_inserts_nothing_and_changes_nothing(crawled):
    after = _snapshot(crawled["db"])
    assert after == crawled["snapshot"]


def test_crawl_runs_record_every_run(crawled):
    runs = list(sqlite_utils.Database(crawled["db"])["crawl_runs"].rows)
    total = len(crawled["truth"]["notices"])
    assert [(r["new"], r["changed"], r["unchanged"], r["failed"]) for r in runs[:2]] == [
        (total, 0, 0, 0),
        (0, 0, total, 0),
    ]
    assert (runs[2]["new"], runs[2]["changed"], runs[2]["failed"]) == (0, 0, 0)
    assert all(r["finish_reason"] == "finished" for r in runs)
    assert all(r["pages_fetched"] > total for r in runs[:2])  # full crawls: lists + details


def test_server_saw_every_detail_page_once_per_full_crawl(crawled):
    first, second, _ = crawled["stats"]
    total = len(crawled["truth"]["notices"])
    assert first["by_path_kind"]["detail"] == total
    assert second["by_path_kind"]["detail"] == 2 * total
    assert first["by_path_kind"]["robots"] >= 1


def test_second_crawl_revalidates_instead_of_downloading(crawled):
    first, second, _ = crawled["stats"]
    total = len(crawled["truth"]["notices"])
    not_modified = second["by_status"].get("304", 0) - first["by_status"].get("304", 0)
    assert not_modified == total  # every detail page answered 304 to the archive's validators


def test_crawl_prints_a_summary(crawled):
    assert "445 notices archived or confirmed (445 new" in crawled["first"].stdout
    assert "columns stopped early" in crawled["third"].stdout
    assert "finish reason: finished" in crawled["first"].stdout


def test_served_archive_facets_every_category_over_http(crawled):
    categories = {n["category"] for n in crawled["truth"]["notices"]}
    with running_datasette(crawled["db"]) as url:
        data = get_json(f"{url}/archive/notices.json?_facet=category&_facet_size=max")
    facet = {r["value"]: r["count"] for r in data["facet_results"]["category"]["results"]}
    assert set(facet) == categories
    assert sum(facet.values()) == len(crawled["truth"]["notices"])


def test_each_run_records_its_field_coverage(crawled):
    """crawl_runs.field_nulls: per-field null counts, as the truth has them (first run)."""
    import json

    first = next(sqlite_utils.Database(crawled["db"])["crawl_runs"].rows)
    nulls = json.loads(first["field_nulls"])
    notices = crawled["truth"]["notices"]
    assert nulls["records"] == len(notices)
    for field in ("title", "publish_date", "doc_number", "index_number", "author"):
        assert nulls[field] == sum(1 for n in notices if n[field] is None), field
