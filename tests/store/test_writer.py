"""The writer process: shared per archive, and never silent or stuck when it cannot write."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap

import pytest
import sqlite_utils

from pipeline.writer import Writer, WriterFailed
from tests.conftest import FILES, REPO, held, wait_until

PAGE = (FILES / "trs_replica.html").read_bytes()


def page(n: int) -> dict:
    url = f"http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_{n}.shtml"
    return {"url": url, "site": "zjczj", "status": 200, "body": PAGE}


def send_pages(writer: Writer, run: int, count: int) -> None:
    for n in range(count):
        writer.page(page(n), run)


def test_one_writer_per_archive_shared_by_runs(tmp_path):
    db = str(tmp_path / "a.db")
    first = Writer.acquire(db, in_process=True)
    second = Writer.acquire(db, in_process=True)
    assert first is second
    runs = [first.start_run(name, name) for name in ("zjczj", "ccgp")]
    first.page(page(1), runs[0])
    second.page(page(2), runs[1])
    second.page(page(3), runs[1])
    counts = [first.finish(run, "finished")["new"] for run in runs]
    first.release()
    second.release()
    assert counts == [1, 2]  # each run counts its own pages
    assert Writer.acquire(db, in_process=True) is not first  # the last release closed it


def test_a_full_archive_stops_the_writer_with_the_reason(tmp_path):
    db = str(tmp_path / "a.db")
    writer = Writer(db, max_bytes=300_000, batch=8)
    run = writer.start_run("zjczj", "zjczj")
    with pytest.raises(WriterFailed, match="database or disk is full"):
        send_pages(writer, run, 2000)  # far more than 300 kB of archive
    assert "database or disk is full" in writer.health()
    # and where, in the project's own code: the crawl's log has only this line
    assert re.search(r"\(at pipeline/[\w/]+\.py:\d+ in \w+\)$", writer.health())
    writer.close()
    assert not writer._proc.is_alive()
    assert writer._proc.exitcode == 3


def test_a_killed_writer_is_noticed_within_a_second(tmp_path):
    writer = Writer(str(tmp_path / "a.db"))
    run = writer.start_run("zjczj", "zjczj")
    assert writer.health() is None
    os.kill(writer._proc.pid, signal.SIGKILL)
    assert "SIGKILL" in wait_until(writer.health, 2.0)
    with pytest.raises(WriterFailed, match="SIGKILL"):
        writer.finish(run, "finished")
    writer.close()


def test_a_process_whose_writer_died_still_exits(tmp_path):
    """Pages queued to a dead writer must not keep the interpreter from exiting (the queue's
    feeder thread would wait on a pipe nobody reads)."""
    script = textwrap.dedent(
        f"""
        import os, signal, sys
        sys.path.insert(0, {str(REPO)!r})
        from pipeline.writer import Writer, WriterFailed
        writer = Writer({str(tmp_path / "a.db")!r}, batch=1)
        run = writer.start_run("zjczj", "zjczj")
        os.kill(writer._proc.pid, signal.SIGKILL)
        body = b"x" * 1_000_000
        try:
            for n in range(100):
                writer.page({{"url": f"http://x/{{n}}", "site": "zjczj", "body": body}}, run)
        except WriterFailed as exc:
            print("failed:", exc)
        writer.close()
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "failed: the archive writer process was killed (SIGKILL)" in done.stdout


def test_a_process_that_exits_without_closing_its_writer_exits_and_keeps_the_pages(tmp_path):
    """A forced shutdown (a second Ctrl-C) leaves the spiders' writer open. The process must
    still exit (multiprocessing's exit handler used to SIGTERM the writer, which ignores it,
    and wait for it for ever) and the pages already sent, or queued, are stored."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(REPO)!r})
        from pipeline.writer import Writer
        from tests.store.test_writer import send_pages
        writer = Writer.acquire({str(tmp_path / "a.db")!r})
        run = writer.start_run("zjczj", "zjczj")
        send_pages(writer, run, 40)  # one batch of 32 sent, 8 pages still queued here
        print("leaving", flush=True)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "closing the archive writer" in done.stderr
    assert sqlite_utils.Database(tmp_path / "a.db")["notices"].count == 40


def test_release_of_a_working_writer_stores_everything(tmp_path):
    db = str(tmp_path / "a.db")
    writer = Writer.acquire(db)
    run = writer.start_run("zjczj", "zjczj")
    send_pages(writer, run, 50)
    assert writer.finish(run, "finished")["new"] == 50
    writer.release()
    assert not writer._proc.is_alive()
    assert writer._proc.exitcode == 0  # ended by exit_now, after the archive closed
    assert not (tmp_path / "a.db-wal").exists()  # closed: the log checkpointed and removed
    assert sqlite_utils.Database(db)["notices"].count == 50


def test_writer_profile_covers_every_page(tmp_path, monkeypatch):
    import pstats

    profile = tmp_path / "writer.prof"
    monkeypatch.setenv("ZWGK_WRITER_PROFILE", str(profile))
    writer = Writer(str(tmp_path / "a.db"))
    run = writer.start_run("zjczj", "zjczj")
    send_pages(writer, run, 5)
    writer.finish(run, "finished")
    writer.close()
    stats = pstats.Stats(str(profile)).stats
    calls = {func[2]: entry[1] for func, entry in stats.items()}
    assert calls["ingest_page"] == 5


def test_attachments_and_304s_ride_in_the_page_batch_in_order(tmp_path):
    from pipeline.writer import BATCH_BYTES, Batched
    from replica import files

    writer = Writer(str(tmp_path / "archive.db"), batch=4)
    sent: list[tuple] = []
    real_put = writer._put
    writer._put = lambda message: (sent.append(message), real_put(message))
    run = writer.start_run("zjczj", "zjczj")
    sent.clear()
    pdf = files.content("附件.pdf", "k", "部门预算")
    writer.page({**page(1), "attachments": []}, run)
    writer.attachment({"url": "http://www.zjczj.gov.cn/a.pdf", "status": 200, "body": pdf})
    writer.not_modified(page(2)["url"], run)
    assert sent == []  # three entries: still queued, no message of their own
    writer.page(page(3), run)
    assert [m[0] for m in sent] == ["pages"]
    entries = sent[0][1]
    assert [type(e).__name__ for e in entries] == ["dict", "Batched", "Batched", "dict"]
    assert [e.verb for e in entries if isinstance(e, Batched)] == ["attachment", "not_modified"]
    big = {"url": "http://www.zjczj.gov.cn/b.pdf", "status": 200, "body": bytes(BATCH_BYTES)}
    writer.attachment(big)  # over the byte bound: goes at once, alone
    assert len(sent) == 2
    assert len(sent[1][1]) == 1
    assert writer.finish(run, "finished")["new"] == 2
    writer.close()


def test_the_writer_process_does_not_run_the_parents_main_module(tmp_path):
    """A crawl started by Scrapy's or Scrapyd's command line has a main module that imports
    Scrapy and every spider; the writer child must not import it again (time and memory)."""
    log = tmp_path / "imports.log"
    script = tmp_path / "crawl_main.py"
    script.write_text(
        textwrap.dedent(f"""
            import sys
            sys.path.insert(0, {str(REPO)!r})
            with open({str(log)!r}, "a") as out:
                out.write(__name__ + "\\n")
            if __name__ == "__main__":
                from pipeline.writer import Writer
                writer = Writer({str(tmp_path / "a.db")!r})
                run = writer.start_run("zjczj", "zjczj")
                print(writer.finish(run, "finished")["new"])
                writer.close()
                print("main module still", sys.modules["__main__"].__file__)
        """),
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["0", f"main module still {script}"]
    assert log.read_text().split() == ["__main__"]  # not "__mp_main__" as well


def test_answers_owed_come_in_order_and_a_health_check_does_not_take_them(tmp_path):
    """Two runs finish without waiting while the writer is held stopped; the health checks the
    crawl makes meanwhile neither wait nor mistake an answer for a stray message."""
    writer = Writer(str(tmp_path / "a.db"), batch=4)
    runs = [writer.start_run(name, name) for name in ("zjczj", "ccgp")]
    send_pages(writer, runs[0], 3)
    writer.page(page(10), runs[1])
    with held(writer._proc.pid):
        replies = [writer.finishing(run, "finished") for run in runs]
        assert writer.health() is None
        assert not any(writer.answered(reply) for reply in replies)
    assert wait_until(lambda: writer.health() is None and replies[1].done, 10)
    assert [(r.value["id"], r.value["new"]) for r in replies] == [(runs[0], 3), (runs[1], 1)]
    assert writer.health() is None
    writer.close()


def test_only_the_last_user_of_a_shared_writer_links_projects(tmp_path, monkeypatch):
    from pipeline.store import archive as archive_module

    asked = []
    real = archive_module.Archive.finish_run

    def finish_run(self, run_id, finish_reason, **details):
        asked.append(details["link"])
        return real(self, run_id, finish_reason, **details)

    monkeypatch.setattr(archive_module.Archive, "finish_run", finish_run)
    db = str(tmp_path / "a.db")
    users = [Writer.acquire(db, in_process=True) for _ in range(3)]
    # A user that opens no run (a crawl's WARC capture) is not waited for: the last run links.
    capture = Writer.acquire(db, in_process=True, finishes=False)
    runs = [users[0].start_run(name, name) for name in ("zjczj", "ccgp", "gdgpo")]
    for user, run in zip(users, runs, strict=True):
        user.finish(run, "finished")
    for user in [*users, capture]:
        user.release()
    assert asked == [False, False, True]
    alone = Writer(str(tmp_path / "b.db"), in_process=True)  # not shared: links every run
    alone.finish(alone.start_run("zjczj", "zjczj"), "finished")
    alone.close()
    assert asked[-1] is True


def test_the_crawls_writer_checkpoints_in_the_background(tmp_path):
    """The writer process copies its log into the database file long before SQLite's own rule
    (1,000 pages of log) would: a thread of its own does it after each commit."""
    from tests.store.test_checkpoint import _whole_in_database_file

    db = tmp_path / "a.db"
    writer = Writer(str(db), batch=8)
    run = writer.start_run("zjczj", "zjczj")
    send_pages(writer, run, 20)
    writer.finish(run, "finished")  # answered once the pages are committed
    assert wait_until(lambda: _whole_in_database_file(db) == 20, 10)
    writer.close()
    assert sqlite_utils.Database(db)["notices"].count == 20


def test_the_inbox_reads_ahead_of_a_busy_writer():
    """Messages the writer has not come to yet leave the pipe anyway (up to the inbox's depth):
    the sender is not held up by a writer busy with one batch. A 64 KiB pipe, 6 messages of
    60 KB each: without reading ahead the sender waits after the first."""
    import multiprocessing
    import threading

    from pipeline.writer import _Inbox

    reader, sender = multiprocessing.Pipe(duplex=False)
    inbox = _Inbox(reader, depth=8)
    sent = threading.Thread(
        target=lambda: [sender.send(("pages", [n, b"x" * 60_000])) for n in range(6)], daemon=True
    )
    sent.start()
    sent.join(timeout=10)
    assert not sent.is_alive(), "the sender waited for a writer that took no message"
    sender.close()  # the crawl is gone: what arrived whole comes first, then the end
    assert [inbox.next()[1][0] for _ in range(6)] == list(range(6))
    assert inbox.next() is None


@pytest.mark.skipif(
    sys.platform != "linux", reason="Linux: a 1 MiB pipe (held writer) and FIONREAD on it"
)
@pytest.mark.parametrize("handoff", [1024, 0])
def test_pages_sent_to_a_writer_behind_are_prepared_by_the_sender(tmp_path, handoff):
    """The hand-off: a writer held (SIGSTOP) leaves the first batch in the pipe, so the sender
    extracts the next batch's pages itself; every page is stored either way, the same."""
    db = str(tmp_path / "a.db")
    writer = Writer(db, batch=20, handoff=handoff)  # one 4 KB body in a batch (pickle's memo)
    run = writer.start_run("zjczj", "zjczj")
    sent: list[tuple] = []
    real_put = writer._put
    writer._put = lambda message: (sent.append(message), real_put(message))
    with held(writer._proc.pid):
        send_pages(writer, run, 40)  # two batches; the first stays in the pipe
    assert writer.finish(run, "finished")["new"] == 40
    writer.close()
    first, second = (message[1] for message in sent[:2])
    assert not any("prepared" in entry for entry in first)
    expected = 20 if handoff else 0
    assert sum("record" in entry.get("prepared", {}) for entry in second) == expected
    assert writer.prepared == expected
    rows = sqlite_utils.Database(db).execute("select url, title, body_text from notices")
    texts = {url: (title, body) for url, title, body in rows}
    assert len(texts) == 40
    assert len({*texts.values()}) == 1  # one page, sent 40 times: prepared or not, one record


def test_a_message_cut_off_by_the_crawls_death_ends_the_inbox():
    import multiprocessing
    import struct

    from pipeline.writer import _Inbox

    reader, sender = multiprocessing.Pipe(duplex=False)
    inbox = _Inbox(reader)
    sender.send(("pages", [1]))
    os.write(sender.fileno(), struct.pack("!i", 1000) + b"only part")  # a send cut off by a kill
    sender.close()
    assert inbox.next() == ("pages", [1])
    assert inbox.next() is None
