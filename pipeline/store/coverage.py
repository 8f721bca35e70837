"""Per-field coverage of a crawl run: of the pages extracted, how many left each field empty.

Counted by the writer for every record it extracts (new, changed, repaired or unchanged), kept
in ``crawl_runs.field_nulls`` as JSON (``{"records": 602, "title": 0, "publish_date": 3,
"procurement.project_number": 12, …}``) and in the crawl's stats (``zwgk/fields/title/null``):
the measure a monitor compares from run to run, since a site redesign shows first as a field
that turns null. The fields counted are the contract's optional scalars (``pipeline.record``).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import fields
from functools import cache

from pipeline.record import Procurement, Record


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

    def add(self, record: Record) -> None:
        self.records += 1
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
