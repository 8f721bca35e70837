"""``/-/raw/<version>`` reads the body from the version's WARC record: decoded, or a clear error."""

from __future__ import annotations

import gzip
import uuid

import sqlite_utils

from pipeline.record import Record
from pipeline.store import Archive, Capture, notice_id
from pipeline.warc import Exchange, warc_dir
from publish.config import make_datasette

URL = "http://www.zjczj.gov.cn/xxgk/tzgg/202605/t20260522_48921.shtml"
PAGE = "<html><body><p>关于报送2026年部门预算编制情况的通知</p></body></html>".encode()


def stored(path: str) -> str:
    """One version whose response came gzip-encoded, stored as a crawl stores it."""
    archive = Archive(path)
    record_id = f"<urn:uuid:{uuid.uuid4()}>"
    headers = [(b"Content-Type", b"text/html; charset=utf-8"), (b"Content-Encoding", b"gzip")]
    archive.capture(
        Exchange(URL, record_id, "2026-05-22T04:05:06Z", 200, gzip.compress(PAGE),
                 response_headers=headers)
    )  # fmt: skip
    record = Record.from_dict(
        {"url": URL, "site": "zjczj", "kind": "notice", "title": "通知", "charset": "utf-8"}
    )
    capture = Capture(PAGE, content_type="text/html; charset=utf-8", warc_record_id=record_id)
    archive.store(record, capture)
    archive.close()
    return f"{notice_id(URL)}-1"


async def test_a_compressed_capture_is_served_as_the_crawl_read_it(tmp_path):
    path = str(tmp_path / "archive.db")
    version = stored(path)
    response = await make_datasette(path).client.get(f"/-/raw/{version}")
    assert response.status_code == 200
    assert response.content == PAGE
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["content-length"] == str(len(PAGE))


async def test_a_damaged_record_is_a_500_naming_it(tmp_path):
    path = str(tmp_path / "archive.db")
    version = stored(path)
    row = sqlite_utils.Database(path)["notice_versions"].get(version)
    warc = warc_dir(path) / row["warc_file"]
    data = bytearray(warc.read_bytes())
    data[row["warc_offset"] + row["warc_length"] // 2] ^= 0xFF
    warc.write_bytes(bytes(data))
    response = await make_datasette(path).client.get(f"/-/raw/{version}")
    assert response.status_code == 500
    assert "Damaged capture" in response.text
    assert PAGE.decode() not in response.text
