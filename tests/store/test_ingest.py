"""ingest_page: every page ends stored or failed with a reason, never lost, never invented."""

from __future__ import annotations

import pytest

from pipeline.ingest import ingest_page
from pipeline.store import Archive
from tests.conftest import FILES, realpage

URL = "http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_1.shtml"


@pytest.fixture
def archive(tmp_path):
    arc = Archive(str(tmp_path / "a.db"))
    arc.run = arc.start_run("zjczj", "zjczj")
    yield arc
    arc.close()


def page(body: bytes, url: str = URL, **extra):
    return {"url": url, "site": "zjczj", "status": 200, "body": body, **extra}


def failures(arc):
    arc.flush()
    return [(f["url"], f["reason"]) for f in arc.db["fetch_failures"].rows]


def test_article_is_stored(archive):
    body = (FILES / "trs_replica.html").read_bytes()
    assert ingest_page(archive, page(body), archive.run) == "new"
    assert failures(archive) == []


def test_challenge_page_is_a_failure_not_content(archive):
    body = (FILES / "challenge.html").read_bytes()
    assert ingest_page(archive, page(body), archive.run) == "failed"
    assert failures(archive) == [(URL, "challenge page")]
    assert archive.db["notices"].count == 0


def test_real_article_behind_a_bot_shield_stub_is_content(archive):
    body = realpage("ccgp_gov__procurement_award__2.html")
    assert ingest_page(archive, page(body, "http://www.ccgp.gov.cn/t1.htm"), archive.run) == "new"


def test_soft_404_is_an_error_page(archive):
    body = "<html><head><title>404 页面不存在</title></head><body>您访问的页面不存在</body></html>"
    assert ingest_page(archive, page(body.encode()), archive.run) == "failed"
    assert failures(archive) == [(URL, "error page")]


def test_column_fills_a_missing_category_only(archive):
    body = (
        b"<html><head><title>t</title></head><body><div class='TRS_Editor'>"
        + ("各县（市、区）财政局：现将有关事项通知如下，请认真贯彻执行。" * 3).encode()
        + b"</div></body></html>"
    )
    ingest_page(archive, page(body, column="通知公告"), archive.run)
    archive.flush()
    assert next(archive.db["notices"].rows)["category"] == "通知公告"


def test_extractor_crash_is_recorded(archive, monkeypatch):
    import pipeline.sources

    def boom(*args, **kwargs):
        raise ValueError("broken tree")

    monkeypatch.setattr(pipeline.sources, "extract_page", boom)
    assert ingest_page(archive, page(b"<html></html>"), archive.run) == "failed"
    assert failures(archive) == [(URL, "extract error: ValueError: broken tree")]
