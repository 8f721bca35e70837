"""Shared test helpers: the real government pages, read in place (never copied into the repo).

``ZWGK_REALPAGES`` points at the directory of saved real pages (with its ``manifest.json``);
by default it is ``../shared/realpages`` next to the repository.
"""

from __future__ import annotations

import json
import os
import signal
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

REPO = Path(__file__).resolve().parent.parent
REALPAGES = Path(os.environ.get("ZWGK_REALPAGES", REPO.parent / "shared" / "realpages"))
FILES = REPO / "tests" / "files"


def realpage(name: str) -> bytes:
    """The raw bytes of a real page, or skip the test when the pages are not available."""
    path = REALPAGES / name
    if not path.is_file():
        pytest.skip(f"real pages not found at {REALPAGES}; set ZWGK_REALPAGES")
    return path.read_bytes()


def realpage_manifest() -> dict[str, dict]:
    """``manifest.json`` entries by file name ({} when the pages are not available)."""
    path = REALPAGES / "manifest.json"
    if not path.is_file():
        return {}
    return {entry["file"]: entry for entry in json.loads(path.read_text(encoding="utf-8"))}


def extract_json(*args, **kwargs) -> dict:
    """``extract_page`` as ``zwgk extract`` prints it: the record's JSON object."""
    from pipeline.extract import extract_page

    return extract_page(*args, **kwargs).to_dict()


_T = TypeVar("_T")


def wait_until(condition: Callable[[], _T], timeout: float, step: float = 0.02) -> _T:
    """Poll ``condition`` every ``step`` seconds until it holds or ``timeout`` passes: its last
    answer (the first true one, or the false one at the deadline)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answer = condition()
        if answer:
            return answer
        time.sleep(step)
    return condition()


@contextmanager
def held(pid: int, timeout: float = 10.0) -> Iterator[None]:
    """Process ``pid`` stopped (SIGSTOP) for the block, then continued.

    ``kill`` returns before the process has stopped: a thread asleep in ``read`` on a pipe is
    woken to stop, and the kernel looks for data before it looks at the signal, so a message
    sent at once could still be taken. Every thread is seen stopped (Linux ``/proc``) first;
    without ``/proc`` the test is skipped."""
    if not Path(f"/proc/{pid}/task").is_dir():
        pytest.skip("needs Linux /proc to see a process stopped before going on")
    os.kill(pid, signal.SIGSTOP)
    try:
        assert wait_until(lambda: _all_stopped(pid), timeout, step=0.005), (
            f"process {pid} did not stop in {timeout} s"
        )
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def _all_stopped(pid: int) -> bool:
    """Whether every thread of ``pid`` is stopped (one that ended meanwhile takes nothing)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            stat = (task / "stat").read_text()
        except FileNotFoundError:
            continue
        if stat[stat.rindex(")") + 2] not in "Tt":  # the state: the field after "(comm)"
            return False
    return True
