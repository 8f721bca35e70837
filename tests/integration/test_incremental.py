"""Incremental re-crawl: new notices published since the last crawl are found without a full walk."""

from __future__ import annotations

import pytest
import sqlite_utils

from tests.integration.conftest import crawl, free_port, get_json, running_replica, site_truth

pytestmark = pytest.mark.integration


def test_new_notices_found_by_walking_only_the_top_of_each_column(tmp_path):
    db = tmp_path / "archive.db"
    port = free_port()
    with running_replica("--as-of", "2025-06-30", port=port) as url:  # the site last year
        before = site_truth(url, "zjczj")
        assert crawl(db, url).returncode == 0
        full_lists = get_json(f"{url}/__stats.json")["by_path_kind"]["list"]
    with running_replica(port=port) as url:  # the same site today: newer notices on top
        after = site_truth(url, "zjczj")
        result = crawl(db, url)
        stats = get_json(f"{url}/__stats.json")
    assert result.returncode == 0, result.stderr[-2000:]
    added = len(after["notices"]) - len(before["notices"])
    assert added > 0
    stored = {row["url"] for row in sqlite_utils.Database(db)["notices"].rows}
    assert stored == {n["url"] for n in after["notices"]}
    run = list(sqlite_utils.Database(db)["crawl_runs"].rows)[-1]
    assert (run["new"], run["changed"], run["failed"]) == (added, 0, 0)
    assert stats["by_path_kind"]["list"] < full_lists


def test_since_takes_only_recent_notices_and_stops_paging(tmp_path):
    db = tmp_path / "archive.db"
    with running_replica() as url:
        truth = site_truth(url, "zjczj")
        result = crawl(db, url, "ZWGK_SINCE=2025-01-01")
        stats = get_json(f"{url}/__stats.json")
    assert result.returncode == 0, result.stderr[-2000:]
    recent = {n["url"] for n in truth["notices"] if n["publish_date"] >= "2025-01-01"}
    assert recent
    stored = {row["url"] for row in sqlite_utils.Database(db)["notices"].rows}
    assert stored == recent
    assert stats["by_path_kind"]["detail"] == len(recent)
    assert stats["by_path_kind"]["list"] <= 2 * 11  # the top of each column, not all its pages
