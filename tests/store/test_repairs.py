"""One-time repairs of old archives (pipeline/store/repairs.py)."""

from __future__ import annotations

import sqlite3

from pipeline.store.schema import open_db


def test_a_fresh_archive_records_the_version_and_needs_nothing(tmp_path):
    open_db(str(tmp_path / "a.db")).close()
    conn = sqlite3.connect(tmp_path / "a.db")
    assert conn.execute("pragma user_version").fetchone()[0] == 3


def test_first_seen_left_null_by_an_old_writer_is_the_earliest_fetch(tmp_path):
    path = str(tmp_path / "old.db")
    db = open_db(path)
    for nid in ("a", "b"):
        db["notices"].insert({"id": nid, "url": f"http://x/{nid}", "first_seen": None})
        for version, fetched in ((1, "2024-01-02T00:00:00"), (2, "2024-03-01T00:00:00")):
            db["notice_versions"].insert(
                {"notice_id": nid, "version": version, "fetched_at": fetched}, alter=False
            )
    db.execute("update notices set first_seen = '2023-12-31T00:00:00' where id = 'b'")
    db.execute("pragma user_version = 1")  # as an archive of an older writer
    db.conn.commit()
    db.close()
    open_db(path).close()
    conn = sqlite3.connect(path)
    assert dict(conn.execute("select id, first_seen from notices")) == {
        "a": "2024-01-02T00:00:00",
        "b": "2023-12-31T00:00:00",  # a value already there is kept
    }
    assert conn.execute("pragma user_version").fetchone()[0] == 3


def test_the_writer_keeps_each_notice_packed_and_tells_contents_apart():
    from pipeline.store.consistency import Known, KnownNotices

    full = "03cbcb1fc46227eb275eea0a4b326469da1dd963c4fe944eb34e56863700a1cc"
    known = KnownNotices()
    known["a"] = Known(full, 3, "gone", True, False)
    known["b"] = Known("", 0, "live", False, True)  # a notice without a stored digest
    a, b = known["a"], known.get("b")
    assert (a.version, a.status, a.has_version, a.has_attachments) == (3, "gone", True, False)
    assert a.matches(full)
    assert not a.matches(full[:15] + "0" + full[16:])
    assert not b.matches(full)
    assert (b.version, b.status, b.whole) == (0, "live", False)
    assert "c" not in known
    assert known.get("c") is None
    assert len(known) == 2
