"""Attachment text read in a child process: a hostile file costs one attachment, not the writer.

The PDF reader (PDFium, ``pipeline.attachments.text.pdf_text``) is native code: a Python signal
cannot interrupt it (the in-process time cap, ``text.time_limit``, would wait for it) and a
crafted file could crash it, taking the archive's one writer down with it. ``TextReader`` keeps
one child process (``python -m pipeline.attachments.reader``, started on first use: a fresh
interpreter sharing no database handle with its parent, and possible from the writer, itself a
daemonic process) that reads files over a socket pair, in groups: up to ``GROUP_FILES`` files or
``GROUP_BYTES`` bytes a message (a bigger file alone), sent when a group is full or an answer in
it is wanted, and answered in one message. The parent waits at most ``time_cap`` seconds for a
group's answers:

* the answers: the child's ``TextResult`` for each file;
* no answer in time, or the child died (a crash in native code): the child is killed. A group
  of one file is recorded ``extraction took over N s`` or ``the text reader crashed …``; a
  larger group goes back to the next child one file a group, so the failure costs only the file
  that caused it (the others are read again; the culprit fails again, alone).

Either way the next group gets a new child. Types no reader handles here (an archive, an image,
a binary office file where no converter is installed) are answered in the parent without a
child. The writer ``submit``-s a download and takes its ``result`` when it writes its batch.
The child runs on the writer's CPU, so a message costs the writer too: with one message each
way a file, parent and child spent 417 µs of CPU a file against 357 in groups, where reading it
in the parent alone takes 299 (``python -m bench.attachments reader``).
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
#: Files a message to the child: each message wakes it once (and the writer, sharing its CPU,
#: pays the switch), so files go in groups. The bytes of a group stay within half the in-flight
#: budget, so a group can be sent while the one before it is still being read.
GROUP_FILES = 16
GROUP_BYTES = IN_FLIGHT_BYTES // 2
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
        self._sent: deque[list[tuple[int, tuple]]] = deque()  # groups in flight, oldest first
        self._queued: list[tuple[int, tuple]] = []  # submitted, not sent yet (the next group)
        self._queued_bytes = 0
        self._done: dict[int, TextResult] = {}
        self._next = 0

    def read(self, data: bytes, mime: str | None, ext: str | None = None) -> TextResult:
        """The text of one file, or the reason there is none (never raises for a bad file)."""
        answer = self.submit(data, mime, ext)
        return answer if isinstance(answer, TextResult) else self.result(answer)

    def submit(self, data: bytes, mime: str | None, ext: str | None = None) -> TextResult | Pending:
        """Queue a file for the child (sent with the next group); types no reader handles are
        answered at once."""
        if not can_read(mime):
            return extract_text(data, mime, ext)  # the reason only: nothing is parsed
        if self._queued and self._queued_bytes + len(data) > GROUP_BYTES:
            self._send_queued()
        number, self._next = self._next, self._next + 1
        self._queued.append((number, (data, mime, ext)))
        self._queued_bytes += len(data)
        if len(self._queued) >= GROUP_FILES or self._queued_bytes >= GROUP_BYTES:
            self._send_queued()
        return Pending(number)

    def result(self, pending: Pending) -> TextResult:
        """The answer for a submitted file (waits for it)."""
        if self._queued and pending.number >= self._queued[0][0]:
            self._send_queued()
        while pending.number not in self._done:
            self._collect()
        return self._done.pop(pending.number)

    def close(self) -> None:
        """Stop the child (a new one starts if a file is sent again); files submitted and not
        sent are dropped: their answers were never asked for."""
        self._queued, self._queued_bytes = [], 0
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
        return sum(len(job[0]) for group in self._sent for _, job in group)

    def _send_queued(self) -> None:
        """Send the queued files as one group, once the answers in flight leave room for them
        (a group bigger than the budget, one big file, goes when nothing is in flight)."""
        group, self._queued, size, self._queued_bytes = self._queued, [], self._queued_bytes, 0
        while self._sent and self._in_flight() + size > IN_FLIGHT_BYTES:
            self._collect()
        self._sent.append(group)
        self._send(group)

    def _send(self, group: list[tuple[int, tuple]]) -> None:
        conn = self._start()
        try:
            conn.send([job for _, job in group])
        except OSError:  # the child is gone: found when its answer is awaited
            pass

    def _collect(self) -> None:
        """Take the oldest group's answers. A child that hangs (no answer within the time cap)
        or dies is replaced; a group of one file is then answered with that reason, a larger
        one goes back to the new child one file a group, so the failure costs only the file
        that caused it. The groups sent after it go to the new child too."""
        group = self._sent[0]
        conn = self._start()
        try:
            if conn.poll(self.time_cap):
                answers = conn.recv()
            else:
                self._stop()
                answers = [TextResult(None, f"extraction took over {self.time_cap:g} s")]
        except (EOFError, OSError):  # the child died before or while answering
            code = self._stop()
            log.warning("attachment text reader died (exit code %s); restarting", code)
            answers = [TextResult(None, f"the text reader crashed (exit code {code})")]
        self._sent.popleft()
        if len(answers) == len(group):
            numbers = [number for number, _ in group]
            self._done.update(zip(numbers, answers, strict=True))
        else:  # a failed group of several: each file again, alone
            self._sent.extendleft([job] for job in reversed(group))
        if self._conn is None:
            for later in self._sent:  # within the budget: they were in flight already
                self._send(later)

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
    """The child: read groups of files until told to stop (``None``) or the parent goes away;
    the answers of a group in one message, in order."""
    while True:
        try:
            group = conn.recv()
        except (EOFError, OSError):
            return
        if group is None:
            return
        conn.send([extract_text(data, mime, ext, time_cap=0) for data, mime, ext in group])


def main(argv: list[str]) -> None:
    """The child: ``python -m pipeline.attachments.reader FD MODULE:FUNCTION``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C is for the writer, which stops us
    module, _, function = argv[1].partition(":")
    serve = getattr(importlib.import_module(module), function)
    serve(Connection(int(argv[0])))
    exit_now()  # the writer closing the archive waits for this process's end


if __name__ == "__main__":
    main(sys.argv[1:])
