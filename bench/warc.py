"""WARC capture: crawl throughput against the bare spider, and archive bytes per 1,000 notices.

    python -m bench.warc [--scale 3000] [--repeat 3] [--spider zjczj] [--before COMMIT]

In one run, on one replica, each round crawls the same pages three ways, one after another
(the bare crawl first in even rounds and last in odd ones, as ``bench.run`` orders its pairs):

* ``bare``: the spider with the same lists and detail pages, keeping nothing, no item pipeline
  and so no capture (``bench.crawl_once bare``: the baseline);
* ``full``: this tree, archiving with WARC capture (every exchange to WARC in the writer);
* ``before`` (with ``--before``): the code of COMMIT (``git archive``), which kept each version's
  body gzipped in ``notice_versions.raw_gzip`` and wrote no WARC.

Each throughput is pages/s (Scrapy's responses over the crawl's seconds) and the figure is the
median ratio to the bare crawl of the same round. Sizes: the archive of the last round of each
code, per 1,000 notices: the database (``dbstat``), the WARC files, and the ``before`` archive
once its raw captures were moved to WARC by this tree's repair (before and after ``VACUUM``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from bench.recheck import unpack
from bench.run import ROOT, start_replica
from bench.workdir import archives_kept, report_file_creation
from pipeline.warc import warc_dir


def crawl_once(mode: str, url: str, db: Path | None, spider: str, tree: Path = ROOT) -> dict:
    command = [sys.executable, "-m", "bench.crawl_once", mode, url, str(db or "-"), spider]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=True, env=env)
    return json.loads(out.stdout.strip().splitlines()[-1])


def sizes(db: Path) -> dict[str, float]:
    """Bytes per 1,000 notices: database pages, WARC files, and both."""
    with closing(sqlite3.connect(db)) as conn:
        notices = conn.execute("select count(*) from notices").fetchone()[0] or 1
        pages = conn.execute("select sum(pgsize) from dbstat").fetchone()[0]
    warc = sum(p.stat().st_size for p in warc_dir(db).glob("*")) if warc_dir(db).exists() else 0
    per = 1000 / notices
    return {
        "notices": notices,
        "db": pages * per,
        "warc": warc * per,
        "total": (pages + warc) * per,
    }


def migrated(db: Path) -> dict[str, dict[str, float]]:
    """A ``before`` archive moved to WARC by this tree's repair: sizes before and after VACUUM."""
    from pipeline.store.schema import open_db

    open_db(str(db)).close()
    out = {"moved": sizes(db)}
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("vacuum")
    out["moved + VACUUM"] = sizes(db)
    return out


def bench(scale: int, repeat: int, spider: str, before: str | None) -> dict:
    proc, url = start_replica(scale)
    results: dict[str, list[float]] = {"bare": [], "full": [], "before": []}
    ratios: dict[str, list[float]] = {"full": [], "before": []}
    cpu: dict[str, list[tuple[float, float]]] = {"bare": [], "full": [], "before": []}
    try:
        with archives_kept() as tmp_path:  # every archive kept until the end (bench.workdir)
            print(report_file_creation(tmp_path), file=sys.stderr)
            tree = unpack(before, tmp_path / "before") if before else None
            crawl_once("bare", url, None, spider)  # warm the replica's page cache
            kept: dict[str, dict] = {}
            for round_ in range(repeat):
                order = [("full", ROOT), ("before", tree)]
                # The bare crawl first in even rounds, last in odd ones: the machine's speed
                # drifts within minutes, and a fixed order would give one side the later minute.
                order = [("bare", None), *order] if round_ % 2 == 0 else [*order, ("bare", None)]
                runs: dict[str, dict] = {}
                for label, code in order:
                    if label == "bare":
                        runs["bare"] = crawl_once("bare", url, None, spider)
                        continue
                    if code is None:
                        continue
                    folder = tmp_path / f"{label}{round_}"
                    folder.mkdir()
                    runs[label] = crawl_once("full", url, folder / "archive.db", spider, code)
                    kept[label] = {"run": runs[label], "sizes": sizes(folder / "archive.db")}
                    if round_ == repeat - 1 and label == "before":
                        copy = tmp_path / "moved" / "archive.db"
                        copy.parent.mkdir()
                        shutil.copy(folder / "archive.db", copy)
                        kept["moved"] = migrated(copy)
                bare = runs["bare"]
                bare_pps = bare["pages"] / bare["seconds"]
                results["bare"].append(bare_pps)
                cpu["bare"].append(_cpu(bare))
                for label in ("full", "before"):
                    if label in runs:
                        pps = runs[label]["pages"] / runs[label]["seconds"]
                        results[label].append(pps)
                        ratios[label].append(pps / bare_pps)
                        cpu[label].append(_cpu(runs[label]))
    finally:
        proc.terminate()
        proc.wait()
    return {
        "pages": bare["pages"],
        "pps": {k: statistics.median(v) for k, v in results.items() if v},
        "ratio": {k: statistics.median(v) for k, v in ratios.items() if v},
        "ratios": ratios,
        "cpu_ms_per_page": {
            k: {
                "crawler": statistics.median(c for c, _ in v),
                "writer": statistics.median(w for _, w in v),
            }
            for k, v in cpu.items()
            if v
        },
        "kept": kept,
    }


def _cpu(run: dict) -> tuple[float, float]:
    """CPU milliseconds per page of the crawl process and of the archive writer."""
    pages = run["pages"] or 1
    return 1000 * run["crawler_cpu"] / pages, 1000 * run["writer_cpu"] / pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spider", default="zjczj")
    parser.add_argument("--before", help="commit of the code before WARC capture (baseline)")
    args = parser.parse_args(argv)
    print(json.dumps(bench(args.scale, args.repeat, args.spider, args.before), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
