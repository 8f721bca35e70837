"""The archive pipeline records what Scrapy drops on its own, and ends every run."""

from __future__ import annotations

import scrapy
import sqlite_utils
from scrapy.utils.test import get_crawler

from crawler.pipelines import ArchivePipeline
from crawler.spiders.zjczj import ZjczjSpider

BASE = "http://127.0.0.1:8800/czj/"


def _pipeline(tmp_path) -> tuple[ArchivePipeline, scrapy.Spider, str]:
    db = str(tmp_path / "a.db")
    crawler = get_crawler(ZjczjSpider, {"ZWGK_DB": db, "ZWGK_WRITER_PROCESS": False})
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
