import json

import pytest
import sqlite_utils

from pipeline.record import Record
from pipeline.store import Archive, Capture, canonical_url, notice_id, schema
from pipeline.warc import Pointer, warc_dir
from pipeline.warc.read import read_response


def record(url="http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_1.shtml", **fields):
    base = {
        "url": url,
        "site": "zjczj",
        "kind": "notice",
        "category": "通知公告",
        "title": "关于做好2006年预算编制工作的通知",
        "publish_date": "2006-09-07",
        "publish_time": "11:00",
        "publisher": "湛江市财政局",
        "author": None,
        "doc_number": "湛财预〔2006〕7号",
        "index_number": "007049868/2006-00012",
        "doc_date": "2006-09-05",
        "body_text": "各县（市、区）财政局：\n现将有关事项通知如下。",
        "body_html": "<p>各县（市、区）财政局：</p>",
        "attachments": [{"name": "附件1.pdf", "url": url.rsplit("/", 1)[0] + "/P1.pdf"}],
        "procurement": None,
        "charset": "utf-8",
    }
    base.update(fields)
    return Record.from_dict(base)


@pytest.fixture
def archive(tmp_path):
    arc = Archive(str(tmp_path / "archive.db"), batch_size=3)
    yield arc
    arc.close()


def rows(arc, table):
    arc.flush()
    return list(arc.db[table].rows)


def test_new_then_unchanged(archive):
    run = archive.start_run("zjczj", "zjczj")
    assert archive.store(record(), Capture(b"<html>1</html>"), run) == "new"
    assert archive.store(record(), Capture(b"<html>1 with other chrome</html>"), run) == "unchanged"
    finished = archive.finish_run(run, "finished", pages_fetched=2)
    assert (finished["new"], finished["unchanged"], finished["changed"]) == (1, 1, 0)
    assert len(rows(archive, "notices")) == 1
    assert len(rows(archive, "notice_versions")) == 1


def test_changed_makes_a_version_and_keeps_raw(archive):
    run = archive.start_run("zjczj", "zjczj")
    archive.store(record(), Capture(b"v1"), run)
    assert archive.store(record(title="新标题"), Capture(b"v2"), run) == "changed"
    notice = rows(archive, "notices")[0]
    assert notice["title"] == "新标题"
    assert notice["version_count"] == 2
    versions = sorted(rows(archive, "notice_versions"), key=lambda v: v["version"])
    directory = warc_dir(archive.path)
    assert [read_response(directory, Pointer.of_row(v)).body for v in versions] == [b"v1", b"v2"]
    assert json.loads(versions[1]["record_json"])["title"] == "新标题"


@pytest.mark.parametrize("flushed", [True, False], ids=["after-flush", "same-batch"])
def test_a_change_keeps_first_seen_beside_a_new_notice(archive, flushed):
    run = archive.start_run("zjczj", "zjczj")
    archive.store(record(), Capture(b"v1", fetched_at="2026-01-01T00:00:00Z"), run)
    if flushed:
        archive.flush()
    other = "http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_2.shtml"
    later = "2026-02-01T00:00:00Z"
    archive.store(record(title="新标题"), Capture(b"v2", fetched_at=later), run)
    archive.store(record(url=other), Capture(b"n", fetched_at=later), run)
    first_seen = {row["url"]: row["first_seen"] for row in rows(archive, "notices")}
    assert first_seen == {record().url: "2026-01-01T00:00:00Z", other: later}


def test_never_overwrites_a_good_field_with_empty(archive):
    run = archive.start_run("zjczj", "zjczj")
    archive.store(record(), Capture(b"v1"), run)
    archive.flush()
    assert archive.store(record(publisher=None), Capture(b"v2"), run) == "changed"
    assert rows(archive, "notices")[0]["publisher"] == "湛江市财政局"


def test_attachments_follow_the_latest_version(archive):
    run = archive.start_run("zjczj", "zjczj")
    archive.store(record(), Capture(b"v1"), run)
    archive.flush()
    two = [{"name": "a.pdf", "url": "http://x/a.pdf"}, {"name": "b.xls", "url": "http://x/b.xls"}]
    archive.store(record(attachments=two), Capture(b"v2"), run)
    names = [a["name"] for a in sorted(rows(archive, "attachments"), key=lambda a: a["position"])]
    assert names == ["a.pdf", "b.xls"]
    assert rows(archive, "notices")[0]["attachment_count"] == 2


def test_failure_rows_and_gone(archive):
    run = archive.start_run("zjczj", "zjczj")
    url = record().url
    archive.store(record(), Capture(b"v1"), run)
    archive.fail(run, url, "HTTP 404", status=404, site="zjczj")
    archive.fail(run, "http://x/other.shtml", "timeout", site="zjczj")
    finished = archive.finish_run(run, "finished")
    assert finished["failed"] == 2
    assert finished["gone"] == 1
    notice = rows(archive, "notices")[0]
    assert notice["status"] == "gone"
    assert notice["gone_since"]
    reasons = {f["url"]: f["reason"] for f in rows(archive, "fetch_failures")}
    assert reasons == {url: "HTTP 404", "http://x/other.shtml": "timeout"}


def test_reopened_archive_remembers_hashes(tmp_path):
    path = str(tmp_path / "a.db")
    first = Archive(path)
    first.store(record(), Capture(b"v1"), first.start_run("s"))
    first.close()
    second = Archive(path)
    assert second.store(record(), Capture(b"v1"), second.start_run("s")) == "unchanged"
    second.close()


def test_schema_has_wal_indexes_and_fts(tmp_path):
    path = str(tmp_path / "a.db")
    Archive(path).close()
    db = sqlite_utils.Database(path)
    assert db.journal_mode == "wal"
    indexed = {tuple(i.columns) for i in db["notices"].indexes}
    assert {("publish_date", "id"), ("category",)} <= indexed
    assert db["notices_fts"].exists()  # contentless: detect_fts() finds external-content ones only
    for table in (
        "sites",
        "notices",
        "notice_versions",
        "attachments",
        "crawl_runs",
        "fetch_failures",
    ):
        assert db[table].exists()


def test_a_new_archive_has_its_foreign_keys_as_an_upgraded_one_gets_them(tmp_path):
    """New tables are created with their foreign keys (schema._create_tables); an archive whose
    tables lack them (an older version's) gets them added, and both end with the same schema."""
    new = str(tmp_path / "new.db")
    Archive(new).close()
    old = sqlite_utils.Database(str(tmp_path / "old.db"))
    for name, (columns, pk) in schema.TABLES.items():
        old[name].create(columns, pk=pk)  # no foreign keys
    old.close()
    Archive(str(tmp_path / "old.db")).close()
    made = {}
    for path in (new, str(tmp_path / "old.db")):
        db = sqlite_utils.Database(path)
        for name, fks in schema.FOREIGN_KEYS.items():
            assert {
                (f.column, f.other_table, f.other_column) for f in db[name].foreign_keys
            } == set(fks)
        rows = db.execute("select type, name, sql from sqlite_master order by type, name")
        made[path] = rows.fetchall()
        db.close()
    assert made[new] == made[str(tmp_path / "old.db")]


def test_a_new_archive_has_16_kb_pages_and_an_older_one_keeps_its_own(tmp_path):
    """New archives get PAGE_SIZE pages (docs/benchmarks-log.md, 2026-12-06, second); one made
    with SQLite's 4 KB pages opens, is written and reads back as before, its pages unchanged."""
    new = str(tmp_path / "new.db")
    Archive(new).close()
    assert sqlite_utils.Database(new).execute("pragma page_size").fetchone()[0] == 16384
    old = str(tmp_path / "old.db")
    conn = sqlite_utils.Database(old)
    conn.execute("pragma page_size = 4096")
    conn.enable_wal()
    conn["notices"].insert({"id": "x"}, pk="id")  # the file exists, with 4 KB pages
    conn.close()
    arc = Archive(old)
    arc.store(record(), Capture(b"v1"), arc.start_run("s"))
    arc.close()
    db = sqlite_utils.Database(old)
    assert db.execute("pragma page_size").fetchone()[0] == 4096
    assert db.execute("pragma integrity_check").fetchone()[0] == "ok"
    assert db["notice_versions"].count == 1


def test_the_writer_keeps_statement_journals_in_memory(archive):
    """A batch's multi-row upsert changes hundreds of pages in one statement: its journal
    stays in memory instead of spilling to a temporary file (PRAGMA temp_store = 2)."""
    assert archive.db.execute("pragma temp_store").fetchone()[0] == 2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("HTTP://WWW.ZJCZJ.GOV.CN:80/a.shtml#top", "http://www.zjczj.gov.cn/a.shtml"),
        ("https://Example.gov.cn:443/x?id=1", "https://example.gov.cn/x?id=1"),
    ],
)
def test_canonical_url_and_stable_id(a, b):
    assert canonical_url(a) == b
    assert notice_id(a) == notice_id(b)
    assert len(notice_id(a)) == 16


def test_ids_differ_by_port():
    assert notice_id("http://127.0.0.1:8800/a") != notice_id("http://127.0.0.1:8801/a")
