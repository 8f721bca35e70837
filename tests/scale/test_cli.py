"""``zwgk crawl --redis`` / ``--all-profiles`` and ``zwgk ingest``: bad input gets one clear line
and a meaningful exit code."""

from __future__ import annotations

import subprocess

import pytest

from tests.cli.support import zwgk as _run
from tests.integration.conftest import free_port


def zwgk(*args: str) -> subprocess.CompletedProcess:
    return _run(*args, timeout=120)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ingest", "--redis", "http://127.0.0.1:6379"), "expected redis://HOST:PORT/DB"),
        (("ingest",), "the following arguments are required: --redis"),
        (("crawl", "--redis", "localhost"), "expected redis://HOST:PORT/DB"),
        (("crawl", "zjczj", "--all-profiles"), "--all-profiles crawls every target"),
    ],
)
def test_usage_errors_exit_2(args, message):
    result = zwgk(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_redis_that_does_not_answer_is_named(tmp_path):
    url = f"redis://127.0.0.1:{free_port()}/0"
    for args in (
        ("crawl", "zjczj", "--redis", url),
        ("ingest", "--redis", url, "--db", str(tmp_path / "a.db")),
    ):
        result = zwgk(*args)
        assert result.returncode == 1
        assert f"Redis at {url} does not answer" in result.stderr


def test_help_explains_the_exit_codes():
    result = zwgk("ingest", "--help")
    assert result.returncode == 0
    assert "3 another writer holds the queue" in " ".join(result.stdout.split())
