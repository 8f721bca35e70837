"""Re-crawls revalidate by age (``ZWGK_RECHECK``): an unchanged site costs its lists' first pages
and its recent notices, and the replica advancing a day brings its new notices and its edits.

The replica (bureau + 湛江's site group, ``--scale 2000``) serves 2025-03-25 (day 1) and then
2025-03-26 (day 2) with ``--edits 0.5`` (half the notices are edited 1-5 days after publication;
day 2 holds edits of both sites); each crawl runs as of its day (``ZWGK_TODAY``).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import urllib.request
from contextlib import closing

import pytest
import sqlite_utils

from tests.cli.support import zwgk
from tests.integration.conftest import crawl, free_port, get_json, running_replica

pytestmark = pytest.mark.integration

SPIDERS = ("zjczj", "gdsite")
SITES = ("zjczj", "zhanjiang")
DAY_1, DAY_2 = dt.date(2025, 3, 25), dt.date(2025, 3, 26)
REPLICA = ("--scale", "2000", "--edits", "0.5")
RECENT = 7  # days: the default policy's first rule, rechecked every day


def replica_as_of(day: dt.date, port: int):
    return running_replica(*REPLICA, "--as-of", day.isoformat(), port=port)


def crawl_on(db, url: str, day: dt.date, *settings: str):
    result = crawl(db, url, f"ZWGK_TODAY={day.isoformat()}", *settings, spiders=SPIDERS)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def reset_stats(url: str) -> None:
    request = urllib.request.Request(f"{url}/__stats/reset", data=b"", method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200


def truth_of(url: str) -> dict[str, dict]:
    notices = get_json(f"{url}/__truth.json")["notices"]
    return {n["url"]: n for n in notices if n["site"] in SITES}


def recent(truth: dict[str, dict], day: dt.date) -> set[str]:
    """URLs of the notices at most RECENT days old on ``day``."""
    return {
        url
        for url, n in truth.items()
        if 0 <= (day - dt.date.fromisoformat(n["publish_date"])).days <= RECENT
    }


def copy_archive(source, target):
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
    return target


def notices(db) -> dict[str, dict]:
    return {row["url"]: row for row in sqlite_utils.Database(db)["notices"].rows}


def versions(db) -> set[tuple]:
    rows = sqlite_utils.Database(db).execute(
        "select notice_id, version, content_sha256, raw_sha256 from notice_versions"
    )
    return set(rows.fetchall())


def without_last_seen(rows: dict[str, dict]) -> dict[str, dict]:
    return {url: {k: v for k, v in row.items() if k != "last_seen"} for url, row in rows.items()}


def last_crawl(db, spiders: int = len(SPIDERS)) -> dict[str, int]:
    """The counts of the last crawl: the sum of its spiders' runs."""
    runs = list(sqlite_utils.Database(db)["crawl_runs"].rows)[-spiders:]
    return {key: sum(run[key] for run in runs) for key in ("new", "changed", "unchanged", "failed")}


@pytest.fixture(scope="module")
def day_one(tmp_path_factory):
    """An archive of the sites as of day 1, crawled on day 1, and what that full crawl cost."""
    db = tmp_path_factory.mktemp("recheck") / "day1.db"
    port = free_port()
    with replica_as_of(DAY_1, port) as url:
        crawl_on(db, url, DAY_1)
        stats = get_json(f"{url}/__stats.json")
        truth = truth_of(url)
    return {"db": db, "port": port, "requests": stats["requests"], "truth": truth}


def test_the_first_crawl_stores_the_day(day_one):
    assert set(notices(day_one["db"])) == set(day_one["truth"]) != set()
    assert day_one["requests"] > 1000
    assert recent(day_one["truth"], DAY_1 + dt.timedelta(days=1))  # something to recheck


def test_an_unchanged_recrawl_the_same_day_asks_for_no_detail_page(day_one, tmp_path):
    db = copy_archive(day_one["db"], tmp_path / "archive.db")
    before = notices(db), versions(db)
    with replica_as_of(DAY_1, day_one["port"]) as url:
        reset_stats(url)
        result = crawl_on(db, url, DAY_1)
        stats = get_json(f"{url}/__stats.json")
    assert stats["by_path_kind"]["detail"] == 0  # every notice was checked today
    assert stats["requests"] <= 0.02 * day_one["requests"]
    assert (notices(db), versions(db)) == before  # not even last_seen moved
    assert "held pages not due for a recheck" in result.stdout


def test_an_unchanged_recrawl_the_next_day_rechecks_only_recent_notices(day_one, tmp_path):
    db = copy_archive(day_one["db"], tmp_path / "archive.db")
    before, before_versions = notices(db), versions(db)
    next_day = DAY_1 + dt.timedelta(days=1)
    with replica_as_of(DAY_1, day_one["port"]) as url:  # the site has not changed
        reset_stats(url)
        crawl_on(db, url, next_day)
        stats = get_json(f"{url}/__stats.json")
    due = recent(day_one["truth"], next_day)
    assert stats["requests"] <= 0.02 * day_one["requests"]
    assert stats["by_path_kind"]["detail"] == stats["by_status"]["304"] == len(due)
    after = notices(db)
    assert without_last_seen(after) == without_last_seen(before)
    assert versions(db) == before_versions
    moved = {url for url in after if after[url]["last_seen"] != before[url]["last_seen"]}
    assert moved == due
    run = last_crawl(db)
    assert (run["new"], run["changed"], run["unchanged"]) == (0, 0, len(due))


def test_the_next_day_brings_every_new_notice_and_every_edit(day_one, tmp_path):
    db = copy_archive(day_one["db"], tmp_path / "archive.db")
    before, before_versions = notices(db), versions(db)
    with replica_as_of(DAY_2, day_one["port"]) as url:
        reset_stats(url)
        crawl_on(db, url, DAY_2)
        stats = get_json(f"{url}/__stats.json")
        truth = truth_of(url)
    new = set(truth) - set(before)
    edited = {u for u, n in truth.items() if n.get("edited") == DAY_2.isoformat()}
    assert len(new) >= 2
    assert len(edited) >= 2
    assert {truth[u]["site"] for u in edited} == set(SITES)
    assert edited <= recent(truth, DAY_2)  # edits fall within the every-day rule

    after = notices(db)
    assert set(after) == set(before) | new
    for url in new | edited:
        assert after[url]["title"] == truth[url]["title"]
        assert after[url]["body_text"] == truth[url]["body_text"]
    assert {u for u in new if after[u]["version_count"] == 1} == new
    assert {u for u in edited if after[u]["version_count"] == 2} == edited
    assert all(before[u]["title"] + "（修订）" == after[u]["title"] for u in edited)
    unchanged = set(before) - edited
    assert without_last_seen({u: after[u] for u in unchanged}) == without_last_seen(
        {u: before[u] for u in unchanged}
    )
    assert len(versions(db) - before_versions) == len(new) + len(edited)
    run = last_crawl(db)
    assert (run["new"], run["changed"], run["failed"]) == (len(new), len(edited), 0)
    # Requested: the new notices and the recent ones the archive holds, nothing older.
    due = recent(truth, DAY_2) - new
    assert stats["by_path_kind"]["detail"] == len(new) + len(due)


def test_until_takes_only_older_notices_after_a_since_crawl(tmp_path):
    db = tmp_path / "archive.db"
    cut = dt.date(2020, 1, 1)
    with running_replica("--scale", "300") as url:
        truth = {u: n for u, n in truth_of(url).items() if n["site"] == "zjczj"}
        recent_crawl = crawl(db, url, f"ZWGK_SINCE={cut.isoformat()}")
        assert recent_crawl.returncode == 0, recent_crawl.stderr[-2000:]
        reset_stats(url)
        until = (cut - dt.timedelta(days=1)).isoformat()
        backfill = zwgk(
            *("crawl", "zjczj", "--replica-url", url, "--db", str(db), "--until", until),
            *("--log-level", "WARNING", "-s", "ZWGK_PROGRESS_INTERVAL=0"),
            timeout=600,
        )
        stats = get_json(f"{url}/__stats.json")
    assert backfill.returncode == 0, backfill.stderr[-2000:]
    older = {u for u, n in truth.items() if n["publish_date"] < cut.isoformat()}
    assert older
    assert older != set(truth)
    assert set(notices(db)) == set(truth)  # the two crawls together: the whole site
    assert stats["by_path_kind"]["detail"] == len(older)  # the backfill asked for the older only
    run = last_crawl(db, spiders=1)
    assert (run["new"], run["changed"]) == (len(older), 0)
