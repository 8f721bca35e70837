"""The end of a project: 合同公告 (one per winning supplier) and 终止 / 废标公告.

INFERRED: no real contract or termination page was available; sections follow the 2020
national format (PROCUREMENT-FORMATS.md), used for every year.
"""

from __future__ import annotations

import random

from replica.model import Block, Para
from replica.procurement import common, money
from replica.procurement.common import Look, cn_date, heading, labelled
from replica.procurement.model import Contract, Draft, Project
from replica.text import ordinal


def contract(project: Project, index: int, seed: int) -> Draft:
    """The project's ``index``-th 合同公告 (one per winning supplier)."""
    deal = project.contracts[index]
    rng = random.Random(f"{seed}:ccgp:contract:{project.serial}:{index}")
    look = Look.draw(rng)
    shows = "no-number" not in project.traits
    summary = common.head_rows(project, look, deal.date, deal.time)
    if project.agency:
        summary.append((("代理机构名称", project.agency.name),))
    summary += [
        (("合同金额", money.summary(deal.amount, rng.random() < 0.5)),),
        (("合同签订日期", cn_date(deal.signed)),),
    ]
    part = _lots_note(project, deal)
    fields = common.base_fields(
        "contract",
        project,
        shows,
        procurement_method=project.method,
        contract_date=deal.signed.isoformat(),
        contract_amount=money.to_yuan(deal.amount),
    )
    return Draft(
        kind="contract",
        category="合同公告",
        date=deal.date,
        time=deal.time,
        title=f"{project.name}{part}合同公告",
        body=_contract_body(project, deal, look, rng, shows),
        summary=summary,
        fields=fields,
        files=[f"{deal.number}合同.pdf"],
        projects=(project.serial,),
        number=project.number if shows else None,
        order=20 + index,
        index=index,
    )


def termination(project: Project, seed: int) -> Draft:
    """The project's 终止公告 or 废标公告."""
    assert project.termination is not None
    day, time, kind, reason = project.termination
    rng = random.Random(f"{seed}:ccgp:termination:{project.serial}")
    look = Look.draw(rng)
    shows = "no-number" not in project.traits
    summary = common.head_rows(project, look, day, time)
    if project.agency:
        summary.append((("代理机构名称", project.agency.name),))
    body: list[Block] = [heading(1, "项目基本情况")]
    if shows:
        body.append(labelled(look, "项目编号", project.number))
    body += [
        labelled(look, "项目名称", project.name),
        Para(f"采购方式：{project.method}"),
        heading(2, f"项目{kind}的原因"),
        Para(reason),
        heading(3, "其他补充事宜"),
        Para(rng.choice(("无。", "本项目将另行组织采购。"))),
        heading(4, "凡对本次公告内容提出询问，请按以下方式联系。"),
        *common.contacts(project, look),
        *common.signature(project, day),
    ]
    fields = common.base_fields("termination", project, shows, procurement_method=project.method)
    return Draft(
        kind="termination",
        category="终止公告",
        date=day,
        time=time,
        title=f"{project.name}{kind}公告",
        body=body,
        summary=summary,
        fields=fields,
        projects=(project.serial,),
        number=project.number if shows else None,
        order=10,
    )


# -- contract ---------------------------------------------------------------------------------
def _lots_note(project: Project, deal: Contract) -> str:
    """``（标包A、B）`` when the project has several contracts, one per supplier."""
    if len(project.contracts) < 2 or not deal.lots[0]:
        return ""
    return f"（标包{'、'.join(dict.fromkeys(lot.removeprefix('包') for lot in deal.lots))}）"


def _contract_body(
    project: Project, deal: Contract, look: Look, rng: random.Random, shows: bool
) -> list[Block]:
    lots_note = _lots_note(project, deal)
    head = [
        f"合同编号：{deal.number}",
        f"合同名称：{project.name}{lots_note}合同",
        *([f"{look.label('项目编号')}：{project.number}"] if shows else []),
        f"{look.label('项目名称')}：{project.name}",
    ]
    body: list[Block] = [Para(f"{ordinal(i)}、{text}", heading=True) for i, text in
                         enumerate(head, start=1)]  # fmt: skip
    index = len(head) + 1
    body += [
        heading(index, "合同主体"),
        Para(f"{look.label('采购人')}（甲方）：{look.name(project.purchaser.name)}"),
        labelled(look, "地址", project.purchaser.address),
        Para(f"联系方式：{project.phone}"),
        Para(f"供应商（乙方）：{deal.supplier.name}"),
        labelled(look, "地址", deal.supplier.address),
        Para(f"联系方式：020-{rng.randint(31000000, 89999999)}"),
        heading(index + 1, "合同主要信息"),
        Para(f"主要标的名称：{project.item.stem}"),
        Para("规格型号（或服务要求）：详见合同附件"),
        Para(f"主要标的数量：{rng.choice(('1批', '1项', '1宗'))}"),
        Para(f"合同金额：{common.amount_line(rng, deal.amount)}"),
        Para(f"履约期限、地点等简要信息：自合同签订之日起{rng.choice((3, 6, 12))}个月"),
        Para(f"采购方式：{project.method}"),
        heading(index + 2, f"合同签订日期：{cn_date(deal.signed)}"),
        heading(index + 3, f"合同公告日期：{cn_date(deal.date)}"),
        heading(index + 4, "其他补充事宜"),
        Para("无。"),
    ]
    return body
