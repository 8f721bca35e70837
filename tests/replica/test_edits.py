"""Edits in place (``--edits SHARE``): a few notices change 1-5 days after publication, same URL,
new title, body, ETag and Last-Modified; shown once ``as_of`` reaches the day; nothing else."""

from __future__ import annotations

import datetime as dt
import email.utils
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from replica import ReplicaServer, build_truth
from replica.edits import NOTE, TITLE_MARK

BASE = "http://127.0.0.1:1"
SCALE = 300
EDITED_SITES = {"zjczj", "zhanjiang", "zs-czj", "jiangmen", "zhaoqing"}


def records(**options) -> dict[str, dict]:
    return {n["url"]: n for n in build_truth(BASE, scale=SCALE, **options)["notices"]}


@pytest.fixture(scope="module")
def plain() -> dict[str, dict]:
    return records()


@pytest.fixture(scope="module")
def edited() -> dict[str, dict]:
    return records(edits=0.2)


def test_edits_keep_every_url_and_change_only_the_edited(plain, edited):
    assert set(edited) == set(plain)
    changed = {url for url in plain if plain[url] != edited[url]}
    marked = {url for url, n in edited.items() if "edited" in n}
    assert changed == marked
    assert {edited[url]["site"] for url in marked} == EDITED_SITES  # no procurement site
    assert 0.1 < len(marked) / sum(n["site"] in EDITED_SITES for n in plain.values()) < 0.3
    for url in marked:
        before, after = plain[url], edited[url]
        assert after["title"] == before["title"] + TITLE_MARK
        assert NOTE.text in after["body_text"].split("\n")  # (site group: before attachments)
        assert NOTE.text not in before["body_text"]
        delay = dt.date.fromisoformat(after["edited"]) - dt.date.fromisoformat(
            before["publish_date"]
        )
        assert 1 <= delay.days <= 5
        rest = {k: v for k, v in after.items() if k not in ("title", "body_text", "edited")}
        assert rest == {k: v for k, v in before.items() if k not in ("title", "body_text")}


def test_a_larger_share_edits_a_superset_on_the_same_days(edited):
    more = records(edits=0.5)
    days = {url: n["edited"] for url, n in edited.items() if "edited" in n}
    assert days.items() <= {url: n["edited"] for url, n in more.items() if "edited" in n}.items()
    assert len(more) == len(edited)


def test_an_edit_shows_once_as_of_reaches_its_day(edited):
    day = max(n["edited"] for n in edited.values() if "edited" in n and n["site"] == "zjczj")
    as_of = dt.date.fromisoformat(day)
    on_day = records(edits=0.2, as_of=as_of)
    day_before = records(edits=0.2, as_of=as_of - dt.timedelta(days=1))
    made_that_day = {url for url, n in on_day.items() if n.get("edited") == day}
    assert made_that_day
    for url in made_that_day:
        assert "edited" not in day_before[url]
        assert day_before[url]["title"] + TITLE_MARK == on_day[url]["title"]
    assert all(n.get("edited", "") <= day for n in on_day.values())


def test_an_edited_page_has_new_bytes_etag_and_last_modified(edited):
    with ReplicaServer(scale=SCALE) as before, ReplicaServer(scale=SCALE, edits=0.2) as after:
        for site in EDITED_SITES:
            url = next(u for u, n in edited.items() if n["site"] == site and "edited" in n)
            path = urlsplit(url).path
            old, new = before.answer("GET", path, {}), after.answer("GET", path, {})
            assert (old.status, new.status) == (200, 200)
            assert old.body != new.body
            assert old.etag != new.etag
            modified = dict(new.headers)["Last-Modified"]
            moment = email.utils.parsedate_to_datetime(modified)
            china = moment.astimezone(dt.timezone(dt.timedelta(hours=8)))
            assert china.date().isoformat() == edited[url]["edited"]
            assert dict(old.headers)["Last-Modified"] != modified


def test_without_edits_pages_and_truth_are_the_plain_replica(plain):
    assert records(edits=0.0) == plain
    assert not any("edited" in n for n in plain.values())


def test_the_share_is_checked():
    for bad in ("0", "1.5", "many"):
        result = subprocess.run(
            [sys.executable, "-m", "replica", "--edits", bad, "--truth"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 2
        assert "--edits" in result.stderr
