"""The monitors' checks on run rows, the blocking-answer test, per-column coverage and the
monitor_results table (real SQLite; the crawls themselves: tests/integration/test_monitors.py)."""

from __future__ import annotations

import json

from scrapy.http import HtmlResponse, Request, Response, TextResponse

from crawler import health
from crawler.blocking import blocking_answer, looks_like_markup
from pipeline.record import Procurement, Record
from pipeline.store import monitors as store
from pipeline.store.coverage import Coverage
from pipeline.store.schema import open_db
from replica.faults import challenge_page

LIMITS = health.Limits(max_null_rate=0.2, null_jump=0.1, max_error_rate=0.1, min_pages=10)


def run(run_id: int, listings=None, columns=None, **counts) -> dict:
    return {
        "id": run_id,
        "spider": "zjczj",
        "site": "zjczj",
        "finish_reason": "finished",
        "listings": json.dumps(listings or {}),
        "column_nulls": json.dumps(columns or {}),
        **counts,
    }


def failed(results):
    return [(r.check, r.column, r.field) for r in results if not r.passed]


def test_a_column_that_listed_items_and_lists_none_fails():
    before = run(
        1, {"通知公告": {"served": 90}, "财政要闻": {"served": 60}, "空栏目": {"served": 0}}
    )
    now = run(2, {"通知公告": {"served": 90}, "财政要闻": {"served": 0}})
    results = health.empty_columns(now, before)
    assert failed(results) == [("empty_column", "财政要闻", None)]
    assert {r.column for r in results} == {"通知公告", "财政要闻"}  # 空栏目 never listed items
    assert "60 in run 1" in next(r for r in results if not r.passed).message
    assert health.empty_columns(now, None) == []  # no healthy run to compare with


def test_null_rates_per_column_and_whole_run():
    columns = {
        "通知公告": {"title": [12, 12], "publish_date": [0, 12]},
        "财政要闻": {"title": [0, 40], "publish_date": [1, 40]},
        "小栏目": {"title": [3, 3]},  # under min_pages: not judged on its own
    }
    results = health.field_nulls(run(2, columns=columns), None, LIMITS)
    assert failed(results) == [
        ("field_nulls", None, "title"),  # 15 of 55 = 27%
        ("field_nulls", "通知公告", "title"),
    ]
    assert not any(r.column == "小栏目" for r in results)
    title = next(r for r in results if r.column == "通知公告" and r.field == "title")
    assert title.value == 1.0
    assert "title null on 12 of 12 pages (100%)" in title.message


def test_a_null_rate_that_jumps_fails_under_the_threshold():
    before = run(1, columns={"财政要闻": {"publish_date": [0, 40]}})
    now = run(2, columns={"财政要闻": {"publish_date": [6, 40]}})  # 15%: under 20%, +15 points
    results = health.field_nulls(now, before, LIMITS)
    assert failed(results) == [
        ("field_nulls", None, "publish_date"),
        ("field_nulls", "财政要闻", "publish_date"),
    ]
    assert "up from 0% in run 1" in results[-1].message
    steady = run(3, columns={"财政要闻": {"publish_date": [3, 40]}})  # +7.5 points
    assert failed(health.field_nulls(steady, before, LIMITS)) == []


def test_error_rate_and_blocked():
    assert health.error_rate(run(2, failed=2), 100, LIMITS).passed
    result = health.error_rate(run(2, failed=30), 100, LIMITS)
    assert not result.passed
    assert result.value == 0.3
    assert health.error_rate(run(2, failed=3), 5, LIMITS) is None  # too few requests
    stopped = health.blocked(True, 20, {"HTTP 412": 20}, LIMITS)
    assert not stopped.passed
    assert "HTTP 412 ×20" in stopped.message
    assert health.blocked(False, 3, {}, LIMITS).passed


def response(status: int, body: str) -> HtmlResponse:
    request = Request("http://127.0.0.1:1/czj/x.shtml")
    return HtmlResponse(request.url, status=status, body=body.encode(), request=request)


def test_blocking_answers():
    assert blocking_answer(response(412, "")) == "HTTP 412"
    assert blocking_answer(response(429, "")) == "HTTP 429"
    assert blocking_answer(response(200, challenge_page("k"))) == "challenge page"
    article = "<html><body><div class='article'>" + "财政预算编制工作" * 40 + "</div></body></html>"
    assert blocking_answer(response(200, article)) is None
    assert blocking_answer(response(404, "")) is None
    assert blocking_answer(response(500, "")) is None


def test_blocking_answer_reads_gbk_stubs_and_skips_what_is_not_markup():
    # A challenge stub in GBK with no charset anywhere is still read (by the archive's decoder).
    gbk = challenge_page("k").replace("<html>", "<html><!-- 安全验证 -->").encode("gb18030")
    request = Request("http://127.0.0.1/a.html")
    assert blocking_answer(Response(request.url, body=gbk, request=request)) == "challenge page"
    # A small PDF or JSON answer is never decoded or classified (it cannot be a challenge stub).
    for body in (b"%PDF-1.4\n" + bytes(range(256)) * 8, b'{"data": []}'):
        answer = TextResponse(request.url, body=body, request=request)
        assert blocking_answer(answer) is None
    assert looks_like_markup(b"\xef\xbb\xbf \r\n<!DOCTYPE html>")
    assert not looks_like_markup(b"%PDF-1.7")


def test_coverage_counts_watched_fields_per_listed_column():
    coverage = Coverage()
    coverage.add(Record(url="u1", title=None, category="栏目A"), column="通知公告")
    coverage.add(Record(url="u2", title="标题", publish_date="2026-01-02"), column="通知公告")
    intent = Procurement(announcement_type="intent", purchaser="湛江市财政局")
    coverage.add(Record(url="u3", title="意向", procurement=intent), column="采购意向")
    award = Procurement(announcement_type="award")
    coverage.add(Record(url="u4", title="中标", procurement=award), column="中标公告")
    columns = json.loads(coverage.columns_json())
    assert columns["通知公告"]["title"] == [1, 2]
    assert columns["通知公告"]["publish_date"] == [1, 2]
    assert "procurement.project_number" not in columns["采购意向"]  # intents carry none
    assert columns["采购意向"]["procurement.purchaser"] == [0, 1]
    assert columns["中标公告"]["procurement.project_number"] == [1, 1]


def test_results_baseline_and_blocked_mark(tmp_path):
    db = str(tmp_path / "archive.db")
    archive = open_db(db)
    archive["sites"].insert({"name": "zjczj", "title": "湛江市财政局"})
    for run_id in (1, 2, 3):
        archive["crawl_runs"].insert({**run(run_id), "new": 5, "failed": 0})
    archive.close()
    ok = store.Result("error_rate", True, 0.0, 0.1, "0 of 50 requests failed (0%)")
    bad = store.Result("field_nulls", False, 1.0, 0.2, "title null", "通知公告", "title")
    store.record(db, run(1), "zjczj", [ok], blocked=False)
    store.record(db, run(2), "zjczj", [ok, bad], blocked=True)
    with store.connect(db) as conn:
        assert store.baseline_run(conn, run(3))["id"] == 1  # run 2's monitors failed
        assert conn.execute("select blocked_since from sites").fetchone()[0] is not None
    assert [f["check"] for f in store.failed_results(db, 2)] == ["field_nulls"]
    store.record(db, run(3), "zjczj", [ok], blocked=False)  # a run that finished clears it
    with store.connect(db) as conn:
        assert conn.execute("select blocked_since from sites").fetchone()[0] is None
        assert store.baseline_run(conn, run(4))["id"] == 3
    message = store.payload(run(2), "zjczj", [bad])
    assert message["checks_failed"] == ["field_nulls"]
    assert message["run_id"] == 2
    assert "column 通知公告" in message["messages"][0]
