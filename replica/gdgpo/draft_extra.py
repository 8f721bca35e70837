"""Announcements the platform has and the ccgp replica does not: 资格预审公告, 采购计划,
采购需求 and 验收公告 (each a ``Draft`` like the ccgp builders make, with its procurement object).

INFERRED: no real page of these kinds was available. The 资格预审公告 follows the 2020 national
format's tender sections (资格预审 in place of 招标); the others are laid out as numbered
labelled lines (项目编号, 项目名称, 采购人, 采购方式, 预算金额 …) like the 2020 format.
None of them shows a bid deadline or opening: a prequalification's deadline is for
applications, not bids.
"""

from __future__ import annotations

import datetime as dt
import random

from replica.model import Block, Para
from replica.procurement import calendar, common, money
from replica.procurement.common import Look, cn_date, cn_moment, heading, labelled
from replica.procurement.draft_tender import HOURS, PORTAL
from replica.procurement.model import Draft, Project
from replica.procurement.projects import clock
from replica.text import ordinal

START = dt.date(2020, 1, 1)  # the platform's first day (before: www.gdgpo.gov.cn)
END = dt.date(2026, 9, 30)  # nothing is published after this (as on the ccgp site)
CATEGORY = {
    "prequal": "资格预审",
    "plan": "采购计划",
    "demand": "采购需求",
    "acceptance": "验收公告",
}
VERDICTS = (
    "验收合格，供应商已按合同约定履行义务。",
    "经验收小组验收，各项指标符合合同及采购文件要求，验收合格。",
)


def prequal(project: Project, seed: int) -> Draft:
    """The 资格预审公告 a ``prequal`` project publishes instead of its tender announcement."""
    rng = random.Random(f"{seed}:gdgpo:prequal:{project.serial}")
    look = Look.draw(rng)
    day = project.tender_date
    due = dt.datetime.combine(calendar.add_workdays(day, 7), dt.time(17, 0))
    body: list[Block] = [
        Para("项目概况", heading=True),
        Para(f"{project.name}的潜在资格预审申请人应在{PORTAL}获取资格预审文件，"
             f"并于{cn_moment(due)}前提交资格预审申请文件。"),
        heading(1, "项目基本情况"),
        *_basics(project, look, rng, numbered=True),
        Para(f"采购需求：{project.item.need}。"),
        Para(f"合同履行期限：自合同签订之日起{rng.choice((12, 24))}个月。"),
        heading(2, "申请人的资格要求："),
        Para("1.满足《中华人民共和国政府采购法》第二十二条规定；"),
        Para("2.本项目的特定资格要求：无。"),
        Para(f"{ordinal(3)}、资格预审方法：合格制。", heading=True),
        heading(4, "获取资格预审文件"),
        Para(f"时间：{cn_date(project.docs[0])}至{cn_date(project.docs[1])}，{HOURS}"),
        Para(f"地点：{PORTAL}"),
        Para("方式：在线获取"),
        heading(5, "资格预审申请文件的提交"),
        Para(f"时间：{cn_moment(due)}"),
        Para(f"地点：{PORTAL}"),
        heading(6, "公告期限"),
        Para("自本公告发布之日起5个工作日。"),
        heading(7, "其他补充事宜"),
        Para("资格预审合格的供应商将另行获邀参加投标。"),
        heading(8, "凡对本次资格预审提出询问，请按以下方式联系"),
        *common.contacts(project, look),
        *common.signature(project, day),
    ]  # fmt: skip
    fields = _fields(project, "tender", budget=True)
    return _draft(project, "prequal", day, project.tender_time, "资格预审公告", body, fields,
                  ["资格预审文件.pdf"] if rng.random() < 0.6 else [])  # fmt: skip


def plan(project: Project, seed: int) -> Draft | None:
    """The project's 政府采购计划, two to four weeks before the tender; no 项目编号 yet (None
    when that falls before ``START``)."""
    rng = random.Random(f"{seed}:gdgpo:plan:{project.serial}")
    look = Look.draw(rng)
    day = calendar.on_or_before(project.tender_date - dt.timedelta(days=rng.randint(16, 28)))
    if day < START:
        return None
    month = project.tender_date
    lines = [
        f"采购计划编号：{project.tender_date.year}-{rng.randint(10000, 99999)}",
        f"{look.label('项目名称')}：{project.name}",
        f"{look.label('采购人')}：{look.name(project.purchaser.name)}",
        f"采购方式：{project.method}",
        f"{look.label('预算金额')}：{common.amount_line(rng, project.budget)}",
        f"采购品目：{project.item.pinmu}",
        f"采购需求概况：{project.item.need}",
        f"预计采购时间：{month.year}年{month.month}月",
    ]
    body: list[Block] = [
        Para(f"现将{project.purchaser.name}政府采购计划公开如下："),
        *(Para(f"{ordinal(i)}、{text}") for i, text in enumerate(lines, start=1)),
        Para(project.purchaser.name, align="right"),
        Para(cn_date(day), align="right"),
    ]
    fields = _fields(project, "other", budget=True, number=False, agency=False)
    return _draft(project, "plan", day, clock(rng), "政府采购计划", body, fields, [])


def demand(project: Project, seed: int) -> Draft | None:
    """The project's 采购需求 published for comment one to two weeks before the tender (None
    when that falls before ``START``)."""
    rng = random.Random(f"{seed}:gdgpo:demand:{project.serial}")
    look = Look.draw(rng)
    day = calendar.on_or_before(project.tender_date - dt.timedelta(days=rng.randint(7, 15)))
    if day < START:
        return None
    shows = "no-number" not in project.traits
    basics = _numbered(_basics(project, look, rng, numbered=shows, purchaser=True))
    step = len(basics) + 1
    body: list[Block] = [
        *basics,
        heading(step, "采购需求"),
        Para(f"{project.item.need}。技术和商务要求详见附件。"),
        heading(step + 1, "公示期限"),
        Para("自本公告发布之日起5个工作日。"),
        heading(step + 2, "其他补充事宜"),
        Para("供应商对公示的采购需求有意见的，可在公示期内以书面形式向采购人提出。"),
        heading(step + 3, "联系方式"),
        *common.contacts(project, look),
        *common.signature(project, day),
    ]
    fields = _fields(project, "other", budget=True, number=shows)
    files = ["采购需求.pdf"] if rng.random() < 0.7 else []
    return _draft(project, "demand", day, clock(rng), "采购需求公示", body, fields, files)


def acceptance(project: Project, seed: int) -> Draft | None:
    """The 履约验收公告 of the project's first contract, one to four months after signing
    (None when that falls after ``END``)."""
    deal = project.contracts[0]
    rng = random.Random(f"{seed}:gdgpo:acceptance:{project.serial}")
    wait = dt.timedelta(days=rng.randint(30, 120))
    day = calendar.on_or_after(deal.signed + wait)
    # A seeded violation that moved the signing keeps the acceptance's place (and existence).
    planned = calendar.on_or_after(project.planned.get(("signed", 0), deal.signed) + wait)
    if planned > END:
        return None
    look = Look.draw(rng)
    shows = "no-number" not in project.traits
    checkers = "、".join(rng.sample(("陈建华", "林晓明", "黄海燕", "李志强", "王丽娟"), 3))
    lines = [
        f"合同编号：{deal.number}",
        f"合同名称：{project.name}合同",
        *([f"{look.label('项目编号')}：{project.number}"] if shows else []),
        f"{look.label('项目名称')}：{project.name}",
        f"采购方式：{project.method}",
        f"{look.label('采购人')}：{look.name(project.purchaser.name)}",
        f"供应商：{deal.supplier.name}",
        f"合同金额：{common.amount_line(rng, deal.amount)}",
        f"合同签订日期：{cn_date(deal.signed)}",
        f"验收日期：{cn_date(calendar.on_or_before(day - dt.timedelta(days=3)))}",
        f"验收小组成员：{checkers}",
        f"验收结论：{rng.choice(VERDICTS)}",
    ]
    body: list[Block] = [Para(f"{ordinal(i)}、{text}") for i, text in enumerate(lines, start=1)]
    body += [heading(len(lines) + 1, "联系方式"), *common.contacts(project, look)]
    body += common.signature(project, day)
    fields = _fields(
        project,
        "other",
        number=shows,
        contract_date=deal.signed.isoformat(),
        contract_amount=money.to_yuan(deal.amount),
    )
    files = ["验收报告.pdf"] if rng.random() < 0.5 else []
    made = _draft(project, "acceptance", day, clock(rng), "履约验收公告", body, fields, files)
    made.placed = planned if planned != day else None
    return made


# -- pieces ----------------------------------------------------------------------------------------
def _basics(
    project: Project, look: Look, rng: random.Random, *, numbered: bool, purchaser: bool = False
) -> list[Para]:
    """项目编号 (unless left out), 项目名称, [采购人,] 采购方式, 预算金额."""
    lines = [labelled(look, "项目编号", project.number)] if numbered else []
    lines.append(labelled(look, "项目名称", project.name))
    if purchaser:
        lines.append(labelled(look, "采购人", look.name(project.purchaser.name)))
    lines += [
        Para(f"采购方式：{project.method}"),
        labelled(look, "预算金额", common.amount_line(rng, project.budget)),
    ]
    return lines


def _numbered(lines: list[Para]) -> list[Block]:
    """``一、项目编号：…``, ``二、项目名称：…`` …"""
    return [Para(f"{ordinal(i)}、{p.text}") for i, p in enumerate(lines, start=1)]


def _fields(
    project: Project,
    kind: str,
    *,
    budget: bool = False,
    number: bool = True,
    agency: bool = True,
    **values: object,
) -> dict:
    """The procurement object as the body shows it (``region`` null: no 行政区域 is shown)."""
    return common.base_fields(
        kind,
        project,
        number,
        procurement_method=project.method,
        budget_amount=money.to_yuan(project.budget) if budget else None,
        **values,
    ) | {"region": None, "agency": project.agency.name if project.agency and agency else None}


def _draft(
    project: Project,
    kind: str,
    day: dt.date,
    time: str,
    suffix: str,
    body: list[Block],
    fields: dict,
    files: list[str],
) -> Draft:
    return Draft(
        kind="tender" if kind == "prequal" else "other",
        category=CATEGORY[kind],
        date=day,
        time=time,
        title=project.name + suffix,
        body=body,
        summary=[],
        fields=fields,
        files=files,
        projects=(project.serial,),
        number=project.number if fields["project_number"] else None,
        order={"plan": -3, "demand": -2, "prequal": 0, "acceptance": 30}[kind],
    )
