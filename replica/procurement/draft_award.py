"""中标（成交）结果公告 pages: summary table, lot table, both layouts.

Follows the real ccgp award pages: ccgp_gov__procurement_award__1 for the older layout (before
2020: 一、项目信息 / 二、采购单位信息 / 三、采购代理机构信息 / 四、成交信息 …), __2 and
ccgp_hebei__procurement_award__1 for the 2020 format (一、项目编号 … 十、附件).
"""

from __future__ import annotations

import random

from replica.model import Block, Para, Table
from replica.procurement import common, lots, money
from replica.procurement.common import Look, cn_date, heading, labelled
from replica.procurement.draft_tender import numbered
from replica.procurement.model import Award, Draft, Project, SummaryRow
from replica.text import ordinal

AGENCY_FEE = "本项目代理费收费标准：参照《招标代理服务收费管理暂行办法》（计价格〔2002〕1980号）"


def award(project: Project, seed: int) -> Draft:
    """The project's 中标（成交）结果公告."""
    assert project.award_date is not None
    assert project.determined is not None
    rng = random.Random(f"{seed}:ccgp:award:{project.serial}")
    look = Look.draw(rng)
    day, modern = project.award_date, lots.modern(project.award_date)
    shows = numbered(project, "award")
    build = _award_2020 if modern else _award_older
    body = build(project, look, rng, shows)
    return Draft(
        kind="award",
        category="中标公告",
        date=day,
        time=project.award_time,
        title=project.name + _award_title(project, modern, rng),
        body=body,
        summary=_award_summary(project, look, rng),
        fields=_award_fields(project, shows, modern),
        files=["采购文件.pdf", "中小企业声明函.pdf"][: rng.randint(0, 2)],
        projects=(project.serial,),
        number=project.number if shows else None,
        order=10,
    )


# -- pieces ----------------------------------------------------------------------------------------
def _won(project: Project) -> str:
    return "中标" if project.method == "公开招标" else "成交"


def _award_title(project: Project, modern: bool, rng: random.Random) -> str:
    if not modern:
        return f"{_won(project)}公告"
    return rng.choice(("中标（成交）结果公告", "中标（成交）结果公告", f"{_won(project)}结果公告"))


def _award_fields(project: Project, shows: bool, modern: bool) -> dict:
    total = project.summary_total or project.award_total
    conflicts = []
    if project.summary_total is not None:
        conflicts.append(
            {
                "field": "award_amount",
                "summary": money.to_yuan(project.summary_total),
                "body": money.to_yuan(project.award_total),
            }
        )
    return common.base_fields(
        "award",
        project,
        shows,
        procurement_method=project.method if modern else None,
        award_amount=money.to_yuan(total),
        award_suppliers=list(dict.fromkeys(a.supplier.name for a in project.awards)),
        awards=[_award_record(a) for a in project.awards],
        award_date=project.determined.isoformat() if project.determined else None,
        experts=list(project.experts),
        conflicts=conflicts,
    )


def _award_record(row: Award) -> dict:
    return {
        "lot": row.lot,
        "supplier": row.supplier.name,
        "amount": money.to_yuan(row.amount),
        "rate": float(row.rate) if row.rate else None,
    }


def _experts_label(project: Project) -> str:
    if project.method == "公开招标":
        return "评审专家名单"
    return "谈判小组、询价小组成员、磋商小组成员名单及单一来源采购人员名单"


def _award_summary(project: Project, look: Look, rng: random.Random) -> list[SummaryRow]:
    assert project.award_date is not None
    assert project.determined is not None
    rows = common.head_rows(project, look, project.award_date, project.award_time)
    rows.insert(2, (("品目", project.item.pinmu),))
    total = project.summary_total or project.award_total
    shown = money.summary(total, rng.random() < 0.7) if total else "详见公告正文"
    rows += [
        (
            ("本项目招标公告日期", cn_date(project.tender_date)),
            (f"{_won(project)}日期", cn_date(project.determined)),
        ),
        ((_experts_label(project), look.experts(project.experts, summary=True)),),
        ((f"总{_won(project)}金额", shown),),
    ]
    return rows + common.contact_rows(project, look)


def _lot_table(project: Project, rng: random.Random, modern: bool) -> Table:
    """序号 | 标包 | 供应商名称 | 供应商地址 | 金额（元 or 万元）, one row per lot × supplier."""
    in_wan = not modern or rng.random() < 0.4
    unit = "万元" if in_wan else "元"
    with_lots = modern or project.awards[0].lot is not None
    if modern:
        header = [
            "序号",
            "标包",
            "中标（成交）供应商名称",
            "供应商地址",
            f"中标（成交）金额（{unit}）",
        ]
    else:
        header = ["序号", "包组", "成交供应商名称", "成交供应商联系地址", f"成交金额({unit})"]
    if not with_lots:
        del header[1]
    commas = rng.random() < 0.3
    rows = [tuple(header)]
    for index, row in enumerate(project.awards, start=1):
        cells = [str(index), row.lot_shown, row.supplier.name, row.supplier.address]
        cells.append(_amount_cell(row, in_wan, commas, rng))
        if not with_lots:
            del cells[1]
        rows.append(tuple(cells))
    return Table(tuple(rows))


def _amount_cell(row: Award, in_wan: bool, commas: bool, rng: random.Random) -> str:
    if row.amount is None:
        return money.rate(row.rate_kind or "下浮率", row.rate or "0")
    if in_wan:
        return money.wan6(row.amount) if rng.random() < 0.7 else money.wan(row.amount)
    return money.yuan(row.amount) if commas else money.yuan_plain(row.amount)


def _award_2020(project: Project, look: Look, rng: random.Random, shows: bool) -> list[Block]:
    won = "中标（成交）"
    sections: list[tuple[str, list[Block]]] = []
    if shows:
        sections.append((f"{look.label('项目编号')}：{project.number}", []))
    sections += [
        (f"{look.label('项目名称')}：{project.name}", [Para(f"采购方式：{project.method}")]),
        (f"{won}信息", _award_lines(project, rng)),
        ("主要标的信息", _main_objects(project, rng)),
        ("评审专家（单一来源采购人员）名单：", [Para(look.experts(project.experts))]),
        ("代理服务收费标准及金额：", _fee_lines(project)),
        ("公告期限", [Para("自本公告发布之日起1个工作日。")]),
        ("其他补充事宜", [Para(f"各有关当事人对{won}结果有异议的，可以在{won}公告发布之日起"
                               "7个工作日内以书面形式提出质疑，逾期不再受理。")]),
        ("凡对本次公告内容提出询问，请按以下方式联系。", common.contacts(project, look)),
        ("附件", [Para("1.采购文件"), Para("2.中小企业声明函")]),
    ]  # fmt: skip
    body: list[Block] = []
    for index, (title, lines) in enumerate(sections, start=1):
        body.append(Para(f"{ordinal(index)}、{title}", heading=True))
        body += lines
    assert project.award_date is not None
    return body + common.signature(project, project.award_date)


def _award_lines(project: Project, rng: random.Random) -> list[Block]:
    lines: list[Block] = [_lot_table(project, rng, True)]
    if project.award_total is not None:
        forms = ("yuan", "yen", "wan6", "wan")
        lines.append(
            Para(f"中标（成交）总金额：{common.amount_line(rng, project.award_total, forms)}")
        )
    return lines


def _main_objects(project: Project, rng: random.Random) -> list[Block]:
    item = project.item
    if item.kind == "goods":
        brand = rng.choice(("联想", "华为", "格力", "美的", "迈瑞", "海信", "得力"))
        count = rng.randint(2, 300)
        price = (project.award_total or project.budget) // count // 100
        return [
            Table((("名称", "品牌（如有）", "规格型号", "数量", "单价（元）"),
                   (item.stem, brand, f"{brand[0]}X-{rng.randint(100, 999)}", str(count),
                    str(price)))),
        ]  # fmt: skip
    if item.kind == "works":
        return [
            Para(f"施工范围：{item.need}"),
            Para(f"施工工期：{rng.choice((60, 90, 120, 180))}日历天"),
            Para(f"项目经理：{rng.choice('陈林黄李王张')}{rng.choice(('建华', '志强', '国栋'))}"),
        ]
    return [
        Para(f"服务范围：{item.need}"),
        Para("服务要求：详见采购文件"),
        Para(f"服务时间：自合同签订之日起{rng.choice((12, 24, 36))}个月"),
        Para("服务标准：符合国家及行业相关标准"),
    ]


def _fee_lines(project: Project) -> list[Block]:
    if project.agency is None:
        return [Para("本项目由采购人自行组织采购，不收取代理服务费。")]
    fee = max(project.budget // 100, 500_000) // 10_000 * 10_000
    return [Para(AGENCY_FEE), Para(f"代理服务费金额：{money.wan(fee)}万元")]


def _award_older(project: Project, look: Look, rng: random.Random, shows: bool) -> list[Block]:
    """The older layout of ccgp_gov__procurement_award__1 (一、项目信息 … 四、成交信息 …)."""
    assert project.determined is not None
    won, who = _won(project), (project.agency.name if project.agency else project.purchaser.name)
    ref = f"（项目编号：{project.number}）" if shows else ""
    body: list[Block] = [
        Para(f"{who}受{project.purchaser.name}的委托，就“{project.name}”项目{ref}组织采购，"
             f"评标工作已经结束，{won}结果如下："),
        heading(1, "项目信息"),
    ]  # fmt: skip
    if shows:
        body.append(labelled(look, "项目编号", project.number))
    body += [
        labelled(look, "项目名称", project.name),
        Para(f"项目联系人：{project.contact}"),
        Para(f"联系方式：{project.phone}"),
        heading(2, "采购单位信息"),
        labelled(look, "采购单位名称", look.name(project.purchaser.name)),
        Para(f"采购单位地址：{project.purchaser.address}"),
        Para(f"采购单位联系方式：{project.phone}"),
    ]
    index = 3
    if project.agency:
        body += [
            heading(3, "采购代理机构信息"),
            Para(f"采购代理机构全称：{project.agency.name}"),
            Para(f"采购代理机构地址：{project.agency.address}"),
            Para(f"采购代理机构联系方式：{common.agency_phone(project)}"),
        ]
        index = 4
    body += [heading(index, f"{won}信息"), *_older_result(project, rng, shows, won)]
    body += [
        heading(index + 1, "项目用途、简要技术要求及合同履行日期："),
        Para(f"{project.item.need}，合同签订后按采购文件要求履行。"),
        heading(index + 2, "其它补充事宜"),
    ]
    return body


def _older_result(project: Project, rng: random.Random, shows: bool, won: str) -> list[Block]:
    assert project.determined is not None
    lines: list[Block] = [Para(f"招标文件编号：{project.number}")] if shows else []
    lines += [
        Para(f"本项目招标公告日期：{cn_date(project.tender_date)}"),
        Para(f"{won}日期：{cn_date(project.determined)}"),
    ]
    if project.award_total is not None:
        lines.append(Para(f"总{won}金额：{money.wan(project.award_total)} 万元（人民币）"))
    lines += [
        Para(f"{won}供应商名称、地址及{won}金额："),
        _lot_table(project, rng, False),
        Para(f"{_experts_label(project)}："),
        Para(Look(padded_experts=True).experts(project.experts)),
    ]
    return lines
