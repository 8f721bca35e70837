"""A page prepared (extracted and classified) by a scale-out worker is stored exactly as the
writer would have stored it from the page itself; a bad prepared record is a failed page."""

from __future__ import annotations

import gzip
import hashlib
import re
import sqlite3

import pytest

from pipeline.ingest import ingest_page, packed_of, prepare_page, prepared_of, record_of
from pipeline.queue import dumps, loads
from pipeline.sources import gdgpo
from pipeline.store import Archive
from pipeline.store.archive import content_hash
from pipeline.warc import POINTER_COLUMNS, Pointer, warc_dir
from pipeline.warc.read import read_response
from tests.conftest import FILES, REALPAGES
from tests.sources.test_gdgpo import URL as GDGPO_URL
from tests.sources.test_gdgpo import answer

SITE_URL = "http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_{}.shtml"
FIXTURES = sorted(FILES.glob("*.html"))


def real_pages() -> list:
    pages = sorted(REALPAGES.glob("*.html"))
    if not pages:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"no real pages at {REALPAGES}"))]
    return pages


def page_of(path, n: int = 1) -> dict:
    return {"url": SITE_URL.format(n), "site": "zjczj", "status": 200, "body": path.read_bytes(),
            "fetched_at": "2026-12-03T08:00:00Z"}  # fmt: skip


def gdgpo_page() -> dict:
    return {"url": GDGPO_URL, "site": "gdgpo", "status": 200, "body": answer(),
            "format": gdgpo.FORMAT, "fetched_at": "2026-12-03T08:00:00Z"}  # fmt: skip


def sent(page: dict) -> dict:
    """The page as the writer receives it from a worker: prepared, and for a notice its WARC
    record packed (crawler.scale.pipeline), through a queue message."""
    message = {**page, "prepared": prepared_of(page)}
    if "record" in message["prepared"]:
        message["packed"] = packed_of(page)
    return loads(dumps("page", message))[1]


def outcome(page: dict):
    """What ingest would store: the record's JSON and content hash, or the failure reason."""
    prepared = prepare_page(page)
    if isinstance(prepared, str):
        return prepared
    return prepared.to_dict(), content_hash(prepared)


@pytest.mark.parametrize("path", [*FIXTURES, *real_pages()], ids=lambda p: getattr(p, "name", p))
def test_a_prepared_page_makes_the_record_extracted_here(path):
    page = page_of(path)
    expected = outcome(page)
    received = sent(page)
    record = record_of(received)
    got = record if isinstance(record, str) else (record.to_dict(), content_hash(record))
    assert got == expected


def test_a_platform_answer_prepared_elsewhere_is_the_same_record():
    page = gdgpo_page()
    record = record_of(sent(page))
    assert record.procurement is not None
    assert record.procurement.announcement_type == "tender"
    assert (record.to_dict(), content_hash(record)) == outcome(page)


def stored(db) -> dict[str, list]:
    with sqlite3.connect(db) as conn:
        return {
            "versions": conn.execute(
                "select notice_id, version, content_sha256, record_json, context_json"
                " from notice_versions order by notice_id, version"
            ).fetchall(),
            "notices": conn.execute(
                "select id, title, publish_date, doc_number, category, body_text"
                " from notices order by id"
            ).fetchall(),
            "failures": conn.execute(
                "select url, reason from fetch_failures order by url"
            ).fetchall(),
        }


def test_the_archive_is_the_same_whichever_process_extracted(tmp_path):
    pages = [page_of(path, n) for n, path in enumerate(FIXTURES)] + [gdgpo_page()]
    results = {}
    for name, prepare in (("here", False), ("worker", True)):
        archive = Archive(str(tmp_path / f"{name}.db"))
        run = archive.start_run("zjczj", "zjczj")
        outcomes = [
            ingest_page(archive, sent(page) if prepare else dict(page), run) for page in pages
        ]
        archive.close()
        results[name] = (outcomes, stored(tmp_path / f"{name}.db"))
    assert results["worker"] == results["here"]
    outcomes = results["here"][0]
    assert outcomes.count("new") > 20  # both kinds went through
    assert "failed" in outcomes


def test_a_packed_page_is_the_warc_record_the_writer_would_have_made(tmp_path):
    """The writer appends the record a worker packed: the same bytes as the record it makes
    from the page itself, but for the record's id; every pointer reads back whole."""
    pages = [page_of(path, n) for n, path in enumerate(FIXTURES)] + [gdgpo_page()]
    records = {}
    for name, prepare in (("here", False), ("worker", True)):
        archive = Archive(str(tmp_path / f"{name}.db"))
        run = archive.start_run("zjczj", "zjczj")
        packed_ids = set()
        for page in pages:
            message = sent(page) if prepare else dict(page)
            packed_ids.add(message.get("packed", {}).get("record_id"))
            ingest_page(archive, message, run)
        archive.close()
        with sqlite3.connect(tmp_path / f"{name}.db") as conn:
            rows = conn.execute(
                f"select {', '.join(POINTER_COLUMNS)} from notice_versions order by notice_id"
            ).fetchall()
        folder = warc_dir(tmp_path / f"{name}.db")
        records[name] = []
        for row in rows:
            pointer = Pointer(*row)
            assert (pointer.record_id in packed_ids) is prepare  # the worker's, appended
            response = read_response(folder, pointer)  # digests checked as it reads
            assert hashlib.sha256(response.payload).hexdigest() == pointer.payload_sha256
            with (folder / pointer.file).open("rb") as f:
                f.seek(pointer.offset)
                record = gzip.decompress(f.read(pointer.length))
            records[name].append(re.sub(rb"WARC-Record-ID: <[^>]+>", b"", record))
    assert len(records["here"]) > 20
    assert records["worker"] == records["here"]


def test_a_prepared_record_that_does_not_fit_is_a_failed_page(tmp_path):
    archive = Archive(str(tmp_path / "a.db"))
    run = archive.start_run("zjczj", "zjczj")
    bad = {**page_of(FILES / "trs_replica.html", 1), "prepared": {"record": "not a record"}}
    failed = {**page_of(FILES / "trs_replica.html", 2), "prepared": {"failed": "challenge page"}}
    other = {**sent(page_of(FILES / "trs_replica.html", 5)), "url": SITE_URL.format(4)}
    good = sent(page_of(FILES / "trs_replica.html", 3))
    pages = (bad, failed, other, good)
    assert [ingest_page(archive, p, run) for p in pages] == ["failed"] * 3 + ["new"]
    archive.close()
    rows = stored(tmp_path / "a.db")
    assert [url[-7:] for url, _ in rows["failures"]] == ["1.shtml", "2.shtml", "4.shtml"]
    reasons = [reason for _, reason in rows["failures"]]
    assert reasons[0].startswith("extract error: prepared record refused: AttributeError")
    assert reasons[1] == "challenge page"
    assert reasons[2] == f"extract error: prepared record refused: it is of {SITE_URL.format(5)!r}"
    assert len(rows["notices"]) == 1
