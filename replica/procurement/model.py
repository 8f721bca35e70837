"""The procurement replica's clean data: projects with their lifecycle, and announcement drafts.

Amounts are integers in fen; dates are ``datetime.date``; times ``HH:MM`` strings. Like the
bureau's model, every text value is what the record contract's normalization yields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from replica.model import Block, Notice
from replica.procurement.catalog import Agency, Item, Purchaser

# (label, value) cells of one summary-table row; a bare string is a section row (公告信息：).
SummaryRow = tuple[tuple[str, str], ...] | str


@dataclass(frozen=True)
class Supplier:
    name: str
    address: str


@dataclass(frozen=True)
class Award:
    """One lot × supplier row of an award: an amount in fen, or a rate (``下浮率`` and ``5``)."""

    lot: str | None  # the record's lot: "A", "1" or None where no lot is shown
    lot_shown: str  # the cell as written: "A", "包1", "1" ("" when the table has no lot column)
    supplier: Supplier
    amount: int | None = None
    rate_kind: str | None = None
    rate: str | None = None  # "5", "95", "3.5"


@dataclass(frozen=True)
class Correction:
    date: dt.date
    time: str
    subject: str  # 更正事项
    content: str  # 更正内容 (clean sentence)
    deadline: dt.datetime | None = None  # a moved bid deadline (and opening)


@dataclass(frozen=True)
class Contract:
    number: str
    supplier: Supplier
    lots: tuple[str, ...]  # lot labels it covers ("" for a single-lot project)
    amount: int
    signed: dt.date
    date: dt.date
    time: str


@dataclass
class Project:
    """One procurement from tender to contract (or termination), with what the replica varies."""

    serial: int
    name: str
    purchaser: Purchaser
    agency: Agency | None  # None: the purchaser procures by itself
    item: Item
    method: str
    number: str  # canonical 项目编号 (pages of a "no number" project leave it out)
    budget: int
    tender_date: dt.date
    tender_time: str = "09:00"
    docs: tuple[dt.date, dt.date] = (dt.date.min, dt.date.min)
    deadline: dt.datetime = dt.datetime.min  # as first announced
    corrections: list[Correction] = field(default_factory=list)
    termination: tuple[dt.date, str, str, str] | None = None  # date, time, 终止/废标, reason
    determined: dt.date | None = None
    award_date: dt.date | None = None
    award_time: str = "09:00"
    awards: tuple[Award, ...] = ()
    experts: tuple[str, ...] = ()
    summary_total: int | None = None  # a wrong 总中标金额 in the summary (a conflict)
    contracts: list[Contract] = field(default_factory=list)
    traits: set[str] = field(default_factory=set)
    contact: str = ""
    phone: str = ""
    #: (kind, index) → the date an announcement would have had without a seeded violation
    #: (``short-tender``); it keeps the announcement's place (and id) among the site's.
    planned: dict[tuple[str, int], dt.date] = field(default_factory=dict)

    @property
    def opening(self) -> dt.datetime:
        """The bid deadline and opening in force: the last correction that moved it wins."""
        moved = [c.deadline for c in self.corrections if c.deadline]
        return moved[-1] if moved else self.deadline

    @property
    def award_total(self) -> int | None:
        """Sum of the lot amounts when every row has one."""
        if not self.awards or any(a.amount is None for a in self.awards):
            return None
        return sum(a.amount or 0 for a in self.awards)

    @property
    def intent_due(self) -> bool:
        """Intents are published for projects tendered since 2021 (财库〔2020〕10号)."""
        return self.tender_date >= dt.date(2021, 1, 1)


@dataclass(frozen=True)
class IntentItem:
    name: str
    need: str
    budget: int
    month: dt.date  # first day of the expected month
    note: str = ""


@dataclass(frozen=True)
class Intent:
    """A purchaser's half-year 政府采购意向 (or a supplement to it) and the projects it lists."""

    purchaser: Purchaser
    year: int
    first_half: bool
    date: dt.date
    time: str
    items: tuple[IntentItem, ...]
    projects: tuple[int, ...]  # serials of the projects among the items
    supplement: bool = False
    planned: dt.date | None = None  # the date before ``late-intent`` moved it (its place)


@dataclass
class Draft:
    """One announcement before it has a URL: what its page shows and what the truth says."""

    kind: str  # intent, tender, correction, award, contract, termination
    category: str  # the list it appears in
    date: dt.date
    time: str
    title: str
    body: list[Block]
    summary: list[SummaryRow]
    fields: dict[str, Any]  # the record's procurement object
    files: list[str] = field(default_factory=list)  # attachment names
    projects: tuple[int, ...] = ()
    number: str | None = None  # the project number as the body shows it (for full-width dirt)
    order: int = 0  # tie-break between one project's announcements of one day
    index: int = 0  # which correction / contract of its project this is
    placed: dt.date | None = None  # orders it among the site's announcements when not ``date``

    @property
    def sequence(self) -> tuple:
        """Its place among the site's announcements (ids are drawn in this order): the date it
        would have had without a seeded violation, time, order, first project, title."""
        first = self.projects[0] if self.projects else -1
        return (self.placed or self.date, self.time, self.order, first, self.title)

    @property
    def published(self) -> tuple:
        """Its place by publication (lists, newest first, go by this)."""
        return (self.date, *self.sequence[1:])


@dataclass
class Announcement:
    """A draft placed on the site: its notice (path, title, body, attachments, fault) and more."""

    notice: Notice
    draft: Draft
    related: tuple[Notice, ...] = ()  # earlier announcements of the same project(s)

    @property
    def kind(self) -> str:
        return self.draft.kind
