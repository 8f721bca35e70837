"""The bureau site's data: 湛江市财政局's columns and every notice on them, from a seed.

Each notice draws its words from its own generator, seeded by (seed, column, serial), so a
notice does not change when others are added or hidden; ``as_of`` only filters.

Seeded violations (generators of their own, ``…:late``, so no other draw shifts): a few
documents whose 成文日期 lies 40–80 days before publication (``LATE_SHARE``), and the 2021
annual report published in March 2022 (``LATE_REPORT``). A moved notice keeps its place in the
build order (ids, 索引号 serials), so no other notice changes.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from replica import forms, genres, phrases
from replica.model import Attachment, Column, Notice
from replica.text import Context, Draft, doc_number

SITE = "zjczj"
PREFIX = "/czj/"
START, END = dt.date(2006, 1, 4), dt.date(2026, 9, 30)

# Landing pages of the breadcrumb levels above the columns.
XXGK = ("信息公开", "xxgk/index.shtml")
ZCFG = ("政策法规", "zcfg/index.shtml")
BSFW = ("办事服务", "bsfw/index.shtml")
YJSGK = ("预决算公开", "yjsgk/index.shtml")
GKML = ("政务公开目录", "col/col2800/index.html")
CHANNELS = dict((XXGK, ZCFG, BSFW, YJSGK, GKML))

COLUMNS = (
    Column("通知公告", "xxgk/tzgg/index.shtml", "trs", (XXGK,)),
    Column("政策解读", "zcfg/zcjd/index.shtml", "trs", (ZCFG,)),
    Column("财政要闻", "czyw/index.shtml", "trs", ()),
    Column("工作动态", "gzdt/index.shtml", "trs", (), charset="gb18030"),
    Column("办事指南", "bsfw/bszn/index.shtml", "trs", (BSFW,)),
    Column("部门预决算", "yjsgk/bmys/index.shtml", "trs", (YJSGK,)),
    Column("政府信息公开年报", "xxgk/ndbg/index.shtml", "trs", (XXGK,)),
    Column("机构职能", "col/col2801/index.html", "hanweb", (GKML,), col_id=2801),
    Column("规范性文件", "col/col2802/index.html", "hanweb", (GKML,), col_id=2802),
    Column("行政许可", "col/col2803/index.html", "hanweb", (GKML,), col_id=2803),
    Column("便民服务", "col/col2804/index.html", "hanweb", (GKML,), col_id=2804),
)
BY_NAME = {c.name: c for c in COLUMNS}

# Notices per scaled column at the default scale (the two fixed-form columns come on top).
BASE_COUNTS = {
    "通知公告": 90, "政策解读": 35, "财政要闻": 60, "工作动态": 60, "办事指南": 25,
    "机构职能": 12, "规范性文件": 60, "行政许可": 20, "便民服务": 33,
}  # fmt: skip
GENRES: dict[str, Callable[[Context], Draft]] = {
    "通知公告": genres.notice, "政策解读": genres.interpretation, "财政要闻": genres.news,
    "工作动态": genres.news, "办事指南": genres.guide, "机构职能": genres.duty,
    "规范性文件": genres.regulation, "行政许可": genres.permit, "便民服务": genres.service,
}  # fmt: skip
META_COLUMNS = {"通知公告", "政策解读", "部门预决算", "政府信息公开年报"}
ERA_COLUMNS = {"机构职能", "规范性文件", "行政许可", "便民服务"}  # the 2006-era 公开目录
ORG_CODE, CREDIT_CODE = "007049868", "11440800MB2C86912P"
#: Share of the notices with a 成文日期 whose 成文日期 is made 40–80 days older than publication
#: (late under the 20-working-day rule); budgets and annual reports are left alone.
LATE_SHARE = 0.03
LATE_DAYS = (40, 80)
LATE_FROM = dt.date(2008, 7, 21)  # a late 成文日期 still falls under the 2008 regulations
LATE_REPORT = 2021  # the annual report of this year is published in March of the next


@dataclass(frozen=True)
class Plan:
    """A notice to be: column, serial within it, date, and its genre with arguments."""

    column: Column
    serial: int
    date: dt.date
    make: Callable[[Context], Draft]
    published: dt.date | None = None  # a seeded late publication (``date`` keeps the order)


def build_notices(scale: int | None = None, seed: int = 2006) -> list[Notice]:
    """Every notice of the site, oldest first by planned date (``as_of`` is applied by the
    caller); a seeded late one keeps its planned place."""
    plans = sorted(_plans(scale, seed), key=lambda p: (p.date, p.column.path, p.serial))
    ids = _Counters(seed)
    notices = [_notice(plan, seed, ids) for plan in plans]
    _seed_late_doc_dates(notices, seed)
    return notices


def _seed_late_doc_dates(notices: list[Notice], seed: int) -> None:
    """Make ``LATE_SHARE`` of the notices with a 成文日期 (at least one) late: 成文日期 40–80
    days before publication. Budgets and annual reports are not touched (rules of their own)."""
    dated = [n for n in notices if n.doc_date is not None]
    candidates = [
        n for n in dated
        if n.column.name not in ("部门预决算", "政府信息公开年报") and n.publish_date >= LATE_FROM
    ]  # fmt: skip
    rng = random.Random(f"{seed}:doc-dates:late")
    count = min(len(candidates), max(1, round(LATE_SHARE * len(dated))))
    for notice in rng.sample(candidates, count):
        notice.doc_date = notice.publish_date - dt.timedelta(days=rng.randint(*LATE_DAYS))


def column_counts(scale: int | None) -> dict[str, int]:
    """Notices per scaled column for a requested total of about ``scale`` notices."""
    if scale is None:
        return dict(BASE_COUNTS)
    fixed = len(_fixed_plans(0))
    factor = max(scale - fixed, len(BASE_COUNTS)) / sum(BASE_COUNTS.values())
    return {name: max(1, round(n * factor)) for name, n in BASE_COUNTS.items()}


def _plans(scale: int | None, seed: int) -> list[Plan]:
    plans = _fixed_plans(seed)
    for name, count in column_counts(scale).items():
        column = BY_NAME[name]
        rng = random.Random(f"{seed}:dates:{column.path}")
        dates = sorted((_draw_date(rng, name) for _ in range(count)), reverse=True)
        plans += [Plan(column, i, d, GENRES[name]) for i, d in enumerate(dates)]
    return plans


def _fixed_plans(seed: int) -> list[Plan]:
    """Annual reports 2008-2025 (published in January after) and 部门预算 / 部门决算."""
    rng = random.Random(f"{seed}:fixed")
    reports = BY_NAME["政府信息公开年报"]
    budgets = BY_NAME["部门预决算"]
    plans = []
    for year in range(2025, 2007, -1):
        day = _workday(dt.date(year + 1, 1, rng.randint(8, 28)))
        late = None
        if year == LATE_REPORT:
            march = random.Random(f"{seed}:annual:late").randint(1, 28)
            late = _workday(dt.date(year + 1, 3, march))
        plans.append(Plan(reports, 2025 - year, day, _annual(year), late))
    entries = [
        (y, False, dt.date(y, rng.randint(2, 3), rng.randint(1, 28))) for y in range(2011, 2027)
    ]
    entries += [
        (y, True, dt.date(y + 1, rng.randint(8, 9), rng.randint(1, 28))) for y in range(2010, 2026)
    ]
    entries.sort(key=lambda e: e[2], reverse=True)
    for serial, (year, final, day) in enumerate(entries):
        plans.append(Plan(budgets, serial, _workday(day), _budget(year, final)))
    return plans


def _annual(year: int) -> Callable[[Context], Draft]:
    return lambda ctx: forms.annual_report(ctx, year)


def _budget(year: int, final: bool) -> Callable[[Context], Draft]:
    return lambda ctx: forms.budget(ctx, year, final)


def _draw_date(rng: random.Random, column: str) -> dt.date:
    first, last = START, END
    if column in ERA_COLUMNS:
        last = dt.date(2012, 12, 28) if rng.random() < 0.85 else END
    elif column == "政策解读":
        first = dt.date(2013, 1, 4)
    day = first + dt.timedelta(days=rng.randint(0, (last - first).days))
    return _workday(day)


def _workday(day: dt.date) -> dt.date:
    """Saturdays and Sundays move back to Friday: bureaus publish on working days."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


class _Counters:
    """Site-wide sequences: article ids per CMS, 索引号 serials per year, 文号 numbers."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"{seed}:ids")
        self.ids = {"trs": 10230, "hanweb": 4560}
        self.serials: dict[tuple[str, int], int] = {}

    def article_id(self, family: str) -> int:
        self.ids[family] += self.rng.randint(1, 37 if family == "trs" else 9)
        return self.ids[family]

    def next(self, key: tuple[str, int], step: int = 1) -> int:
        self.serials[key] = self.serials.get(key, 0) + step
        return self.serials[key]


def _notice(plan: Plan, seed: int, counters: _Counters) -> Notice:
    column, day = plan.column, plan.published or plan.date
    rng = random.Random(f"{seed}:{column.path}:{plan.serial}")
    has_meta = column.family == "hanweb" or (column.name in META_COLUMNS and day.year >= 2009)
    gbk = column.charset != "utf-8"
    ctx = Context(rng, day, rng.choice(phrases.TOPICS), gbk=gbk, refs=has_meta)
    draft = plan.make(ctx)
    if gbk and (plan.serial == 0 or rng.random() < 0.12):
        name = phrases.GBK_NAMES[0] if plan.serial == 0 else rng.choice(phrases.GBK_NAMES)
        draft.title = f"{name}副局长带队到{rng.choice(phrases.COUNTIES)}调研{ctx.topic}工作"
    path = _detail_path(column, day, counters.article_id(column.family))
    source = rng.choice(phrases.SOURCES)
    return Notice(
        column=column,
        key=f"{seed}:{path}",
        path=path,
        title=draft.title,
        publish_date=day,
        publish_time=None if column.family == "hanweb" else _clock(rng),
        source=source,
        publisher=draft.issuer if has_meta else source,
        author=_author(rng, column),
        doc_number=_doc_number(draft, has_meta, day.year, rng, counters),
        index_number=_index_number(day.year, counters) if has_meta else None,
        doc_date=day - dt.timedelta(days=rng.randint(0, 9)) if has_meta else None,
        has_meta=has_meta,
        body=tuple(draft.body),
        attachments=_attachments(draft.attachments, column, path, day, rng),
        topic=ctx.topic,
    )  # fmt: skip


def _clock(rng: random.Random) -> str:
    """An office-hours time of day, ``HH:MM``."""
    return f"{rng.randint(8, 18):02d}:{rng.randint(0, 59):02d}"


def _detail_path(column: Column, day: dt.date, article: int) -> str:
    if column.family == "hanweb":
        return f"art/{day.year}/{day.month}/{day.day}/art_{column.col_id}_{article}.html"
    return f"{column.dir}{day:%Y%m}/t{day:%Y%m%d}_{article}.shtml"


def _author(rng: random.Random, column: Column) -> str | None:
    roll = rng.random()
    if column.family == "hanweb" or roll < 0.35:
        return None
    if roll < 0.55:
        return rng.choice(phrases.DEPARTMENTS)
    return rng.choice(phrases.SURNAMES) + rng.choice(phrases.GIVEN)


def _doc_number(
    draft: Draft, has_meta: bool, year: int, rng: random.Random, counters: _Counters
) -> str | None:
    """A 文号 only where the page shows the metadata block (else it is nowhere to be read)."""
    if not (has_meta and draft.doc_prefix):
        return None
    return doc_number(
        draft.doc_prefix, year, counters.next((draft.doc_prefix, year), rng.randint(1, 6))
    )


def _index_number(year: int, counters: _Counters) -> str:
    org = ORG_CODE if year < 2016 else CREDIT_CODE
    return f"{org}/{year}-{counters.next(('index', year)):05d}"


def _attachments(
    names: list[str], column: Column, path: str, day: dt.date, rng: random.Random
) -> tuple[Attachment, ...]:
    files = []
    for name in names:
        ext = name.rsplit(".", 1)[1]
        if column.family == "hanweb":
            file = (
                f"module/download/downfile.jsp?classid=0&filename={rng.getrandbits(128):032x}.{ext}"
            )
        else:
            file = f"{path.rsplit('/', 1)[0]}/P0{day:%Y%m%d}{rng.randint(10**11, 10**12 - 1)}.{ext}"
        files.append(Attachment(name, file))
    return tuple(files)
