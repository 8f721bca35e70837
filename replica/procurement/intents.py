"""Half-yearly 政府采购意向: which notices exist, when, and which projects each one lists.

Each purchaser publishes one intent per half-year listing the projects it will tender in that
half (plus plans never tendered here), at least 30 days before the first of them. A project
marked ``late-intent`` appears instead in its own notice (a supplement when the half-year one
exists) only 10–15 days before its tender; one marked ``no-intent`` is listed nowhere.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from replica.procurement import calendar, catalog
from replica.procurement.model import Intent, IntentItem, Project
from replica.procurement.projects import clock

LATE_DAYS = range(10, 16)  # a late intent comes this many days before the tender


def build_intents(projects: list[Project], seed: int) -> list[Intent]:
    """Every intent notice, oldest first."""
    groups: dict[tuple[str, int, bool], list[Project]] = defaultdict(list)
    for project in projects:
        if project.intent_due and "no-intent" not in project.traits:
            day = project.tender_date
            groups[(project.purchaser.name, day.year, day.month <= 6)].append(project)
    intents = []
    for key in sorted(groups, key=lambda k: (k[1], not k[2], k[0])):
        rng = random.Random(f"{seed}:ccgp:intent:{key}")
        members = groups[key]
        normal = [p for p in members if "late-intent" not in p.traits]
        if normal:
            intents.append(_half_year(normal, key, rng))
        for project in members:
            if "late-intent" in project.traits:
                late = random.Random(f"{seed}:ccgp:intent:{key}:{project.serial}:late")
                intents.append(_late(project, key, bool(normal), rng, late))
    return sorted(intents, key=lambda i: (i.planned or i.date, i.time, i.purchaser.name))


def half_start(year: int, first_half: bool) -> dt.date:
    return dt.date(year, 1 if first_half else 7, 1)


def _half_year(members: list[Project], key: tuple[str, int, bool], rng: random.Random) -> Intent:
    _, year, first = key
    start = half_start(year, first)
    earliest = min(p.tender_date for p in members)
    latest = min(
        start - dt.timedelta(days=rng.randint(3, 25)),
        earliest - dt.timedelta(days=30 + rng.randint(0, 12)),
    )
    items = [_item(p) for p in members] + _extras(members[0], year, first, rng)
    return Intent(
        purchaser=members[0].purchaser,
        year=year,
        first_half=first,
        date=calendar.on_or_before(latest),
        time=clock(rng),
        items=tuple(items),
        projects=tuple(p.serial for p in members),
    )


def _late(
    project: Project,
    key: tuple[str, int, bool],
    supplement: bool,
    rng: random.Random,
    late: random.Random,
) -> Intent:
    """An intent on a working day 10–15 days before the tender (``late`` draws the day; the
    day first drawn, 8–20 days before, is kept as ``planned``: its place among the site's
    announcements, so the other draws and announcements do not change)."""
    _, year, first = key
    planned = calendar.on_or_before(project.tender_date - dt.timedelta(days=rng.randint(8, 20)))
    tender = project.tender_date
    workdays = [n for n in range(8, 21) if calendar.is_workday(tender - dt.timedelta(n))]
    days = [n for n in workdays if n in LATE_DAYS] or workdays  # (a 国庆 week may fill 10–15)
    day = tender - dt.timedelta(days=late.choice(days))
    extras = _extras(project, year, first, rng)[:1] if rng.random() < 0.5 else []
    return Intent(
        purchaser=project.purchaser,
        year=year,
        first_half=first,
        date=day,
        time=clock(rng),
        items=(_item(project), *extras),
        projects=(project.serial,),
        supplement=supplement,
        planned=planned,
    )


def _item(project: Project) -> IntentItem:
    month = project.tender_date.replace(day=1)
    return IntentItem(project.name, project.item.need, project.budget, month)


def _extras(project: Project, year: int, first: bool, rng: random.Random) -> list[IntentItem]:
    """One or two plans of the same purchaser that never reach this site."""
    picks = rng.sample(catalog.INTENT_EXTRAS, rng.randint(1, 2))
    months = range(1, 7) if first else range(7, 13)
    return [
        IntentItem(
            f"{project.purchaser.name}{year}年{stem}采购项目",
            need,
            rng.randint(low * 10, high * 10) * 100_000,
            dt.date(year, rng.choice(months), 1),
            rng.choice(("", "", "分散采购")),
        )
        for stem, need, low, high in picks
    ]
