"""Pieces every announcement builder uses: the record's procurement object, the page's
data-level dirt (``Look``), dates as pages write them, summary rows and contact sections.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from replica.model import Para
from replica.procurement import money
from replica.procurement.catalog import Agency
from replica.procurement.model import Project, SummaryRow
from replica.text import ordinal

# Labels written with spaces inside on some pages (the spaces survive normalization).
SPACED = {
    "项目编号": "项目 编号",
    "项目名称": "项目 名称",
    "名称": "名 称",
    "地址": "地 址",
    "采购人": "采 购 人",
    "预算金额": "预算 金额",
    "采购单位名称": "采购单位 名称",
}


def fields(kind: str, **values: Any) -> dict[str, Any]:
    """The record's ``procurement`` object: every field, defaults null / empty."""
    record: dict[str, Any] = {
        "announcement_type": kind,
        "procurement_method": None,
        "project_number": None,
        "project_name": None,
        "purchaser": None,
        "agency": None,
        "region": None,
        "budget_amount": None,
        "bid_deadline": None,
        "bid_opening": None,
        "award_amount": None,
        "award_suppliers": [],
        "awards": [],
        "award_date": None,
        "contract_date": None,
        "contract_amount": None,
        "experts": [],
        "intent_items": [],
        "conflicts": [],
    }
    unknown = set(values) - set(record)
    if unknown:
        raise KeyError(unknown)
    return record | values


def base_fields(kind: str, project: Project, numbered: bool = True, **values: Any) -> dict:
    """Fields every project page shows: number (unless left out), name, purchaser, agency."""
    return fields(
        kind,
        project_number=project.number if numbered else None,
        project_name=project.name,
        purchaser=project.purchaser.name,
        agency=project.agency.name if project.agency else None,
        region=project.purchaser.region,
        **values,
    )


@dataclass(frozen=True)
class Look:
    """Dirt decided with the data (it shows in the body text the truth holds)."""

    spaced_labels: bool = False  # ``项目 编号：``
    spaced_name: bool = False  # ``湛江市 第一中学``
    padded_experts: bool = False  # ``张  华、肖  静、舒良举`` (two-character names padded)

    @classmethod
    def draw(cls, rng: random.Random) -> Look:
        return cls(rng.random() < 0.12, rng.random() < 0.08, rng.random() < 0.5)

    def label(self, text: str) -> str:
        return SPACED.get(text, text) if self.spaced_labels else text

    def name(self, text: str) -> str:
        """A unit's name, sometimes with a space after the city (``湛江市 第一中学``)."""
        if not self.spaced_name or len(text) < 6:
            return text
        cut = 3 if text.startswith("湛江市") else 2
        return f"{text[:cut]} {text[cut:]}"

    def experts(self, names: tuple[str, ...], summary: bool = False) -> str:
        """Names joined by ``、``; padded ones keep two spaces in the summary table."""
        gap = "  " if summary else " "
        shown = [f"{n[0]}{gap}{n[1]}" if self.padded_experts and len(n) == 2 else n for n in names]
        return "、".join(shown)


def cn_date(day: dt.date) -> str:
    """``2025年03月04日``."""
    return f"{day.year}年{day.month:02d}月{day.day:02d}日"


def cn_moment(moment: dt.datetime) -> str:
    """``2025年03月24日 09点30分（北京时间）``."""
    return f"{cn_date(moment.date())} {moment:%H}点{moment:%M}分（北京时间）"


def iso_moment(moment: dt.datetime) -> str:
    """``2025-03-24 09:30`` (the record's form)."""
    return f"{moment:%Y-%m-%d %H:%M}"


def summary_moment(day: dt.date, time: str) -> str:
    """``2025年03月24日  09:30`` (the summary table's 公告时间, two spaces as ccgp writes it)."""
    return f"{cn_date(day)}  {time}"


def heading(index: int, text: str) -> Para:
    """``一、项目基本情况`` in bold."""
    return Para(f"{ordinal(index)}、{text}", heading=True)


def labelled(look: Look, label: str, value: str) -> Para:
    return Para(f"{look.label(label)}：{value}")


def head_rows(project: Project, look: Look, day: dt.date, time: str | None) -> list[SummaryRow]:
    """公告信息 rows shared by every project page: name, purchaser, region and time."""
    rows: list[SummaryRow] = [
        "公告信息：",
        (("采购项目名称", project.name),),
        (("采购单位", look.name(project.purchaser.name)),),
    ]
    region = ("行政区域", project.purchaser.region)
    rows.append((region, ("公告时间", summary_moment(day, time))) if time else (region,))
    return rows


def agency_rows(agency: Agency | None, phone: str) -> list[SummaryRow]:
    if agency is None:
        return []
    return [
        (("代理机构名称", agency.name),),
        (("代理机构地址", agency.address),),
        (("代理机构联系方式", phone),),
    ]


def contact_rows(project: Project, look: Look) -> list[SummaryRow]:
    """联系人及联系方式 rows of the summary table."""
    purchaser = project.purchaser
    rows: list[SummaryRow] = [
        "联系人及联系方式：",
        (("项目联系人", project.contact),),
        (("项目联系电话", project.phone),),
        (("采购单位", look.name(purchaser.name)),),
        (("采购单位地址", purchaser.address),),
        (("采购单位联系方式", project.phone),),
    ]
    return rows + agency_rows(project.agency, agency_phone(project))


def agency_phone(project: Project) -> str:
    return project.phone[:-3] + f"{(project.serial * 7) % 1000:03d}"


def contacts(project: Project, look: Look) -> list[Para]:
    """``1.采购人信息`` / ``2.采购代理机构信息`` / ``3.项目联系方式`` (2020 format)."""
    purchaser = project.purchaser
    lines = [
        Para("1.采购人信息"),
        labelled(look, "名称", look.name(purchaser.name)),
        labelled(look, "地址", purchaser.address),
        Para(f"联系方式：{project.phone}"),
    ]
    step = 2
    if project.agency:
        lines += [
            Para("2.采购代理机构信息"),
            labelled(look, "名称", project.agency.name),
            labelled(look, "地址", project.agency.address),
            Para(f"联系方式：{agency_phone(project)}"),
        ]
        step = 3
    lines += [
        Para(f"{step}.项目联系方式"),
        Para(f"项目联系人：{project.contact}"),
        Para(f"电话：{project.phone}"),
    ]
    return lines


def amount_line(rng: random.Random, fen: int, forms: tuple[str, ...] = money.LINE_FORMS) -> str:
    """The amount in one of ``forms``; the capital-numeral form only for whole yuan."""
    usable = [f for f in forms if f != "upper" or fen % 100 == 0]
    return money.line(fen, rng.choice(usable))


def signature(project: Project, day: dt.date) -> list[Para]:
    """The closing lines: who publishes, and the date."""
    who = project.agency.name if project.agency else project.purchaser.name
    return [Para(who, align="right"), Para(cn_date(day), align="right")]
