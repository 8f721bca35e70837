"""Repair 3: an older archive's ``raw_gzip`` blobs move into WARC files, once, losing nothing."""

from __future__ import annotations

import gzip
import hashlib
import sqlite3

import sqlite_utils

from pipeline.store.schema import open_db
from pipeline.store.verify import damaged, verify
from pipeline.warc import Pointer, warc_dir
from pipeline.warc.read import read_response

RAW = {
    "a": "<html><body>通知甲</body></html>".encode("gb18030"),
    "b": b'{"id": 1, "title": "\\u91c7\\u8d2d"}',
}


def old_archive(path) -> None:
    """An archive as writers before WARC capture left it (user_version 2, raw_gzip blobs)."""
    db = open_db(str(path))
    db["notice_versions"].add_column("raw_gzip", bytes)
    db["sites"].insert({"name": "zjczj"})
    for nid, raw in RAW.items():
        url = f"http://www.zjczj.gov.cn/{nid}.shtml"
        db["notices"].insert({"id": nid, "url": url, "site": "zjczj", "version_count": 1})
        db["notice_versions"].insert(
            {
                "id": f"{nid}-1",
                "notice_id": nid,
                "version": 1,
                "raw_sha256": hashlib.sha256(raw).hexdigest(),
                "fetched_at": "2024-03-01T08:00:00Z",
                "http_status": 200,
                "content_type": "text/html; charset=GB2312" if nid == "a" else "application/json",
                "raw_gzip": gzip.compress(raw, compresslevel=1),
            }
        )
    db.execute("update notice_versions set warc_file = null")
    db.execute("pragma user_version = 2")
    db.conn.commit()
    db.close()


def test_raw_captures_move_into_warc_and_read_back(tmp_path):
    path = tmp_path / "archive.db"
    old_archive(path)
    open_db(str(path)).close()  # any writer opening the archive runs the repair
    conn = sqlite3.connect(path)
    assert conn.execute("pragma user_version").fetchone()[0] == 3
    assert conn.execute(
        "select count(*) from notice_versions where raw_gzip is not null"
    ).fetchone() == (0,)
    for version in sqlite_utils.Database(path)["notice_versions"].rows:
        stored = read_response(warc_dir(path), Pointer.of_row(version))
        assert stored.body == RAW[version["notice_id"]]
        assert stored.date == "2024-03-01T08:00:00Z"  # when it was fetched, not when it moved
        assert stored.header("Content-Type") == version["content_type"]
        assert version["payload_sha256"] == version["raw_sha256"]
    assert not [c for c in damaged(verify(path)) if "WARC" in c.name]


def test_the_move_happens_once(tmp_path):
    path = tmp_path / "archive.db"
    old_archive(path)
    open_db(str(path)).close()
    files = sorted(warc_dir(path).iterdir())
    open_db(str(path)).close()
    assert sorted(warc_dir(path).iterdir()) == files


def test_a_blob_that_does_not_decompress_stays_and_verify_names_it(tmp_path):
    path = tmp_path / "archive.db"
    old_archive(path)
    conn = sqlite3.connect(path)
    conn.execute("update notice_versions set raw_gzip = x'00ff00' where id = 'b-1'")
    conn.commit()
    conn.close()
    open_db(str(path)).close()
    problems = {c.name: c.problems for c in damaged(verify(path))}
    assert problems["every version points at a WARC record"] == ["b-1"]
