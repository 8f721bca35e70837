"""Attachments on a real crawl of the replica's ``bad-attachments`` notice: hostile names stored
safely, broken links each with its reason, an over-cap file skipped, a zip bomb not expanded, a
PDF's text found by the notice search, and a re-crawl that downloads nothing again."""

from __future__ import annotations

import hashlib
import json
import re
import urllib.request
from urllib.parse import quote

import pytest
import sqlite_utils

from pipeline.attachments.store import read_attachment
from pipeline.warc import Pointer
from publish.config import make_datasette
from tests.integration.conftest import crawl, free_port, get_json, running_replica

pytestmark = pytest.mark.integration

CAP = 1_000_000  # under the replica's 2 MB file, over every other one


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    work = tmp_path_factory.mktemp("attachments")
    db = work / "archive.db"
    cap = f"ZWGK_ATTACHMENT_MAX_BYTES={CAP}"
    port = free_port()
    with running_replica("--faults", "bad-attachments", port=port) as url:
        truth = get_json(f"{url}/__truth.json")
        first = crawl(db, url, cap)
        before = _rows(db)
        reset = urllib.request.Request(f"{url}/__stats/reset", method="POST")
        urllib.request.urlopen(reset, timeout=30).close()
        # every detail page fetched again (no validators): only the links are seen again
        again = crawl(db, url, cap, "ZWGK_CONDITIONAL=False", "ZWGK_RECHECK=*:0")
        stats = get_json(f"{url}/__stats.json")
        after_again = _rows(db)
        urllib.request.urlopen(reset, timeout=30).close()
        full = crawl(db, url, cap, "ZWGK_CONDITIONAL=False", "ZWGK_INCREMENTAL=False")
        full_stats = get_json(f"{url}/__stats.json")
    cases = [c for site in truth["sites"] for c in site.get("attachment_files", [])]
    return {"db": db, "work": work, "first": first, "again": again, "cases": cases,
            "before": before, "stats": stats, "full": full, "full_stats": full_stats,
            "after_again": after_again, "port": port}  # fmt: skip


def _rows(db) -> dict[str, dict]:
    return {row["id"]: row for row in sqlite_utils.Database(db)["attachments"].rows}


def _row(crawled, case: str) -> dict:
    entry = next(c for c in crawled["cases"] if c["case"] == case)
    rows = [r for r in _rows(crawled["db"]).values() if r["url"] == entry["url"]]
    assert len(rows) == 1, (case, entry["url"])
    return {**rows[0], "truth": entry}


def test_crawls_finish(crawled):
    for run in (crawled["first"], crawled["again"], crawled["full"]):
        assert run.returncode == 0, run.stderr[-3000:]
    assert len(crawled["cases"]) == 11


@pytest.mark.parametrize(
    "case",
    ["passwd", "shell", "long", "nul", "docx", "xlsx", "missing", "html", "empty", "big", "bomb"],
)
def test_each_case_is_recorded_as_the_truth_says(crawled, case):
    row = _row(crawled, case)
    truth = row["truth"]
    assert row["status"] == truth["expect"], (case, row["reason"])
    if truth["reason"]:
        assert row["reason"].startswith(truth["reason"]), (case, row["reason"])
    assert row["name"] == truth["name"]  # the name is data, kept whole
    if "check_code" in truth:
        assert truth["check_code"] in row["text"]


def test_hostile_names_never_become_paths(crawled):
    work = crawled["work"]
    made = {p.relative_to(work).as_posix() for p in work.rglob("*") if p.is_file()}
    # WARC files are named by the writer (time, pid, serial), never from a site (pipeline/warc);
    # the files' bytes are kept in their records, and nothing else is written
    warc = re.compile(r"archive/warc/zwgk-\d{14}-\d+-\d{5}\.(warc\.gz|cdxj)")
    outside = {p for p in made if not warc.fullmatch(p)}
    assert outside <= {"archive.db", "archive.db-wal", "archive.db-shm", "archive.db.lock"}
    db = str(crawled["db"])
    for case in ("passwd", "shell", "long", "nul"):
        row = _row(crawled, case)
        body = read_attachment(db, row["sha256"], [Pointer.of_row(row)])
        assert len(body) == row["size"]
        assert hashlib.sha256(body).hexdigest() == row["sha256"]
    assert len(_row(crawled, "long")["name"]) == 300


def test_over_cap_is_skipped_and_never_stored(crawled):
    row = _row(crawled, "big")
    assert (row["status"], row["sha256"], row["text"]) == ("skipped", None, None)
    assert row["truth"]["size_over"] > CAP
    assert row["warc_file"] is None  # no record holds a part of it


def test_zip_bomb_is_kept_but_not_expanded(crawled):
    row = _row(crawled, "bomb")
    assert row["mime"].endswith("wordprocessingml.document")
    assert row["size"] < 1_000_000
    assert row["text"] is None
    assert "zip bomb" in row["reason"]


def test_mime_is_sniffed_from_the_bytes_not_the_header(crawled):
    row = _row(crawled, "passwd")  # served as application/octet-stream
    assert (row["mime"], row["mime_header"]) == ("application/pdf", "application/octet-stream")


def test_every_linked_attachment_has_an_outcome(crawled):
    rows = _rows(crawled["db"]).values()
    assert all(r["status"] for r in rows), [r["url"] for r in rows if not r["status"]]
    pdfs = [r for r in rows if r["mime"] == "application/pdf"]
    assert pdfs
    assert all("附件核对码" in r["text"] for r in pdfs)


def test_a_recrawl_downloads_nothing_again(crawled):
    assert crawled["stats"]["by_path_kind"]["detail"] > 0  # the pages were fetched again
    assert crawled["stats"]["by_path_kind"]["attachment"] == 0
    assert crawled["after_again"] == crawled["before"]


def test_a_full_crawl_revalidates_stored_files_and_retries_broken_links(crawled):
    rows = crawled["before"].values()
    validated = {r["url"] for r in rows if r["sha256"] and (r["etag"] or r["last_modified"])}
    broken = {r["url"] for r in rows if r["status"] == "broken"}
    assert validated
    assert len(broken) == 3
    stats = crawled["full_stats"]
    assert stats["by_path_kind"]["attachment"] == len(validated) + len(broken)
    assert stats["by_status"]["304"] == len(validated)  # pages went without validators
    after, before = _rows(crawled["db"]), {k: dict(v) for k, v in crawled["before"].items()}
    for row in (*after.values(), *before.values()):
        if row["status"] == "broken":
            row.pop("fetched_at")  # tried again: same outcome, a new time
    assert after == before  # nothing changed, nothing downloaded


async def test_a_word_only_in_a_pdf_finds_its_notice(crawled):
    row = _row(crawled, "passwd")
    code = row["truth"]["check_code"]
    db = sqlite_utils.Database(crawled["db"])
    assert not db.execute(  # the word is in no notice's own text
        "select count(*) from notices where title like ? or body_text like ?",
        [f"%{code}%", f"%{code}%"],
    ).fetchone()[0]
    ds = make_datasette(str(crawled["db"]))
    response = await ds.client.get(f"/archive/notices.json?_search={quote(code)}&_shape=objects")
    assert response.status_code == 200
    found = [r["url"] for r in response.json()["rows"]]
    assert found == [row["truth"]["notice_url"]]


async def test_the_notice_page_lists_attachments_and_serves_stored_files(crawled):
    row = _row(crawled, "shell")
    ds = make_datasette(str(crawled["db"]))
    page = await ds.client.get(f"/archive/notices/{row['notice_id']}")
    assert page.status_code == 200
    html = page.text
    assert "skipped" in html
    assert "html instead of a file" in html
    link = f"/-/attachments/{row['sha256']}"
    assert link in html
    download = await ds.client.get(link)
    assert download.status_code == 200
    assert hashlib.sha256(download.content).hexdigest() == row["sha256"]
    disposition = download.headers["content-disposition"]
    assert disposition.isascii()
    assert "/" not in disposition
    assert ";rm" not in disposition
    assert download.headers["content-type"] == "application/pdf"
    assert (await ds.client.get("/-/attachments/" + "0" * 64)).status_code == 404
    climbing = await ds.client.get("/-/attachments/..%2F..%2Fetc%2Fpasswd")
    assert climbing.status_code != 200  # not a digest: no route serves it


def test_attachment_json_is_plain_data(crawled):
    row = _row(crawled, "nul")
    assert json.loads(json.dumps(row["name"])) == row["name"]


def _damage_record(copy, row) -> None:
    """Flip a byte in the middle of the record that holds ``row``'s bytes."""
    warc = copy / "archive" / "warc" / row["warc_file"]
    data = bytearray(warc.read_bytes())
    data[row["warc_offset"] + row["warc_length"] // 2] ^= 0xFF
    warc.write_bytes(bytes(data))


def test_verify_checks_every_stored_file(crawled, tmp_path):
    import shutil
    import subprocess
    import sys

    from tests.integration.conftest import ROOT

    copy = tmp_path / "copy"
    shutil.copytree(crawled["work"], copy)

    def verify() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "zwgk", "verify", "--db", str(copy / "archive.db")]
        return subprocess.run(
            [*command, "--deep"], cwd=ROOT, capture_output=True, text=True, check=False
        )

    clean = verify()
    assert clean.returncode == 0, clean.stdout
    stored = sum(1 for r in crawled["before"].values() if r["sha256"])
    assert f"ok    attachments' WARC records there and matching their sha256 ({stored} read)" in (
        clean.stdout
    )
    row = _row(crawled, "docx")
    _damage_record(copy, row)
    damaged = verify()
    assert damaged.returncode == 1
    assert f"{row['url']}: {row['warc_file']}@{row['warc_offset']}: " in damaged.stdout


def test_a_stored_file_gone_from_disk_is_downloaded_again(crawled, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(crawled["work"], copy)
    row = _row(crawled, "xlsx")
    warc = copy / "archive" / "warc" / row["warc_file"]
    with warc.open("r+b") as handle:  # the WARC file cut short inside the file's record
        handle.truncate(row["warc_offset"] + row["warc_length"] // 2)
    cut = {
        r["url"]
        for r in crawled["before"].values()
        if r["sha256"]
        and r["warc_file"] == row["warc_file"]
        and r["warc_offset"] + r["warc_length"] > row["warc_offset"]
    }
    with running_replica("--faults", "bad-attachments", port=crawled["port"]) as url:
        cap = f"ZWGK_ATTACHMENT_MAX_BYTES={CAP}"
        again = crawl(copy / "archive.db", url, cap, "ZWGK_CONDITIONAL=False", "ZWGK_RECHECK=*:0")
        stats = get_json(f"{url}/__stats.json")
    assert again.returncode == 0, again.stderr[-3000:]
    assert row["url"] in cut
    assert stats["by_path_kind"]["attachment"] == len(cut)  # the files whose record was cut
    after = next(r for r in _rows(copy / "archive.db").values() if r["url"] == row["url"])
    assert after["warc_file"] != row["warc_file"]  # a new record, in this crawl's WARC file
    body = read_attachment(str(copy / "archive.db"), row["sha256"], [Pointer.of_row(after)])
    assert hashlib.sha256(body).hexdigest() == row["sha256"]
