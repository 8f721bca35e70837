"""Award rows (lot × supplier), winning suppliers and review experts of a project."""

from __future__ import annotations

import datetime as dt
import random

from replica.procurement import catalog
from replica.procurement.model import Award, Project, Supplier

FORMAT_2020 = dt.date(2020, 1, 1)  # announcements since then follow the 2020 format
RATES = {
    "下浮率": ("3", "5", "6.5", "8", "10", "12"),
    "折扣率": ("85", "88", "90", "92.5", "95", "97"),
    "优惠率": ("1.5", "2", "3.5", "4", "5.5"),
}


def modern(day: dt.date) -> bool:
    """Whether a page published on ``day`` uses the 2020 format (else the older layout)."""
    return day >= FORMAT_2020


def draw(project: Project, rng: random.Random) -> tuple[Award, ...]:
    """The award rows: one lot by default; several for ``multi``; rates for ``rate``."""
    assert project.award_date is not None
    shown_lots = modern(project.award_date)
    kind = project.item.kind
    if "rate" in project.traits:
        return _rate_rows(rng, kind, shown_lots)
    if "multi" in project.traits:
        return _lot_rows(rng, project.budget, kind)
    lot, shown = ("1", rng.choice(("1", "包1"))) if shown_lots else (None, "")
    return (Award(lot, shown, supplier(rng, kind), _amount(rng, project.budget)),)


def _lot_rows(rng: random.Random, budget: int, kind: str) -> tuple[Award, ...]:
    """Lots A–D, each with one winner, or two for a lot shared by several suppliers."""
    count = rng.randint(2, 4)
    weights = [rng.randint(2, 9) for _ in range(count)]
    rows: list[Award] = []
    for index, weight in enumerate(weights):
        lot = "ABCD"[index]
        share = budget * weight // sum(weights)
        winners = 2 if rng.random() < 0.3 else 1
        for _ in range(winners):
            reuse = rows and winners == 1 and rng.random() < 0.2  # one firm wins two lots
            winner = rows[0].supplier if reuse else _fresh(rng, kind, rows)
            rows.append(Award(lot, lot, winner, _amount(rng, share // winners)))
    return tuple(rows)


def _rate_rows(rng: random.Random, kind: str, shown_lots: bool) -> tuple[Award, ...]:
    """定点 awards: one to three lots with one to three suppliers each, each with a rate."""
    rate_kind = rng.choice(tuple(RATES))
    count = rng.randint(1, 3) if shown_lots else 1
    rows: list[Award] = []
    for index in range(count):
        lot = "ABC"[index] if count > 1 else "1"
        shown = lot if count > 1 else rng.choice(("1", "包1"))
        if not shown_lots:
            lot, shown = None, ""
        for _ in range(rng.randint(1, 3)):
            value = rng.choice(RATES[rate_kind])
            rows.append(Award(lot, shown, _fresh(rng, kind, rows), None, rate_kind, value))
    return tuple(rows)


def _amount(rng: random.Random, budget: int) -> int:
    """A winning price below the budget, in fen (often whole yuan)."""
    price = budget * rng.randint(820, 995) // 1000
    return price // 100 * 100 if rng.random() < 0.5 else price


def _fresh(rng: random.Random, kind: str, rows: list[Award]) -> Supplier:
    """A supplier not yet among ``rows``."""
    taken = {row.supplier.name for row in rows}
    while True:
        candidate = supplier(rng, kind)
        if candidate.name not in taken:
            return candidate


def supplier(rng: random.Random, kind: str) -> Supplier:
    """``广东华信科技有限公司`` with an address in its city."""
    place, district = rng.choice(catalog.SUPPLIER_PLACES)
    name = place + rng.choice(catalog.SUPPLIER_WORDS) + rng.choice(catalog.SUPPLIER_SUFFIXES[kind])
    street = rng.choice(catalog.STREETS)
    return Supplier(name, f"{district}{street}{rng.randint(1, 300)}号")


def experts(rng: random.Random, count: int) -> tuple[str, ...]:
    """Distinct names, some with a one-character given name (``张华``)."""
    names: list[str] = []
    while len(names) < count:
        given = rng.choice(catalog.SINGLE_GIVEN) if rng.random() < 0.4 else None
        name = rng.choice(catalog.SURNAMES) + (given or rng.choice(catalog.DOUBLE_GIVEN))
        if name not in names:
            names.append(name)
    return tuple(names)
