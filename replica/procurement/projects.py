"""Projects: who buys what, how, for how much, and their dates from tender to contract.

Tender dates are drawn once for the whole site, then each project draws everything else from
its own generator (seed, serial). Traits (terminated, late award, missing contract …) are dealt
out by quota so each appears at every scale; see ``traits.py``.
"""

from __future__ import annotations

import datetime as dt
import random

from replica.procurement import calendar, catalog, lots, traits
from replica.procurement.model import Contract, Correction, Project

BASE_PROJECTS = 160  # at the default scale
SCALE_UNIT = 445  # the bureau's default size: --scale N grows this site by N / 445
FIRST_TENDER, LAST_TENDER = dt.date(2019, 1, 7), dt.date(2026, 6, 12)
OPENING_TIMES = ("09:00", "09:30", "10:00", "14:30", "15:00")
SHORT_TENDER_DAYS = 15  # ``short-tender``: the bid deadline at most this many days after
SHORT_TENDER_FROM = dt.date(2020, 1, 1)  # (its award stays in the 2020 format either way)
NUMBER_FORMATS = {
    "ZJCG": "ZJCG{year}-{n:04d}",
    "GDZC": "GDZC{year}G{n:04d}",
    "ZJZC": "ZJZC({year}){n:03d}",
    "PLAN": "440800-{year}-{n:05d}",
}


def project_count(scale: int | None) -> int:
    """Projects at a scale (None: the default 160)."""
    if scale is None:
        return BASE_PROJECTS
    return max(12, round(BASE_PROJECTS * scale / SCALE_UNIT))


def build_projects(scale: int | None, seed: int) -> list[Project]:
    """Every project, in tender-date order (serial = position)."""
    rng = random.Random(f"{seed}:ccgp:dates")
    span = (LAST_TENDER - FIRST_TENDER).days
    days = sorted(
        calendar.on_or_after(FIRST_TENDER + dt.timedelta(days=rng.randint(0, span)))
        for _ in range(project_count(scale))
    )
    dealt = traits.deal(days, seed)
    book = _Numbers(seed)
    names: set[tuple[str, str]] = set()
    return [_project(i, day, dealt[i], seed, book, names) for i, day in enumerate(days)]


def clock(rng: random.Random, after: int = 8) -> str:
    """A publication time of day, ``HH:MM`` (ccgp publishes into the evening)."""
    return f"{rng.randint(after, 21):02d}:{rng.randint(0, 59):02d}"


def _project(
    serial: int,
    day: dt.date,
    marks: set[str],
    seed: int,
    book: _Numbers,
    names: set[tuple[str, str]],
) -> Project:
    rng = random.Random(f"{seed}:ccgp:project:{serial}")
    purchaser = rng.choices(catalog.PURCHASERS, [p.weight for p in catalog.PURCHASERS])[0]
    item = _item(rng, purchaser.tag, marks)
    budget = _budget(rng, item)
    method = _method(rng, item, budget, marks)
    if method != "公开招标" or day < SHORT_TENDER_FROM:
        marks.discard("short-tender")  # the trait only shortens an open tender's deadline
    agency = None if method in ("询价", "单一来源") and rng.random() < 0.25 else _agency(rng)
    project = Project(
        serial=serial,
        name=_name(purchaser.name, item, day.year, names),
        purchaser=purchaser,
        agency=agency,
        item=item,
        method=method,
        number=book.next(agency.style if agency else "PLAN", day.year, rng),
        budget=budget,
        tender_date=day,
        traits=marks,
        contact=rng.choice(catalog.SURNAMES) + rng.choice(catalog.TITLES),
        phone=f"0759-{rng.randint(2100000, 3999999)}",
    )
    _schedule(project, rng)
    return project


def _item(rng: random.Random, tag: str, marks: set[str]) -> catalog.Item:
    items = [i for i in catalog.ITEMS if tag in i.tags or "all" in i.tags]
    if "sole" in marks:
        return rng.choice([i for i in items if i.sole])
    if "rate" in marks:
        return rng.choice([i for i in items if i.rate])
    return rng.choice([i for i in items if not i.rate])


def _budget(rng: random.Random, item: catalog.Item) -> int:
    """A budget in fen: whole 万元, or with one or two decimals."""
    tenths = round(rng.triangular(item.low * 10, item.high * 10, item.low * 10))
    if rng.random() < 0.4:
        return tenths // 10 * 1_000_000
    if rng.random() < 0.8:
        return tenths * 100_000
    return tenths * 100_000 + rng.randint(1, 9) * 10_000


def _method(rng: random.Random, item: catalog.Item, budget: int, marks: set[str]) -> str:
    wan = budget // 1_000_000
    if "sole" in marks:
        return "单一来源"
    if wan >= 300 or (item.rate and rng.random() < 0.5):
        return "公开招标"
    if wan >= 100:
        return rng.choice(("公开招标", "竞争性磋商", "竞争性磋商"))
    if item.kind == "goods":
        return rng.choice(("询价", "询价", "询价", "竞争性磋商", "竞争性谈判"))
    return rng.choice(("竞争性磋商", "竞争性谈判"))


def _agency(rng: random.Random) -> catalog.Agency:
    return rng.choices(catalog.AGENCIES, (4, 3, 2, 2, 2))[0]


def _name(purchaser: str, item: catalog.Item, year: int, names: set[tuple[str, str]]) -> str:
    """``湛江市第一中学2025年办公设备采购项目``, unique per purchaser: ``（二期）`` …
    ``（九期）``, then ``（第10批）`` … when the name is taken."""
    stem = f"{purchaser}{year}年{item.stem}" + ("" if item.kind == "works" else "采购项目")
    name, phase = stem, 1
    while (purchaser, name) in names:
        phase += 1
        suffix = f"{'一二三四五六七八九'[phase - 1]}期" if phase < 10 else f"第{phase}批"
        name = f"{stem}（{suffix}）"
    names.add((purchaser, name))
    return name


class _Numbers:
    """Project numbers per style and year, increasing: ``ZJCG2025-0123``, ``ZJZC(2024)012`` …"""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:ccgp:numbers")
        self.last: dict[tuple[str, int], int] = {}

    def next(self, style: str, year: int, rng: random.Random) -> str:
        del rng  # numbers come from the site-wide sequence, not the project's generator
        key = (style, year)
        self.last[key] = self.last.get(key, 0) + self.rng.randint(1, 6)
        return NUMBER_FORMATS[style].format(year=year, n=self.last[key])


# -- the schedule ------------------------------------------------------------------------------
def _schedule(project: Project, rng: random.Random) -> None:
    """Tender, corrections, opening, then termination or award and contracts.

    A ``short-tender`` project's deadline is cut to at most ``SHORT_TENDER_DAYS`` after the
    tender and everything after the opening follows it. Its generator is consumed exactly as
    for the deadline drawn (so the project keeps its lots, winners and contracts), and the
    dates its announcements would have had are kept in ``planned``: they order it among the
    site's announcements, so no other announcement's id changes."""
    day = project.tender_date
    project.tender_time = clock(rng)
    drawn = _deadline_day(project.method, day, rng)
    close = drawn
    if "short-tender" in project.traits:
        close = calendar.on_or_before(day + dt.timedelta(days=SHORT_TENDER_DAYS))
    project.docs = (calendar.add_workdays(day, 1), min(calendar.add_workdays(day, 5), close))
    hour, minute = map(int, rng.choice(OPENING_TIMES).split(":"))
    if close != drawn:
        state = rng.getstate()
        _after_tender(project, rng, dt.datetime.combine(drawn, dt.time(hour, minute)), drawn)
        project.planned = _announcement_dates(project)
        rng.setstate(state)
    _after_tender(project, rng, dt.datetime.combine(close, dt.time(hour, minute)), drawn)


def _after_tender(
    project: Project, rng: random.Random, deadline: dt.datetime, drawn: dt.date
) -> None:
    project.deadline = deadline
    project.corrections = _corrections(project, rng, drawn)
    if "terminated" in project.traits:
        project.termination = _termination(project, rng)
        return
    _award(project, rng)
    if "no-contract" not in project.traits:
        project.contracts = _contracts(project, rng)


def _announcement_dates(project: Project) -> dict[tuple[str, int], dt.date]:
    """(kind, index) → publication date of the project's announcements after the tender (and
    ``signed``: the contracts' signing, which a 验收公告 follows)."""
    dates = {("correction", i): c.date for i, c in enumerate(project.corrections)}
    dates |= {("contract", i): c.date for i, c in enumerate(project.contracts)}
    dates |= {("signed", i): c.signed for i, c in enumerate(project.contracts)}
    if project.termination:
        dates[("termination", 0)] = project.termination[0]
    if project.award_date:
        dates[("award", 0)] = project.award_date
    return dates


def _deadline_day(method: str, day: dt.date, rng: random.Random) -> dt.date:
    if method == "公开招标":
        return calendar.on_or_after(day + dt.timedelta(days=rng.randint(20, 28)))
    if method == "竞争性磋商":
        return calendar.on_or_after(day + dt.timedelta(days=rng.randint(10, 16)))
    if method == "单一来源":
        return calendar.add_workdays(day, 5)  # end of the 公示 period
    return calendar.add_workdays(day, rng.randint(3, 6))


def _corrections(project: Project, rng: random.Random, drawn: dt.date) -> list[Correction]:
    """0–2 corrections on working days before the deadline. ``drawn`` is the deadline as first
    drawn: the days are drawn from its window and placed in the same order in the real one
    (the same window unless ``short-tender`` cut the deadline)."""
    if project.method == "单一来源":
        return []
    first, last = project.tender_date, project.deadline.date()
    window = [d for d in _days(first, last) if calendar.is_workday(d)]
    pool = [d for d in _days(first, drawn) if calendar.is_workday(d)]
    count = min(len(pool), len(window), rng.choices((0, 1, 2), (55, 30, 15))[0])
    picks = sorted(rng.sample(range(len(pool)), count))  # the draws rng.sample(pool, …) makes
    days = [window[i] for i in _squeeze(picks, len(pool), len(window))]
    made = []
    for index, day in enumerate(days):
        subject, template = rng.choice(catalog.CORRECTIONS)
        content = template.format(n=rng.randint(2, 9), a=rng.randint(2, 8), b=rng.randint(9, 16))
        moved = None
        if index == count - 1 and rng.random() < 0.4:
            later = calendar.on_or_after(last + dt.timedelta(days=rng.randint(5, 10)))
            moved = dt.datetime.combine(later, project.deadline.time())
            subject, content = "采购公告、采购文件", "提交投标（响应）文件截止时间及开标时间延期。"
        made.append(Correction(day, clock(rng), subject, content, moved))
    return made


def _squeeze(picks: list[int], size: int, room: int) -> list[int]:
    """Sorted distinct positions in ``range(size)`` mapped to as many in ``range(room)``, in
    the same order (unchanged when ``room == size``)."""
    placed: list[int] = []
    for rank, pick in enumerate(picks):
        spot = pick * room // size
        if placed:
            spot = max(spot, placed[-1] + 1)
        placed.append(min(spot, room - len(picks) + rank))
    return placed


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    """Days strictly between ``first`` and ``last``."""
    return [first + dt.timedelta(days=n) for n in range(1, (last - first).days)]


def _termination(project: Project, rng: random.Random) -> tuple[dt.date, str, str, str]:
    after = project.corrections[-1].date if project.corrections else project.tender_date
    before = [d for d in _days(after, project.opening.date()) if calendar.is_workday(d)]
    if before and rng.random() < 0.5:
        kind, day = "终止", rng.choice(before)
    else:
        kind = "废标"
        day = calendar.add_workdays(project.opening.date(), rng.randint(1, 3))
    return day, clock(rng), kind, rng.choice(catalog.TERMINATIONS[kind])


def _award(project: Project, rng: random.Random) -> None:
    project.determined = calendar.add_workdays(project.opening.date(), rng.randint(0, 3))
    project.award_date = _published(project.determined, "late-award" in project.traits, rng)
    same_day = project.award_date == project.opening.date()
    project.award_time = clock(rng, after=16 if same_day else 8)
    project.awards = lots.draw(project, rng)
    project.experts = lots.experts(rng, 5 if project.method == "公开招标" else 3)
    if "conflict" in project.traits:
        project.summary_total = project.budget


def _published(done: dt.date, late: bool, rng: random.Random) -> dt.date:
    """Publication after ``done``: 4–9 working days when late, else within 2 working days
    (within 1 when a weekend or holiday lies between, so any official calendar agrees)."""
    if late:
        return calendar.add_workdays(done, rng.randint(4, 9))
    wait = rng.choice((0, 1, 1, 2))
    if wait == 2 and not calendar.plain_week(done, calendar.add_workdays(done, 2)):
        wait = 1
    return calendar.add_workdays(done, wait)


def _contracts(project: Project, rng: random.Random) -> list[Contract]:
    """One contract per winning supplier (at most three), signed after the award notice."""
    assert project.award_date is not None
    suppliers = list(dict.fromkeys(a.supplier for a in project.awards))[:3]
    made = []
    for index, supplier in enumerate(suppliers, start=1):
        rows = [a for a in project.awards if a.supplier == supplier]
        amount = sum(a.amount for a in rows if a.amount) or project.budget // len(suppliers)
        signed = calendar.on_or_after(project.award_date + dt.timedelta(days=rng.randint(3, 20)))
        published = _published(signed, "late-contract" in project.traits, rng)
        number = f"ZJHT-{project.tender_date.year}-{project.serial:04d}-{index}"
        lot_names = tuple(a.lot_shown for a in rows)
        made.append(Contract(number, supplier, lot_names, amount, signed, published, clock(rng)))
    return made
