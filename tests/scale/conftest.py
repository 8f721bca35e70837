"""A real Redis for the scale-out tests: Debian's ``redis-server`` on a free loopback port with a
temporary directory, started per test module and stopped after it.

Without ``redis-server`` the tests skip and say why; with ``ZWGK_REQUIRE_REDIS=1`` (``.ci/run``)
they fail instead (``make test`` installs it with apt-get when it can).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import wait_until
from tests.integration.conftest import ROOT, free_port


def redis_server_binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        message = "redis-server is not installed (as root: make redis)"
        if os.environ.get("ZWGK_REQUIRE_REDIS", "0") not in ("", "0"):
            pytest.fail(message + "; ZWGK_REQUIRE_REDIS is set")
        pytest.skip(message)
    return binary


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory) -> Iterator[str]:
    binary = redis_server_binary()
    import redis

    port = free_port()
    folder = tmp_path_factory.mktemp("redis")
    proc = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)

    def answers() -> bool:
        try:
            return bool(client.ping())
        except redis.ConnectionError:
            return False

    try:
        assert wait_until(answers, 10), "redis-server did not start"
        yield url
    finally:
        client.close()
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def redis_client(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


def worker_command(redis_url: str, replica_url: str, *settings: str, spiders=("zjczj",)):
    command = [sys.executable, "-m", "zwgk", "crawl", *spiders, "--redis", redis_url]
    command += ["--replica-url", replica_url, "--log-level", "WARNING"]
    for setting in ("ZWGK_PROGRESS_INTERVAL=0", "ZWGK_REDIS_WORKER_TIMEOUT=3", *settings):
        command += ["-s", setting]
    return command


def start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def start_writer(redis_url: str, db: Path) -> subprocess.Popen:
    return start([sys.executable, "-m", "zwgk", "ingest", "--redis", redis_url, "--db", str(db)])


def drain(client, timeout: float = 120) -> bool:
    """Wait until the writer has stored every message (its queue and its batch are empty)."""
    return wait_until(
        lambda: client.llen("zwgk:items") == 0 and client.llen("zwgk:items:processing") == 0,
        timeout,
        step=0.2,
    )


def stop(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    """SIGTERM (a writer stops after its batch) and wait; returns code, stdout, stderr."""
    proc.terminate()
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err
