"""Helpers for command-line tests: run ``python -m zwgk`` in its own session, never leak it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
#: A loopback URL nothing listens on: crawls that slip past validation still never leave the host.
NOWHERE = "http://127.0.0.1:9"


def zwgk(*args: str, timeout: float = TIMEOUT, env: dict | None = None):
    """Run ``python -m zwgk ARGS``; on timeout kill its whole process group, then raise."""
    command = [sys.executable, "-m", "zwgk", *args]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc, grace=1)
        raise
    return subprocess.CompletedProcess(command, proc.returncode, out, err)


def kill_group(proc: subprocess.Popen, grace: float = 10) -> None:
    """Stop the process group of ``proc`` (started with ``start_new_session=True``): SIGTERM,
    wait up to ``grace`` seconds for ``proc``, then SIGKILL whatever is left of the group."""
    signal_group(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass
    signal_group(proc.pid, signal.SIGKILL)
    proc.wait()


def signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
