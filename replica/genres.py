"""What each column publishes: one function per genre, from a notice's context to a draft."""

from __future__ import annotations

from replica import phrases
from replica.model import Hidden, Lines, Para, Table
from replica.text import Context, Draft, cn_date, doc_number, fill, ordinal, pick

NOTICE_TITLES = (
    "关于做好{year}年度{topic}工作的通知",
    "关于开展{year}年{topic}专项检查的通知",
    "湛江市财政局关于{year}年{topic}有关事项的通知",
    "关于组织开展{year}年度{topic}业务培训的通知",
    "关于报送{year}年{topic}情况的通知",
)
ANNOUNCEMENT_TITLES = (
    "关于公布{year}年度代理记账机构名单的公告",
    "关于征求《湛江市{measure}（征求意见稿）》意见的公告",
    "关于{year}年{topic}有关事项的公告",
)


def notice(ctx: Context) -> Draft:
    """通知 / 公告: audience, purpose, numbered sections, contact, signature."""
    rng = ctx.rng
    is_notice = rng.random() < 0.75
    prefix = rng.choice(phrases.DOC_PREFIXES) if rng.random() < 0.75 else None
    title = pick(ctx, NOTICE_TITLES if is_notice else ANNOUNCEMENT_TITLES)
    body = [Para(rng.choice(phrases.AUDIENCES))] if is_notice else []
    ref = _ref(ctx) if prefix else ""
    purpose = pick(ctx, phrases.PURPOSES)
    body.append(Para(fill(ctx, "为{purpose}，根据{law}{ref}有关规定，现就有关事项通知如下：",
                          purpose=purpose, ref=ref)))  # fmt: skip
    body += _sections(ctx, rng.randint(2, 4))
    body.append(Para(fill(ctx, "联系人：{name}，电话：{phone}。")))
    draft = Draft(title, body, doc_prefix=prefix)
    _maybe_attach(ctx, draft, 0.35, main=f"{ctx.year}年{ctx.topic}工作方案" if prefix else "")
    draft.body.append(Lines((phrases.BUREAU, cn_date(ctx.date))))
    return draft


def regulation(ctx: Context) -> Draft:
    """规范性文件: a 印发 notice carrying a measure of numbered articles."""
    rng = ctx.rng
    measure = "湛江市" + rng.choice(phrases.MEASURES)
    by_city = rng.random() < 0.2
    issuer = "湛江市人民政府办公室" if by_city else phrases.BUREAU
    title = f"{issuer}关于印发《{measure}》的通知"
    body = [
        Para(rng.choice(phrases.AUDIENCES)),
        Para(
            f"现将《{measure}》印发给你们，请认真贯彻执行。执行中遇到的问题，请径向市财政局反映。"
        ),
        Lines((issuer, cn_date(ctx.date))),
        Para(measure, heading=True, align="center"),
    ]
    body += _articles(ctx, rng.randint(6, 14))
    draft = Draft(
        title, body, doc_prefix="湛府办函" if by_city else rng.choice(phrases.DOC_PREFIXES)
    )
    draft.issuer = issuer
    _maybe_attach(ctx, draft, 0.3, main=measure)
    return draft


def interpretation(ctx: Context) -> Draft:
    """政策解读: background, main content, features, effective date."""
    rng = ctx.rng
    measure = "湛江市" + rng.choice(phrases.MEASURES)
    titles = (
        f"《{measure}》政策解读",
        f"关于《{measure}》的解读",
        f"{ctx.year}年{ctx.topic}政策问答",
    )
    body: list = []
    for i, (heading, bank) in enumerate(INTERPRETATION, start=1):
        body.append(Para(f"{ordinal(i)}、{heading}", heading=True))
        body += [
            Para(fill(ctx, t, measure=measure))
            for t in rng.sample(bank, rng.randint(1, min(2, len(bank))))
        ]
    return Draft(rng.choice(titles), body)


INTERPRETATION = (
    ("起草背景", (
        "为贯彻落实{law}，进一步规范{topic}，市财政局在深入调研的基础上起草了《{measure}》。",
        "原有制度已施行多年，部分条款与当前{topic}工作要求不相适应，有必要进行修订。",
        "起草过程中，市财政局广泛征求了各县（市、区）财政局和市直有关部门的意见。",
    )),
    ("主要内容", (
        "《{measure}》共{small}章，明确了适用范围、职责分工、资金管理、监督检查等内容。",
        "明确市财政局负责{topic}的统筹管理，主管部门负责具体组织实施。",
        "规定资金使用单位应当建立健全内部控制制度，专款专用。",
    )),
    ("主要特点", (
        "突出绩效导向，将绩效评价结果作为安排预算的重要依据。",
        "强化信息公开，资金分配结果在部门网站公开，接受社会监督。",
        "简化办事流程，申报材料减少{small}项，办理时限压缩至{small}个工作日。",
    )),
    ("实施时间", ("《{measure}》自印发之日起施行，有效期{small}年。",)),
)  # fmt: skip


NEWS_TITLES = (
    "市财政局召开{year}年{topic}工作会议",
    "市财政局开展{topic}业务培训",
    "{name}副局长带队到{county}调研{topic}工作",
    "{year}年{month}月全市财政预算执行情况",
    "我市{topic}工作取得新成效",
    "市财政局组织开展{year}年{topic}督查",
)


def news(ctx: Context) -> Draft:
    """财政要闻 / 工作动态: an opening and a few paragraphs of report."""
    rng = ctx.rng
    name = fill(ctx, "{name}")
    title = pick(ctx, NEWS_TITLES, name=name)
    body = [Para(pick(ctx, phrases.NEWS_OPENINGS, name=name))]
    for _ in range(rng.randint(2, 5)):
        sentences = [pick(ctx, phrases.NEWS_SENTENCES) for _ in range(rng.randint(1, 3))]
        body.append(Para("".join(sentences)))
    if rng.random() < 0.15:
        body.insert(rng.randint(1, len(body)), Hidden(rng.choice(phrases.HIDDEN_JUNK)))
    return Draft(title, body)


GUIDE_SECTIONS = (
    ("事项名称", "{item}"),
    ("设定依据", "{law}及有关规定。"),
    ("申请条件", "申请单位应当具备相应资质，近三年内无违法违规记录。"),
    ("办理流程", "申请人提交材料，市财政局{dept}受理审核，符合条件的予以办理。"),
    ("办理时限", "自受理之日起{small}十个工作日内办结。"),
    ("收费标准", "不收费。"),
    ("办理地点", "湛江市赤坎区南方路{small}十号市财政局{dept}。"),
    ("咨询电话", "{phone}"),
)


def guide(ctx: Context, item: str | None = None) -> Draft:
    """办事指南 / 便民服务: the fixed sections of a service guide, materials as a table."""
    rng = ctx.rng
    item = item or rng.choice(phrases.GUIDE_ITEMS)
    title = item if item in phrases.SERVICES else f"{item}办事指南"
    body: list = []
    for i, (heading, text) in enumerate(GUIDE_SECTIONS, start=1):
        body.append(Para(f"{ordinal(i)}、{heading}", heading=True))
        body.append(Para(fill(ctx, text, item=item)))
        if heading == "申请条件":
            body.append(_materials(ctx))
    draft = Draft(title, body)
    _maybe_attach(ctx, draft, 0.3, ("申请表.doc",))
    return draft


def service(ctx: Context) -> Draft:
    """便民服务: a guide for one everyday finance service."""
    return guide(ctx, ctx.rng.choice(phrases.SERVICES))


def duty(ctx: Context) -> Draft:
    """机构职能: the bureau's or a section's duties as numbered items."""
    rng = ctx.rng
    subject = rng.choice(phrases.DUTIES)
    title = phrases.BUREAU + subject
    if subject == "联系方式":
        rows = [("科室", "电话")] + [(d, fill(ctx, "{phone}")) for d in phrases.DEPARTMENTS[:8]]
        return Draft(title, [Para("办公地址：湛江市赤坎区南方路。"), Table(tuple(rows))])
    body = [Para(f"{phrases.BUREAU}{subject}如下：")]
    for i in range(1, rng.randint(5, 10)):
        body.append(Para(f"（{ordinal(i)}）" + pick(ctx, DUTY_ITEMS)))
    return Draft(title, body)


DUTY_ITEMS = (
    "贯彻执行国家和省有关财政、税收的方针政策和法律法规，拟订全市财政发展规划。",
    "负责编制年度市级预决算草案并组织执行，受市政府委托向市人民代表大会报告预算执行情况。",
    "负责市级国库集中收付管理工作，组织实施国库集中支付制度改革。",
    "负责政府非税收入管理，按规定管理行政事业性收费和政府性基金。",
    "负责管理和监督全市政府采购工作，拟订政府集中采购目录。",
    "负责管理全市会计工作，监督和规范会计行为，组织实施会计人员继续教育。",
    "负责{topic}的有关工作，监督检查财政资金的使用情况。",
    "承办市委、市政府交办的其他事项。",
)


def permit(ctx: Context) -> Draft:
    """行政许可: a public notice of approval decisions with a table of applicants."""
    rng = ctx.rng
    item = rng.choice(phrases.PERMITS)
    title = rng.choice((f"关于{ctx.year}年{item}审批结果的公示", f"{item}行政许可事项公示"))
    rows = [("序号", "申请单位", "许可事项", "许可决定")]
    for i, company in enumerate(rng.sample(phrases.COMPANIES, rng.randint(2, 5)), start=1):
        rows.append((str(i), company, item, rng.choice(("准予许可", "准予许可", "不予许可"))))
    body = [
        Para(f"根据《中华人民共和国行政许可法》规定，现将{item}审批结果公示如下："),
        Table(tuple(rows)),
        Para(fill(ctx, "公示期为{small}个工作日。如有异议，请在公示期内向市财政局{dept}反映。")),
        Lines((phrases.BUREAU, cn_date(ctx.date))),
    ]
    return Draft(title, body)


def _sections(ctx: Context, count: int) -> list:
    headings = ctx.rng.sample(phrases.HEADINGS, count)
    blocks: list = []
    for i, heading in enumerate(headings, start=1):
        blocks.append(Para(f"{ordinal(i)}、{heading}", heading=True))
        items = [pick(ctx, phrases.ITEMS) for _ in range(ctx.rng.randint(1, 3))]
        blocks += [Para(f"（{ordinal(j)}）{text}") for j, text in enumerate(items, start=1)]
    return blocks


ARTICLES = (
    "本办法适用于本市各级行政事业单位的{topic}活动。",
    "本办法所称专项资金，是指市级财政预算安排、用于特定事项的资金。",
    "专项资金的分配应当遵循公开、公平、公正的原则，实行项目库管理。",
    "主管部门应当于每年{month}月底前会同市财政局编制下一年度专项资金使用计划。",
    "项目申报单位对申报材料的真实性、合法性负责。",
    "专项资金原则上采取因素法或者项目法分配，分配结果应当在部门网站公开。",
    "项目完成后，项目单位应当在{small}个月内办理竣工决算，结余资金按规定收回财政。",
    "市财政局负责{topic}的统筹管理和监督检查，各主管部门负责本部门的具体管理工作。",
    "资金使用单位应当建立健全内部控制制度，专款专用，不得截留、挤占、挪用。",
    "资金拨付按照国库集中支付制度有关规定办理。",
    "市财政局会同有关部门对资金使用情况开展绩效评价，评价结果作为安排以后年度预算的依据。",
    "违反本办法规定的，依照{law}等有关规定处理。",
)


def _articles(ctx: Context, count: int) -> list:
    first = fill(
        ctx,
        "为了规范{topic}，提高财政资金使用效益，根据{law}等有关规定，结合本市实际，制定本办法。",
    )
    middle = ctx.rng.sample(ARTICLES, min(count - 2, len(ARTICLES)))
    texts = [first, *(fill(ctx, t) for t in middle)]
    texts.append(f"本办法自{cn_date(ctx.date)}起施行。")
    return [Para(f"第{ordinal(i) if i <= 20 else i}条 {t}") for i, t in enumerate(texts, start=1)]


def _materials(ctx: Context) -> Table:
    names = ("申请表", "营业执照副本复印件", "法定代表人身份证明", "相关证明材料")
    rows = [("序号", "材料名称", "份数")]
    rows += [(str(i), n, str(ctx.rng.randint(1, 3))) for i, n in enumerate(names, start=1)]
    return Table(tuple(rows))


def _ref(ctx: Context) -> str:
    """A cited upper-level document with its 文号, only where the page shows its own 文号."""
    if not ctx.refs or ctx.rng.random() < 0.5:
        return ""
    rng = ctx.rng
    number = doc_number(rng.choice(phrases.UPPER_PREFIXES), ctx.year - 1, rng.randint(1, 300))
    return f"和《关于加强{ctx.topic}的通知》（{number}）"


def _maybe_attach(
    ctx: Context, draft: Draft, chance: float, names: tuple = (), main: str = ""
) -> None:
    """Sometimes attach a form (and the main document as a PDF when it has one)."""
    rng = ctx.rng
    if rng.random() >= chance:
        return
    options = names or (f"{ctx.year}年{ctx.topic}情况统计表.xls", "报名表.doc", "申报表.xls")
    chosen = [f"{main}.pdf"] if main else []
    chosen += rng.sample(options, 1)
    draft.attachments = chosen
    listing = [f"{i}.{name.rsplit('.', 1)[0]}" for i, name in enumerate(chosen, start=1)]
    draft.body.append(Lines(("附件：", *listing), align=""))
