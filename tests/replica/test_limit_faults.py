"""The faults that test a crawler's limits: ``huge`` pages, ``gzip-bomb`` pages and
``offsite-redirect`` pages, on both sites — and the replica never holds their bodies."""

from __future__ import annotations

import gzip
import http.client
import io
import tracemalloc
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from replica import ReplicaServer, faults
from replica.faults import BOMB_BYTES, EFFECTS, HUGE_BYTES

FAULTS = ("huge", "gzip-bomb", "offsite-redirect")
CHUNK = 1 << 20


@pytest.fixture(scope="module")
def server():
    with ReplicaServer(scale=200, faults=FAULTS) as running:
        yield running


@pytest.fixture(scope="module")
def truth(server) -> dict:
    return server.truth()


def faulted(truth: dict, fault: str, site: str | None = None) -> list[dict]:
    notices = [n for n in truth["notices"] if n["fault"] == fault and site in (None, n["site"])]
    assert notices, fault
    return notices


@contextmanager
def opened(url: str, method: str = "GET") -> Iterator[http.client.HTTPResponse]:
    """A response whose body is not read yet (no redirect followed, no decompression)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.request(method, parts.path)
        yield connection.getresponse()
    finally:
        connection.close()


def read_all(response: http.client.HTTPResponse) -> tuple[int, bytes, bytes]:
    """Length, first and last bytes of a body read 1 MB at a time."""
    size, first, last = 0, b"", b""
    while chunk := response.read(CHUNK):
        first = first or chunk[:200]
        last = (last + chunk)[-200:]
        size += len(chunk)
    return size, first, last


@pytest.mark.parametrize(
    ("fault", "status", "reason"),
    [("huge", None, "too large"), ("gzip-bomb", None, "too large"),
     ("offsite-redirect", 302, "offsite redirect")],
)  # fmt: skip
def test_the_truth_expects_a_failure_with_its_reason(truth, fault, status, reason):
    assert EFFECTS[fault] == {"expect": "failed", "status": status, "reason": reason}
    for notice in faulted(truth, fault):
        assert (notice["expect"], notice["status"], notice["reason"]) == ("failed", status, reason)


@pytest.mark.parametrize("site", ["zjczj", "ccgp"])
def test_huge_pages_are_50_mb_with_and_without_content_length(truth, site):
    lengths = []
    for notice in faulted(truth, "huge", site):
        with opened(notice["url"]) as response:
            assert response.status == 200
            assert response.getheader("Content-Type").startswith("text/html")
            announced = response.getheader("Content-Length")
            size, first, last = read_all(response)
        assert HUGE_BYTES < size < HUGE_BYTES + 200_000
        assert first.lstrip().lower().startswith((b"<!doctype html", b"<html"))
        assert last.rstrip().endswith(b"</html>")
        if announced is None:
            assert response.getheader("Connection") == "close"
        else:
            assert int(announced) == size
        lengths.append(announced)
    assert None in lengths
    assert any(length is not None for length in lengths)


def test_a_head_request_announces_the_huge_length(truth):
    lengths = []
    for notice in faulted(truth, "huge", "zjczj"):
        with opened(notice["url"], "HEAD") as response:
            lengths.append(response.getheader("Content-Length"))
            assert response.read() == b""
    assert any(length and int(length) > HUGE_BYTES for length in lengths)


@pytest.mark.parametrize("site", ["zjczj", "ccgp"])
def test_gzip_bombs_are_small_on_the_wire_and_inflate_to_150_mb(truth, site):
    for notice in faulted(truth, "gzip-bomb", site):
        with opened(notice["url"]) as response:
            assert response.status == 200
            assert response.getheader("Content-Encoding") == "gzip"
            body = response.read()
        assert len(body) < 1_000_000
        inflater = zlib.decompressobj(wbits=31)
        head = inflater.decompress(body, CHUNK)
        size, tail = len(head), head
        while inflater.unconsumed_tail:
            tail = inflater.decompress(inflater.unconsumed_tail, CHUNK)
            size += len(tail)
        assert inflater.eof
        assert size > BOMB_BYTES
        assert head.lstrip().lower().startswith((b"<!doctype html", b"<html"))
        assert tail.rstrip().endswith(b"</html>")


def test_a_gzip_bomb_is_one_valid_gzip_member(truth):
    with opened(faulted(truth, "gzip-bomb")[0]["url"]) as response:
        body = response.read()
    reader = gzip.GzipFile(fileobj=io.BytesIO(body))  # checks the CRC and length at the end
    size = 0
    while chunk := reader.read1(CHUNK):
        size += len(chunk)
    assert size > BOMB_BYTES


@pytest.mark.parametrize("fault", ["huge", "gzip-bomb"])
def test_the_replica_never_holds_such_a_body(fault):
    with ReplicaServer(scale=200, faults=[fault]) as fresh:
        notice = faulted(fresh.truth(), fault)[0]
        faults._deflated_blanks.cache_clear()  # the bomb's blanks are deflated in the window
        tracemalloc.start()
        try:
            with opened(notice["url"]) as response:
                read_all(response)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert peak < 16 * CHUNK, f"peak {peak} bytes"


@pytest.mark.parametrize("site", ["zjczj", "ccgp"])
def test_offsite_redirects_point_to_the_same_path_on_another_port(server, truth, site):
    for notice in faulted(truth, "offsite-redirect", site):
        with opened(notice["url"]) as response:
            assert response.status == 302
            location = response.getheader("Location")
            response.read()
        here, there = urlsplit(notice["url"]), urlsplit(location)
        assert there.hostname == "127.0.0.1"
        assert there.port != here.port
        assert there.path == here.path
        assert location.startswith(server.offsite_url + "/")


def test_the_other_origin_answers_and_is_counted_apart(server, truth):
    before = server.stats()
    with opened(faulted(truth, "offsite-redirect")[0]["url"]) as redirect:
        location = redirect.getheader("Location")
    with opened(location) as response:
        assert response.status == 200
        assert "网站已迁移" in response.read().decode()
    after = server.stats()
    assert after["offsite_requests"] == before["offsite_requests"] + 1
    assert after["requests"] == before["requests"] + 1  # the redirect itself


def test_no_other_origin_without_the_fault():
    with ReplicaServer(scale=200, faults=["http404"]) as plain:
        assert plain.offsite_url is None
        assert plain.stats()["offsite_requests"] == 0
