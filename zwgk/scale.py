"""Scale-out on Redis from the command line: ``zwgk crawl --redis URL`` starts a worker,
``zwgk ingest --redis URL`` the one writer of the archive (docs/scale-out.md)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

#: ``zwgk ingest``'s exit code when another writer holds the queue (as a locked archive: 3).
EXIT_BUSY = 3


@dataclass
class WorkerResult:
    target: str
    stats: dict[str, Any]
    elapsed: float

    @property
    def finish_reason(self) -> str | None:
        return self.stats.get("finish_reason")

    @property
    def ok(self) -> bool:
        return self.finish_reason == "finished"

    def summary(self) -> str:
        stats = self.stats
        return (
            f"{self.target}: {stats.get('downloader/response_count', 0)} pages fetched, "
            f"{stats.get('zwgk/pages/queued', 0)} pages and {stats.get('zwgk/failures', 0)} "
            f"failures sent to the writer, {stats.get('zwgk/redis/requeued', 0)} requests taken "
            f"back from dead workers, {stats.get('zwgk/redis/held', 0)} held until gkmlpt's "
            f"catalogue was walked, {stats.get('zwgk/politeness/waits', 0)} waits for a busy "
            f"host, {self.elapsed:.1f} s, finish reason: {self.finish_reason}"
        )


def run_worker(
    targets: list[str] | None,
    redis_url: str,
    replica_url: str | None = None,
    log_level: str = "INFO",
    **settings: Any,
) -> list[WorkerResult]:
    """One worker process crawling ``targets`` through the shared queue at ``redis_url``."""
    from zwgk.crawl import run_process  # Scrapy: not imported by the writer (``zwgk ingest``)

    check_redis(redis_url)
    crawlers, elapsed = run_process(
        targets,
        ZWGK_REDIS_URL=redis_url,
        ZWGK_REPLICA_URL=replica_url,
        ZWGK_DB="",
        LOG_LEVEL=log_level,
        **settings,
    )
    return [WorkerResult(name, _stats(crawler), elapsed) for name, crawler in crawlers]


def _stats(crawler) -> dict[str, Any]:
    try:
        return crawler.stats.get_stats()
    except Exception:  # the spider never started (its from_crawler raised)
        return {}


def check_redis(url: str):
    """A client of ``url`` that answered PING; raises ConnectionError naming the URL."""
    import redis

    server = redis.Redis.from_url(url, socket_connect_timeout=5)
    try:
        server.ping()
    except redis.RedisError as exc:
        raise ConnectionError(f"Redis at {url} does not answer: {exc}") from None
    return server


def run_ingest(redis_url: str, db: str, prefix: str = "zwgk", drain: bool = False) -> int:
    """The archive's writer: apply the queue's messages to ``db`` until SIGTERM/SIGINT (or, with
    ``drain``, until the queue is empty); returns how many messages were applied."""
    from pipeline.queue import RedisWriter
    from pipeline.store.schema import open_db

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    server = check_redis(redis_url)
    open_db(db).close()  # create or upgrade the schema first, as a crawl does
    return RedisWriter(server, db, prefix).run(drain=drain)
