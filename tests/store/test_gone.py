"""Gone and back: what a 404/410, any other failure, and a return do to a stored notice."""

from __future__ import annotations

import pytest

from pipeline.ingest import ingest_page
from pipeline.store import Archive, Capture
from tests.store.test_archive import record

URL = "http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_1.shtml"
DAY_1, DAY_2, DAY_3 = "2025-05-10T02:00:00Z", "2025-06-24T02:00:00Z", "2025-08-10T02:00:00Z"


@pytest.fixture
def archive(tmp_path):
    arc = Archive(str(tmp_path / "archive.db"), batch_size=2)
    run = arc.start_run("zjczj", "zjczj")
    arc.store(record(), Capture(b"v1", fetched_at=DAY_1, etag='"a"'), run)
    arc.flush()
    yield arc
    arc.close()


def notice(arc) -> dict:
    arc.flush()
    return next(iter(arc.db["notices"].rows))


def versions(arc) -> list[int]:
    arc.flush()
    return [row["version"] for row in arc.db["notice_versions"].rows]


@pytest.mark.parametrize(
    ("status", "reason"),
    [(503, "HTTP 503"), (None, "timeout"), (200, "challenge page"), (412, "HTTP 412")],
)
def test_a_failure_other_than_404_or_410_leaves_the_notice_as_it_was(archive, status, reason):
    before = notice(archive)
    run = archive.start_run("zjczj", "zjczj")
    archive.fail(run, URL, reason, status, "zjczj", failed_at=DAY_2)
    assert notice(archive) == before
    finished = archive.finish_run(run, "finished")
    assert (finished["failed"], finished["gone"]) == (1, 0)
    failure = next(iter(archive.db["fetch_failures"].rows))
    assert (failure["status"], failure["reason"], failure["failed_at"]) == (status, reason, DAY_2)


@pytest.mark.parametrize("status", [404, 410])
def test_gone_since_is_the_crawl_that_first_found_it_gone(archive, status):
    run = archive.start_run("zjczj", "zjczj")
    archive.fail(run, URL, f"HTTP {status}", status, "zjczj", failed_at=DAY_2)
    archive.fail(run, URL, f"HTTP {status}", status, "zjczj", failed_at=DAY_3)  # still gone
    row = notice(archive)
    assert (row["status"], row["gone_since"], row["last_seen"]) == ("gone", DAY_2, DAY_1)
    assert archive.finish_run(run, "finished")["gone"] == 1


def test_a_return_with_the_same_content_is_live_again_without_a_version(archive):
    run = archive.start_run("zjczj", "zjczj")
    archive.fail(run, URL, "HTTP 410", 410, "zjczj", failed_at=DAY_2)
    back = Capture(b"v1 other chrome", fetched_at=DAY_3, etag='"b"')
    assert archive.store(record(), back, run) == "returned"
    row = notice(archive)
    assert (row["status"], row["gone_since"], row["last_seen"], row["etag"]) == (
        "live",
        None,
        DAY_3,
        '"b"',
    )
    assert (row["version_count"], versions(archive)) == (1, [1])
    assert archive.finish_run(run, "finished")["returned"] == 1
    assert archive.store(record(), Capture(b"v1", fetched_at=DAY_3), run) == "unchanged"


def test_a_return_with_new_content_is_a_new_version(archive):
    run = archive.start_run("zjczj", "zjczj")
    archive.fail(run, URL, "HTTP 404", 404, "zjczj", failed_at=DAY_2)
    assert archive.store(record(title="新标题"), Capture(b"v2", fetched_at=DAY_3), run) == "changed"
    row = notice(archive)
    assert (row["status"], row["gone_since"], row["version_count"]) == ("live", None, 2)
    assert versions(archive) == [1, 2]


def test_a_304_for_a_gone_notice_brings_it_back(archive):
    run = archive.start_run("zjczj", "zjczj")
    archive.fail(run, URL, "HTTP 404", 404, "zjczj", failed_at=DAY_2)
    assert archive.not_modified(URL, DAY_3, run) == "returned"
    row = notice(archive)
    assert (row["status"], row["gone_since"], row["last_seen"]) == ("live", None, DAY_3)
    assert versions(archive) == [1]


def test_gone_and_back_within_one_batch(tmp_path):
    arc = Archive(str(tmp_path / "archive.db"), batch_size=100)
    run = arc.start_run("zjczj", "zjczj")
    arc.store(record(), Capture(b"v1", fetched_at=DAY_1), run)
    arc.flush()
    arc.fail(run, URL, "HTTP 404", 404, "zjczj", failed_at=DAY_2)
    assert arc.store(record(), Capture(b"v1", fetched_at=DAY_3), run) == "returned"
    arc.fail(run, URL, "HTTP 410", 410, "zjczj", failed_at=DAY_3)
    row = notice(arc)
    assert (row["status"], row["gone_since"]) == ("gone", DAY_3)
    arc.close()


def test_a_gone_notice_held_in_part_comes_back_repaired(tmp_path):
    path = str(tmp_path / "archive.db")
    arc = Archive(path)
    run = arc.start_run("zjczj", "zjczj")
    arc.store(record(), Capture(b"v1", fetched_at=DAY_1), run)
    arc.fail(run, URL, "HTTP 404", 404, "zjczj", failed_at=DAY_2)
    arc.close()
    arc = Archive(path)
    with arc.db.conn:
        arc.db.execute("delete from attachments")  # damage from outside the writer
    arc.close()
    arc = Archive(path)
    run = arc.start_run("zjczj", "zjczj")
    assert arc.store(record(), Capture(b"v1", fetched_at=DAY_3), run) == "repaired"
    row = notice(arc)
    assert (row["status"], row["gone_since"], row["version_count"]) == ("live", None, 1)
    assert versions(arc) == [1]
    assert arc.db["attachments"].count == 1
    arc.close()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            "<html><head><title>404</title></head><body>您访问的页面不存在</body></html>",
            "error page",
        ),
        (
            '<html><body><script id="keyparam" src="/_bot_sbu/sbu_fpcm.js"></script></body></html>',
            "challenge page",
        ),
    ],
)
def test_a_page_without_the_article_answered_200_is_a_failure_not_a_change(archive, body, reason):
    before = notice(archive)
    run = archive.start_run("zjczj", "zjczj")
    page = {"url": URL, "site": "zjczj", "status": 200, "body": body.encode(), "fetched_at": DAY_2}
    assert ingest_page(archive, page, run) == "failed"
    assert notice(archive) == before
    assert versions(archive) == [1]
    failure = next(iter(archive.db["fetch_failures"].rows))
    assert (failure["status"], failure["reason"], failure["failed_at"]) == (200, reason, DAY_2)
