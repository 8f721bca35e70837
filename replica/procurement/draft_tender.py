"""Tender-side announcements: 招标 / 磋商 / 谈判 / 询价 公告, 单一来源公示, 更正公告.

INFERRED: no real tender, single-source or correction page was available. Sections follow the
2020 national format (PROCUREMENT-FORMATS.md) for pages since 2020; earlier pages use a layout
modelled on the older real award page (一、项目信息 / 二、采购单位信息 / 三、采购代理机构信息 …).
"""

from __future__ import annotations

import random

from replica.model import Block, Para
from replica.procurement import common, lots, money
from replica.procurement.common import Look, cn_date, cn_moment, heading, iso_moment, labelled
from replica.procurement.model import Correction, Draft, Project, SummaryRow

CATEGORY = {
    "公开招标": "公开招标",
    "竞争性磋商": "竞争性磋商",
    "竞争性谈判": "竞争性磋商",
    "询价": "询价公告",
    "单一来源": "单一来源",
}
TITLE = {
    "公开招标": "公开招标公告",
    "竞争性磋商": "竞争性磋商公告",
    "竞争性谈判": "竞争性谈判公告",
    "询价": "询价公告",
    "单一来源": "单一来源采购公示",
}
DOCUMENTS = {"公开招标": "招标文件", "竞争性磋商": "磋商文件", "竞争性谈判": "谈判文件"}
PORTAL = "广东省政府采购网（https://gdgpo.czt.gd.gov.cn/）"
HOURS = "每天上午09:00至12:00，下午14:30至17:30（北京时间，法定节假日除外）"


def numbered(project: Project, page: str) -> bool:
    """Whether the ``page`` (tender or award) of the project shows its 项目编号."""
    return not project.traits & {"no-number", f"no-number-{page}"}


def tender(project: Project, seed: int) -> Draft:
    """The project's tender announcement (a 公示 for single-source procurement)."""
    rng = random.Random(f"{seed}:ccgp:tender:{project.serial}")
    look = Look.draw(rng)
    day, time = project.tender_date, project.tender_time
    sole = project.method == "单一来源"
    if sole:
        body = _sole_body(project, look, rng)
    elif lots.modern(day):
        body = _body_2020(project, look, rng)
    else:
        body = _body_older(project, look, rng)
    deadline = None if sole else iso_moment(project.deadline)
    fields = common.base_fields(
        "tender",
        project,
        numbered(project, "tender"),
        procurement_method=project.method,
        budget_amount=money.to_yuan(project.budget),
        bid_deadline=deadline,
        bid_opening=deadline,
    )
    files = [] if sole else [f"{DOCUMENTS.get(project.method, '询价通知书')}.pdf"]
    return Draft(
        kind="tender",
        category=CATEGORY[project.method],
        date=day,
        time=time,
        title=project.name + TITLE[project.method],
        body=body,
        summary=_summary(project, look, rng),
        fields=fields,
        files=files if rng.random() < 0.7 else [],
        projects=(project.serial,),
        number=project.number if numbered(project, "tender") else None,
        order=0,
    )


def correction(project: Project, index: int, seed: int) -> Draft:
    """The project's ``index``-th 更正公告 (0-based)."""
    fix = project.corrections[index]
    rng = random.Random(f"{seed}:ccgp:correction:{project.serial}:{index}")
    look = Look.draw(rng)
    shows_number = "no-number" not in project.traits
    moved = iso_moment(fix.deadline) if fix.deadline else None
    fields = common.base_fields(
        "correction", project, shows_number, bid_deadline=moved, bid_opening=moved
    )
    summary = common.head_rows(project, look, fix.date, fix.time)
    if project.agency:
        summary.append((("代理机构名称", project.agency.name),))
    suffix = "" if index == 0 else f"（{'二三'[index - 1]}）"
    return Draft(
        kind="correction",
        category="更正公告",
        date=fix.date,
        time=fix.time,
        title=f"{project.name}更正公告{suffix}",
        body=_correction_body(project, fix, look, shows_number),
        summary=summary,
        fields=fields,
        projects=(project.serial,),
        number=project.number if shows_number else None,
        order=1 + index,
        index=index,
    )


# -- summary table ---------------------------------------------------------------------------
def _summary(project: Project, look: Look, rng: random.Random) -> list[SummaryRow]:
    rows = common.head_rows(project, look, project.tender_date, project.tender_time)
    rows.insert(2, (("品目", project.item.pinmu),))
    if project.method != "单一来源":
        start, end = project.docs
        opening = f"{cn_date(project.deadline.date())} {project.deadline:%H:%M}"
        rows += [
            (("获取招标文件时间", f"{cn_date(start)}至{cn_date(end)}{HOURS}"),),
            (("招标文件售价", rng.choice(("￥0", "￥300", "￥500"))),),
            (("开标时间", opening),),
            (("开标地点", _place(project)),),
        ]
    rows.append((("预算金额", money.summary(project.budget, rng.random() < 0.7)),))
    return rows + common.contact_rows(project, look)


def _place(project: Project) -> str:
    if project.agency:
        return f"{project.agency.name}开标室（{project.agency.address}）"
    return f"{project.purchaser.name}会议室（{project.purchaser.address}）"


# -- bodies ------------------------------------------------------------------------------------
def _basics(project: Project, look: Look, rng: random.Random, forms: tuple[str, ...]) -> list:
    lines = []
    if numbered(project, "tender"):
        lines.append(labelled(look, "项目编号", project.number))
    lines += [
        labelled(look, "项目名称", project.name),
        Para(f"采购方式：{project.method}"),
        labelled(look, "预算金额", common.amount_line(rng, project.budget, forms)),
    ]
    return lines


def _body_2020(project: Project, look: Look, rng: random.Random) -> list[Block]:
    docs = DOCUMENTS.get(project.method, "询价通知书")
    bid = "投标" if project.method == "公开招标" else "响应"
    moment = cn_moment(project.deadline)
    body: list[Block] = [
        Para("项目概况", heading=True),
        Para(f"{project.name}的潜在供应商应在{PORTAL}获取{docs}，并于{moment}前提交{bid}文件。"),
        heading(1, "项目基本情况"),
        *_basics(project, look, rng, money.LINE_FORMS),
    ]
    if rng.random() < 0.5:
        body.append(Para(f"最高限价（如有）：{money.line(project.budget, 'yuan')}"))
    body += [
        Para(f"采购需求：{project.item.need}。"),
        Para(f"合同履行期限：自合同签订之日起{rng.choice((6, 12, 24))}个月。"),
        Para("本项目不接受联合体投标。"),
        heading(2, "申请人的资格要求："),
        Para("1.满足《中华人民共和国政府采购法》第二十二条规定；"),
        Para("2.落实政府采购政策需满足的资格要求：本项目专门面向中小企业采购；"),
        Para("3.本项目的特定资格要求：无。"),
        heading(3, f"获取{docs}"),
        Para(f"时间：{cn_date(project.docs[0])}至{cn_date(project.docs[1])}，{HOURS}"),
        Para(f"地点：{PORTAL}"),
        Para("方式：在线获取"),
        Para(f"售价：{rng.choice(('免费', '￥300元'))}"),
        heading(4, f"提交{bid}文件截止时间、开标时间和地点"),
        Para(f"提交{bid}文件截止时间：{moment}"),
        Para(f"{'开标' if bid == '投标' else '响应文件开启'}时间：{moment}"),
        Para(f"地点：{_place(project)}"),
        heading(5, "公告期限"),
        Para("自本公告发布之日起5个工作日。"),
        heading(6, "其他补充事宜"),
        Para("本项目采用电子化采购方式，供应商应使用数字证书登录广东省政府采购网参与采购活动。"),
        heading(7, "对本次招标提出询问，请按以下方式联系"),
    ]
    return body + common.contacts(project, look) + common.signature(project, project.tender_date)


def _body_older(project: Project, look: Look, rng: random.Random) -> list[Block]:
    who = project.agency.name if project.agency else project.purchaser.name
    moment = f"{cn_date(project.deadline.date())} {project.deadline:%H:%M}"
    body: list[Block] = [
        Para(f"{who}受{project.purchaser.name}的委托，对{project.name}进行{project.method}采购，"
             "欢迎符合资格条件的供应商参加。"),
        heading(1, "项目信息"),
        *_basics(project, look, rng, ("wan", "wan6", "yuan")),
        Para(f"采购需求：{project.item.need}。"),
        heading(2, "采购单位信息"),
        labelled(look, "采购单位名称", look.name(project.purchaser.name)),
        Para(f"采购单位地址：{project.purchaser.address}"),
        Para(f"采购单位联系方式：{project.contact} {project.phone}"),
    ]  # fmt: skip
    index = 3
    if project.agency:
        body += [
            heading(index, "采购代理机构信息"),
            Para(f"采购代理机构全称：{project.agency.name}"),
            Para(f"采购代理机构地址：{project.agency.address}"),
            Para(f"采购代理机构联系方式：{common.agency_phone(project)}"),
        ]
        index += 1
    body += [
        heading(index, "招标文件的获取"),
        Para(f"获取时间：{cn_date(project.docs[0])}至{cn_date(project.docs[1])}"),
        Para(f"获取地点：{PORTAL}"),
        heading(index + 1, "投标截止时间及开标时间"),
        Para(f"投标截止时间：{moment}"),
        Para(f"开标时间：{moment}"),
        Para(f"开标地点：{_place(project)}"),
        heading(index + 2, "其它补充事宜"),
        Para("无。"),
    ]
    return body + common.signature(project, project.tender_date)


def _sole_body(project: Project, look: Look, rng: random.Random) -> list[Block]:
    firm = project.awards[0].supplier if project.awards else lots.supplier(rng, "goods")
    reason = rng.choice(("该设备涉及专利技术，只能从唯一供应商处采购", "为保证与原有系统一致"
                         "和服务配套的要求，需要继续从原供应商处添购"))  # fmt: skip
    start, end = project.tender_date, project.deadline.date()
    body: list[Block] = [
        heading(1, "采购人及采购项目信息"),
        labelled(look, "采购人", look.name(project.purchaser.name)),
        *_basics(project, look, rng, money.LINE_FORMS),
        heading(2, "拟采购的货物或服务的说明"),
        Para(f"{project.item.need}。"),
        heading(3, "采用单一来源采购方式的原因及相关说明"),
        Para(f"{reason}，拟采用单一来源采购方式。"),
        heading(4, "拟定的唯一供应商名称、地址"),
        labelled(look, "名称", firm.name),
        labelled(look, "地址", firm.address),
        heading(5, "专业人员对相关供应商因专利、专有技术等原因具有唯一性的具体论证意见"),
        Para("经3名专业人员论证，该供应商具有唯一性，同意采用单一来源采购方式。"),
        heading(6, "公示期限"),
        Para(f"{cn_date(start)}至{cn_date(end)}（5个工作日）"),
        heading(7, "其他补充事宜"),
        Para("任何供应商、单位或者个人对采用单一来源采购方式公示有异议的，可在公示期内提出。"),
        heading(8, "联系方式"),
    ]
    return body + common.contacts(project, look) + common.signature(project, start)


def _correction_body(project: Project, fix: Correction, look: Look, shows: bool) -> list[Block]:
    body: list[Block] = [heading(1, "项目基本情况")]
    if shows:
        body.append(Para(f"原公告的采购项目编号：{project.number}"))
    body += [
        Para(f"原公告的采购项目名称：{project.name}"),
        Para(f"首次公告日期：{cn_date(project.tender_date)}"),
        heading(2, "更正信息"),
        Para(f"更正事项：{fix.subject}"),
        Para(f"更正内容：{fix.content}"),
    ]
    if fix.deadline:
        body += [
            Para(f"更正后提交投标（响应）文件截止时间：{cn_moment(fix.deadline)}"),
            Para(f"更正后开标时间：{cn_moment(fix.deadline)}"),
        ]
    body += [
        Para(f"更正日期：{cn_date(fix.date)}"),
        heading(3, "其他补充事宜"),
        Para("除上述更正内容外，其他内容不变。"),
        heading(4, "凡对本次公告内容提出询问，请按以下方式联系"),
    ]
    return body + common.contacts(project, look) + common.signature(project, fix.date)
