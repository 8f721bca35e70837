"""政府采购意向 pages: one table per purchasing unit, no summary table.

INFERRED: no real intent page was available; columns follow the national intent format
(序号 · 采购项目名称 · 采购需求概况 · 预算金额（万元） · 预计采购时间（填写到月） · 备注).
"""

from __future__ import annotations

import random

from replica.model import Block, Para, Table
from replica.procurement import common, money
from replica.procurement.common import Look
from replica.procurement.model import Draft, Intent, IntentItem

HEADER = (
    "序号",
    "采购项目名称",
    "采购需求概况",
    "预算金额（万元）",
    "预计采购时间（填写到月）",
    "备注",
)


def half_name(first_half: bool) -> str:
    return "1至6月" if first_half else "7至12月"


def intent(notice: Intent, seed: int) -> Draft:
    """The intent notice's draft."""
    day = notice.planned or notice.date  # a late intent keeps the draws of its planned day
    rng = random.Random(f"{seed}:ccgp:intent:{notice.purchaser.name}:{day}")
    look = Look.draw(rng)
    unit = notice.purchaser.name
    period = f"{notice.year}年{half_name(notice.first_half)}"
    rows = [HEADER] + [_row(i, item, rng) for i, item in enumerate(notice.items, start=1)]
    body: list[Block] = [
        Para(f"为便于供应商及时了解政府采购信息，根据《财政部关于开展政府采购意向公开工作的通知》"
             f"（财库〔2020〕10号）等有关规定，现将{unit}{period}采购意向公开如下："),
        Para(look.name(unit), heading=True, align="center"),
        Table(tuple(rows)),
        Para("本次公开的采购意向是本单位政府采购工作的初步安排，具体采购项目情况以相关采购公告和"
             "采购文件为准。"),
        Para(unit, align="right"),
        Para(common.cn_date(notice.date), align="right"),
    ]  # fmt: skip
    fields = common.fields(
        "intent",
        purchaser=unit,
        intent_items=[
            {
                "project_name": item.name,
                "budget_amount": money.to_yuan(item.budget),
                "expected_month": f"{item.month:%Y-%m}",
            }
            for item in notice.items
        ],
    )
    return Draft(
        kind="intent",
        category="采购意向",
        date=notice.date,
        time=notice.time,
        title=f"{unit}{period}政府采购意向" + ("（补充）" if notice.supplement else ""),
        body=body,
        summary=[],
        fields=fields,
        projects=notice.projects,
        order=-1,
        placed=notice.planned,
    )


def _row(index: int, item: IntentItem, rng: random.Random) -> tuple[str, ...]:
    month = item.month
    when = f"{month.year}年{month.month}月" if rng.random() < 0.7 else f"{month:%Y}年{month:%m}月"
    return (str(index), item.name, item.need, money.wan(item.budget), when, item.note or "无")
