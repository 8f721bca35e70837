"""WARC capture over a real crawl of the replica: every exchange kept, every version pointing at
its record, ``zwgk verify`` passing on the whole and failing on a byte changed or a file cut."""

from __future__ import annotations

import subprocess
import sys

import pytest
import sqlite_utils
from warcio.archiveiterator import ArchiveIterator

from pipeline.warc import Pointer, warc_dir
from pipeline.warc.read import read_response
from tests.integration.conftest import ROOT, crawl, free_port, running_replica

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("warc") / "archive.db"
    with running_replica("--scale", "300", "--faults", "gzip-bomb,http404,http500") as url:
        result = crawl(db, url, "RETRY_TIMES=0", "ZWGK_WARC_MAX_BYTES=400000")
    return {"db": db, "result": result, "url": url}


def responses(db) -> list:
    found = []
    for path in sorted(warc_dir(db).glob("*.warc.gz")):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                if record.rec_type == "response":
                    record.raw_stream.read()  # not kept: the body's size only
                    encoding = record.http_headers.get_header("Content-Encoding")
                    found.append(
                        (
                            record.rec_headers.get_header("WARC-Target-URI"),
                            record.http_headers.get_statuscode(),
                            encoding,
                            int(record.rec_headers.get_header("Content-Length")),
                        )
                    )
    return found


def zwgk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zwgk", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_every_exchange_of_the_crawl_is_in_warc(crawled):
    assert crawled["result"].returncode in (0, 4), crawled["result"].stderr[-3000:]
    run = next(sqlite_utils.Database(crawled["db"])["crawl_runs"].rows)
    found = responses(crawled["db"])
    assert len(found) == run["pages_fetched"]  # Scrapy's downloader/response_count
    paths = {uri.split("/", 3)[3] for uri, *_ in found}
    assert "robots.txt" in paths
    assert any(p.endswith("index.html") or "index_" in p for p in paths)  # list pages
    statuses = {status for _, status, *_ in found}
    assert {"200", "404", "500"} <= statuses


def test_a_gzip_bomb_is_kept_as_it_came_compressed_and_refused(crawled):
    bombs = [(uri, length) for uri, _, encoding, length in responses(crawled["db"]) if encoding]
    assert bombs, "the replica served no gzip-bomb"
    assert all(length < 1_000_000 for _, length in bombs)  # ~150 KB on the wire, not 150 MB
    failures = sqlite_utils.Database(crawled["db"])["fetch_failures"].rows_where(
        "reason like ?", ["too large%"]
    )
    assert len(list(failures)) == len(bombs)


def test_each_version_points_at_the_response_it_came_in(crawled):
    db = crawled["db"]
    database = sqlite_utils.Database(db)
    urls = dict(database.execute("select id, url from notices").fetchall())
    versions = list(database["notice_versions"].rows)
    assert versions
    assert len({v["warc_record_id"] for v in versions}) == len(versions)
    for version in versions:
        stored = read_response(warc_dir(db), Pointer.of_row(version))
        assert stored.status == 200
        # the replica serves each site's paths on loopback: the same path, another origin
        assert stored.url.split("/", 3)[3].endswith(urls[version["notice_id"]].split("/", 3)[3])


def test_files_rotate_at_the_configured_size(crawled):
    files = sorted(warc_dir(crawled["db"]).glob("*.warc.gz"))
    assert len(files) > 2
    assert all(f.stat().st_size < 400_000 + 200_000 for f in files)  # closed past the size
    assert len(list(warc_dir(crawled["db"]).glob("*.cdxj"))) == len(files)


def test_warcio_check_passes(crawled):
    code = "import sys; from warcio.cli import main; sys.exit(main(sys.argv[1:]))"
    paths = [str(p) for p in warc_dir(crawled["db"]).glob("*.warc.gz")]
    result = subprocess.run(
        [sys.executable, "-c", code, "check", *paths], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-2000:]


def test_verify_deep_passes_on_the_crawl(crawled):
    result = zwgk("verify", "--db", str(crawled["db"]), "--deep")
    assert result.returncode == 0, result.stdout
    assert "ok    WARC records there and matching their digests" in result.stdout
    assert "ok    extracting each WARC record again gives the stored version" in result.stdout


@pytest.mark.parametrize("damage", ["flip", "truncate"])
def test_verify_fails_on_a_changed_byte_or_a_cut_file(crawled, tmp_path, damage):
    copy = tmp_path / "archive.db"
    subprocess.run(["cp", "-r", str(crawled["db"]), str(copy)], check=True)
    subprocess.run(["cp", "-r", str(warc_dir(crawled["db"]).parent), str(tmp_path)], check=True)
    version = next(sqlite_utils.Database(copy).query("select * from notice_versions order by id"))
    path = warc_dir(copy) / version["warc_file"]
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[version["warc_offset"] + version["warc_length"] // 2] ^= 0x01
    else:
        data = data[: version["warc_offset"] + 100]
    path.write_bytes(bytes(data))
    result = zwgk("verify", "--db", str(copy))
    assert result.returncode == 1, result.stdout
    assert "FAIL  WARC records there and matching their digests" in result.stdout
    assert version["id"] in result.stdout or damage == "truncate"


def test_the_demo_archive_verifies_deep(tmp_path):
    """Every spider (the bureau, the site group with gkmlpt's catalogue, gdgpo's JSON, ccgp):
    each version's record is there, matches its digests and extracts again to the same fields."""
    db = tmp_path / "archive.db"
    demo = zwgk("demo", "--db", str(db), "--no-serve", "--replica-port", str(free_port()))
    assert demo.returncode == 0, demo.stdout[-2000:] + demo.stderr[-2000:]
    result = zwgk("verify", "--db", str(db), "--deep")
    assert result.returncode == 0, result.stdout
    versions = sqlite_utils.Database(db)["notice_versions"].count
    assert f"({versions:,} read from" in result.stdout
    formats = {
        row[0]
        for row in sqlite_utils.Database(db).execute("select context_json from notice_versions")
    }
    assert any(f and "gdgpo" in f for f in formats)  # the JSON platform's format kept
    assert any(f and "gkmlpt" in f for f in formats)  # the catalogue's fields kept
    # every stored attachment points at the response its file came in, read back and checked
    stored = (
        sqlite_utils.Database(db)
        .execute("select count(*), count(warc_file) from attachments where sha256 is not null")
        .fetchone()
    )
    assert stored[0] > 0
    assert stored[0] == stored[1]
    assert "ok    every stored attachment points at a WARC record" in result.stdout
    assert "ok    attachments' WARC records there and matching their sha256" in result.stdout
