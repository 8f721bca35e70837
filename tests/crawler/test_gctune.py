"""The garbage collector's thresholds while crawlers run (crawler/gctune.py)."""

from __future__ import annotations

import gc

import pytest
from scrapy import signals
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from crawler.gctune import GcThresholds, parse_thresholds


@pytest.fixture
def thresholds_kept():
    before = gc.get_threshold()
    yield before
    gc.set_threshold(*before)


def _started(settings: dict):
    """A crawler whose engine started, and its extension (kept: signals hold weak references,
    as Scrapy's extension manager keeps its extensions alive during a crawl)."""
    crawler = get_crawler(settings_dict=settings)
    extension = GcThresholds.from_crawler(crawler)
    crawler.signals.send_catch_log(signals.engine_started)
    return crawler, extension


def test_thresholds_apply_from_the_first_start_to_the_last_stop(thresholds_kept):
    one, kept_one = _started({"ZWGK_GC_THRESHOLDS": "5000,7,9"})
    assert gc.get_threshold() == (5000, 7, 9)
    two, kept_two = _started({"ZWGK_GC_THRESHOLDS": "5000,7,9"})
    one.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == (5000, 7, 9)  # the second crawler still runs
    two.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == thresholds_kept
    assert not kept_one.applied
    assert not kept_two.applied


def test_a_second_start_signal_does_not_stack(thresholds_kept):
    crawler, kept = _started({"ZWGK_GC_THRESHOLDS": "4000"})
    crawler.signals.send_catch_log(signals.engine_started)
    crawler.signals.send_catch_log(signals.engine_stopped)
    assert gc.get_threshold() == thresholds_kept
    assert not kept.applied


def test_empty_leaves_the_interpreters_own():
    with pytest.raises(NotConfigured):
        GcThresholds.from_crawler(get_crawler(settings_dict={"ZWGK_GC_THRESHOLDS": ""}))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("10000,10,10", (10000, 10, 10)), (" 800 , 5 ", (800, 5)), ([900, 3, 2], (900, 3, 2))],
)
def test_thresholds_are_parsed(value, expected):
    assert parse_thresholds(value) == expected


@pytest.mark.parametrize("value", ["a,b", "1,2,3,4", "-5", ","])
def test_a_malformed_value_is_refused_by_name(value):
    with pytest.raises(ValueError, match="ZWGK_GC_THRESHOLDS"):
        parse_thresholds(value)
