"""The capture middleware: what it hands the archive writer is the exchange as received."""

from __future__ import annotations

import gzip

import pytest
import sqlite_utils
from scrapy import Request
from scrapy.downloadermiddlewares.httpcompression import HttpCompressionMiddleware
from scrapy.exceptions import NotConfigured
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from crawler.capture import CaptureMiddleware
from pipeline.ingest import ingest_page
from pipeline.warc import Pointer, warc_dir
from pipeline.warc.read import read_response
from pipeline.writer import Writer

URL = "http://www.zjczj.gov.cn/xxgk/tzgg/202605/t20260522_48921.shtml"
PAGE = (
    "<html><head><title>关于报送2026年部门预算编制情况的通知</title>"
    '<meta name="ArticleTitle" content="关于报送2026年部门预算编制情况的通知">'
    '<meta name="PubDate" content="2026-05-22 12:05"></head>'
    "<body><div class='article'><p>各县（市、区）财政局，市直各预算单位：为落实上级关于部门预算编制"
    "的工作部署，现将有关事项通知如下。</p></div></body></html>"
).encode()


def crawler_with(db, **settings):
    base = {
        "ZWGK_DB": str(db),
        "ZWGK_WARC": True,
        "ZWGK_WRITER_PROCESS": False,
        "ITEM_PIPELINES": {"crawler.pipelines.ArchivePipeline": 800},
    }
    return get_crawler(settings_dict={**base, **settings})


@pytest.fixture
def capture(tmp_path):
    """The middleware with an in-process writer, opened as a crawl opens it."""
    db = tmp_path / "archive.db"
    crawler = crawler_with(db)
    middleware = CaptureMiddleware.from_crawler(crawler)
    pipeline_writer = Writer.acquire(str(db), in_process=True)  # as the archive pipeline does
    middleware.spider_opened(None)
    yield middleware, crawler, db
    middleware.spider_closed(None)
    pipeline_writer.release()


def test_a_gzip_response_is_captured_compressed_and_the_page_points_at_it(capture):
    middleware, crawler, db = capture
    request = Request(URL, headers={"Accept-Encoding": "gzip, deflate", "User-Agent": "zwgk"})
    wire = HtmlResponse(
        URL,
        status=200,
        body=gzip.compress(PAGE),
        headers={"Content-Type": "text/html; charset=utf-8", "Content-Encoding": "gzip"},
        request=request,
    )
    seen = middleware.process_response(request, wire)  # order 950: first on the way back
    decoded = HttpCompressionMiddleware.from_crawler(crawler).process_response(request, seen)
    assert decoded.body == PAGE
    record_id = request.meta["warc_record_id"]
    writer = middleware.writer
    page = {"url": URL, "site": "zjczj", "status": 200, "body": decoded.body}
    page.update(encoding="utf-8", content_type="text/html; charset=utf-8")
    assert ingest_page(writer._handler.archive, {**page, "warc_record_id": record_id}) == "new"
    writer._handler.archive.flush()
    version = next(sqlite_utils.Database(db)["notice_versions"].rows)
    assert version["warc_record_id"] == record_id
    stored = read_response(warc_dir(db), Pointer.of_row(version))
    assert stored.payload == wire.body  # as received: still gzip
    assert stored.header("Content-Encoding") == "gzip"
    assert stored.body == PAGE  # what the extractor read
    assert version["payload_sha256"] != version["raw_sha256"]
    assert crawler.stats.get_value("zwgk/warc/exchanges") == 1


def test_any_response_is_captured_whatever_its_status(capture):
    middleware, _, db = capture
    for status in (200, 304, 404, 503):
        request = Request(f"http://www.zjczj.gov.cn/{status}.html")
        middleware.process_response(request, HtmlResponse(request.url, status=status, body=b"x"))
    middleware.writer._handler.archive.warc.close()
    (index,) = warc_dir(db).glob("*.cdxj")
    statuses = sorted(line.split('"status": "')[1][:3] for line in index.read_text().splitlines())
    assert statuses == ["200", "304", "404", "503"]


@pytest.mark.parametrize(
    "settings",
    [{"ZWGK_WARC": False}, {"ITEM_PIPELINES": {}}, {"ZWGK_DB": ""}],
    ids=["switched-off", "no-archive-pipeline", "no-database"],
)
def test_capture_is_off_without_an_archive(tmp_path, settings):
    with pytest.raises(NotConfigured):
        CaptureMiddleware.from_crawler(crawler_with(tmp_path / "a.db", **settings))
