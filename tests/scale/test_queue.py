"""The Redis-fed writer on a real Redis and a real SQLite file: a batch left in ``processing`` by
a killed writer is applied again without storing anything twice; messages cannot carry code;
one writer per queue."""

from __future__ import annotations

import pickle
import sqlite3

import pytest

from pipeline import queue
from pipeline.queue import ItemQueue, RedisWriter, WriterBusy, dumps, loads
from tests.conftest import FILES

URL = "http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_{}.shtml"


def page(n: int) -> dict:
    body = (
        (FILES / "trs_replica.html").read_bytes().replace(b"</body>", f"<p>{n}</p></body>".encode())
    )
    return {"url": URL.format(n), "site": "zjczj", "body": body, "status": 200, "run": "w1:zjczj"}


START = {"run": "w1:zjczj", "spider": "zjczj", "site": "zjczj", "args": {}, "sites": [], "pid": 1,
         "host": "elsewhere"}  # fmt: skip


def counts(db) -> tuple[int, int, int]:
    with sqlite3.connect(db) as conn:
        return tuple(
            conn.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("notices", "notice_versions", "crawl_runs")
        )


def test_a_batch_left_in_processing_is_applied_again_without_duplicates(tmp_path, redis_client):
    db = tmp_path / "archive.db"
    items = ItemQueue(redis_client)
    for verb, payload in (("start_run", START), ("page", page(1)), ("page", page(2))):
        items.push(verb, payload)
    assert RedisWriter(redis_client, str(db)).run(drain=True, idle_timeout=0.1) == 3
    assert counts(db) == (2, 2, 1)
    # A writer killed after its commit, before its acknowledgement: the batch is still there.
    for verb, payload in (("start_run", START), ("page", page(2))):
        redis_client.rpush("zwgk:items:processing", dumps(verb, payload))
    items.push("page", page(3))
    items.push("finish", {"run": "w1:zjczj", "finish_reason": "finished", "pages_fetched": 3})
    assert RedisWriter(redis_client, str(db)).run(drain=True, idle_timeout=0.1) == 4
    assert counts(db) == (3, 3, 1)
    with sqlite3.connect(db) as conn:
        host, reason, key = conn.execute(
            "select host, finish_reason, json_extract(args, '$.run_key') from crawl_runs"
        ).fetchone()
    assert (host, reason, key) == ("elsewhere", "finished", "w1:zjczj")
    assert redis_client.llen("zwgk:items") == redis_client.llen("zwgk:items:processing") == 0


class Payload:
    def __reduce__(self):
        return (print, ("ran",))


def test_a_message_cannot_carry_code():
    assert loads(dumps("page", {"body": b"x", "n": [1, 2.5, None]})) == (
        "page",
        {"body": b"x", "n": [1, 2.5, None]},
    )
    with pytest.raises(pickle.UnpicklingError, match="plain data only"):
        loads(pickle.dumps(("page", Payload())))


def test_a_second_writer_is_turned_away(tmp_path, redis_client, monkeypatch):
    monkeypatch.setattr(queue, "LOCK_MS", 300)
    redis_client.set("zwgk:writer", "another-host:4242", px=60_000)
    with pytest.raises(WriterBusy, match="another-host:4242"):
        RedisWriter(redis_client, str(tmp_path / "archive.db")).run(drain=True)


def test_a_page_a_worker_prepared_is_stored_without_extracting_again(
    tmp_path, redis_client, monkeypatch
):
    """The writer only stores what a worker extracted: with the extractor broken in the writer,
    a prepared page is still stored (and an unprepared one is a failed page, with the reason)."""
    from pipeline import ingest

    items = ItemQueue(redis_client)
    items.push("start_run", START)
    prepared = page(1)
    items.push("page", {**prepared, "prepared": ingest.prepared_of(prepared)})
    items.push("page", page(2))

    def broken(*args, **kwargs):
        raise RuntimeError("the writer extracted")

    monkeypatch.setattr(ingest, "read_page", broken)
    assert RedisWriter(redis_client, str(tmp_path / "archive.db")).run(drain=True) == 3
    with sqlite3.connect(tmp_path / "archive.db") as conn:
        urls = [row[0] for row in conn.execute("select url from notices")]
        failures = conn.execute("select url, reason from fetch_failures").fetchall()
    assert urls == [URL.format(1)]
    assert failures == [(URL.format(2), "extract error: RuntimeError: the writer extracted")]


def test_items_wait_for_a_flush_and_keep_their_order(redis_client):
    """A worker's items wait (``add``) until its next round trip carries them (``take`` into the
    same Redis pipeline, ahead of the acknowledgement); ``push`` sends what waits first, so
    every message of a worker keeps its order."""
    items = ItemQueue(redis_client)
    items.add("page", {"n": 1})
    items.add("page", {"n": 2})
    assert redis_client.llen("zwgk:items") == 0
    assert items.waiting == 2
    pipe = redis_client.pipeline(transaction=False)
    taken = items.take()
    assert len(taken) == 2
    pipe.rpush(items.key, *taken)
    pipe.hset("acked", "r1", 1)
    pipe.execute()
    items.add("page", {"n": 3})
    items.push("finish", {"n": 4})
    sent = [loads(m) for m in redis_client.lrange("zwgk:items", 0, -1)]
    assert sent == [
        ("page", {"n": 1}),
        ("page", {"n": 2}),
        ("page", {"n": 3}),
        ("finish", {"n": 4}),
    ]
    assert items.flush() == 0


def test_items_never_pile_up_without_an_acknowledgement(redis_client):
    items = ItemQueue(redis_client)
    for n in range(ItemQueue.WAITING):
        items.add("page", {"n": n})
    assert items.waiting == 0
    assert redis_client.llen("zwgk:items") == ItemQueue.WAITING
