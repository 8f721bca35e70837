"""Deterministic Chinese text: template slots, dates and numbers written the way notices write them.

Templates are ``str.format`` strings whose fields are filled from a notice's context (``year``,
``topic``, ``date`` …) or drawn from the phrase banks by the notice's own random generator.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from replica import phrases
from replica.model import Block

CN_DIGITS = "〇一二三四五六七八九"
CN_ORDINALS = (
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二", "十三", "十四",
    "十五", "十六", "十七", "十八", "十九", "二十",
)  # fmt: skip


@dataclass
class Context:
    """What a notice's text is about, and the generator that draws its words."""

    rng: random.Random
    date: dt.date
    topic: str
    gbk: bool = False  # may use characters outside GB2312 (the GBK column)
    refs: bool = False  # may cite other documents' 文号 in the body

    @property
    def year(self) -> int:
        return self.date.year


@dataclass
class Draft:
    """A generated notice before it gets a URL: title, body and what the genre asks for."""

    title: str
    body: list[Block]
    doc_prefix: str | None = None  # the notice needs a 文号 with this prefix
    issuer: str = phrases.BUREAU
    attachments: list[str] = field(default_factory=list)  # attachment link texts


class Slots(dict):
    """Template fields: fixed values first, anything else drawn from the banks on demand."""

    def __init__(self, ctx: Context, **fixed: object) -> None:
        defaults = {
            "year": ctx.year,
            "lastyear": ctx.year - 1,
            "topic": ctx.topic,
            "date": cn_month_day(ctx.date),
        }
        super().__init__(defaults | fixed)
        self.ctx = ctx

    def __missing__(self, key: str) -> str:
        rng = self.ctx.rng
        draw = {
            "month": lambda: str(rng.randint(1, 12)),
            "deadline": lambda: cn_month_day(
                self.ctx.date + dt.timedelta(days=rng.randint(10, 40))
            ),
            "day": lambda: str(rng.randint(1, 28)),
            "count": lambda: str(rng.randint(5, 320)),
            "small": lambda: rng.choice("二三四五"),
            "amount": lambda: amount(rng),
            "rate": lambda: f"{rng.randint(1, 24)}.{rng.randint(0, 9)}",
            "county": lambda: rng.choice(phrases.COUNTIES),
            "dept": lambda: rng.choice(phrases.DEPARTMENTS),
            "law": lambda: rng.choice(phrases.LAWS),
            "measure": lambda: rng.choice(phrases.MEASURES),
            "name": lambda: person(self.ctx),
            "phone": lambda: phone(rng),
        }
        if key not in draw:
            raise KeyError(key)
        return draw[key]()


def fill(ctx: Context, template: str, **fixed: object) -> str:
    """The template with its fields filled."""
    return template.format_map(Slots(ctx, **fixed))


def pick(ctx: Context, templates: tuple[str, ...], **fixed: object) -> str:
    """One of the templates, filled."""
    return fill(ctx, ctx.rng.choice(templates), **fixed)


def amount(rng: random.Random) -> str:
    """An amount in 万元 with two decimals, e.g. ``3521.07``."""
    return f"{rng.randint(12, 98000)}.{rng.randint(0, 99):02d}"


def phone(rng: random.Random) -> str:
    return f"0759-3{rng.randint(100000, 399999)}"


def person(ctx: Context) -> str:
    """A (fictional) official's name; the GBK column sometimes uses a name outside GB2312."""
    rng = ctx.rng
    if ctx.gbk and rng.random() < 0.3:
        return rng.choice(phrases.GBK_NAMES)
    return rng.choice(phrases.SURNAMES) + rng.choice(phrases.GIVEN)


def cn_date(day: dt.date) -> str:
    """``2006年9月7日``."""
    return f"{day.year}年{day.month}月{day.day}日"


def cn_month_day(day: dt.date) -> str:
    """``9月7日``."""
    return f"{day.month}月{day.day}日"


def cn_number(n: int) -> str:
    """1-31 in Chinese numerals: 七, 十, 十二, 二十, 三十一."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN_DIGITS[tens] + "十")
    return head + (CN_DIGITS[ones] if ones else "")


def cn_numeral_date(day: dt.date) -> str:
    """``二〇〇六年九月七日``."""
    year = "".join(CN_DIGITS[int(d)] for d in str(day.year))
    return f"{year}年{cn_number(day.month)}月{cn_number(day.day)}日"


def ordinal(i: int) -> str:
    """一, 二, 三 … for numbered headings (1-based)."""
    return CN_ORDINALS[i - 1]


def doc_number(prefix: str, year: int, number: int) -> str:
    """A canonical 文号: ``湛财预〔2006〕7号``."""
    return f"{prefix}〔{year}〕{number}号"
