"""Linking the procurement projects after a crawl that changed a few announcements: only the
projects they touch, against every project (not a test).

    python -m bench.link ARCHIVE [--changed 1] [--rounds 5] [--workdir DIR]

``ARCHIVE``: an archive a default crawl made (``python -m bench.crawl_once full URL ARCHIVE
default`` against a ``python -m replica --scale N``). It is copied to ``--workdir`` (default: the
system's temporary directory; ``/dev/shm`` keeps the disk out) and opened by the archive writer.
Each round changes ``--changed`` tender announcements (their budget + 1 yuan, stored through
``Archive.store`` as a crawl would, so the writer notes their projects), writes the batch, and
times, in CPU seconds of this process, ``link_projects(changed_only=True)`` (the writer's
linking) and then ``link_projects()`` (every project: the baseline, what the writer did before);
after each round the two results must be the same rows (else it stops with an error). Prints
the best round of each and the ratio, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from pipeline.record import Record
from pipeline.store import Archive, Capture
from pipeline.store.link import link_projects, prepare

TENDERS = (
    "select v.record_json from procurement p join notices n on n.id = p.notice_id"
    " join notice_versions v on v.id = n.id || '-' || n.version_count"
    " where p.announcement_type = 'tender' order by p.notice_id limit ? offset ?"
)
SNAPSHOT = (
    "select * from procurement_projects order by id",
    "select notice_id, project_id, link from procurement order by notice_id",
    "select id, project_id from procurement_awards order by id",
    "select id, project_id from procurement_intents order by id",
)


def change(archive: Archive, count: int, offset: int) -> int:
    """Store ``count`` tender announcements again with a budget 1 yuan higher; returns how many."""
    rows = archive.db.execute(TENDERS, [count, offset]).fetchall()
    for (stored,) in rows:
        data = json.loads(stored)
        data["procurement"]["budget_amount"] = (data["procurement"]["budget_amount"] or 0) + 1
        archive.store(Record.from_dict(data), Capture(b"bench.link"), None)
    archive.flush()
    return len(rows)


def snapshot(archive: Archive) -> list[list[tuple]]:
    return [archive.db.execute(sql).fetchall() for sql in SNAPSHOT]


def cpu(call) -> tuple[float, int]:
    started = time.process_time()
    built = call()
    return time.process_time() - started, built


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("archive", help="an archive of a default crawl (copied, not changed)")
    parser.add_argument("--changed", type=int, default=1, help="announcements changed a round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workdir", default=None, help="where the copy goes (default: tmp)")
    args = parser.parse_args(argv)
    prepare()  # the rule catalog, as the writer loads it at its start
    with tempfile.TemporaryDirectory(dir=args.workdir) as work:
        copy = Path(work) / "archive.db"
        shutil.copy(args.archive, copy)
        archive = Archive(str(copy))
        counts = archive.db.execute(
            "select (select count(*) from procurement), (select count(*) from procurement_intents)"
        ).fetchone()
        link_projects(archive.db)  # whatever the copy held, a start from linked projects
        partial, whole = [], []
        for round_ in range(args.rounds):
            changed = change(archive, args.changed, round_ * args.changed)
            seconds, built = cpu(lambda: link_projects(archive.db, changed_only=True))
            partial.append(seconds)
            kept = snapshot(archive)
            seconds, projects = cpu(lambda: link_projects(archive.db))
            whole.append(seconds)
            if snapshot(archive) != kept:
                raise SystemExit(f"round {round_}: the partial rebuild differs from the whole one")
            print(
                f"round {round_ + 1}: {changed} changed, {built} of {projects} projects built:"
                f" {partial[-1]:.3f} s, every project {whole[-1]:.3f} s",
                file=sys.stderr,
            )
        archive.close()
    result = {
        "announcements": counts[0],
        "intent_items": counts[1],
        "projects": projects,
        "changed": args.changed,
        "partial_s": round(min(partial), 3),
        "whole_s": round(min(whole), 3),
        "ratio": round(min(whole) / min(partial), 2),
    }
    print(
        f"{counts[0]:,} announcements, {counts[1]:,} intent items, {projects:,} projects;"
        f" {args.changed} changed: {result['partial_s']} s against {result['whole_s']} s for"
        f" every project (×{result['ratio']}, best of {args.rounds})"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
