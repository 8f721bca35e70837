"""The settings the crawl's throughput depends on (docs/benchmarks.md): a dependency upgrade or an
edit that resets one fails here, loudly, without any timing."""

from __future__ import annotations

import multiprocessing

import pytest

from crawler.config import project_settings
from pipeline.writer import PIPE_BYTES, Writer

try:
    import fcntl
except ImportError:  # not on Windows
    fcntl = None


def test_item_concurrency_is_small():
    """Scrapy 2.19 starts CONCURRENT_ITEMS tasks for every response: 100 (its default) cost more
    than the fetching; one detail page yields one item."""
    assert project_settings().getint("CONCURRENT_ITEMS") == 8


def test_no_per_response_source_parsing_or_debug_records():
    settings = project_settings()
    assert settings.getbool("WARN_ON_GENERATOR_RETURN_VALUE") is False
    assert settings.get("LOG_FORMATTER") == "crawler.logformat.LogFormatter"


def test_debug_messages_are_built_only_at_debug():
    from scrapy.http import Request, Response

    from crawler.logformat import LogFormatter, level_of

    request = Request("http://127.0.0.1/a.html")
    response = Response(request.url, request=request)
    assert LogFormatter(debug=False).crawled(request, response, None) is None
    assert LogFormatter(debug=False).scraped({"url": 1}, response, None) is None
    assert LogFormatter(debug=True).scraped({"url": 1}, response, None)["level"] == 10
    assert (level_of("INFO"), level_of("debug"), level_of(30), level_of("nonsense")) == (
        20,
        10,
        30,
        10,
    )


def test_the_replica_is_crawled_unthrottled():
    replica = project_settings().getdict("REPLICA_OVERRIDES")
    assert replica["AUTOTHROTTLE_ENABLED"] is False
    assert replica["CONCURRENT_REQUESTS"] >= 16
    assert replica["DOWNLOAD_DELAY"] == 0


def test_extraction_runs_in_the_writer_process_by_default():
    assert project_settings().getbool("ZWGK_WRITER_PROCESS") is True


def test_the_crawl_process_prepares_pages_for_a_writer_behind():
    """pipeline/writer.py's hand-off: on by default, below the pipe's size (a threshold at or
    above it would never be reached), and the setting reaches the writer."""
    from crawler.pipelines import writer_options
    from pipeline.writer import HANDOFF_BYTES

    settings = project_settings()
    assert 0 < settings.getint("ZWGK_WRITER_HANDOFF") < PIPE_BYTES
    assert writer_options(settings)["handoff"] == settings.getint("ZWGK_WRITER_HANDOFF")
    assert writer_options(project_settings(ZWGK_WRITER_HANDOFF=0))["handoff"] == 0
    assert 0 < HANDOFF_BYTES < PIPE_BYTES
    assert settings.getint("ZWGK_WRITER_HANDOFF") == HANDOFF_BYTES  # one default, two places


def test_pages_cross_to_the_writer_in_batches_through_a_wide_pipe():
    assert Writer.__init__.__kwdefaults__["batch"] >= 32
    assert PIPE_BYTES >= 1 << 20


def test_per_response_logging_and_stats_dumps_stay_off_in_the_crawl_command():
    from zwgk import crawl

    assert "scrapy.core.engine" in crawl.QUIET_LOGGERS


def test_stats_are_read_without_scrapys_per_attribute_shim():
    """crawler/stats.py: Scrapy 2.19's collector pays ~1.7 µs per stats call for a deprecation
    check; the project's collector counts the same, with plain attribute access."""
    from scrapy.statscollectors import StatsCollector
    from scrapy.utils.test import get_crawler

    from crawler.stats import FastStatsCollector

    assert project_settings().get("STATS_CLASS") == "crawler.stats.FastStatsCollector"
    assert FastStatsCollector.__getattribute__ is object.__getattribute__
    assert StatsCollector.__getattribute__ is not object.__getattribute__  # else: drop ours
    stats = FastStatsCollector(get_crawler())
    stats.inc_value("pages")
    stats.inc_value("pages", 2)
    stats.max_value("streak", 3)
    stats.max_value("streak", 1)
    stats.set_value("reason", "finished")
    assert stats.get_stats() == {"pages": 3, "streak": 3, "reason": "finished"}


def test_redis_replies_are_parsed_by_hiredis():
    """A scale-out worker makes ~4 Redis calls a page; redis-py's pure-Python reply parser cost
    ~6% of a worker's CPU against hiredis (the ``redis[hiredis]`` dependency)."""
    from redis.utils import HIREDIS_AVAILABLE

    assert HIREDIS_AVAILABLE


def test_small_pages_are_read_for_a_challenge_lazily():
    """Reading every small page for bot-shield markers cost 3–4% of the crawl process on sites
    with small pages (crawler/blocking.py); the lazy watch stops at the same answer."""
    from crawler.blocking import READ_EVERY

    assert project_settings().getint("ZWGK_BLOCK_READ_EVERY") == READ_EVERY == 16


def test_warc_records_are_gzipped_by_isa_l_at_level_1():
    """ISA-L's deflate costs 0.30x zlib's CPU at level 1 on replica pages (bench/gzip.py), ~5%
    of the writer's; the records stay plain gzip members."""
    import gzip

    from pipeline.warc import files

    assert files.deflate.__name__ == "isal.isal_zlib"
    assert files.GZIP_LEVEL == 1
    data = "<p>财政预算</p>".encode() * 50
    packer = files.gzip_packer()
    assert gzip.decompress(packer.compress(data) + packer.flush()) == data  # one whole member


def test_warc_records_reach_the_file_in_large_writes(tmp_path):
    """A write call for most records, 19,000 a scale-3,000 crawl, each 2–7 µs of the kernel's CPU
    on ext4 (docs/benchmarks-log.md, 2026-12-06, second): the records of a batch stay in the
    process until ``flush``, which the writer calls before the rows pointing at them commit."""
    import os

    from pipeline.warc import files, new_record_id
    from pipeline.warc.exchange import page_exchange

    assert files.WRITE_BUFFER >= 1 << 20
    warc = files.WarcFiles(tmp_path)
    body = os.urandom(12000)  # incompressible: each record is larger than Python's 8 KB buffer
    pointers = [
        warc.write(
            page_exchange(
                f"http://a.gov.cn/{n}", new_record_id(), "2026-12-06T00:00:00Z", body=body
            )
        )
        for n in range(20)
    ]
    path = tmp_path / pointers[0].file
    assert path.stat().st_size == 0
    warc.flush()
    assert path.stat().st_size == pointers[-1].offset + pointers[-1].length
    warc.close()


def test_the_garbage_collector_runs_less_often_while_crawling():
    """crawler/gctune.py: at CPython's 700 the collector cost 13% of the crawl process's CPU."""
    settings = project_settings()
    assert settings.getdict("EXTENSIONS")["crawler.gctune.GcThresholds"] is not None
    assert settings.get("ZWGK_GC_THRESHOLDS") == "10000,10,10"


def test_the_bare_baseline_keeps_the_garbage_collector_thresholds():
    """The benchmark's baseline is the fastest honest spider: process tuning is not archiving."""
    from bench.crawl_once import BARE_SETTINGS

    assert "crawler.gctune.GcThresholds" in BARE_SETTINGS["EXTENSIONS"]
    assert not BARE_SETTINGS["ITEM_PIPELINES"]


@pytest.mark.skipif(not hasattr(fcntl, "F_SETPIPE_SZ"), reason="pipe sizes are set on Linux only")
def test_the_pipe_to_the_writer_is_widened_or_a_warning_says_why(monkeypatch, caplog):
    from pipeline import writer

    ends = multiprocessing.Pipe(duplex=False)
    try:
        assert writer._widen(ends[1]) >= PIPE_BYTES  # the kernel's default limit allows 1 MiB
        assert fcntl.fcntl(ends[1].fileno(), fcntl.F_GETPIPE_SZ) >= PIPE_BYTES
        assert not caplog.records

        # A size no kernel grants (over 2 GiB): the pipe gets what fs.pipe-max-size allows.
        monkeypatch.setattr(writer, "PIPE_BYTES", (1 << 31) + 4096)
        monkeypatch.setattr(writer, "_pipe_max_bytes", lambda: 256 << 10)
        assert writer._widen(ends[1]) == 256 << 10
        assert "fs.pipe-max-size" in caplog.text

        caplog.clear()
        monkeypatch.setattr(writer, "_pipe_max_bytes", lambda: 0)
        assert writer._widen(ends[1]) is None
        assert "keeps its default size" in caplog.text
    finally:
        for end in ends:
            end.close()


def test_the_writer_reads_ahead_and_never_waits_for_a_checkpoint():
    """docs/benchmarks-log.md (2026-12-05): a crawl's writer blocked in fdatasync 2-4% of its time
    and crawl and writer took turns at the pipe. Its checkpoints run in a thread and it reads
    up to 8 messages ahead of the one it handles (the writer process's checkpoints:
    tests/store/test_writer.py)."""
    from pipeline.store.checkpoint import INTERVAL
    from pipeline.writer import _Inbox

    assert _Inbox.__init__.__defaults__ == (8,)
    assert INTERVAL <= 1.0


def test_the_writer_commits_250_entries_a_transaction():
    """docs/benchmarks-log.md (2026-12-05): with checkpoints off the committing thread, 250 entries a
    transaction crawl 3-5% faster than 350, 350 3% faster than 500 (at scales 3,000 and 20,000),
    500 faster than 200, 700 and 1,000."""
    from pipeline.store.archive import Archive

    assert Archive.__init__.__kwdefaults__["batch_size"] == 250


def _item_scraped_receivers(crawler) -> list:
    from pydispatch.dispatcher import getAllReceivers, liveReceivers
    from scrapy import signals

    return list(liveReceivers(getAllReceivers(crawler.signals.sender, signals.item_scraped)))


@pytest.mark.parametrize("formatter", ["crawler.logformat.LogFormatter", None])
def test_items_are_counted_without_an_item_scraped_receiver(formatter):
    """Scrapy 2.19 sends ``item_scraped`` through an asyncio task per receiver, and its
    ``CoreStats`` was the crawl's only one (crawler/stats.py): the project's ``CoreStats`` counts
    ``item_scraped_count`` from the log formatter's ``scraped`` hook instead, and only falls back
    to the receiver under another formatter. Either way the count is the same."""
    from scrapy import Spider
    from scrapy.http import Request, Response
    from scrapy.utils.test import get_crawler

    from crawler.stats import CoreStats

    reactor = {"TWISTED_REACTOR", "TWISTED_REACTOR_ENABLED", "ASYNCIO_EVENT_LOOP"}
    settings = {k: v for k, v in project_settings().copy_to_dict().items() if k not in reactor}
    if formatter is None:
        settings["LOG_FORMATTER"] = "scrapy.logformatter.LogFormatter"
    crawler = get_crawler(Spider, settings)
    extensions = [type(e) for e in crawler.extensions.middlewares]
    assert CoreStats in extensions
    assert [e for e in extensions if e.__name__ == "CoreStats"] == [CoreStats]  # not Scrapy's too
    receivers = _item_scraped_receivers(crawler)
    assert any(getattr(r, "__self__", None).__class__ is CoreStats for r in receivers) == (
        formatter is None
    )
    crawler.stats.open_spider()
    request = Request("http://127.0.0.1/a.html")
    response = Response(request.url, request=request)
    for _ in range(3):  # what Scrapy's scraper does for each item that passed the pipelines
        crawler.logformatter.scraped({"url": request.url}, response, None)
        for receiver in receivers:
            receiver(item={"url": request.url}, spider=None)
    assert crawler.stats.get_value("item_scraped_count") == 3


def test_the_crawl_and_its_writer_get_a_core_each_on_two_cores():
    """ZWGK_CPU_AFFINITY=auto pins the crawl process and its writer to one CPU each where two
    are allowed (pipeline/affinity.py), and the pipeline and WARC capture start the writer so."""
    from scrapy.utils.test import get_crawler

    from crawler.pipelines import writer_options

    settings = project_settings()
    assert settings.get("ZWGK_CPU_AFFINITY") == "auto"
    assert writer_options(settings)["cpu_affinity"] == "auto"
    crawler = get_crawler(settings_dict={"ZWGK_CPU_AFFINITY": "sometimes"})
    with pytest.raises(ValueError, match="ZWGK_CPU_AFFINITY must be one of auto, on, off"):
        writer_options(crawler.settings)
