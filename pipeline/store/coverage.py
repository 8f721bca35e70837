"""Per-field coverage of a crawl run: of the pages extracted, how many left each field empty.

Counted by the writer for every record it extracts (new, changed, repaired or unchanged), kept
in ``crawl_runs.field_nulls`` as JSON (``{"records": 602, "title": 0, "publish_date": 3,
"procurement.project_number": 12, …}``) and in the crawl's stats (``zwgk/fields/title/null``):
the measure a monitor compares from run to run, since a site redesign shows first as a field
that turns null. The fields counted are the contract's optional scalars (``pipeline.record``).

Per column (the list a page was found in, else its category) the writer also counts the fields
the crawl monitors watch (``WATCHED``), as ``[nulls, pages]`` pairs in ``crawl_runs.column_nulls``
(``{"通知公告": {"title": [0, 90], …}, …}``): a redesign usually breaks one column's template
first, and the monitor names that column (crawler/monitors.py).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import fields
from functools import cache

from pipeline.record import Procurement, Record

#: Fields the crawl monitors watch per column: every page's, then procurement pages' (as
#: ``procurement.<field>``). A 采购意向 announcement lists plans, not a project: it carries no
#: 项目编号, so ``procurement.project_number`` counts the other announcement types only.
WATCHED = ("title", "publish_date", "body_text")
WATCHED_PROCUREMENT = ("project_number", "purchaser")
UNNUMBERED = frozenset({"intent"})


@cache
def nullable(cls: type) -> tuple[str, ...]:
    """The shown JSON fields of ``cls`` whose absence is ``None`` (optional scalars)."""
    return tuple(
        f.name
        for f in fields(cls)
        if f.name in cls.JSON
        and f.default is None
        and not f.metadata.get("nested")
        and not f.metadata.get("hidden")
    )


class Coverage:
    """Null counts per field over the records of one run."""

    def __init__(self) -> None:
        self.records = 0
        self.procurement_records = 0
        self.nulls: Counter[str] = Counter()
        self.columns: dict[str, dict[str, list[int]]] = {}

    def add(self, record: Record, column: str | None = None) -> None:
        """Count one extracted record; ``column`` is the list it was found in (else its
        category)."""
        self.records += 1
        self._add_watched(record, column or record.category or "")
        nulls = self.nulls
        for name in nullable(type(record)):
            if getattr(record, name) is None:
                nulls[name] += 1
        proc = record.procurement
        if proc is not None:
            self.procurement_records += 1
            for name in nullable(Procurement):
                if getattr(proc, name) is None:
                    nulls[f"procurement.{name}"] += 1

    def _add_watched(self, record: Record, column: str) -> None:
        counts = self.columns.setdefault(column, {})
        for name in WATCHED:
            _count(counts, name, getattr(record, name) is None)
        proc = record.procurement
        if proc is None:
            return
        for name in WATCHED_PROCUREMENT:
            if name == "project_number" and proc.announcement_type in UNNUMBERED:
                continue
            _count(counts, f"procurement.{name}", getattr(proc, name) is None)

    def columns_json(self) -> str:
        """``{column: {field: [nulls, pages]}}`` of the watched fields, columns sorted."""
        return json.dumps(dict(sorted(self.columns.items())), ensure_ascii=False)

    def as_dict(self) -> dict[str, int]:
        """``records`` and every counted field (zeros included, so a field can be watched)."""
        counts = {"records": self.records, **{n: self.nulls[n] for n in nullable(Record)}}
        if self.procurement_records:
            counts["procurement.records"] = self.procurement_records
            counts.update({f"procurement.{n}": self.nulls[f"procurement.{n}"]
                           for n in nullable(Procurement)})  # fmt: skip
        return counts

    def as_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False)


def _count(counts: dict[str, list[int]], name: str, null: bool) -> None:
    pair = counts.setdefault(name, [0, 0])
    pair[0] += null
    pair[1] += 1
