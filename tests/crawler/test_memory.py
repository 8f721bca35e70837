from crawler.memory import SiteMemory, conditional_headers, site_memory
from pipeline.record import Record
from pipeline.store import Archive, Capture


def test_validators_of_live_pages_of_one_site(tmp_path):
    db = tmp_path / "a.db"
    archive = Archive(str(db))
    run = archive.start_run("zjczj", "zjczj")
    for n, site in ((1, "zjczj"), (2, "zjczj"), (3, "ccgp")):
        record = {"url": f"http://x/{n}", "site": site, "title": "t", "attachments": []}
        archive.store(
            Record.from_dict(record),
            Capture(b"x", etag=f'"e{n}"', last_modified="Mon, 18 Jul 2022"),
            run,
        )
    archive.fail(run, "http://x/2", "HTTP 404", status=404, site="zjczj")  # gone: not revalidated
    archive.finish_run(run, "finished")
    archive.close()
    assert site_memory(str(db), "zjczj").validators == {"http://x/1": ('"e1"', "Mon, 18 Jul 2022")}


def test_the_memory_of_a_site_holds_live_and_gone_notices(tmp_path):
    db = tmp_path / "a.db"
    archive = Archive(str(db))
    run = archive.start_run("zjczj", "zjczj")
    for n, site in ((1, "zjczj"), (2, "zjczj"), (3, "zjczj"), (4, "ccgp")):
        record = {"url": f"http://x/{n}", "site": site, "publish_date": f"2024-0{n}-01"}
        archive.store(Record.from_dict({**record, "attachments": []}), Capture(b"x"), run)
    archive.fail(run, "http://x/2", "HTTP 404", status=404, site="zjczj", failed_at="2026-01-02")
    archive.finish_run(run, "finished")
    archive.close()
    memory = site_memory(str(db), "zjczj")
    assert sorted(row[:2] for row in memory.held) == [
        ("http://x/1", "2024-01-01"),
        ("http://x/2", "2024-02-01"),
        ("http://x/3", "2024-03-01"),
    ]
    assert memory.live == {"http://x/1", "http://x/3"}
    assert memory.known == {"http://x/1", "http://x/2", "http://x/3"}  # a whole run: 404s too
    assert memory.repair == []
    last = {row[0]: row[3] for row in memory.held}
    assert last["http://x/2"] == "2026-01-02"  # last found gone
    assert last["http://x/1"] == last["http://x/3"] != "2026-01-02"  # last seen


def test_no_archive_means_no_memory(tmp_path):
    assert site_memory(str(tmp_path / "none.db"), "zjczj") == SiteMemory()
    assert site_memory(None, "zjczj") == SiteMemory()


def test_conditional_headers():
    assert conditional_headers(('"e1"', "Mon, 18 Jul 2022")) == {
        "If-None-Match": '"e1"',
        "If-Modified-Since": "Mon, 18 Jul 2022",
    }
    assert conditional_headers((None, None)) == {}
    assert conditional_headers(None) == {}


def _archive_with_run(db, finish_reason, failure_status=None):
    archive = Archive(str(db))
    run = archive.start_run("zjczj", "zjczj")
    record = Record.from_dict({"url": "http://x/1", "site": "zjczj", "attachments": []})
    archive.store(record, Capture(b"x"), run)
    if failure_status is not None:
        archive.fail(run, "http://x/list_3.shtml", "HTTP", status=failure_status, site="zjczj")
    if finish_reason:
        archive.finish_run(run, finish_reason)
    archive.close()
    return site_memory(str(db), "zjczj").known


def test_known_urls_only_after_a_whole_run(tmp_path):
    assert _archive_with_run(tmp_path / "a.db", "finished") == {"http://x/1"}
    assert _archive_with_run(tmp_path / "b.db", None) == set()  # killed mid-way
    assert _archive_with_run(tmp_path / "c.db", "shutdown") == set()
    assert _archive_with_run(tmp_path / "d.db", "finished", failure_status=500) == set()
    assert _archive_with_run(tmp_path / "e.db", "finished", failure_status=404) == {"http://x/1"}


def test_an_incremental_crawl_skips_only_live_notices_not_due(tmp_path, caplog):
    """Not due for a recheck, a live notice listed again is skipped; a gone one is fetched (it
    may be back), however recently it was found gone."""
    from scrapy.utils.test import get_crawler

    from crawler.spiders.zjczj import ZjczjSpider

    db = tmp_path / "a.db"
    archive = Archive(str(db))
    run = archive.start_run("zjczj", "zjczj")
    for n in (1, 2):
        record = {"url": f"http://x/{n}", "site": "zjczj", "publish_date": "2024-01-01"}
        archive.store(Record.from_dict({**record, "attachments": []}), Capture(b"x"), run)
    archive.fail(run, "http://x/2", "HTTP 404", status=404, site="zjczj")
    archive.finish_run(run, "finished")
    archive.close()
    crawler = get_crawler(ZjczjSpider, {"ZWGK_DB": str(db), "ZWGK_INCREMENTAL": True})
    with caplog.at_level("INFO"):
        spider = ZjczjSpider.from_crawler(crawler, base_url="http://x/")
    assert spider.known == {"http://x/1", "http://x/2"}
    assert spider.fresh == {"http://x/1"}
    assert spider.held_due == set()  # both seen (or found gone) today
    assert (
        "the archive holds 2 notices of zjczj (1 live, 0 held in part, 2 not due for a recheck,"
        " 0 attachments settled)" in caplog.text
    )
