"""The archive the researchers' views are tested on: a real crawl of the replica sites, then a
re-crawl that found some pages changed and some gone.

``crawled_archive`` crawls the replica's 湛江 finance bureau (zjczj: notices with 文号) and the
provincial procurement platform (gdgpo: award announcements with amounts) once per test session
(``zwgk crawl`` as a subprocess against ``python -m replica``), then stores, in a later run,
changed versions of ``CHANGED`` notices fetched after that run started, one changed version
fetched ``OLD_CHANGE_DAYS`` before it (outside "this week"), and 404s for ``GONE`` notices. Tests
get their own copy.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import sqlite_utils

from pipeline.record import Record
from pipeline.store import Archive, Capture
from tests.integration.conftest import crawl, running_replica

SPIDERS = ("zjczj", "gdgpo")
CHANGED = 3
GONE = 2
OLD_CHANGE_DAYS = 10


def _iso(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _changed(db: sqlite_utils.Database, notice_id: str) -> Record:
    """The stored record of a notice with one more paragraph: a new content."""
    row = db.execute(
        "select record_json from notice_versions where notice_id = ? order by version desc",
        [notice_id],
    ).fetchone()
    data = json.loads(row[0])
    data["body_text"] = (data.get("body_text") or "") + "\n（本文已更新 / updated）"
    return Record.from_dict(data)


def _recrawl(path: Path) -> None:
    """A later run of zjczj that found CHANGED + 1 pages changed and GONE pages gone."""
    db = sqlite_utils.Database(path)
    picked = [
        row[0]
        for row in db.execute(
            "select id from notices where site = 'zjczj' order by publish_date desc, id limit ?",
            [CHANGED + 1 + GONE],
        ).fetchall()
    ]
    records = [_changed(db, nid) for nid in picked[: CHANGED + 1]]
    gone = [db["notices"].get(nid)["url"] for nid in picked[CHANGED + 1 :]]
    db.close()
    archive = Archive(str(path))
    run = archive.start_run("zjczj", "zjczj")
    started = dt.datetime.strptime(
        archive.db["crawl_runs"].get(run)["started"], "%Y-%m-%dT%H:%M:%SZ"
    ).replace(tzinfo=dt.UTC)
    for minutes, record in enumerate(records[:CHANGED], start=1):
        capture = Capture(
            b"<html>changed</html>", fetched_at=_iso(started + dt.timedelta(minutes=minutes))
        )
        archive.store(record, capture, run)
    old = _iso(started - dt.timedelta(days=OLD_CHANGE_DAYS))
    archive.store(records[CHANGED], Capture(b"<html>old change</html>", fetched_at=old), run)
    for url in gone:
        archive.fail(run, url, "HTTP 404", status=404, site="zjczj")
    archive.finish_run(run, "finished")
    archive.close()


def crawled_archive(tmp_path_factory, name: str) -> Path:
    """A copy, named ``name``, of the session's crawled and re-crawled archive."""
    base = tmp_path_factory.getbasetemp() / "views-archive"
    source = base / "archive.db"
    if not (base / "done").exists():
        base.mkdir(exist_ok=True)
        with running_replica() as url:
            result = crawl(source, url, spiders=SPIDERS)
        assert result.returncode == 0, result.stderr[-2000:]
        _recrawl(source)
        (base / "done").touch()
    target = tmp_path_factory.mktemp(name) / f"{name}.db"
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)  # the WAL's pages included
    finally:
        src.close()
        dst.close()
    return target


def empty_archive(tmp_path_factory) -> Path:
    """An archive with its schema and nothing crawled."""
    path = tmp_path_factory.mktemp("empty") / "archive.db"
    Archive(str(path)).close()
    return path
