"""Polite defaults for real government sites; replica overrides only with a replica URL."""

from scrapy.crawler import Crawler
from scrapy.settings import Settings

from crawler.config import project_settings
from crawler.spiders.zjczj import ZjczjSpider

REPLICA = "http://127.0.0.1:8800"


def crawler_settings(**cmdline) -> Settings:
    """The settings a crawler runs with when started as ``scrapy crawl zjczj -s NAME=VALUE …``:
    the project's settings, the command line's, then the add-ons (as ``Crawler.crawl`` does)."""
    crawler = Crawler(ZjczjSpider, project_settings(**cmdline))
    crawler.addons.load_settings(crawler.settings)
    return crawler.settings


def test_polite_defaults_for_real_sites():
    settings = project_settings()
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert "zwgk-archive" in settings.get("USER_AGENT")
    assert "https://" in settings.get("USER_AGENT")
    assert not settings.getbool("TELNETCONSOLE_ENABLED")
    assert not settings.getbool("REMOTE_CONTROL_ENABLED")


def test_replica_overrides_apply_only_to_a_replica():
    replica = crawler_settings(ZWGK_REPLICA_URL=REPLICA)
    assert not replica.getbool("AUTOTHROTTLE_ENABLED")
    assert replica.getint("CONCURRENT_REQUESTS_PER_DOMAIN") > 2
    assert replica.getbool("ROBOTSTXT_OBEY")  # the replica serves a robots.txt too


def test_the_add_on_applies_every_replica_override():
    settings = crawler_settings(ZWGK_REPLICA_URL=REPLICA)
    overrides = settings.getdict("REPLICA_OVERRIDES")
    assert overrides
    assert {name: settings[name] for name in overrides} == overrides
    assert "crawler.addons.ReplicaOverrides" in settings.getdict("ADDONS")


def test_real_sites_stay_throttled():
    project = project_settings()
    settings = crawler_settings()
    for name in (*project.getdict("REPLICA_OVERRIDES"), "DOWNLOAD_DELAY"):
        assert settings[name] == project[name], name
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2


def test_an_explicit_command_line_value_wins_over_the_overrides():
    settings = crawler_settings(ZWGK_REPLICA_URL=REPLICA, CONCURRENT_REQUESTS=4)
    assert settings.getint("CONCURRENT_REQUESTS") == 4
    assert not settings.getbool("AUTOTHROTTLE_ENABLED")  # the other overrides still apply


def test_the_overrides_sit_above_the_project_and_below_the_command_line():
    settings = crawler_settings(ZWGK_REPLICA_URL=REPLICA)
    assert settings.getpriority("AUTOTHROTTLE_ENABLED") == settings.getpriority("DOWNLOAD_DELAY")
    assert (
        project_settings().getpriority("AUTOTHROTTLE_ENABLED")
        < settings.getpriority("AUTOTHROTTLE_ENABLED")
        < settings.getpriority("ZWGK_REPLICA_URL")
    )


def test_pages_are_size_capped():
    settings = project_settings()
    mib = 1024 * 1024
    assert 4 * mib <= settings.getint("DOWNLOAD_MAXSIZE") <= 16 * mib
    assert 0 < settings.getint("DOWNLOAD_WARNSIZE") < settings.getint("DOWNLOAD_MAXSIZE")
    assert settings.getbool("COMPRESSION_ENABLED")  # its decompression cap is DOWNLOAD_MAXSIZE


def _extensions(settings: Settings) -> list:
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import load_object

    return [load_object(path) for path in build_component_list(settings.getwithbase("EXTENSIONS"))]


def test_no_feed_exporter_without_a_feed():
    """Scrapy's FeedExporter receives every item's ``item_scraped`` signal even with no feed to
    write (crawler/addons.py): without FEEDS it is off; with a feed (``-o FILE``) it is on."""
    from scrapy.extensions.feedexport import FeedExporter

    from crawler.stats import CoreStats

    plain = _extensions(crawler_settings(ZWGK_REPLICA_URL=REPLICA))
    assert FeedExporter not in plain
    assert CoreStats in plain  # item_scraped_count is still counted (without the signal)
    feed = {"notices.jsonl": {"format": "jsonlines"}}
    assert FeedExporter in _extensions(crawler_settings(FEEDS=feed))
    # The add-on, not the project's settings, removes it:
    assert FeedExporter in _extensions(project_settings())
