"""A site's documents from a seed: what each column and the gkmlpt catalogue publish.

Each document draws its words and choices from its own generator, seeded by (seed, site, what
it is), so ``as_of`` only hides documents and never changes one. Post ids (and attachment and
image ids) grow with the publication moment across the site, as the platform's do; they are
spread over the site's id range with gaps (the posts of columns the replica does not serve).

Seeded violation (a generator of its own, ``…:late``, so no other draw shifts): ``LATE_SHARE``
of the documents the list API serves (with a 成文日期 in the truth; at least one) get a 成文日期
40–80 days before publication, late under the 20-working-day rule; budgets and annual reports
are left alone, and the 成文日期 stays in its year (索引号 and 文号 keep their year).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections.abc import Callable
from dataclasses import dataclass, replace

from replica import phrases
from replica.gdsite import words
from replica.gdsite.catalog import PER_PAGE
from replica.gdsite.model import OPTIONAL, Attach, Doc, Image
from replica.gdsite.spec import Category, GdColumn, SiteSpec
from replica.text import Context, Draft

START, END = dt.datetime(2019, 1, 2, 8), dt.datetime(2026, 9, 30, 18)
SCALE_UNIT = 445  # the bureau's default size: --scale N grows these sites by N / 445
YEARS = range(2019, 2027)
DEPARTMENTS = (
    "财政局", "教育局", "卫生健康局", "民政局", "交通运输局", "自然资源局", "农业农村局",
    "人力资源和社会保障局", "住房和城乡建设局", "生态环境局", "水务局", "商务局", "审计局",
    "文化广电旅游体育局", "应急管理局", "市场监督管理局", "统计局", "司法局", "科学技术局",
    "工业和信息化局", "发展和改革局", "退役军人事务局", "林业局", "医疗保障局", "信访局",
    "城市管理和综合执法局", "政务服务和数据管理局", "机关事务管理局", "档案馆", "公安局",
)  # fmt: skip
SUBUNITS = ("机关", "机关服务中心", "信息中心", "综合服务中心", "执法支队", "监测中心")
LATE_SHARE = 0.03
LATE_DAYS = (40, 80)
THEMES = {
    "notice": "财政、金融、审计", "policy": "财政、金融、审计", "budget": "财政、金融、审计",
    "news": "综合政务", "annual": "综合政务", "duty": "综合政务", "personnel": "劳动、人事、监察",
}  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """A document to be: where it goes, its key, day and genre."""

    key: str
    genre: str
    column: GdColumn | None
    leaf: str | None  # gkmlpt category key of a gkmlpt-only document
    day: dt.date
    make: Callable[[Context], Draft]
    publisher: str
    budget: str = ""  # ys or js for budget documents


def build_docs(spec: SiteSpec, scale: int | None, seed: int) -> list[Doc]:
    """Every document of the site, oldest first (``as_of`` is applied by the caller)."""
    factor = 1.0 if scale is None else scale / SCALE_UNIT
    plans = _column_plans(spec, factor, seed) + _catalogue_plans(spec, factor, seed)
    docs = [_draft_doc(spec, plan, seed) for plan in plans]
    docs.sort(key=lambda d: (d.moment, d.key))
    docs = _number(spec, docs)
    _seed_late_doc_dates(spec, docs, seed)
    return docs


def _seed_late_doc_dates(spec: SiteSpec, docs: list[Doc], seed: int) -> None:
    """Among the documents the list API serves when nothing is hidden (the newest
    ``served_pages × 100`` it lists: those with a 成文日期 in the truth), make ``LATE_SHARE``
    (at least one) late: 成文日期 40–80 days before publication. Only documents published
    after early April qualify, so the 成文日期 keeps its year."""
    listed = sorted((d for d in docs if d.leaf), key=lambda d: (d.moment, d.post_id))[::-1]
    served = listed[: spec.served_pages * PER_PAGE]
    candidates = [
        d for d in served
        if not (d.column and d.column.genre == "budget") and d.leaf and d.leaf.key != "annual"
        and d.publish_date.timetuple().tm_yday > LATE_DAYS[1] + 15
    ]  # fmt: skip
    rng = random.Random(f"{seed}:{spec.name}:doc-dates:late")
    count = min(len(candidates), max(1, round(LATE_SHARE * len(served))))
    for doc in rng.sample(candidates, count):
        doc.doc_date = doc.publish_date - dt.timedelta(days=rng.randint(*LATE_DAYS))


def scaled(count: int, factor: float) -> int:
    return max(1, round(count * factor))


def unit_name(spec: SiteSpec, index: int) -> str:
    """The ``index``-th budget unit of a city: its departments, then their sub-units."""
    dept = spec.city + DEPARTMENTS[index % len(DEPARTMENTS)]
    rank = index // len(DEPARTMENTS)
    if rank == 0:
        return dept
    return (
        dept + SUBUNITS[(rank - 1) % len(SUBUNITS)] + ("" if rank <= len(SUBUNITS) else str(rank))
    )


# -- plans ----------------------------------------------------------------------------------
def _column_plans(spec: SiteSpec, factor: float, seed: int) -> list[Plan]:
    plans: list[Plan] = []
    for column in spec.columns:
        if column.genre == "budget":
            plans += _budget_plans(spec, column, factor, seed)
            continue
        rng = random.Random(f"{seed}:{spec.name}:dates:{column.path}")
        for serial in range(scaled(column.count, factor)):
            make = _genre(spec, column.genre, spec.org)
            key = f"{column.path}{serial}"
            plans.append(Plan(key, column.genre, column, None, _any_day(rng), make, spec.org))
    return plans


def _budget_plans(spec: SiteSpec, column: GdColumn, factor: float, seed: int) -> list[Plan]:
    rng = random.Random(f"{seed}:{spec.name}:dates:{column.path}")
    city = column.scope in ("city", "all")
    depts = 0 if column.scope == "city" else scaled(spec.units - (1 if city else 0), factor)
    units = ([spec.city] if city else []) + [unit_name(spec, i) for i in range(depts)]
    plans = []
    for unit in units:
        for year in YEARS:
            for kind, final in (("ys", False), ("js", True)):
                if (column.budgets if kind == "ys" else column.finals) is False:
                    continue
                make = _budget_maker(spec, unit, year - final, kind)
                day = _budget_day(rng, year - final, final, unit == spec.city)
                publisher = spec.org if unit == spec.city else unit
                key = f"{column.path}{unit}:{kind}:{year - final}"
                plans.append(Plan(key, "budget", column, None, day, make, publisher, kind))
        if column.scope == "city":
            for year in YEARS:
                if rng.random() < 0.5 and dt.date(year, 11, 30) <= END.date():
                    day = _workday(dt.date(year, rng.randint(8, 11), rng.randint(1, 28)))
                    make = _budget_maker(spec, unit, year, "adjust")
                    key = f"{column.path}adjust:{year}"
                    plans.append(Plan(key, "budget", column, None, day, make, spec.org, "ys"))
    return plans


def _catalogue_plans(spec: SiteSpec, factor: float, seed: int) -> list[Plan]:
    """Documents only the gkmlpt catalogue lists: annual reports and the ``only_gkmlpt`` ones."""
    rng = random.Random(f"{seed}:{spec.name}:dates:gkmlpt")
    plans = []
    for year in range(2019, 2026):
        day = _workday(dt.date(year + 1, rng.randint(1, 3), rng.randint(10, 28)))
        make = _fixed(words.annual, spec, year)
        plans.append(Plan(f"gkmlpt:annual:{year}", "annual", None, "annual", day, make, spec.org))
    for leaf, count in spec.only_gkmlpt:
        genre = {"regulation": "policy", "other-file": "policy"}.get(leaf, leaf)
        for serial in range(scaled(count, factor)):
            other = spec.portal and leaf in ("notice", "other-file") and serial % 3 != 0
            publisher = words.other_publisher(spec, serial) if other else spec.org
            make = _genre(spec, genre, publisher)
            key = f"gkmlpt:{leaf}:{serial}"
            plans.append(Plan(key, genre, None, leaf, _any_day(rng), make, publisher))
    return plans


def _genre(spec: SiteSpec, genre: str, publisher: str) -> Callable[[Context], Draft]:
    if genre == "notice":
        return lambda ctx: words.notice(ctx, spec, publisher)
    makers = {"policy": words.policy, "news": words.news, "duty": words.duty,
              "personnel": words.personnel}  # fmt: skip
    return lambda ctx: makers[genre](ctx, spec)


def _budget_maker(spec: SiteSpec, unit: str, year: int, kind: str) -> Callable[[Context], Draft]:
    if unit == spec.city:
        return _fixed(words.city_budget, spec, year, kind)
    return lambda ctx: words.budget(ctx, spec, unit, year, kind == "js")


def _fixed(make: Callable[..., Draft], *args: object) -> Callable[[Context], Draft]:
    return lambda ctx: make(ctx, *args)


def _any_day(rng: random.Random) -> dt.date:
    first, last = START.date(), END.date()
    return _workday(first + dt.timedelta(days=rng.randint(0, (last - first).days)))


def _budget_day(rng: random.Random, year: int, final: bool, city: bool) -> dt.date:
    """预算 in February–March of the year (the city's report in January–February), 决算 in
    August–September of the next (the city's in July–August)."""
    if final:
        month = rng.randint(7, 8) if city else rng.randint(8, 9)
        return _workday(dt.date(year + 1, month, rng.randint(1, 28)))
    month = rng.randint(1, 2) if city else rng.randint(2, 3)
    return _workday(dt.date(year, month, rng.randint(1, 28)))


def _workday(day: dt.date) -> dt.date:
    """Saturdays and Sundays move back to Friday."""
    return day - dt.timedelta(days=max(0, day.weekday() - 4))


# -- documents ------------------------------------------------------------------------------
def _draft_doc(spec: SiteSpec, plan: Plan, seed: int) -> Doc:
    rng = random.Random(f"{seed}:{spec.name}:{plan.key}")
    ctx = Context(rng, plan.day, rng.choice(phrases.TOPICS))
    draft = plan.make(ctx)
    moment = dt.datetime.combine(plan.day, dt.time(rng.randint(8, 17), rng.randint(0, 59)))
    moment += dt.timedelta(seconds=rng.randint(0, 59))
    leaf = _leaf(spec, plan, rng)
    listed_column = plan.column is not None and leaf is not None
    absent = {f for f, p in zip(OPTIONAL, (0.05, 0.06, 0.05, 0.25, 0.3, 0.1), strict=True)
              if (listed_column or f in ("keywords", "abstract", "classify_theme_name"))
              and rng.random() < p}  # fmt: skip
    first = next((b.text for b in draft.body if hasattr(b, "text") and len(b.text) > 20), "")
    old_policy = plan.genre == "policy" and plan.day.year < 2022
    return Doc(
        key=f"{seed}:{spec.name}:{plan.key}",
        post_id=0,
        column=plan.column,
        leaf=leaf,
        title=draft.title,
        moment=moment,
        source=_source(spec, plan, rng),
        publisher=plan.publisher,
        doc_number=draft.doc_prefix,  # the prefix until numbered
        gk_doc_number="",
        identifier="",
        doc_date=plan.day - dt.timedelta(days=rng.randint(0, 12)),
        keywords=f"{ctx.topic} {draft.title[-2:]}" if rng.random() < 0.8 else "",
        abstract=first[:60] if rng.random() < 0.4 else "",
        genre_name=_genre_name(plan.genre, draft.title),
        theme_name=THEMES[plan.genre],
        body=tuple(draft.body),
        attachments=_attachments(draft.attachments, plan.genre, rng),
        images=_images(len(draft.body), plan.genre, rng),
        chrome=rng.random() < 0.25,
        absent=frozenset(absent),
        expired=old_policy and rng.random() < 0.15,
        abolished=old_policy and rng.random() < 0.1,
    )  # fmt: skip


def _leaf(spec: SiteSpec, plan: Plan, rng: random.Random) -> Category | None:
    if plan.column is None:
        return spec.category(plan.leaf or "notice")
    if rng.random() >= plan.column.listed:
        return None
    if plan.genre == "budget":
        return spec.category(plan.budget)
    if plan.genre == "policy":
        return spec.category("regulation" if rng.random() < 0.6 else "other-file")
    return spec.category(plan.column.leaf)


def _source(spec: SiteSpec, plan: Plan, rng: random.Random) -> str:
    """来源 on the page: 本网, the publisher, or (news) the city paper."""
    roll = rng.random()
    if roll < 0.4:
        return "本网"
    if plan.genre == "news" and roll < 0.55:
        return spec.city.removesuffix("市") + "日报"
    return plan.publisher


def _genre_name(genre: str, title: str) -> str:
    for word in ("通知", "公告", "公示", "报告", "办法"):
        if title.endswith(word):
            return word
    return "报告" if genre in ("budget", "annual") else "其他"


def _attachments(names: list[str], genre: str, rng: random.Random) -> tuple[Attach, ...]:
    """Links at the end of the body; budget papers often repeat the first one at the top with
    empty link text (as the 湛江 sample does)."""
    out = [Attach(0, name, rng.randint(20_000, 900_000), rng.random() < 0.3, False)
           for name in names]  # fmt: skip
    if out and genre == "budget" and rng.random() < 0.4:
        out.insert(
            0, replace(out[0], size=rng.randint(20_000, 900_000), empty_text=True, lead=True)
        )
    return tuple(out)


def _images(blocks: int, genre: str, rng: random.Random) -> tuple[Image, ...]:
    if genre not in ("news", "budget") or rng.random() < 0.6:
        return ()
    spots = sorted(rng.sample(range(blocks), min(blocks, rng.randint(1, 2))))
    return tuple(
        Image(0, f"图片{i}.png", after, rng.randint(400, 680), rng.randint(200, 420))
        for i, after in enumerate(spots, start=1)
    )


# -- ids ------------------------------------------------------------------------------------
def _number(spec: SiteSpec, docs: list[Doc]) -> list[Doc]:
    """Post, attachment and image ids by publication order; 文号 and 索引号 serials."""
    posts = _Ids(spec.posts, len(docs))
    files = _Ids(spec.attachment_ids, sum(len(d.attachments) for d in docs))
    images = _Ids(spec.image_ids, sum(len(d.images) for d in docs))
    serials: dict[tuple[str, int], int] = {}
    for doc in docs:
        frac = (doc.moment - START) / (END - START)
        doc.post_id = posts.next(frac)
        doc.attachments = tuple(replace(a, aid=files.next(frac)) for a in doc.attachments)
        doc.images = tuple(replace(i, iid=images.next(frac)) for i in doc.images)
        year = doc.doc_date.year
        code = spec.credit_code if doc.publisher == spec.org else _credit_code(doc.publisher)
        doc.identifier = f"{code}/{year}-{_serial(serials, (code, year), 1):05d}"
        if doc.doc_number:
            prefix, rng = doc.doc_number, random.Random(doc.key + ":number")
            number = _serial(serials, (prefix, year), rng.randint(1, 4))
            doc.doc_number = f"{prefix}〔{year}〕{number}号"
            left, right = rng.choice((("〔", "〕"), ("〔", "〕"), ("[", "]"), ("（", "）")))
            doc.gk_doc_number = f"{prefix}{left}{year}{right}{number}号"
    return docs


class _Ids:
    """Increasing ids in ``span`` for ``count`` items, placed by their share of the period."""

    def __init__(self, span: tuple[int, int], count: int) -> None:
        self.low, self.room, self.taken = span[0], span[1] - span[0] - count, 0

    def next(self, frac: float) -> int:
        value = self.low + int(min(max(frac, 0.0), 1.0) * self.room) + self.taken
        self.taken += 1
        return value


def _serial(serials: dict, key: tuple[str, int], step: int) -> int:
    serials[key] = serials.get(key, 0) + step
    return serials[key]


def _credit_code(name: str) -> str:
    """A department's (fictional) 统一社会信用代码, stable for its name."""
    return "114400" + hashlib.blake2b(name.encode(), digest_size=6).hexdigest().upper()
