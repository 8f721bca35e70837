"""Attachment text read in a child process: a hostile file costs one attachment, not the writer.

The PDF reader (PDFium, ``pipeline.attachments.text.pdf_text``) is native code: a Python signal
cannot interrupt it (the in-process time cap, ``text.time_limit``, would wait for it) and a
crafted file could crash it, taking the archive's one writer down with it. ``TextReader`` keeps
one child process (``python -m pipeline.attachments.reader``, started on first use: a fresh
interpreter sharing no database handle with its parent, and possible from the writer, itself a
daemonic process) that reads files one at a time over a socket pair. The parent waits at most
``time_cap`` seconds for each:

* an answer: the child's ``TextResult``;
* no answer in time: the child is killed, the file recorded ``extraction took over N s``;
* the child died (a crash in native code): the file recorded ``the text reader crashed …``.

Either way the next file gets a new child. Types no reader handles here (an archive, an image,
a binary office file where no converter is installed) are answered in the parent without a
child. One message per file: the bytes go over a pipe (the
replica's PDFs are 2 KB; a 50 MB file costs one copy). The writer ``submit``-s a download and
takes its ``result`` when it writes its batch, so the child reads while the writer stores pages:
a round trip per file cost 0.8 ms of waiting (``python -m bench.attachments pdf``).
"""

from __future__ import annotations

import importlib
import logging
import signal
import socket
import subprocess
import sys
from collections import deque
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from pipeline.attachments.text import TIME_CAP, TextResult, can_read, extract_text
from pipeline.process_exit import exit_now

log = logging.getLogger(__name__)

#: Bytes of files sent and not yet answered: below what a pipe buffers, so a send never waits
#: for a child that is itself waiting to send a long text back (a deadlock). A bigger file goes
#: alone, when nothing else is in flight.
IN_FLIGHT_BYTES = 32 * 1024
SERVE = f"{__name__}:_serve"


@dataclass(frozen=True)
class Pending:
    """A file sent to the child, its text not collected yet (``TextReader.result``)."""

    number: int


class TextReader:
    """``read(data, mime, ext)`` like ``text.extract_text``, in a child process; or ``submit``
    now and take the ``result`` later, so the writer stores pages while the child reads."""

    def __init__(self, time_cap: float = TIME_CAP, serve: str = SERVE) -> None:
        self.time_cap = time_cap
        self.serve = serve  # the child's loop, ``module:function`` (tests: one that crashes)
        self._process: Any = None
        self._conn: Connection | None = None
        self._sent: deque[tuple[int, tuple]] = deque()  # in flight, oldest first
        self._done: dict[int, TextResult] = {}
        self._next = 0

    def read(self, data: bytes, mime: str | None, ext: str | None = None) -> TextResult:
        """The text of one file, or the reason there is none (never raises for a bad file)."""
        answer = self.submit(data, mime, ext)
        return answer if isinstance(answer, TextResult) else self.result(answer)

    def submit(self, data: bytes, mime: str | None, ext: str | None = None) -> TextResult | Pending:
        """Send a file to the child; types no reader handles are answered at once."""
        if not can_read(mime):
            return extract_text(data, mime, ext)  # the reason only: nothing is parsed
        while self._sent and self._in_flight() + len(data) > IN_FLIGHT_BYTES:
            self._collect()
        number, self._next = self._next, self._next + 1
        job = (number, (data, mime, ext))
        self._sent.append(job)
        self._send(job)
        return Pending(number)

    def result(self, pending: Pending) -> TextResult:
        """The answer for a submitted file (waits for it)."""
        while pending.number not in self._done:
            self._collect()
        return self._done.pop(pending.number)

    def close(self) -> None:
        """Stop the child (a new one starts if a file is sent again)."""
        if self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
        self._stop(grace=5.0)

    def __enter__(self) -> TextReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _in_flight(self) -> int:
        return sum(len(job[0]) for _, job in self._sent)

    def _send(self, job: tuple[int, tuple]) -> None:
        conn = self._start()
        try:
            conn.send(job[1])
        except OSError:  # the child is gone: found when its answer is awaited
            pass

    def _collect(self) -> None:
        """Take the oldest file's answer; a hung or dead child is replaced, and the files sent
        after the one it failed on go to the new child."""
        number, _ = self._sent[0]
        conn = self._start()
        try:
            if conn.poll(self.time_cap):
                answer = conn.recv()
            else:
                self._stop()
                answer = TextResult(None, f"extraction took over {self.time_cap:g} s")
        except (EOFError, OSError):  # the child died before or while answering
            code = self._stop()
            log.warning("attachment text reader died (exit code %s); restarting", code)
            answer = TextResult(None, f"the text reader crashed (exit code {code})")
        self._sent.popleft()
        self._done[number] = answer
        if self._conn is None:
            for job in self._sent:
                self._send(job)

    def _start(self) -> Connection:
        if self._conn is None:
            ours, theirs = socket.socketpair()
            with theirs:
                self._process = subprocess.Popen(
                    [sys.executable, "-m", __name__, str(theirs.fileno()), self.serve],
                    pass_fds=[theirs.fileno()],
                    stdin=subprocess.DEVNULL,
                )
            self._conn = Connection(ours.detach())
        return self._conn

    def _stop(self, grace: float = 0.0) -> int | None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if conn is not None:
            conn.close()
        if process is None:
            return None
        try:
            process.wait(grace)
        except subprocess.TimeoutExpired:
            pass
        if process.poll() is None:
            process.kill()
        return process.wait()


def _serve(conn: Connection) -> None:
    """The child: read files until told to stop (``None``) or the parent goes away."""
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        data, mime, ext = job
        conn.send(extract_text(data, mime, ext, time_cap=0))


def main(argv: list[str]) -> None:
    """The child: ``python -m pipeline.attachments.reader FD MODULE:FUNCTION``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is for the writer, which stops us
    module, _, function = argv[1].partition(":")
    serve = getattr(importlib.import_module(module), function)
    serve(Connection(int(argv[0])))
    exit_now()  # the writer closing the archive waits for this process's end


if __name__ == "__main__":
    main(sys.argv[1:])
