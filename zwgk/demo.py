"""``zwgk demo``: replica sites → crawl → archive.db → Datasette, on one machine, offline."""

from __future__ import annotations

import time

import sqlite_utils


def demo(db: str, port: int, replica_port: int, serve_after: bool = True) -> int:
    from replica.server import ReplicaServer
    from zwgk.crawl import run_crawl
    from zwgk.serve import serve

    started = time.monotonic()
    try:
        server = ReplicaServer(port=replica_port).start()
    except OSError as exc:
        print(
            f"zwgk demo: cannot start the replica on port {replica_port}: {exc}; "
            "pass --replica-port N"
        )
        return 1
    try:
        print(f"replica sites at {server.base_url}/ ; crawling into {db} …", flush=True)
        results = run_crawl(None, db, server.base_url, ZWGK_PROGRESS_INTERVAL=1)
        expected = len(server.truth()["notices"])
        archived = sqlite_utils.Database(db)["notices"].count
        print()
        for result in results:
            print(result.summary())
        print(
            f"archive {db}: {archived} notices (the replica publishes {expected}); "
            f"total {time.monotonic() - started:.1f} s"
        )
        if not serve_after:
            return 0 if archived >= expected else 1
        return serve(db, port)
    finally:
        server.stop()
