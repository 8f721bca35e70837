"""Fixtures for the replica's own tests: a started server and its truth (no pipeline, no crawler)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from replica import ReplicaServer


@pytest.fixture(scope="package")
def server() -> Iterator[ReplicaServer]:
    """A healthy replica at the default scale on a free loopback port."""
    with ReplicaServer() as running:
        yield running


@pytest.fixture(scope="package")
def full_truth(server: ReplicaServer) -> dict:
    """The whole truth: both sites."""
    return get_json(server.base_url + "/__truth.json")


@pytest.fixture(scope="package")
def truth(full_truth: dict) -> dict:
    """The bureau's part of the truth (the procurement site has its own tests)."""
    return bureau_only(full_truth)


def bureau_only(document: dict) -> dict:
    """A truth document cut down to the bureau site: its notices and its ``sites`` entry."""
    return {
        "notices": [n for n in document["notices"] if n["site"] == "zjczj"],
        "procurement_projects": [],
        "expected_findings": document["expected_findings"],
        "sites": [s for s in document["sites"] if s["name"] == "zjczj"],
    }


def procurement_only(document: dict) -> dict:
    """A truth document cut down to the procurement site (``ccgp``)."""
    return {
        "notices": [n for n in document["notices"] if n["site"] == "ccgp"],
        "procurement_projects": document["procurement_projects"],
        "expected_findings": document["expected_findings"],
        "sites": [s for s in document["sites"] if s["name"] == "ccgp"],
    }


@pytest.fixture(scope="package")
def ccgp_truth(full_truth: dict) -> dict:
    """The procurement site's part of the healthy server's truth."""
    return procurement_only(full_truth)


def fetch(url: str, timeout: float = 30, headers: dict | None = None) -> tuple[int, dict, bytes]:
    """Status, headers and body of a GET, error statuses included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, dict(error.headers), error.read()


def get_json(url: str) -> dict:
    status, _, body = fetch(url)
    assert status == 200, url
    return json.loads(body)
