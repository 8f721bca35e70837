"""The recheck policy (ZWGK_RECHECK): its format, when a notice is due, the crawl's clock, and
what a list page then requests; ``--until`` on a list page."""

from __future__ import annotations

import argparse
import datetime as dt
import re

import pytest
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.config import project_settings
from crawler.families import TRS
from crawler.recheck import DEFAULT, CrawlClock, RecheckPolicy, Rule, china_date
from crawler.spiders.base import Column
from crawler.spiders.zjczj import ZjczjSpider
from tests.crawler.listpages import BASE, TRS_PAGE
from zwgk.checks import setting

DAY = dt.date(2026, 5, 22)
POLICY = RecheckPolicy.parse(DEFAULT)
NEW = "http://127.0.0.1:8800/czj/xxgk/tzgg/200609/t20060907_10234.shtml"  # dated 2006-09-07
OLD = "http://127.0.0.1:8800/czj/xxgk/tzgg/200608/t20060801_10111.shtml"  # dated 2006-08-01


def days_ago(n: int) -> dt.date:
    return DAY - dt.timedelta(days=n)


# -- the format -------------------------------------------------------------------------------
def test_the_default_is_the_documented_policy():
    assert project_settings().get("ZWGK_RECHECK") == DEFAULT == "7:1,30:7,365:30,*:180"
    assert POLICY.rules == (Rule(7, 1), Rule(30, 7), Rule(365, 30), Rule(None, 180))
    assert str(POLICY) == DEFAULT
    assert str(RecheckPolicy.parse(" 3:0 , *:90 ")) == "3:0,*:90"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("7", "AGE:EVERY"),
        ("7:x,*:1", "AGE:EVERY"),
        ("7:-1,*:1", "AGE:EVERY"),
        ("-7:1,*:1", "AGE:EVERY"),
        ("0:1,*:1", "at least 1 day"),
        ("7:1", "*:EVERY"),
        ("*:1,7:1", "*:EVERY"),
        ("7:1,*:2,*:3", "*:EVERY"),
        ("30:7,7:1,*:180", "grow"),
        ("7:1,7:2,*:180", "grow"),
        ("7:1,,*:180", "AGE:EVERY"),
    ],
)
def test_a_bad_policy_is_refused_with_the_reason(text, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        RecheckPolicy.parse(text)


def test_zwgk_crawl_checks_the_policy_and_the_dates():
    assert setting("ZWGK_RECHECK=3:1,*:30") == ("ZWGK_RECHECK", "3:1,*:30")
    assert setting("ZWGK_UNTIL=2024-12-31") == ("ZWGK_UNTIL", "2024-12-31")
    for bad in ("ZWGK_RECHECK=7:1", "ZWGK_UNTIL=yesterday", "ZWGK_TODAY=2026-13-01"):
        with pytest.raises(argparse.ArgumentTypeError, match=bad.split("=")[0]):
            setting(bad)


# -- when a notice is due ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("age", "every"),
    [(-3, 1), (0, 1), (7, 1), (8, 7), (30, 7), (31, 30), (365, 30), (366, 180), (9000, 180)],
)
def test_the_interval_grows_with_age(age, every):
    assert POLICY.every(age) == every


@pytest.mark.parametrize(
    ("published", "last_seen", "due"),
    [
        (days_ago(3), None, True),  # never seen
        (days_ago(3), days_ago(1), True),  # recent: every day
        (days_ago(3), DAY, False),  # already checked today
        (days_ago(20), days_ago(6), False),  # within 30 days: every 7 days
        (days_ago(20), days_ago(7), True),
        (days_ago(200), days_ago(29), False),  # within a year: every 30 days
        (days_ago(200), days_ago(30), True),
        (days_ago(4000), days_ago(179), False),  # older: every 180 days
        (days_ago(4000), days_ago(180), True),
        (None, days_ago(1), True),  # no publish date: as if published today
        (days_ago(3), DAY + dt.timedelta(days=2), False),  # seen "after" today: counts as today
    ],
)
def test_due_by_age_and_last_sighting(published, last_seen, due):
    assert POLICY.due(DAY, published, last_seen) is due


def test_every_run_when_the_interval_is_zero():
    policy = RecheckPolicy.parse("7:0,*:180")
    assert policy.due(DAY, days_ago(2), DAY)
    assert not policy.due(DAY, days_ago(20), DAY)


def test_not_due_reads_the_archive_columns():
    rows = [
        (
            "http://x/recent",
            days_ago(2).isoformat(),
            "2026-05-20T02:00:00Z",
            "2026-05-21T02:00:00Z",
        ),
        ("http://x/fresh", days_ago(2).isoformat(), "2026-05-20T02:00:00Z", "2026-05-22T02:00:00Z"),
        ("http://x/old", "2010-01-04", "2026-01-01T02:00:00Z", "2026-05-01T02:00:00Z"),
        ("http://x/stale", "2010-01-04", "2025-01-01T02:00:00Z", "2025-11-01T02:00:00Z"),
        # no publish date: aged from its first sighting (200 days), last seen 10 days ago
        ("http://x/undated", None, "2025-11-03T02:00:00Z", "2026-05-12T02:00:00Z"),
        ("http://x/never", "2026-05-20", "2026-05-20T02:00:00Z", None),
    ]
    assert POLICY.not_due(DAY, rows) == {"http://x/fresh", "http://x/old", "http://x/undated"}


def test_archive_times_are_read_as_days_in_china():
    assert china_date("2026-05-21T15:59:59Z") == dt.date(2026, 5, 21)
    assert china_date("2026-05-21T16:00:00Z") == dt.date(2026, 5, 22)  # midnight in China
    assert china_date("2026-05-21") == dt.date(2026, 5, 21)
    assert china_date(None) is None


# -- the crawl's clock ------------------------------------------------------------------------
def test_a_fixed_day_stamps_captures_on_that_day():
    clock = CrawlClock(DAY)
    assert clock.today() == DAY
    assert china_date(clock.stamp()) == DAY
    assert CrawlClock().today() == china_date(CrawlClock().stamp())


def test_a_simulated_day_is_refused_on_real_sites():
    real = project_settings(ZWGK_TODAY="2026-05-22")
    with pytest.raises(ValueError, match="replica"):
        CrawlClock.from_settings(real)
    replica = project_settings(ZWGK_TODAY="2026-05-22", ZWGK_REPLICA_URL="http://127.0.0.1:1")
    assert CrawlClock.from_settings(replica) == CrawlClock(DAY)
    assert CrawlClock.from_settings(project_settings()) == CrawlClock()


# -- what a list page then requests -------------------------------------------------------------
LIST = HtmlResponse(BASE, body=TRS_PAGE.encode(), headers={"Content-Type": "text/html"})
COLUMN = Column("通知公告", "xxgk/tzgg/index.shtml", TRS)


def spider(tmp_path, **attributes) -> ZjczjSpider:
    settings = {"ZWGK_DB": str(tmp_path / "none.db"), "ZWGK_MAX_LIST_PAGES": 2000}
    crawler = get_crawler(ZjczjSpider, settings)
    made = ZjczjSpider.from_crawler(crawler, base_url="http://127.0.0.1:8800/czj/")
    for name, value in attributes.items():
        setattr(made, name, value)
    return made


def requested(spider: ZjczjSpider, first: bool = True) -> tuple[list[str], list[str]]:
    """(detail URLs, list URLs) a list page leads to."""
    out = list(spider.parse_list(LIST, column=COLUMN, first=first))
    details = [r.url for r in out if r.callback == spider.parse_detail]
    return details, [r.url for r in out if r.callback == spider.parse_list]


def test_a_held_page_not_due_is_not_requested_and_ends_the_walk(tmp_path):
    crawl = spider(tmp_path, known={NEW, OLD}, fresh=frozenset({NEW, OLD}))
    assert requested(crawl) == ([], [])
    assert crawl.crawler.stats.get_value("zwgk/pages/not_due") == 2
    assert crawl.crawler.stats.get_value("zwgk/lists/stopped_early") == 1


def test_a_due_page_is_requested_and_the_walk_goes_on(tmp_path):
    crawl = spider(tmp_path, known={NEW, OLD}, fresh=frozenset({OLD}))
    details, lists = requested(crawl)
    assert details == [NEW]
    assert lists == [BASE.replace("index.shtml", "index_1.shtml")]  # the next page only


def test_a_new_page_is_always_requested(tmp_path):
    crawl = spider(tmp_path, known={OLD}, fresh=frozenset({OLD}))
    assert requested(crawl)[0] == [NEW]


def test_until_keeps_older_items_and_walks_past_newer_pages(tmp_path):
    crawl = spider(tmp_path, until=dt.date(2006, 8, 31), known={"http://x/other"})
    details, lists = requested(crawl)
    assert details == [OLD]
    assert len(lists) == 1  # in range and new: the walk goes on
    ahead = spider(tmp_path, until=dt.date(2006, 7, 1), known={"http://x/other"})
    assert requested(ahead) == ([], [BASE.replace("index.shtml", "index_1.shtml")])
    window = spider(tmp_path, since=dt.date(2006, 8, 2), until=dt.date(2006, 9, 30))
    assert requested(window)[0] == [NEW]
