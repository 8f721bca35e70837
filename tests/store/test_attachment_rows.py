"""The writer's attachment downloads: rows filled by URL, kept when a notice changes, their text
in the full-text index and out of it again, the index equal to one built afresh."""

from __future__ import annotations

import sqlite3

from pipeline.attachments.ingest import ingest_attachment
from pipeline.attachments.store import FileStore, Holdings, files_root, read_attachment
from pipeline.store import Archive, Capture
from pipeline.warc import Pointer
from replica import files
from tests.store.test_fts import _integrity, record, search

URL = "http://www.zjczj.gov.cn/xxgk/P020240101.pdf"
ATTACHED = [{"name": "预算表.pdf", "url": URL}]


def _download(archive: Archive, key: str) -> str:
    body = files.content("预算表.pdf", key, "部门预算")
    payload = {"url": URL, "status": 200, "body": body, "content_type": "application/pdf"}
    return ingest_attachment(archive, {**payload, "cap": 10**6})


def _notice_with_file(tmp_path, batch_size: int) -> tuple[str, Archive]:
    """An archive holding notice 1 and the download of its attachment (key ``first``)."""
    path = str(tmp_path / "archive.db")
    archive = Archive(path, batch_size=batch_size)
    archive.store(record(1, "关于预算的通知", "正文", attachments=ATTACHED), Capture(b"1"))
    _download(archive, "first")
    return path, archive


def _row(path: str) -> tuple:
    sql = "select sha256, size, mime, status, text from attachments where url = ?"
    return sqlite3.connect(path).execute(sql, [URL]).fetchone()


def _pointer(path: str) -> Pointer:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    return Pointer.of_row(conn.execute("select * from attachments where url = ?", [URL]).fetchone())


def test_bytes_are_read_from_the_record_or_an_older_archives_plain_copy(tmp_path):
    path, archive = _notice_with_file(tmp_path, batch_size=1)
    archive.close()
    sha, size = _row(path)[:2]
    pointer = _pointer(path)
    holdings = Holdings(path)
    assert holdings.has(sha, pointer.file, pointer.offset, pointer.length)
    warc = tmp_path / "archive" / "warc" / pointer.file
    data = bytearray(warc.read_bytes())
    data[pointer.offset + pointer.length // 2] ^= 0xFF  # a flipped bit inside the record
    warc.write_bytes(bytes(data))
    assert read_attachment(path, sha, [pointer]) is None  # damaged: never wrong bytes
    with warc.open("r+b") as handle:
        handle.truncate(pointer.offset + pointer.length - 1)  # cut short inside the record
    assert not Holdings(path).has(sha, pointer.file, pointer.offset, pointer.length)
    body = files.content("预算表.pdf", "first", "部门预算")
    copy = FileStore(files_root(path)).path_of(sha)  # an archive made before 2026-12 kept one
    copy.parent.mkdir(parents=True)
    copy.write_bytes(body)
    assert read_attachment(path, sha, []) == body
    assert Holdings(path).has(sha, None, None, None)
    assert size == len(body)


def test_text_arriving_after_its_notice_is_searchable(tmp_path):
    path = str(tmp_path / "archive.db")
    archive = Archive(path, batch_size=1)
    archive.store(record(1, "关于预算的通知", "正文", attachments=ATTACHED), Capture(b"1"))
    assert _download(archive, "first") == "stored"  # batch_size=1: read and written at once
    archive.close()
    code = files.check_code("first")
    assert len(search(path, code)) == 1
    sha, size, mime, status, text = _row(path)
    assert (mime, status) == ("application/pdf", "stored")
    assert code in text
    body = files.content("预算表.pdf", "first", "部门预算")
    assert size == len(body)
    assert read_attachment(path, sha, [_pointer(path)]) == body  # from its WARC record
    assert not files_root(path).exists()  # kept once: no plain copy beside the record
    assert _integrity(sqlite3.connect(path))


def test_a_changed_notice_keeps_its_downloads_and_a_new_file_replaces_the_text(tmp_path):
    path, archive = _notice_with_file(tmp_path, batch_size=1)
    archive.store(record(1, "关于预算的通知（修订）", "正文", attachments=ATTACHED), Capture(b"2"))
    archive.flush()
    assert _row(path)[3] == "stored"  # the rewrite kept the download
    assert len(search(path, files.check_code("first"))) == 1
    _download(archive, "second")  # the file at the URL changed
    archive.close()
    assert search(path, files.check_code("first")) == set()
    assert len(search(path, files.check_code("second"))) == 1
    assert _integrity(sqlite3.connect(path))


def test_a_download_in_the_same_batch_as_its_notice(tmp_path):
    path, archive = _notice_with_file(tmp_path, batch_size=100)
    archive.close()
    assert _row(path)[3] == "stored"
    assert len(search(path, files.check_code("first"))) == 1
    assert _integrity(sqlite3.connect(path))


def test_a_changed_notice_and_its_new_file_in_one_batch_are_indexed_once(tmp_path):
    path, archive = _notice_with_file(tmp_path, batch_size=100)
    archive.flush()
    archive.store(record(1, "关于预算的通知（修订）", "正文", attachments=ATTACHED), Capture(b"2"))
    _download(archive, "second")  # the notice's rewrite and the new file: one transaction
    archive.store(record(2, "其他通知", "另一正文"), Capture(b"3"))  # no attachment
    archive.close()
    assert search(path, files.check_code("first")) == set()
    assert len(search(path, files.check_code("second"))) == 1
    assert len(search(path, "修订")) == 1
    assert len(search(path, "另一正文")) == 1
    assert _integrity(sqlite3.connect(path))


def test_an_index_without_attachment_text_is_rebuilt_once(tmp_path):
    from pipeline.store import fts_index
    from pipeline.store.schema import open_db

    path = str(tmp_path / "archive.db")
    archive = Archive(path, batch_size=1)
    archive.store(record(1, "关于预算的通知", "正文", attachments=ATTACHED), Capture(b"1"))
    _download(archive, "first")
    archive.close()
    conn = sqlite3.connect(path)
    conn.execute("drop table notices_fts")  # the index of the writers before attachments
    conn.execute(fts_index.CREATE.replace(" attachments,", ""))
    conn.commit()
    conn.close()
    assert not fts_index.is_current(sqlite3.connect(path))
    open_db(path).close()
    assert fts_index.is_current(sqlite3.connect(path))
    assert len(search(path, files.check_code("first"))) == 1
    assert len(search(path, "关于预算")) == 1


def _held_notice(tmp_path) -> tuple[str, Archive]:
    """Notice 1 written by a batch of one, held out of the index (its file not downloaded)."""
    path = str(tmp_path / "archive.db")
    archive = Archive(path, batch_size=1)
    archive.store(record(1, "关于预算的通知", "正文", attachments=ATTACHED), Capture(b"1"))
    assert sqlite3.connect(path).execute("select count(*) from notices").fetchone() == (1,)
    assert not _indexed(path)
    return path, archive


def _indexed(path: str) -> bool:
    from pipeline.store import fts_index

    return fts_index.missing(sqlite3.connect(path)) == []


def test_a_notice_whose_file_comes_a_batch_later_is_indexed_once(tmp_path, monkeypatch):
    """The batch boundary falls between a page and its download: the notice is written, held
    out of the index, and indexed with the next batch, its file's text included; never indexed,
    taken out and indexed again."""
    from pipeline.store import fts_index

    removed: list[str] = []
    real_remove = fts_index.remove
    monkeypatch.setattr(
        fts_index, "remove", lambda conn, ids: (removed.extend(ids), real_remove(conn, ids))
    )
    path, archive = _held_notice(tmp_path)
    _download(archive, "first")  # the next batch
    assert _indexed(path)
    archive.store(record(2, "其他通知", "另一正文"), Capture(b"2"))  # no file: not held
    assert _indexed(path)
    archive.close()
    assert removed == []
    assert len(search(path, files.check_code("first"))) == 1
    assert len(search(path, "另一正文")) == 1
    assert _integrity(sqlite3.connect(path))


def test_a_held_notice_is_indexed_the_batch_after_even_without_its_file(tmp_path):
    path, archive = _held_notice(tmp_path)
    archive.store(record(2, "其他通知", "另一正文"), Capture(b"2"))  # the next batch
    assert _indexed(path)
    assert len(search(path, "关于预算")) == 1
    archive.close()
    assert _integrity(sqlite3.connect(path))


def test_a_notice_held_by_a_writer_that_stopped_is_indexed_by_the_next(tmp_path):
    path, archive = _held_notice(tmp_path)
    archive.abandon()  # stopped before its next batch (as a killed writer would)
    Archive(path).close()
    assert _indexed(path)
    assert len(search(path, "关于预算")) == 1
    assert _integrity(sqlite3.connect(path))
