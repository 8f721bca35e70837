"""One batch, one transaction; a memory that only trusts whole notices; verify finds the rest."""

from __future__ import annotations

import os
import sqlite3

import pytest
import sqlite_utils

from crawler.memory import site_memory
from pipeline.store import Archive, Capture, notice_id
from pipeline.store.verify import damaged, verify
from tests.store.test_archive import record

URLS = [f"http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_{n}.shtml" for n in range(3)]


def _stored(path) -> dict[str, int]:
    db = sqlite_utils.Database(path)
    return {t: db[t].count for t in ("notices", "notice_versions", "attachments")}


def test_a_batch_that_fails_half_way_leaves_nothing(tmp_path):
    """A storage error while writing attachments (after notices and versions): all rolled back."""
    path = tmp_path / "a.db"
    archive = Archive(str(path), batch_size=100)
    archive.db.execute(
        "create trigger full before insert on attachments begin select raise(abort, 'full'); end"
    )
    run = archive.start_run("zjczj", "zjczj")
    for url in URLS:
        archive.store(record(url), Capture(b"<html/>", etag='"e"'), run)
    with pytest.raises(sqlite3.DatabaseError, match="full"):
        archive.flush()
    archive.abandon()
    assert _stored(path) == {"notices": 0, "notice_versions": 0, "attachments": 0}


def test_gone_marks_wait_for_their_batch(tmp_path):
    path = tmp_path / "a.db"
    archive = Archive(str(path), batch_size=100)
    run = archive.start_run("zjczj", "zjczj")
    archive.store(record(URLS[0]), Capture(b"v1"), run)
    archive.flush()
    archive.fail(run, URLS[0], "HTTP 404", status=404, site="zjczj")
    stored = sqlite_utils.Database(path)["notices"].get(notice_id(URLS[0]))
    assert stored["status"] == "live"  # not yet: the mark is part of the next batch
    archive.close()
    db = sqlite_utils.Database(path)
    assert [r["status"] for r in db["notices"].rows] == ["gone"]
    assert db["fetch_failures"].count == 1


@pytest.fixture
def damaged_archive(tmp_path):
    """Three whole notices, then damage from outside the writer: one loses its current version,
    one its attachment rows."""
    path = tmp_path / "a.db"
    archive = Archive(str(path))
    run = archive.start_run("zjczj", "zjczj")
    for url in URLS:
        archive.store(record(url), Capture(b"v1", etag='"e1"'), run)
    archive.finish_run(run, "finished")
    archive.close()
    db = sqlite_utils.Database(path)
    db.execute("pragma foreign_keys = off")
    db["notice_versions"].delete_where("notice_id = ?", [notice_id(URLS[0])])
    db["attachments"].delete_where("notice_id = ?", [notice_id(URLS[1])])
    db.conn.commit()
    return path


def test_verify_names_each_kind_of_damage(damaged_archive):
    problems = {c.name: c.problems for c in damaged(verify(damaged_archive))}
    assert problems["every notice has its current version"] == [URLS[0]]
    assert problems["every notice has all its attachment rows"] == [URLS[1]]
    assert problems["versions 1…N stored for each notice"] == [f"{URLS[0]} 1 0"]


@pytest.fixture
def whole_archive(tmp_path):
    path = tmp_path / "a.db"
    archive = Archive(str(path))
    run = archive.start_run("zjczj", "zjczj")
    archive.store(record(), Capture(b"v1"), run)
    archive.finish_run(run, "finished")
    archive.close()
    return path


def test_verify_passes_a_whole_archive(whole_archive):
    assert damaged(verify(whole_archive)) == []


def test_the_memory_refetches_what_is_not_whole(damaged_archive):
    memory = site_memory(str(damaged_archive), "zjczj")
    assert set(memory.validators) == {URLS[2]}  # no 304 for them
    assert memory.repair == URLS[:2]
    with sqlite_utils.Database(damaged_archive) as db:
        db["notices"].update(notice_id(URLS[0]), {"first_seen": "2026-01-02T00:00:00Z"})
        db["notices"].update(notice_id(URLS[1]), {"first_seen": "2026-01-01T00:00:00Z"})
        repair = site_memory(str(damaged_archive), "zjczj").repair
        assert repair == [URLS[1], URLS[0]]  # oldest first
        db["notices"].update(notice_id(URLS[0]), {"first_seen": None})
        assert site_memory(str(damaged_archive), "zjczj").repair == URLS[:2]  # none first, as SQL


def test_a_page_seen_again_repairs_its_notice(damaged_archive):
    archive = Archive(str(damaged_archive))
    run = archive.start_run("zjczj", "zjczj")
    outcomes = [archive.store(record(url), Capture(b"v1"), run) for url in URLS]
    finished = archive.finish_run(run, "finished")
    archive.close()
    assert outcomes == ["repaired", "repaired", "unchanged"]
    assert (finished["repaired"], finished["unchanged"], finished["changed"]) == (2, 1, 0)
    assert damaged(verify(damaged_archive)) == []
    versions = sqlite_utils.Database(damaged_archive)["notice_versions"]
    assert sorted(v["id"][-2:] for v in versions.rows) == ["-1", "-1", "-1"]  # no extra versions


def test_a_killed_run_is_recorded_as_interrupted_by_the_next(tmp_path):
    path = tmp_path / "a.db"
    archive = Archive(str(path))
    killed = archive.start_run("zjczj", "zjczj", pid=2**22 + 12345)  # no such process
    running = archive.start_run("ccgp", "ccgp", pid=os.getpid())
    archive.start_run("zjczj", "zjczj", pid=os.getpid())
    archive.close()
    runs = {r["id"]: r for r in sqlite_utils.Database(path)["crawl_runs"].rows}
    assert runs[killed]["finish_reason"] == "interrupted"
    assert runs[running]["finish_reason"] is None  # another spider's run, its process alive


@pytest.mark.parametrize("load_after", [None, 1])
def test_the_writer_looks_notices_up_as_loading_them_all_would_have(damaged_archive, load_after):
    """The writer holds only the notices it asked about or stored; each lookup gives what
    loading every notice at its start gave, damage included (``load_after`` 1: it loads the
    rest at its second lookup, as a crawl that revalidates the whole archive does)."""
    from pipeline.store.consistency import KnownNotices, known_notices

    with sqlite_utils.Database(damaged_archive) as db:
        db["notices"].update(notice_id(URLS[2]), {"status": "gone"})
        db.conn.commit()
        everything = KnownNotices(db.conn)
        everything.load_all()  # every notice at once, as the writer once loaded them
        if load_after is None:
            looked_up = known_notices(db.conn)
        else:
            looked_up = KnownNotices(db.conn, load_after=load_after)
        assert len(looked_up) == 0  # nothing read at the start
        for nid in [*map(notice_id, URLS), "no-such-notice"]:
            assert looked_up.get(nid) == everything.get(nid)
            assert (nid in looked_up) == (nid in everything)
        assert [looked_up[notice_id(url)].whole for url in URLS] == [False, False, True]
        assert looked_up[notice_id(URLS[2])].status == "gone"
        assert len(looked_up) == 3  # the missing one is not held
        with pytest.raises(KeyError):
            looked_up["no-such-notice"]


def test_loading_every_notice_keeps_what_the_writer_stored_since(damaged_archive):
    from pipeline.store.consistency import Known, KnownNotices

    with sqlite_utils.Database(damaged_archive) as db:
        known = KnownNotices(db.conn, load_after=1)
        stored = Known("ab" * 32, 7, "live")
        known[notice_id(URLS[0])] = stored  # queued by the writer, not yet in the archive
        assert known.get(notice_id(URLS[1])).version == 1  # looked up
        assert known.get(notice_id(URLS[2])).version == 1  # every notice loaded
        assert len(known) == 3
        assert known[notice_id(URLS[0])] == stored._replace(digest="ab" * 8)


def test_a_first_crawl_asks_the_archive_nothing(tmp_path):
    from pipeline.store.consistency import known_notices

    with sqlite_utils.Database(tmp_path / "a.db") as db:
        Archive(str(tmp_path / "a.db")).close()
        known = known_notices(db.conn)
        db.execute("insert into notices (id, url, version_count) values ('x', 'http://x', 1)")
        assert known.get("x") is None  # empty when the writer opened: nothing to look up
        assert known_notices(db.conn).get("x") is not None


def test_a_recrawl_holds_what_it_touched(tmp_path):
    path = str(tmp_path / "a.db")
    archive = Archive(path)
    run = archive.start_run("zjczj", "zjczj")
    for url in URLS:
        archive.store(record(url), Capture(b"v1"), run)
    archive.finish_run(run, "finished")
    archive.close()
    archive = Archive(path)
    run = archive.start_run("zjczj", "zjczj")
    assert archive.store(record(URLS[1]), Capture(b"v1"), run) == "unchanged"
    assert archive.not_modified(URLS[2], run_id=run) == "unchanged"
    assert archive.not_modified("http://elsewhere/x", run_id=run) == "unknown"
    assert len(archive._known) == 2
    assert archive.store(record(URLS[0], title="改"), Capture(b"v2"), run) == "changed"
    archive.finish_run(run, "finished")
    archive.close()
