"""The ``compliance_findings`` table: one verdict per rule and subject, with its evidence.

The table is derived data, like ``procurement_projects``: ``zwgk check`` replaces it whole
(each check is one transaction, so a reader sees the old findings or the new ones, never a
mix). Columns (docs/compliance.md has the same table for users):

- ``rule_id``, ``rule_title`` (Chinese), ``legal_basis`` (law, document number, article),
  ``quote`` (the key phrase), ``severity``, ``needs_verification`` (1 while the article and
  wording are not checked against the official text);
- ``site``, ``subject_type`` (``document``, ``procurement_notice``, ``procurement_project``,
  ``report_year``, ``column``), ``subject`` (its key: a notice URL, a project number or
  ``purchaser|project name``, a year, a column name), ``subject_label`` (title, project name …),
  ``year`` (the subject's year, for charts);
- ``verdict`` (:data:`VERDICTS`), ``days_late`` (working or calendar days past the limit, as the
  rule counts; for a minimum interval the days it falls short), ``due_date`` (the limit: the
  latest allowed publication, or for a minimum interval the earliest allowed end);
- evidence: ``notice_id``, ``url``, ``capture`` (the ``notice_versions`` id of the version read,
  served raw at ``/-/raw/<capture>``), ``dates`` (JSON list of ``{field, label, value, source}``:
  each date used and where it came from), ``explanation`` (one sentence);
- ``as_of`` (the check's date), ``checked_at`` (when it ran, UTC).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import sqlite_utils

TABLE = "compliance_findings"
VERDICTS = ("on_time", "late", "missing", "not_yet_due", "undeterminable")

COLUMNS: dict[str, type] = {
    "id": str,
    "rule_id": str,
    "rule_title": str,
    "legal_basis": str,
    "quote": str,
    "severity": str,
    "needs_verification": int,
    "site": str,
    "subject_type": str,
    "subject": str,
    "subject_label": str,
    "year": int,
    "verdict": str,
    "days_late": int,
    "due_date": str,
    "notice_id": str,
    "url": str,
    "capture": str,
    "dates": str,
    "explanation": str,
    "as_of": str,
    "checked_at": str,
}

INDEXES = (["rule_id", "verdict"], ["site", "rule_id"], ["verdict"], ["notice_id"], ["year"])


def finding_id(rule_id: str, site: str, subject: str) -> str:
    """A stable id: the same rule and subject keep their id from one check to the next."""
    return hashlib.sha256(f"{rule_id}\x1f{site}\x1f{subject}".encode()).hexdigest()[:16]


def ensure(db: sqlite_utils.Database) -> None:
    """Create the table and its indexes (adding columns an older archive lacks)."""
    table = db[TABLE]
    if not table.exists():
        table.create(COLUMNS, pk="id")
    else:
        existing = set(table.columns_dict)
        for column, kind in COLUMNS.items():
            if column not in existing:
                table.add_column(column, kind)
    for columns in INDEXES:
        table.create_index(columns, if_not_exists=True)


def replace(db: sqlite_utils.Database, rows: Iterable[dict[str, Any]]) -> int:
    """Replace every finding by ``rows`` in one transaction; returns how many were written."""
    ensure(db)
    rows = list(rows)
    with db.conn:
        db.execute(f"delete from {TABLE}")  # noqa: S608 - constant table name
        if rows:
            db[TABLE].insert_all(rows, pk="id", batch_size=500)
    return len(rows)
