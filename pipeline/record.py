"""The record contract (docs/record.md) as types: every stage derives its field lists from here.

``extract_page`` returns a :class:`Record`; ``zwgk extract`` prints :meth:`Record.to_dict`; the
archive stores it (``pipeline.store``), whose column tuples, content hash, conflict comparison
and procurement rows all read the field metadata below instead of writing field names out again.
Adding a field is adding it here (with its metadata) and where it is read from the page.

Field metadata (``contract(...)``):

* ``content`` — part of the content hash: a change makes a new version (notice fields);
* ``column`` — a column of the table the record's class is stored in (``notices``,
  ``procurement``); lists are stored as JSON;
* ``json`` — in the record JSON (``zwgk extract``, ``notice_versions.record_json``);
* ``hidden`` — left out of ``zwgk extract`` unless asked for (``--html``);
* ``compared`` — procurement: read from both the summary table and the body, one value kept,
  disagreements recorded in ``conflicts``;
* ``convert`` — procurement: the kind of converter that turns a labelled raw value into the
  field's value (``amount``, ``name`` …; ``pipeline.extract.procurement.convert``).

Where each value came from (``sources``: field → ``"meta ArticleTitle"``, ``"label 发布时间"``,
``"summary 采购项目名称"`` …) travels with the record for ``zwgk extract --explain``; it is not
stored and not part of the record's JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import Field, dataclass, field, fields, replace
from functools import cache
from typing import Any, ClassVar

__all__ = [
    "Attachment",
    "Award",
    "Conflict",
    "IntentItem",
    "Procurement",
    "Record",
    "column_fields",
    "content_fields",
    "contract",
    "json_fields",
    "plain",
    "replace",
]


def contract(
    default: Any = None,
    *,
    content: bool = False,
    column: bool = False,
    json: bool = True,
    hidden: bool = False,
    compared: bool = False,
    convert: str | None = None,
    factory: Callable[[], Any] | None = None,
    item: type | None = None,
    nested: type | None = None,
) -> Any:
    """A record field with its metadata (see the module docstring). ``item``: the type of a
    tuple field's items, ``nested``: the type of a nested object (both typed back from JSON)."""
    metadata = {
        "content": content,
        "column": column,
        "json": json,
        "hidden": hidden,
        "compared": compared,
        "convert": convert,
        "item": item,
        "nested": nested,
    }
    if factory is not None:
        return field(default_factory=factory, metadata=metadata)
    return field(default=default, metadata=metadata)


def _names(cls: type, key: str) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.metadata.get(key))


@cache
def content_fields(cls: type) -> tuple[str, ...]:
    """Fields that make a new version when they change."""
    return _names(cls, "content")


def column_fields(cls: type) -> tuple[str, ...]:
    """Fields stored as columns of the class's table."""
    return _names(cls, "column")


@cache
def json_fields(cls: type) -> tuple[str, ...]:
    """Fields of the record JSON, in contract order."""
    return _names(cls, "json")


class _JsonFields:
    """``cls.JSON``: the JSON fields of the class it is read from (subclasses included)."""

    def __get__(self, obj: object, cls: type) -> tuple[str, ...]:
        return json_fields(cls)


def plain(value: Any) -> Any:
    """JSON-ready: nested records to dicts, tuples to lists."""
    if isinstance(value, tuple):
        return [plain(v) for v in value]
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if to_dict is not None else value


class _Contract:
    """Shared behaviour: the JSON object, its inverse, and the JSON with each value's source."""

    __slots__ = ()
    JSON: ClassVar[tuple[str, ...]] = _JsonFields()  # type: ignore[assignment]

    def to_dict(self) -> dict[str, Any]:
        return {name: plain(getattr(self, name)) for name in self.JSON}

    def explained(self) -> dict[str, Any]:
        """``{field: {"value": …, "source": …}}``; nested objects explained the same way."""
        sources: Mapping[str, str] = getattr(self, "sources", {})
        out = {}
        for name in self.JSON:
            value = getattr(self, name)
            shown = value.explained() if hasattr(value, "sources") else plain(value)
            out[name] = {"value": shown, "source": sources.get(name)}
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Any:
        """The record a JSON object describes (unknown keys ignored, absent ones defaulted)."""
        known = {f.name: f for f in fields(cls)}
        return cls(**{k: _typed(known[k], v) for k, v in data.items() if k in known})

    def __iter__(self) -> Iterator[str]:
        return iter(self.JSON)


def _typed(spec: Field, value: Any) -> Any:
    item = spec.metadata.get("item")
    if item is not None and value is not None:
        return tuple(item.from_dict(v) if isinstance(v, Mapping) else v for v in value)
    nested = spec.metadata.get("nested")
    if nested is not None and isinstance(value, Mapping):
        return nested.from_dict(value)
    if isinstance(value, list):
        return tuple(value)
    return value


@dataclass(frozen=True, slots=True)
class Attachment(_Contract):
    """An attachment link of a page: its name as shown and its absolute URL."""

    name: str | None = contract()
    url: str = contract("")


@dataclass(frozen=True, slots=True)
class Award(_Contract):
    """One lot × supplier of an award: amount in yuan, or a rate (下浮率 …) in percent."""

    lot: str | None = contract()
    supplier: str | None = contract()
    amount: float | None = contract()
    rate: float | None = contract()


@dataclass(frozen=True, slots=True)
class IntentItem(_Contract):
    """One row of a 采购意向 table."""

    project_name: str | None = contract()
    budget_amount: float | None = contract()
    expected_month: str | None = contract()


@dataclass(frozen=True, slots=True)
class Conflict(_Contract):
    """A field the summary table and the body give differently: both values, as normalized."""

    field: str = contract("")
    summary: Any = contract()
    body: Any = contract()


@dataclass(frozen=True, slots=True)
class Procurement(_Contract):
    """The ``procurement`` object of a procurement page (docs/record.md)."""

    announcement_type: str = contract("other", column=True)
    procurement_method: str | None = contract(column=True)
    project_number: str | None = contract(column=True, compared=True, convert="number")
    project_name: str | None = contract(column=True, compared=True, convert="name")
    purchaser: str | None = contract(column=True, compared=True, convert="name")
    agency: str | None = contract(column=True, compared=True, convert="name")
    region: str | None = contract(column=True, compared=True, convert="name")
    budget_amount: float | None = contract(column=True, compared=True, convert="amount")
    bid_deadline: str | None = contract(column=True, compared=True, convert="date_time")
    bid_opening: str | None = contract(column=True, compared=True, convert="date_time")
    award_amount: float | None = contract(column=True, compared=True, convert="amount")
    award_suppliers: tuple[str, ...] = contract(factory=tuple, column=True)
    awards: tuple[Award, ...] = contract(factory=tuple, item=Award)
    award_date: str | None = contract(column=True, compared=True, convert="date")
    contract_date: str | None = contract(column=True, compared=True, convert="date")
    contract_amount: float | None = contract(column=True, compared=True, convert="amount")
    experts: tuple[str, ...] = contract(
        factory=tuple, column=True, compared=True, convert="experts"
    )
    intent_items: tuple[IntentItem, ...] = contract(factory=tuple, item=IntentItem)
    conflicts: tuple[Conflict, ...] = contract(factory=tuple, item=Conflict, column=True)
    sources: Mapping[str, str] = contract(factory=dict, json=False)

    @classmethod
    def compared(cls) -> tuple[str, ...]:
        return _names(cls, "compared")

    @classmethod
    def converters(cls) -> dict[str, str]:
        """Field → the kind of converter its labelled raw value goes through."""
        return {f.name: f.metadata["convert"] for f in fields(cls) if f.metadata.get("convert")}


@dataclass(frozen=True, slots=True)
class Record(_Contract):
    """What one archived page says (docs/record.md): absent fields are None, never invented."""

    url: str = contract("", column=True)
    site: str = contract("", column=True)
    kind: str = contract("notice", content=True, column=True)
    category: str | None = contract(content=True, column=True)
    title: str | None = contract(content=True, column=True)
    publish_date: str | None = contract(content=True, column=True)
    publish_time: str | None = contract(content=True, column=True)
    publisher: str | None = contract(content=True, column=True)
    author: str | None = contract(content=True, column=True)
    doc_number: str | None = contract(content=True, column=True)
    index_number: str | None = contract(content=True, column=True)
    doc_date: str | None = contract(content=True, column=True)
    body_text: str | None = contract(content=True, column=True)
    body_html: str | None = contract(column=True, hidden=True)
    attachments: tuple[Attachment, ...] = contract(factory=tuple, item=Attachment, content=True)
    procurement: Procurement | None = contract(nested=Procurement, content=True)
    charset: str | None = contract(column=True)
    decode_errors: int = contract(0)
    sources: Mapping[str, str] = contract(factory=dict, json=False)
