"""The procurement extractor against the replica's ground truth, over HTTP, field by field.

Every procurement announcement the replica (``/ccgp/``) serves is fetched with urllib from a
running ``ReplicaServer`` and extracted; each field of its ``procurement`` object must equal
the truth's. The replica renders its pages and writes its truth from the same data and imports
nothing from ``pipeline``, so this checks the extractor against an independent answer.
"""

from __future__ import annotations

import json
import urllib.request
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from pipeline.extract.procurement import FIELDS
from replica.server import ReplicaServer
from tests.conftest import extract_json

TYPES = {"intent", "tender", "correction", "award", "contract", "termination"}
Served = list[tuple[dict[str, Any], dict[str, Any]]]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:  # loopback only
        return response.read()


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    """(truth notice, extracted record) for every procurement notice of the replica."""
    server = ReplicaServer().start()
    try:
        base = f"http://{server.host}:{server.port}"
        truth = json.loads(fetch(f"{base}/__truth.json"))
        notices = [n for n in truth["notices"] if n["site"] == "ccgp"]  # gdgpo's are JSON
        yield [(n, extract_json(fetch(n["url"]), n["url"])) for n in notices]
    finally:
        server.stop()


def test_every_announcement_type_is_served(served: Served) -> None:
    kinds = Counter(truth["procurement"]["announcement_type"] for truth, _ in served)
    assert set(kinds) == TYPES, kinds
    assert len(served) > 100


def test_the_hard_cases_are_served(served: Served) -> None:
    """Conflicts, rate lots and several suppliers are in the truth: the comparison bites."""
    objects = [truth["procurement"] for truth, _ in served]
    assert any(obj["conflicts"] for obj in objects)
    assert any(award["rate"] is not None for obj in objects for award in obj["awards"])
    assert any(len(obj["award_suppliers"]) > 1 for obj in objects)
    assert any(obj["intent_items"] for obj in objects)


def test_every_page_is_a_procurement_record(served: Served) -> None:
    wrong = [truth["url"] for truth, record in served if record["kind"] != "procurement"]
    assert not wrong


@pytest.mark.parametrize("field", FIELDS)
def test_field_matches_truth(served: Served, field: str) -> None:
    wrong = [
        (truth["url"], truth["procurement"][field], (record["procurement"] or {}).get(field))
        for truth, record in served
        if (record["procurement"] or {}).get(field) != truth["procurement"][field]
    ]
    assert not wrong, f"{len(wrong)} of {len(served)} pages differ, first: {wrong[0]}"


def test_truth_has_exactly_the_contract_fields(served: Served) -> None:
    assert {tuple(truth["procurement"]) for truth, _ in served} == {FIELDS}
