"""What makes a project unusual, dealt out by quota so every trait appears at every scale.

| trait | effect |
|---|---|
| ``terminated`` | a 终止 / 废标 notice instead of award and contract |
| ``sole`` | 单一来源 (公示 instead of a tender) |
| ``rate`` | awarded by 下浮率 / 折扣率 / 优惠率, no amounts |
| ``multi`` | several lots (标包 A–D), some with several winners |
| ``conflict`` | the award's summary 总中标金额 differs from the body's total |
| ``late-award`` / ``late-contract`` | published 4–9 working days after determination / signing |
| ``late-intent`` | the intent only 10–15 days before the tender |
| ``no-contract`` / ``no-intent`` | that announcement is never published |
| ``no-number-tender`` / ``-award`` / ``no-number`` | that page (every page) omits 项目编号 |
| ``short-tender`` | 公开招标 since 2020 only: the bid deadline at most 15 days after the tender |

Traits are dealt in ``QUOTAS`` order from one generator: a trait added later goes at the end,
so the traits dealt before it do not change.
"""

from __future__ import annotations

import datetime as dt
import random

INTENTS_FROM = dt.date(2021, 1, 1)  # intents are due for tenders since then (财库〔2020〕10号)

# (trait, share of its pool, pool, traits it excludes); dealt in this order.
QUOTAS: tuple[tuple[str, float, str, tuple[str, ...]], ...] = (
    ("terminated", 0.08, "all", ()),
    ("sole", 0.07, "all", ("terminated",)),
    ("rate", 0.05, "all", ("terminated", "sole")),
    ("multi", 0.12, "all", ("terminated", "sole", "rate")),
    ("conflict", 0.03, "all", ("terminated", "rate")),
    ("late-award", 0.07, "all", ("terminated",)),
    ("no-contract", 0.07, "all", ("terminated",)),
    ("late-contract", 0.07, "all", ("terminated", "no-contract")),
    ("no-intent", 0.08, "intent", ()),
    ("late-intent", 0.08, "intent", ("no-intent",)),
    ("no-number-tender", 0.01, "all", ()),
    ("no-number-award", 0.01, "all", ("terminated", "no-number-tender")),
    ("no-number", 0.005, "all", ("no-number-tender", "no-number-award")),
    ("short-tender", 0.08, "all", ("sole",)),  # takes effect on 公开招标 projects only
)


def deal(days: list[dt.date], seed: int) -> list[set[str]]:
    """Traits for projects tendered on ``days`` (one set per project, same order)."""
    rng = random.Random(f"{seed}:ccgp:traits")
    marks: list[set[str]] = [set() for _ in days]
    for trait, share, pool, excluded in QUOTAS:
        free = [
            i
            for i, day in enumerate(days)
            if (pool == "all" or day >= INTENTS_FROM) and not marks[i] & set(excluded)
        ]
        count = min(len(free), max(1, round(share * len(free))))
        for index in rng.sample(free, count):
            marks[index].add(trait)
    return marks
