"""Documents with a fixed form: the annual 政府信息公开 report and 部门预算 / 部门决算.

Inferred layouts: no real annual report or budget page is among the sample pages. The annual
report follows the six sections and tables of the 国办公开办函〔2021〕30号 format (used here for
every year); the budget follows the usual 部门概况 / 收支总表 / “三公”经费 / 名词解释 outline.
"""

from __future__ import annotations

from replica import phrases
from replica.model import Para, Table
from replica.text import Context, Draft, fill, pick

APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计")
OUTCOMES = (
    "一、本年新收政府信息公开申请数量",
    "二、上年结转政府信息公开申请数量",
    "三、本年度办理结果（一）予以公开",
    "（二）部分公开",
    "（三）不予公开",
    "（四）无法提供",
    "（五）不予处理",
    "（六）其他处理",
    "（七）总计",
    "四、结转下年度继续办理",
)
REVIEW_HEAD = ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")


def annual_report(ctx: Context, year: int) -> Draft:
    """湛江市财政局{year}年政府信息公开工作年度报告, six sections with the 2021-format tables."""
    title = f"{phrases.BUREAU}{year}年政府信息公开工作年度报告"
    body = [
        Para(
            "本报告根据《中华人民共和国政府信息公开条例》要求编制，"
            f"所列数据统计期限自{year}年1月1日起至{year}年12月31日止。"
        ),
        Para("一、总体情况", heading=True),
        Para(fill(ctx, OVERVIEW, year=year)),
        Para("二、主动公开政府信息情况", heading=True),
        _proactive_table(ctx),
        Para("三、收到和处理政府信息公开申请情况", heading=True),
        _requests_table(ctx),
        Para("四、政府信息公开行政复议、行政诉讼情况", heading=True),
        _review_table(ctx),
        Para("五、存在的主要问题及改进情况", heading=True),
        Para(pick(ctx, PROBLEMS)),
        Para("六、其他需要报告的事项", heading=True),
        Para(f"本年度未收取信息处理费。{phrases.BUREAU}{year}年度无其他需要报告的事项。"),
    ]  # fmt: skip
    return Draft(title, body, attachments=[f"{year}年政府信息公开工作年度报告.pdf"])


OVERVIEW = (
    "{year}年，市财政局认真贯彻落实政府信息公开工作要求，"
    "全年主动公开政府信息{count}条，其中预决算信息{small}十条。"
)
PROBLEMS = (
    "信息公开的及时性有待进一步提高。下一步，我局将加强{topic}等重点领域信息公开。",
    "政策解读形式较为单一。下一步，我局将丰富解读形式，提高解读质量。",
)


def _proactive_table(ctx: Context) -> Table:
    rng = ctx.rng
    made, valid = rng.randint(0, 6), rng.randint(8, 30)
    rows = (
        ("第二十条第（一）项",),
        ("信息内容", "本年制发件数", "本年废止件数", "现行有效件数"),
        ("规章", "0", "0", "0"),
        ("行政规范性文件", str(made), str(rng.randint(0, 3)), str(valid)),
        ("第二十条第（五）项",),
        ("信息内容", "本年处理决定数量"),
        ("行政许可", str(rng.randint(0, 40))),
        ("第二十条第（六）项",),
        ("信息内容", "本年处理决定数量"),
        ("行政处罚", "0"),
        ("行政强制", "0"),
        ("第二十条第（八）项",),
        ("信息内容", "本年收费金额（单位：万元）"),
        ("行政事业性收费", "0"),
    )
    return Table(rows, header_rows=2)


def _requests_table(ctx: Context) -> Table:
    rng = ctx.rng
    rows = [("本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和", *APPLICANTS)]
    new = [rng.randint(0, 6), rng.randint(0, 2), 0, 0, 0, 0]
    carried = [rng.randint(0, 1), 0, 0, 0, 0, 0]
    opened = [a + b for a, b in zip(new, carried, strict=True)]
    zero = [0] * 6
    for label, values in zip(
        OUTCOMES,
        (new, carried, opened, zero, zero, zero, zero, zero, opened, zero),
        strict=True,
    ):
        rows.append((label, *map(str, values), str(sum(values))))
    return Table(tuple(rows))


def _review_table(ctx: Context) -> Table:
    upheld = ctx.rng.choice((0, 0, 0, 1))
    counts = (upheld, 0, 0, 0, upheld) + (0,) * 10
    head = ("行政复议", "行政诉讼 未经复议直接起诉", "行政诉讼 复议后起诉")
    return Table((head, REVIEW_HEAD * 3, tuple(map(str, counts))), header_rows=2)


THREE_PUBLIC = (
    "{year}年“三公”经费{word}数为{amount}万元，其中因公出国（境）费0万元，公务接待费{amount}万元。"
)
BUDGET_TERMS = (
    "一般公共预算拨款收入：指市级财政当年拨付的资金。",
    "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
    "项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。",
    "“三公”经费：指用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。",
)


def budget(ctx: Context, year: int, final: bool) -> Draft:
    """湛江市财政局{year}年部门预算 (or 部门决算): overview, totals table, “三公” note, terms."""
    word = "决算" if final else "预算"
    title = f"{phrases.BUREAU}{year}年部门{word}"
    body = [
        Para("第一部分 部门概况", heading=True),
        Para("一、部门职责"),
        Para("市财政局负责全市财政收支管理、国库集中支付、政府采购监管和会计管理等工作。"),
        Para("二、机构设置"),
        Para(fill(ctx, "市财政局内设{small}个科室，下属事业单位{small}个，编制人数{count}人。")),
        Para(f"第二部分 {year}年部门{word}收支总表", heading=True),
        _totals_table(ctx, word),
        Para("第三部分 “三公”经费说明", heading=True),
        Para(fill(ctx, THREE_PUBLIC, year=year, word=word)),
        Para("第四部分 名词解释", heading=True),
        *[Para(term) for term in BUDGET_TERMS],
    ]  # fmt: skip
    return Draft(title, body, attachments=[f"{year}年部门{word}公开表.xls"])


def _totals_table(ctx: Context, word: str) -> Table:
    income = _split(ctx, ("一般公共预算拨款收入", "政府性基金预算拨款收入", "其他收入"))
    spend = _split(ctx, ("一般公共服务支出", "社会保障和就业支出", "住房保障支出"), income[-1])
    rows = [("收入", f"{word}数（万元）", "支出", f"{word}数（万元）")]
    rows += [(a, _wan(b), c, _wan(d)) for (a, b), (c, d) in zip(income[0], spend[0], strict=True)]
    rows.append(("收入合计", _wan(income[-1]), "支出合计", _wan(spend[-1])))
    return Table(tuple(rows))


def _split(ctx: Context, labels: tuple[str, ...], total: int | None = None) -> tuple:
    """Amounts in hundredths of 万元 for the labels, summing to total (drawn when None)."""
    rng = ctx.rng
    total = total or rng.randint(300_000, 6_000_000)
    cuts = sorted(rng.randint(1, total - 1) for _ in labels[1:])
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return list(zip(labels, parts, strict=True)), total


def _wan(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"
