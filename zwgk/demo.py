"""``zwgk demo``: replica sites → crawl → archive.db → Datasette, on one machine, offline."""

from __future__ import annotations

import datetime as dt
import sys
import time

import sqlite_utils


def demo(db: str, port: int, replica_port: int, serve_after: bool = True) -> int:
    """Crawl the replica into ``db``, then serve it (while the replica keeps running)."""
    from replica.server import ReplicaServer
    from zwgk.serve import listen_problem, serve

    problem = serve_after and listen_problem("127.0.0.1", port)
    if problem:
        return fail(f"{problem}; pass --port N")
    try:
        server = ReplicaServer(port=replica_port).start()
    except OSError as exc:
        reason = exc.strerror or exc
        return fail(f"cannot start the replica on port {replica_port}: {reason}; "
                    "pass --replica-port N")  # fmt: skip
    try:
        complete = build(db, server)
        return serve(db, port) if serve_after else (0 if complete else 1)
    finally:
        server.stop()


#: What the demo crawls: the platforms 湛江 publishes on today (three bureaus of the Guangdong
#: site group, the provincial procurement platform), and the older CMS families' replicas.
TARGETS = ("gdsite:zhanjiang", "gdsite:zs-czj", "gdsite:jiangmen", "gdgpo", "zjczj", "ccgp")
CITY_REGION = "4408"  # gdgpo: 湛江's regionCode prefix (the spider's default region)


def expected_notices(truth: dict) -> int:
    """The replica notices the demo's crawl should archive (the 肇庆 site and other cities'
    procurement are there for tests, not crawled by the demo)."""
    sites = {target.partition(":")[2] or target for target in TARGETS}
    return sum(
        1
        for n in truth["notices"]
        if n["site"] in sites and n.get("region_code", CITY_REGION).startswith(CITY_REGION)
    )


def build(db: str, server) -> bool:
    """Crawl the running replica into ``db``; print the summary; True if every notice is in."""
    from zwgk.crawl import run_crawl

    started = time.monotonic()
    print(f"replica sites at {server.base_url}/ ; crawling into {db} …", flush=True)
    results = run_crawl(list(TARGETS), db, server.base_url, ZWGK_PROGRESS_INTERVAL=1)
    truth = server.truth()
    expected = expected_notices(truth)
    archived = notice_count(db)
    print()
    for result in results:
        print(result.summary())
    print(compliance(db, check_date(truth)))
    elapsed = time.monotonic() - started
    print(f"archive {db}: {archived} notices (the replica publishes {expected}); "
          f"total {elapsed:.1f} s")  # fmt: skip
    return archived >= expected


def check_date(truth: dict) -> dt.date:
    """The replica's own "today": its sites are a snapshot of that day, so the demo checks
    deadlines as of it (a later date would only turn a few not-yet-due items missing)."""
    day = truth.get("compliance_as_of")
    return dt.date.fromisoformat(day) if day else dt.date.today()


def compliance(db: str, as_of: dt.date) -> str:
    """Run the compliance check into ``db``; one line with the counts by verdict."""
    from pipeline.compliance import checker
    from pipeline.compliance.findings import VERDICTS
    from pipeline.store.schema import open_db

    result = checker.run(open_db(db), as_of=as_of)
    counts = result.by_verdict()
    words = ", ".join(f"{counts.get(v, 0)} {v}" for v in VERDICTS)
    return (f"compliance check as of {as_of}: {len(result.rows)} findings ({words}); "
            "details: zwgk check, or /-/compliance")  # fmt: skip


def notice_count(db: str) -> int:
    database = sqlite_utils.Database(db)
    return database["notices"].count if database["notices"].exists() else 0


def fail(message: str) -> int:
    print(f"zwgk demo: {message}", file=sys.stderr)
    return 1
