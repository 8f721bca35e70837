"""Record fields to table columns, read off the contract (``pipeline.record``).

The columns a record class fills are its fields marked ``column``; lists become JSON text. A
record class with a column the table lacks (a field added to the contract) gets it added the
first time the archive stores one: adding a stored field is adding it to the dataclass.
"""

from __future__ import annotations

import json
from dataclasses import fields
from functools import cache
from typing import Any

import sqlite_utils

from pipeline.record import column_fields, plain


@cache
def columns_of(cls: type) -> tuple[str, ...]:
    """The column fields of a record class, in contract order."""
    return column_fields(cls)


@cache
def column_types(cls: type) -> dict[str, type]:
    """SQLite-facing Python types of a record class's column fields (from the annotations)."""
    out: dict[str, type] = {}
    for spec in fields(cls):
        if spec.name in columns_of(cls):
            out[spec.name] = _sqlite_type(str(spec.type))
    return out


def _sqlite_type(annotation: str) -> type:
    """``float | None`` -> float, ``int`` -> int; text and tuples (stored as JSON) -> str."""
    if annotation.startswith("tuple"):
        return str
    words = set(annotation.replace("|", " ").split())
    return float if "float" in words else int if "int" in words else str


def column_value(value: Any) -> Any:
    """A field's value as stored: tuples (lists of names, nested records) as JSON text."""
    if isinstance(value, tuple):
        return json.dumps(plain(value), ensure_ascii=False)
    return value


def row_of(record: Any) -> dict[str, Any]:
    """The column values of one record (``notices`` for a Record, ``procurement`` for a
    Procurement)."""
    return {name: column_value(getattr(record, name)) for name in columns_of(type(record))}


def ensure_columns(db: sqlite_utils.Database, table: str, cls: type) -> None:
    """Add the columns ``cls`` fills that ``table`` lacks."""
    existing = set(db[table].columns_dict)
    for name, kind in column_types(cls).items():
        if name not in existing:
            db[table].add_column(name, kind)
