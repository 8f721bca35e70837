"""Labelled raw values (``sections.Raw``: text as written, unit its label names) into values.

One converter per kind; each procurement field names its kind in the record contract
(``pipeline.record.Procurement``, metadata ``convert``), so the summary table and the body's
labelled lines go through the same conversion.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.extract.procurement.clean import (
    clean_name,
    date_only,
    date_time,
    expert_names,
    project_number,
)
from pipeline.extract.procurement.sections import Raw
from pipeline.normalize import parse_amount
from pipeline.record import Procurement

KINDS: dict[str, Callable[[Raw], Any]] = {
    "number": lambda raw: project_number(raw.text),
    "name": lambda raw: clean_name(raw.text),
    "amount": lambda raw: parse_amount(raw.text, unit=raw.unit),
    "date_time": lambda raw: date_time(raw.text),
    "date": lambda raw: date_only(raw.text),
    "experts": lambda raw: expert_names(raw.text),
}
#: Field -> its converter, from the contract.
CONVERTERS: dict[str, Callable[[Raw], Any]] = {
    name: KINDS[kind] for name, kind in Procurement.converters().items()
}


def convert(raw: dict[str, Raw]) -> dict[str, Any]:
    """Values of the fields present in ``raw`` (raw field names are contract names)."""
    return {name: to_value(raw[name]) for name, to_value in CONVERTERS.items() if name in raw}
