"""The record contract is the one list of fields: the schema matches it, a new field flows."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields

import pytest
import sqlite_utils

from pipeline.record import (
    Attachment,
    Award,
    IntentItem,
    Procurement,
    Record,
    column_fields,
    content_fields,
    contract,
)
from pipeline.store import Archive, Capture, content_hash
from pipeline.store.columns import column_types
from pipeline.store.coverage import Coverage
from pipeline.store.schema import (
    ATTACHMENTS,
    NOTICES,
    PROCUREMENT,
    PROCUREMENT_AWARDS,
    PROCUREMENT_INTENTS,
)
from tests.store.test_archive import record

STORED_IN = [
    (Record, NOTICES, column_fields(Record)),
    (Procurement, PROCUREMENT, column_fields(Procurement)),
    (Attachment, ATTACHMENTS, tuple(f.name for f in fields(Attachment))),
    (Award, PROCUREMENT_AWARDS, tuple(f.name for f in fields(Award))),
    (IntentItem, PROCUREMENT_INTENTS, tuple(f.name for f in fields(IntentItem))),
]


@pytest.mark.parametrize(
    ("cls", "table", "names"), STORED_IN, ids=lambda v: getattr(v, "__name__", "")
)
def test_the_schema_has_every_stored_field_of_the_contract(cls, table, names):
    assert names
    missing = [n for n in names if n not in table]
    assert not missing, f"{cls.__name__}: no column for {missing}"


@pytest.mark.parametrize("cls", [Record, Procurement])
def test_column_types_match_the_annotations(cls):
    declared = NOTICES if cls is Record else PROCUREMENT
    for name, kind in column_types(cls).items():
        assert declared[name] is kind, name


def test_the_notice_content_is_the_contract_content():
    assert content_fields(Record) == (
        "kind", "category", "title", "publish_date", "publish_time", "publisher", "author",
        "doc_number", "index_number", "doc_date", "body_text", "attachments", "procurement",
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class WithFiscalYear(Record):
    """A record with one more field, declared only here."""

    fiscal_year: int | None = contract(content=True, column=True)


def test_a_field_added_to_the_dataclass_flows_to_the_stored_row(tmp_path):
    path = tmp_path / "a.db"
    archive = Archive(str(path))
    run = archive.start_run("zjczj", "zjczj")
    base = record().to_dict()
    first = WithFiscalYear.from_dict({**base, "fiscal_year": 2026})
    assert archive.store(first, Capture(b"v1"), run) == "new"
    second = WithFiscalYear.from_dict({**base, "fiscal_year": 2027})
    assert content_hash(second) != content_hash(first)  # part of the content: a new version
    assert archive.store(second, Capture(b"v2"), run) == "changed"
    archive.finish_run(run, "finished")
    archive.close()
    db = sqlite_utils.Database(path)
    assert [r["fiscal_year"] for r in db["notices"].rows] == [2027]
    stored = [json.loads(v["record_json"])["fiscal_year"] for v in db["notice_versions"].rows]
    assert sorted(stored) == [2026, 2027]


def test_json_round_trip():
    proc = Procurement(
        announcement_type="award",
        awards=(Award(lot="1", supplier="甲公司", amount=1.5),),
        experts=("张华",),
    )
    original = record(procurement=proc.to_dict())
    assert Record.from_dict(original.to_dict()) == original
    assert original.procurement == proc


def test_coverage_counts_null_fields_per_run(tmp_path):
    archive = Archive(str(tmp_path / "a.db"))
    run = archive.start_run("zjczj", "zjczj")
    archive.store(record(), Capture(b"x"), run)
    archive.store(record(url="http://x/2", title=None, publish_date=None), Capture(b"y"), run)
    nulls = json.loads(archive.finish_run(run, "finished")["field_nulls"])
    archive.close()
    assert nulls["records"] == 2
    assert (nulls["title"], nulls["publish_date"], nulls["author"]) == (1, 1, 2)
    assert "procurement.project_number" not in nulls  # no procurement page in this run


def test_coverage_counts_procurement_fields():
    coverage = Coverage()
    coverage.add(record(kind="procurement", procurement={"announcement_type": "tender"}))
    counts = coverage.as_dict()
    assert counts["procurement.records"] == 1
    assert counts["procurement.project_number"] == 1
