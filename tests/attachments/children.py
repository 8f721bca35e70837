"""Child loops for ``TextReader`` tests: the real one, except for files that crash or hang it
(a crash in PDFium's native code, a file it never finishes)."""

from __future__ import annotations

import os
import signal
import time
from multiprocessing.connection import Connection

from pipeline.attachments.text import extract_text

CRASH = b"%PDF-1.7 crash"
HANG = b"%PDF-1.7 hang"


def faulty(conn: Connection) -> None:
    while True:
        group = conn.recv()
        if group is None:
            return
        answers = []
        for data, mime, ext in group:
            if data == CRASH:
                os.kill(os.getpid(), signal.SIGSEGV)
            if data == HANG:
                time.sleep(30)  # bounded; the reader kills the child long before
            answers.append(extract_text(data, mime, ext, time_cap=0))
        conn.send(answers)
