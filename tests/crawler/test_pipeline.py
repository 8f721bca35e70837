"""The archive pipeline records what Scrapy drops on its own, and ends every run."""

from __future__ import annotations

import asyncio
import inspect

import scrapy
import sqlite_utils
from scrapy.utils.test import get_crawler

from crawler.items import PageItem
from crawler.pipelines import ArchivePipeline
from crawler.spiders.zjczj import ZjczjSpider
from tests.conftest import FILES, held

BASE = "http://127.0.0.1:8800/czj/"


def _pipeline(tmp_path, own_process: bool = False) -> tuple[ArchivePipeline, scrapy.Spider, str]:
    db = str(tmp_path / "a.db")
    crawler = get_crawler(ZjczjSpider, {"ZWGK_DB": db, "ZWGK_WRITER_PROCESS": own_process})
    crawler.spider = ZjczjSpider(base_url=BASE)
    crawler.stats.open_spider()
    pipeline = ArchivePipeline.from_crawler(crawler)
    pipeline.open_spider()
    return pipeline, crawler.spider, db


def test_a_redirect_to_a_url_already_requested_is_recorded(tmp_path):
    pipeline, spider, db = _pipeline(tmp_path)
    original = BASE + "xxgk/tzgg/202605/t20260522_1.shtml"
    target = scrapy.Request(BASE + "xxgk/tzgg/202605/t20260522_2.shtml")
    target.meta["redirect_urls"] = [original]
    pipeline.request_dropped(target, spider)
    pipeline.request_dropped(scrapy.Request(BASE + "list.shtml"), spider)  # a plain duplicate
    pipeline.spider_closed(spider, "finished")
    rows = [(r["url"], r["reason"]) for r in sqlite_utils.Database(db)["fetch_failures"].rows]
    assert rows == [(original, f"redirected to {target.url}, already requested in this run")]
    assert pipeline.run["finish_reason"] == "finished"
    assert pipeline.run["failed"] == 1


def test_a_spider_s_end_does_not_wait_for_the_writer_to_drain(tmp_path):
    """The crawl process keeps running while the writer stores what a finished spider sent:
    the run's row comes later, through the coroutine Scrapy awaits before the spider's stats
    close (a writer held stopped here, so its answer cannot have come at once)."""
    pipeline, spider, _ = _pipeline(tmp_path, own_process=True)
    pipeline._watchdog.stop()  # Scrapy's reactor would run it; none runs here
    body = (FILES / "trs_replica.html").read_bytes()
    for n in range(3):
        url = f"{BASE}xxgk/tzgg/200609/t20060907_{n}.shtml"
        pipeline.process_item(PageItem(url=url, site="zjczj", status=200, body=body))
    with held(pipeline.writer._proc.pid):
        closing = pipeline.spider_closed(spider, "finished")
        assert inspect.iscoroutine(closing)
        assert pipeline.run is None
    asyncio.run(asyncio.wait_for(closing, 30))
    assert pipeline.failure is None
    assert (pipeline.run["finish_reason"], pipeline.run["new"]) == ("finished", 3)
    assert pipeline.stats.get_value("zwgk/notices/new") == 3
    assert pipeline.writer is None  # released: the writer process was closed


def test_items_reach_the_writer_with_the_fields_itemadapter_gives():
    from itemadapter import ItemAdapter

    from crawler.items import AttachmentItem, FailureItem, NotModifiedItem
    from crawler.pipelines import _fields

    items = [
        PageItem(url="u", site="s", body=b"<p>x</p>", listing={"文号": "〔2024〕1号"}),
        NotModifiedItem(url="u", site="s", fetched_at="2026-12-04T00:00:00Z"),
        FailureItem(url="u", site="s", reason="HTTP 500"),
        AttachmentItem(url="f.pdf", notice_url="u", site="s", body=b"%PDF"),
    ]
    for item in items:
        assert dict(_fields(item).items()) == dict(ItemAdapter(item).items())
    assert _fields(items[0])["body"] is items[0].body  # shallow: the bytes are not copied
    assert isinstance(_fields({"url": "u"}), ItemAdapter)  # another item type: adapted
