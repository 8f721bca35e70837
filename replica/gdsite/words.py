"""What the site-group documents say: one function per genre, from a context to a draft.

The phrase banks of ``replica.phrases`` and ``replica.genres`` are reused where they name no
place; places, phone numbers and the bureau come from the site (``SiteSpec``).
"""

from __future__ import annotations

import random

from replica import genres, phrases
from replica.gdsite.spec import SiteSpec
from replica.model import Lines, Para, Table
from replica.text import Context, Draft, cn_date, fill, ordinal, pick

NOTICE_TITLES = (
    "关于做好{year}年度{topic}工作的通知",
    "{org}关于开展{year}年{topic}专项检查的通知",
    "关于报送{year}年{topic}有关材料的通知",
    "关于印发{year}年{topic}工作要点的通知",
    "关于公布{year}年度代理记账机构名单的公告",
    "关于{year}年{topic}有关事项的公示",
)
NEWS_TITLES = (
    "市财政局召开{year}年{topic}工作推进会",
    "市财政局到{place}调研{topic}工作",
    "{year}年{month}月全市财政收支情况",
    "市财政局举办{topic}业务培训班",
    "市财政局开展{year}年{topic}专项督导",
)
OTHER_PUBLISHERS = (
    "人民政府办公室", "发展和改革局", "教育局", "民政局", "人力资源和社会保障局",
    "自然资源局", "住房和城乡建设局", "交通运输局", "农业农村局", "卫生健康局",
)  # fmt: skip


def ctx_values(ctx: Context, spec: SiteSpec) -> dict[str, object]:
    """Fixed template values that keep a document in its own city."""
    rng = ctx.rng
    return {
        "org": spec.org,
        "county": rng.choice(spec.places),
        "place": rng.choice(spec.places),
        "phone": f"{spec.area_code}-{rng.randint(2_000_000, 8_999_999)}",
    }


def notice(ctx: Context, spec: SiteSpec, issuer: str) -> Draft:
    """通知 / 公告 / 公示: audience, purpose, numbered sections, contact, signature."""
    rng, values = ctx.rng, ctx_values(ctx, spec)
    title = pick(ctx, NOTICE_TITLES, **values)
    body = [Para(spec.audience)] if "通知" in title else []
    purpose = pick(ctx, phrases.PURPOSES)
    body.append(Para(fill(ctx, "为{purpose}，根据{law}等有关规定，现将有关事项通知如下：",
                          purpose=purpose)))  # fmt: skip
    for i, heading in enumerate(rng.sample(phrases.HEADINGS, rng.randint(2, 4)), start=1):
        body.append(Para(f"{ordinal(i)}、{heading}", heading=True))
        for j in range(1, rng.randint(2, 4)):
            body.append(Para(f"（{ordinal(j)}）" + pick(ctx, phrases.ITEMS, **values)))
    body.append(Para(fill(ctx, "联系人：{name}，联系电话：{phone}。", **values)))
    draft = Draft(title, body, doc_prefix=_prefix(spec, rng) if rng.random() < 0.6 else None)
    draft.issuer = issuer
    if rng.random() < 0.4:
        options = (f"{ctx.year}年{ctx.topic}情况统计表.xlsx", "报名表.docx", "申报材料清单.pdf")
        draft.attachments = [rng.choice((*options, f"{ctx.topic}工作方案.pdf"))]
    body.append(Lines((issuer, cn_date(ctx.date))))
    return draft


def policy(ctx: Context, spec: SiteSpec) -> Draft:
    """政策文件: a 印发 notice carrying a measure of numbered articles (规范性文件 or other)."""
    rng = ctx.rng
    measure = spec.city + rng.choice(phrases.MEASURES)
    body = [
        Para(spec.audience),
        Para(f"现将《{measure}》印发给你们，请认真贯彻执行。执行中遇到的问题，请及时向市财政局反映。"),
        Lines((spec.org, cn_date(ctx.date))),
        Para(measure, heading=True, align="center"),
        Para("第一条 " + fill(ctx, "为规范{topic}，提高财政资金使用效益，根据{law}等有关规定，"
                                   "结合本市实际，制定本办法。")),
    ]  # fmt: skip
    middle = rng.sample(genres.ARTICLES, rng.randint(4, 9))
    for i, text in enumerate(middle, start=2):
        body.append(Para(f"第{ordinal(i)}条 " + fill(ctx, text)))
    body.append(Para(f"第{ordinal(len(middle) + 2)}条 本办法自{cn_date(ctx.date)}起施行。"))
    draft = Draft(f"{spec.org}关于印发《{measure}》的通知", body, doc_prefix=_prefix(spec, rng))
    draft.issuer = spec.org
    if rng.random() < 0.5:
        draft.attachments = [f"{measure}.pdf"]
    return draft


def news(ctx: Context, spec: SiteSpec) -> Draft:
    """工作动态 / 政务动态: an opening and a few paragraphs of report, some with a bold lead."""
    rng, values = ctx.rng, ctx_values(ctx, spec)
    name = fill(ctx, "{name}")
    title = pick(ctx, NEWS_TITLES, **values)
    body = [Para(pick(ctx, phrases.NEWS_OPENINGS, name=name, **values))]
    for _ in range(rng.randint(2, 5)):
        sentences = [pick(ctx, phrases.NEWS_SENTENCES, **values) for _ in range(rng.randint(1, 3))]
        body.append(Para("".join(sentences)))
    return Draft(title, body, issuer=spec.org)


def budget(ctx: Context, spec: SiteSpec, unit: str, year: int, final: bool) -> Draft:
    """A department's 部门预算 / 部门决算: overview, totals table, “三公” note, attachments."""
    word = "决算" if final else "预算"
    rng = ctx.rng
    body = [
        Para("第一部分 部门概况", heading=True),
        Para(f"一、主要职能。{unit}负责本部门职责范围内的行政管理和公共服务工作。"),
        Para(fill(ctx, "二、机构设置。本部门内设机构{small}个，下属单位{small}个。")),
        Para(f"第二部分 {year}年部门{word}表", heading=True),
        _totals(ctx, word),
        Para("第三部分 “三公”经费情况说明", heading=True),
        Para(fill(ctx, "{year}年“三公”经费{word}{amount}万元，其中公务接待费{amount}万元。",
                  year=year, word=word)),
        Para("第四部分 名词解释", heading=True),
        Para("基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
    ]  # fmt: skip
    attachments = [f"{unit}{year}年部门{word}公开表.{rng.choice(('xlsx', 'xls', 'pdf'))}"]
    return Draft(f"{unit}{year}年部门{word}", body, issuer=unit, attachments=attachments)


def city_budget(ctx: Context, spec: SiteSpec, year: int, kind: str) -> Draft:
    """市级 预算 (``ys``), 预算调整 (``adjust``) or 决算 (``js``) of the city, a report."""
    city = spec.city
    titles = {
        "ys": f"关于{city}{year - 1}年预算执行情况和{year}年预算草案的报告",
        "adjust": f"{city}人民政府关于{year}年{city}本级财政预算调整方案的报告",
        "js": f"{city}{year}年市级财政决算情况的报告",
    }
    body = [Para("各位代表：" if kind == "ys" else "主任、各位副主任、秘书长、各位委员：")]
    for i, heading in enumerate(("一般公共预算", "政府性基金预算", "国有资本经营预算"), start=1):
        body.append(Para(f"（{ordinal(i)}）{heading}情况", heading=True))
        body.append(Para(fill(ctx, "全市{heading}收入{amount}万元，增长{rate}%；支出{amount}万元。",
                              heading=heading)))  # fmt: skip
    body.append(Para("专此报告，请予审查。"))
    ext = ctx.rng.choice(("pdf", "xlsx"))
    attachments = [f"{year}年{city}本级{'决算' if kind == 'js' else '政府预算'}.{ext}"]
    return Draft(titles[kind], body, issuer=spec.org, attachments=attachments)


def annual(ctx: Context, spec: SiteSpec, year: int) -> Draft:
    """The yearly 政府信息公开工作年度报告 (short form)."""
    body = [
        Para(f"本报告由{spec.org}依据《中华人民共和国政府信息公开条例》编制，统计期限为{year}年度。"),
        Para("一、总体情况", heading=True),
        Para(fill(ctx, "{year}年，本机关主动公开政府信息{count}条，其中预决算信息{small}十条。")),
        Para("二、主动公开政府信息情况", heading=True),
        Table((("信息内容", "本年制发件数", "现行有效件数"),
               ("行政规范性文件", str(ctx.rng.randint(0, 6)), str(ctx.rng.randint(6, 30))))),
        Para("三、其他需要报告的事项", heading=True),
        Para("本年度未收取信息处理费。"),
    ]  # fmt: skip
    return Draft(f"{spec.org}{year}年政府信息公开工作年度报告", body, issuer=spec.org)


def duty(ctx: Context, spec: SiteSpec) -> Draft:
    """机构职能: the bureau's duties as numbered items."""
    subject = ctx.rng.choice(("主要职责", "内设机构", "领导信息", "机构概况"))
    body = [Para(f"{spec.org}{subject}如下：")]
    for i in range(1, ctx.rng.randint(4, 8)):
        body.append(Para(f"（{ordinal(i)}）" + pick(ctx, genres.DUTY_ITEMS)))
    return Draft(f"{spec.org}{subject}", body, issuer=spec.org)


def personnel(ctx: Context, spec: SiteSpec) -> Draft:
    """人事信息: a 公示 of appointments or of people to be hired."""
    rng = ctx.rng
    names = [fill(ctx, "{name}") for _ in range(rng.randint(2, 5))]
    if rng.random() < 0.5:
        title = f"{spec.org}{ctx.year}年公开招聘工作人员拟聘用人员公示"
        rows = [("序号", "姓名", "拟聘岗位")]
        rows += [(str(i), n, rng.choice(phrases.DEPARTMENTS)) for i, n in enumerate(names, 1)]
        lead = "根据公开招聘有关规定，经考试、考察和体检，现将拟聘用人员名单公示如下："
        body = [Para(lead), Table(tuple(rows)), Para("公示期为5个工作日。")]
        return Draft(title, body, issuer=spec.org)
    title = f"关于{names[0]}等同志职务任免的通知"
    body = [Para(f"经研究决定：任命{n}同志为{spec.org}{rng.choice(phrases.DEPARTMENTS)}负责人。")
            for n in names]  # fmt: skip
    return Draft(title, [*body, Lines((spec.org, cn_date(ctx.date)))], issuer=spec.org)


def other_publisher(spec: SiteSpec, index: int) -> str:
    """Another department of the city (the portal catalogue holds every department's posts)."""
    return spec.city + OTHER_PUBLISHERS[index % len(OTHER_PUBLISHERS)]


def _prefix(spec: SiteSpec, rng: random.Random) -> str:
    return spec.doc_prefix + rng.choice(("预", "库", "采", "综", "会", "农", "行", "社"))


def _totals(ctx: Context, word: str) -> Table:
    rng = ctx.rng
    total = rng.randint(300_000, 9_000_000)  # hundredths of 万元
    cut = rng.randint(total // 3, total - 1)
    rows = (
        ("项目", f"{word}数（万元）"),
        ("一般公共预算拨款收入", _wan(cut)),
        ("其他收入", _wan(total - cut)),
        ("收入合计", _wan(total)),
    )
    return Table(rows)


def _wan(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"
