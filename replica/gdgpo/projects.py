"""The platform's projects: 湛江's, and fewer of other cities, tendered 2020-01 … 2026-06.

Made by the ccgp replica's machinery (``replica.procurement.projects``: purchaser, item, method,
budget, schedule, awards, contracts; traits dealt by quota) under seeds of their own, so they
are other projects than the ccgp site's. What differs here: names put the year first
(``2025年湛江市第一中学办公设备采购项目``) and numbers have the platform's own forms, so no
name or number is shared with a ccgp project; some projects of other cities; and the traits
of this site's extra announcements (``EXTRA_QUOTAS``).
INFERRED: the number forms, and which projects publish a plan, a 采购需求 or a 验收公告.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random

from replica.gdgpo import cities
from replica.gdgpo.codes import REGIONS
from replica.procurement import calendar, traits
from replica.procurement.model import Project
from replica.procurement.projects import SCALE_UNIT
from replica.procurement.projects import _project as make_project

BASE_PROJECTS = 90  # 湛江 projects at the default scale
BASE_ELSEWHERE = 24  # projects of other cities at the default scale
FIRST_TENDER, LAST_TENDER = dt.date(2020, 1, 6), dt.date(2026, 6, 12)
NUMBER_FORMATS = {
    "ZJCG": "ZJGGZY{year}{n:04d}",  # 湛江市公共资源交易中心
    "GDZC": "GDJDZB{year}-{n:04d}",  # 广东省机电设备招标中心
    "ZJZC": "ZJZFCG-{year}-{n:03d}",  # 湛江市政府采购中心
    "PLAN": "ZJDL{year}-{n:04d}",  # private agencies in 湛江
    "GZ": "GZCG{year}-{n:04d}",
    "FS": "FSCG{year}-{n:04d}",
    "MM": "MMCG{year}-{n:04d}",
    "SELF": "{region}-{year}-ZC{n:04d}",  # the purchaser procures by itself
}
# (trait, share of the pool, who is in the pool); dealt in this order, by quota like traits.py.
EXTRA_QUOTAS = (
    ("prequal", 0.25, "open"),  # 资格预审公告 instead of the tender announcement
    ("demand", 0.3, "large"),  # 采购需求 published before the tender
    ("plan", 0.08, "all"),  # 采购计划 published before the tender
    ("acceptance", 0.15, "contracted"),  # 验收公告 after the first contract
)


def sub_seed(seed: int, part: str) -> int:
    """A seed of its own for one part of this site (deterministic, unlike ``hash``)."""
    digest = hashlib.blake2b(f"{seed}:gdgpo:{part}".encode(), digest_size=6).digest()
    return int.from_bytes(digest, "big")


def project_counts(scale: int | None) -> tuple[int, int]:
    """(湛江 projects, other cities' projects) at a scale; grown like the ccgp site."""
    if scale is None:
        return BASE_PROJECTS, BASE_ELSEWHERE
    factor = scale / SCALE_UNIT
    return max(12, round(BASE_PROJECTS * factor)), max(4, round(BASE_ELSEWHERE * factor))


def build_projects(scale: int | None, seed: int) -> list[Project]:
    """Every project: 湛江's first (in tender order), then the other cities'."""
    local, elsewhere = project_counts(scale)
    projects = _batch(local, 0, sub_seed(seed, "zhanjiang"))
    moved = _batch(elsewhere, local, sub_seed(seed, "elsewhere"))
    rng = random.Random(sub_seed(seed, "move"))
    for project in moved:
        cities.move(project, rng)
    projects += moved
    _rename(projects)
    _number(projects, seed)
    _deal_extras(projects, seed)
    return projects


def _batch(count: int, first_serial: int, seed: int) -> list[Project]:
    rng = random.Random(seed)
    span = (LAST_TENDER - FIRST_TENDER).days
    days = sorted(
        calendar.on_or_after(FIRST_TENDER + dt.timedelta(days=rng.randint(0, span)))
        for _ in range(count)
    )
    dealt = traits.deal(days, seed)
    names: set[tuple[str, str]] = set()
    return [
        make_project(first_serial + i, day, dealt[i], seed, _NoNumbers(), names)
        for i, day in enumerate(days)
    ]


class _NoNumbers:
    """Stands in for the ccgp number book: numbers are given afterwards (``_number``)."""

    def next(self, style: str, year: int, rng: random.Random) -> str:
        del style, year, rng
        return ""


def _rename(projects: list[Project]) -> None:
    """``湛江市第一中学2025年…`` → ``2025年湛江市第一中学…``, unique per purchaser."""
    taken: set[tuple[str, str]] = set()
    for project in projects:
        unit = project.purchaser.name
        rest = project.name.removeprefix(unit)
        year, _, item = rest.partition("年")
        name, batch = f"{year}年{unit}{item}", 1
        while (unit, name) in taken:
            batch += 1
            name = f"{year}年{unit}{item}（第{batch}批）"
        taken.add((unit, name))
        project.name = name


def _number(projects: list[Project], seed: int) -> None:
    """Numbers in the platform's forms, increasing per form and year."""
    rng = random.Random(sub_seed(seed, "numbers"))
    last: dict[tuple[str, str, int], int] = {}
    for project in sorted(projects, key=lambda p: (p.tender_date, p.serial)):
        style = project.agency.style if project.agency else "SELF"
        region = REGIONS[project.purchaser.region]
        key = (style, region if style == "SELF" else "", project.tender_date.year)
        last[key] = last.get(key, 0) + rng.randint(1, 6)
        form = NUMBER_FORMATS[style]
        project.number = form.format(region=region, year=key[2], n=last[key])


def _deal_extras(projects: list[Project], seed: int) -> None:
    rng = random.Random(sub_seed(seed, "extras"))
    for trait, share, pool in EXTRA_QUOTAS:
        free = [p for p in projects if _in_pool(p, pool)]
        for project in rng.sample(free, min(len(free), max(1, round(share * len(free))))):
            project.traits.add(trait)


def _in_pool(project: Project, pool: str) -> bool:
    if pool == "open":  # 公开招标 that no correction moves (a prequalification states no opening)
        moved = any(c.deadline for c in project.corrections)
        numbered = not project.traits & {"no-number", "no-number-tender"}
        return project.method == "公开招标" and not moved and numbered
    if pool == "large":
        return project.method == "公开招标" and "prequal" not in project.traits
    if pool == "contracted":
        return bool(project.contracts)
    return True
