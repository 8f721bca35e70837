"""The archive's history of a time-travelling replica equals the truth of each date (issue 11).

The replica (the bureau, ``--scale 3000 --history 0.8``: edits of titles, bodies and
attachments, withdrawals answering 404 or 410, returns, on dated events) is served as of D1,
D2 and D3, 45 and 47 days apart, on one port; each day one crawl runs into the same archive on
that day's clock (``ZWGK_TODAY``) with ``ZWGK_RECHECK=*:1``: every held notice is due, so each
crawl revalidates everything it holds (a 304 for what did not change) the way the weekly sweep
does, and requests by URL what no list shows any more. After each crawl the archive must hold
exactly what the truths of the days crawled so far say: the notices seen live, each with one
version per distinct content the crawls saw, live or gone, and ``gone_since`` on the first
crawl that found it gone (the truth's ``gone_since``, the day of the withdrawal, lies between
the crawl before and that one: with a daily crawl the two are the same day).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from crawler.recheck import china_date
from pipeline.history import diff_records
from tests.integration.conftest import crawl, free_port, get_json, running_replica

pytestmark = pytest.mark.integration

DAYS = (dt.date(2025, 5, 10), dt.date(2025, 6, 24), dt.date(2025, 8, 10))
REPLICA = ("--scale", "3000", "--history", "0.8")
SITE = "zjczj"
#: The truth's name of an edit → the record field it changes.
EDITED_FIELD = {"title": "title", "body": "body_text", "attachment": "attachments"}


@dataclass
class Day:
    day: dt.date
    truth: dict[str, dict]  # url → the truth's record as of the day
    notices: dict[str, dict]  # url → the archive's row after the day's crawl
    versions: dict[str, list[dict]]  # url → its stored records, version by version
    failures: list[tuple]  # (url, status, reason) of the day's crawl
    run: dict
    summary: str = ""  # what ``zwgk crawl`` printed
    db: Path | None = None  # a copy of the archive after the day's crawl


def content(record: dict) -> tuple:
    attachments = tuple((a["name"], a["url"]) for a in record["attachments"])
    return record["title"], record["body_text"], attachments


def snapshot(db, day: dt.date, truth: dict[str, dict]) -> Day:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        notices = {r["url"]: dict(r) for r in conn.execute("select * from notices")}
        versions: dict[str, list[dict]] = {}
        for url, record in conn.execute(
            "select n.url, v.record_json from notice_versions v join notices n"
            " on n.id = v.notice_id order by n.url, v.version"
        ):
            versions.setdefault(url, []).append(json.loads(record))
        for row in notices.values():
            row["attachments"] = [
                {"name": name, "url": link}
                for name, link in conn.execute(
                    "select name, url from attachments where notice_id = ? order by position",
                    [row["id"]],
                )
            ]
        run = dict(conn.execute("select * from crawl_runs order by id desc limit 1").fetchone())
        failures = conn.execute(
            "select url, status, reason from fetch_failures where crawl_run_id = ?", [run["id"]]
        ).fetchall()
    return Day(day, truth, notices, versions, [tuple(f) for f in failures], run)


@pytest.fixture(scope="module")
def days(tmp_path_factory) -> list[Day]:
    folder = tmp_path_factory.mktemp("history")
    db = folder / "archive.db"
    port = free_port()
    out = []
    for day in DAYS:
        with running_replica(*REPLICA, "--as-of", day.isoformat(), port=port) as url:
            result = crawl(db, url, f"ZWGK_TODAY={day.isoformat()}", "ZWGK_RECHECK=*:1")
            assert result.returncode == 0, result.stderr[-3000:]
            notices = get_json(f"{url}/__truth.json")["notices"]
        truth = {n["url"]: n for n in notices if n["site"] == SITE}
        out.append(snapshot(db, day, truth))
        out[-1].summary = result.stdout
        out[-1].db = folder / f"{day.isoformat()}.db"
        with closing(sqlite3.connect(db)) as src, closing(sqlite3.connect(out[-1].db)) as dst:
            src.backup(dst)
    return out


def expected(days: list[Day], upto: int) -> dict[str, dict]:
    """What the archive must hold after the crawls of ``days[: upto + 1]``, from their truths."""
    out: dict[str, dict] = {}
    for url in {u for d in days[: upto + 1] for u in d.truth}:
        contents: list[tuple] = []
        status, gone_since = None, None
        for d in days[: upto + 1]:
            record = d.truth.get(url)
            if record is None:
                continue
            if record.get("status", "live") == "live":
                if not contents and not record.get("listed", True):
                    continue  # off the lists before a crawl saw it: nothing leads to it
                if not contents or contents[-1] != content(record):
                    contents.append(content(record))
                status, gone_since = "live", None
            elif contents:  # held, and found gone
                gone_since = gone_since if status == "gone" else d.day
                status = "gone"
        if contents:  # a notice published and withdrawn between two crawls is never seen
            out[url] = {
                "versions": len(contents),
                "content": contents[-1],
                "status": status,
                "gone_since": gone_since,
            }
    return out


def changes(days: list[Day]) -> dict[str, set]:
    """What happened between the crawls, by kind, from the truths."""
    seen: dict[str, set] = {
        "new": set(),
        "title": set(),
        "body": set(),
        "attachment": set(),
        "404": set(),
        "410": set(),
        "unlisted": set(),  # off the lists, the page still answering: live
        "returned": set(),
    }
    for before, after in itertools.pairwise(days):
        for url, record in after.truth.items():
            old = before.truth.get(url)
            if old is None:
                seen["new"].add(url)
                continue
            if len(record.get("versions", ())) > len(old.get("versions", ())):
                seen[record["versions"][-1]["changed"][0]].add(url)
            was, now = old.get("status", "live"), record.get("status", "live")
            if was == "live" and now == "gone":
                seen[str(record["history"][-1]["status"])].add(url)
            if was == "gone" and now == "live":
                seen["returned"].add(url)
            if old.get("listed", True) and not record.get("listed", True) and now == "live":
                seen["unlisted"].add(url)
    return seen


def test_the_dates_hold_every_kind_of_change(days):
    assert all((b.day - a.day).days >= 30 for a, b in itertools.pairwise(days))
    kinds = changes(days)
    assert {kind: len(urls) >= 1 for kind, urls in kinds.items()} == dict.fromkeys(kinds, True)


@pytest.mark.parametrize("index", range(len(DAYS)))
def test_the_archive_equals_the_truth_of_each_date(days, index):
    day, want = days[index], expected(days, index)
    got = day.notices
    assert set(got) == set(want)
    assert {u: r["version_count"] for u, r in got.items()} == {
        u: w["versions"] for u, w in want.items()
    }
    assert {u: r["status"] for u, r in got.items()} == {u: w["status"] for u, w in want.items()}
    gone_since = {u: china_date(r["gone_since"]) for u, r in got.items() if r["gone_since"]}
    assert gone_since == {u: w["gone_since"] for u, w in want.items() if w["gone_since"]}
    assert {u: content(r) for u, r in got.items()} == {u: w["content"] for u, w in want.items()}
    # Versions as the truth counts them: every content the notice had by the day, each seen
    # by some crawl here unless two changed within one interval.
    for url, row in got.items():
        assert row["version_count"] <= len(day.truth[url].get("versions", [None]))
        assert len(day.versions[url]) == row["version_count"]


@pytest.mark.parametrize("index", range(1, len(DAYS)))
def test_gone_since_is_the_first_crawl_after_the_withdrawal(days, index):
    before, day = days[index - 1], days[index]
    newly = {
        u
        for u, r in day.notices.items()
        if r["status"] == "gone" and china_date(r["gone_since"]) == day.day
    }
    assert newly
    for url in newly:
        withdrawn = dt.date.fromisoformat(day.truth[url]["gone_since"])
        assert before.day < withdrawn <= day.day
        assert china_date(day.notices[url]["last_seen"]) <= before.day  # last seen live


@pytest.mark.parametrize("index", range(1, len(DAYS)))
def test_a_recrawl_fails_only_on_withdrawn_pages_and_counts_returns(days, index):
    day = days[index]
    gone = {u for u, r in day.truth.items() if r.get("status") == "gone"}
    assert {u for u, _, _ in day.failures} <= gone
    assert {status for _, status, _ in day.failures} <= {404, 410}
    before = days[index - 1].notices
    returned = {  # held as gone, live again with the content it had: no new version
        u
        for u, r in day.truth.items()
        if r.get("status", "live") == "live"
        and before.get(u, {}).get("status") == "gone"
        and content(r) == content(before[u])
    }
    assert day.run["returned"] == len(returned)
    if returned:
        assert f"{len(returned)} returned" in day.summary
    assert day.run["gone"] > 0
    assert f"{day.run['gone']} gone" in day.summary
    assert {u: day.notices[u]["version_count"] for u in returned} == {
        u: before[u]["version_count"] for u in returned
    }


def test_each_change_shows_in_the_diff_as_the_field_the_truth_names(days):
    last = days[-1]
    edited = {
        url: record["versions"][-1]["changed"][0]
        for url, record in last.truth.items()
        if len(record.get("versions", ())) > 1 and len(last.versions.get(url, ())) > 1
    }
    assert set(edited.values()) == set(EDITED_FIELD)
    for url, what in edited.items():
        old, new = last.versions[url][-2:]
        assert [change.field for change in diff_records(old, new)] == [EDITED_FIELD[what]]


def test_a_returned_notice_keeps_its_versions(days):
    returned = changes(days)["returned"]
    for url in returned & set(days[-1].notices):
        row = days[-1].notices[url]
        assert row["status"] == "live"
        assert row["gone_since"] is None
        assert len(days[-1].versions[url]) == row["version_count"]


def test_the_weekly_full_sweep_a_year_later_equals_the_truth(tmp_path):
    """``zwgk crawl --full`` (``ZWGK_INCREMENTAL=False``) a year on, without a recheck policy
    of its own: every list page walked, and every held notice no list shows requested by URL."""
    db, port, out = tmp_path / "archive.db", free_port(), []
    for day in (dt.date(2025, 1, 1), dt.date(2026, 1, 1)):
        with running_replica(
            "--scale", "300", "--history", "0.8", "--as-of", day.isoformat(), port=port
        ) as url:
            settings = [f"ZWGK_TODAY={day.isoformat()}"] + ["ZWGK_INCREMENTAL=False"] * bool(out)
            result = crawl(db, url, *settings)
            assert result.returncode == 0, result.stderr[-3000:]
            notices = get_json(f"{url}/__truth.json")["notices"]
        out.append(snapshot(db, day, {n["url"]: n for n in notices if n["site"] == SITE}))
    want = expected(out, 1)
    assert {u: (r["status"], r["version_count"]) for u, r in out[1].notices.items()} == {
        u: (w["status"], w["versions"]) for u, w in want.items()
    }
    assert {w["status"] for w in want.values()} == {"live", "gone"}
    assert max(w["versions"] for w in want.values()) == 2


def canned(name: str) -> str:
    metadata = yaml.safe_load((Path(__file__).parents[2] / "publish" / "metadata.yml").read_text())
    return metadata["databases"]["archive"]["queries"][name]["sql"]


@pytest.mark.parametrize("index", range(1, len(DAYS)))
def test_changed_this_week_lists_the_versions_of_the_last_crawl(days, index):
    """Runs are stamped on the crawl's clock, so the canned query counts from the crawl's day."""
    day = days[index]
    assert china_date(day.run["started"]) == china_date(day.run["finished"]) == day.day
    with closing(sqlite3.connect(day.db)) as conn:
        rows = conn.execute(canned("changed_this_week"), {"days": ""}).fetchall()
        ours = conn.execute(
            "select n.url, v.version from notice_versions v join notices n on n.id = v.notice_id"
            " where v.crawl_run_id = ? and v.version > 1",
            [day.run["id"]],
        ).fetchall()
        gone = conn.execute(canned("withdrawn_notices")).fetchall()
    assert ours
    assert sorted((row[9], row[2]) for row in rows) == sorted(ours)
    assert len(gone) == sum(r["status"] == "gone" for r in day.notices.values())
