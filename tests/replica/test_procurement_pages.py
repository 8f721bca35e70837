"""What each procurement page shows reads back as its truth; the forms and dirt are there.

``read_page`` is a reference reading of the replica's ccgp markup written for these tests only
(like ``reference.py`` for the bureau); it knows nothing of ``pipeline/``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from urllib.parse import urljoin

import lxml.html
import pytest

from tests.replica import reference as ref
from tests.replica.conftest import fetch

FIELDS = ("title", "category", "publish_date", "publish_time", "publisher", "body_text",
          "attachments")  # fmt: skip
CJK_GAP = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")
NUMBER_LINE = re.compile(r"^(?:[一二三四五六七八九十]+、)?(?:原公告的采购)?项目 ?编号：(.+)$")
DEADLINE_LINE = re.compile(
    r"^(?:更正后)?(?:提交(?:投标|响应|投标（响应）)文件|投标)截止时间：(.+)$"
)
MOMENT = re.compile(r"(\d{4})年(\d\d)月(\d\d)日 (\d\d)(?:点|:)(\d\d)")
RATE = re.compile(r"^(下浮率|折扣率|优惠率)：?(\d+(?:\.\d+)?)%$")


def clean(text: str | None) -> str | None:
    """normalize_text, then spaces between two CJK characters removed (the names rule)."""
    value = ref.normalize_text(text)
    return CJK_GAP.sub("", value) if value else value


def yuan(text: str) -> float:
    """Any amount form the replica writes, in yuan."""
    value = ref.normalize_text(text) or ""
    if "（￥" in value:
        value = value.split("（￥", 1)[1]
    number = re.search(r"\d[\d,]*(?:\.\d+)?", value).group().replace(",", "")
    scale = 10000 if "万元" in value else 1
    return float((Decimal(number) * scale).quantize(Decimal("0.01")))


def moment(text: str) -> str:
    year, month, day, hour, minute = MOMENT.search(text).groups()
    return f"{year}-{month}-{day} {hour}:{minute}"


def read_page(html: str, url: str) -> dict:
    """The record fields as the replica's ccgp markup shows them."""
    doc = lxml.html.document_fromstring(html)
    crumbs = doc.xpath("//div[contains(@class, 'vF_deail_currentloc')]//a[@class='CurrChnlCls']")
    when = doc.xpath("//span[@id='pubTime']")
    shown = MOMENT.search(when[0].text_content()) if when else None
    source = ref.normalize_text(doc.xpath("//span[@id='sourceName']")[0].text_content())
    meta = doc.xpath("//meta[@name='ContentSource']/@content")
    body = doc.xpath("//div[@class='vF_detail_content']")[0]
    links = doc.xpath("//div[@class='vF_detail_fujian']//a")
    return {
        "title": ref.normalize_text(
            doc.xpath("//div[@class='vF_detail_header']/h2")[0].text_content()
        ),
        "category": ref.normalize_text(crumbs[-1].text_content()),
        "publish_date": "-".join(shown.groups()[:3]) if shown else None,
        "publish_time": ":".join(shown.groups()[3:]) if shown else None,
        "publisher": source or (meta[0] if meta else None),
        "body_text": ref.body_text(body),
        "attachments": [
            {"name": ref.normalize_text(a.text_content()), "url": urljoin(url, a.get("href"))}
            for a in links
        ],
        "summary": summary(doc),
        "body": body,
    }


def summary(doc) -> dict[str, str]:
    """The 公告概要 table as label → normalized value."""
    cells = doc.xpath("//div[@class='table']//td[@class='title']")
    return {ref.normalize_text(c.text_content()): ref.normalize_text(c.getnext().text_content())
            for c in cells}  # fmt: skip


def awards(body) -> list[dict]:
    """The lot table of an award body: one dict per row, as the truth's ``awards``."""
    table = next(t for t in body.iter("table") if "供应商名称" in t.text_content())
    rows = [[ref.normalize_text(c.text_content()) or "" for c in tr.iter("td")]
            for tr in table.iter("tr")]  # fmt: skip
    header, scale = rows[0], (10000 if "万元" in rows[0][-1] else 1)
    lot_at = next((i for i, h in enumerate(header) if h in ("标包", "包组")), None)
    name_at = next(i for i, h in enumerate(header) if "供应商名称" in h)
    found = []
    for row in rows[1:]:
        rate = RATE.match(row[-1])
        amount = None if rate else float(Decimal(row[-1].replace(",", "")) * scale)
        found.append({
            "lot": row[lot_at].removeprefix("包") if lot_at is not None else None,
            "supplier": row[name_at],
            "amount": round(amount, 2) if amount is not None else None,
            "rate": float(rate.group(2)) if rate else None,
        })  # fmt: skip
    return found


def intent_items(body) -> list[dict]:
    table = next(body.iter("table"))
    rows = [
        [ref.normalize_text(c.text_content()) for c in tr.iter("td")] for tr in table.iter("tr")
    ]
    items = []
    for row in rows[1:]:
        year, month = re.match(r"(\d{4})年(\d{1,2})月", row[4]).groups()
        items.append({"project_name": row[1], "budget_amount": yuan(row[3] + "万元"),
                      "expected_month": f"{year}-{int(month):02d}"})  # fmt: skip
    return items


@pytest.fixture(scope="module")
def pages(ccgp_truth) -> dict[str, str]:
    """Every procurement page of the healthy replica."""
    decoded = {}
    for notice in ccgp_truth["notices"]:
        status, _, body = fetch(notice["url"])
        assert status == 200, notice["url"]
        decoded[notice["url"]] = body.decode("utf-8")
    return decoded


@pytest.fixture(scope="module")
def read(ccgp_truth, pages) -> dict[str, dict]:
    return {n["url"]: read_page(pages[n["url"]], n["url"]) for n in ccgp_truth["notices"]}


def of_type(truth: dict, kind: str) -> list[dict]:
    return [n for n in truth["notices"] if n["procurement"]["announcement_type"] == kind]


@pytest.mark.parametrize("field", FIELDS)
def test_page_shows_the_truth(ccgp_truth, read, field):
    wrong = [
        (n["url"], n[field], read[n["url"]][field])
        for n in ccgp_truth["notices"]
        if read[n["url"]][field] != n[field]
    ]
    assert not wrong, f"{len(wrong)} pages differ in {field}; first: {wrong[0]}"


def test_summary_table_shows_the_project(ccgp_truth, read):
    for notice in ccgp_truth["notices"]:
        record, table = notice["procurement"], read[notice["url"]]["summary"]
        if record["announcement_type"] == "intent":
            assert table == {}
            continue
        assert table["采购项目名称"] == record["project_name"]
        assert clean(table["采购单位"]) == record["purchaser"]
        assert table["行政区域"] == record["region"]
        assert table.get("代理机构名称") == record["agency"]
        assert moment(table["公告时间"]) == f"{notice['publish_date']} {notice['publish_time']}"


def test_summary_amounts_and_dates(ccgp_truth, read):
    for notice in ccgp_truth["notices"]:
        record, table = notice["procurement"], read[notice["url"]]["summary"]
        kind = record["announcement_type"]
        if kind == "tender":
            assert yuan(table["预算金额"]) == record["budget_amount"]
            opening = table.get("开标时间")
            assert (moment(opening) if opening else None) == record["bid_opening"]
        if kind == "award":
            total = table.get("总中标金额") or table["总成交金额"]
            assert (None if total == "详见公告正文" else yuan(total)) == record["award_amount"]
            label = next(k for k in table if k.endswith("名单"))
            assert [clean(n).replace(" ", "") for n in table[label].split("、")] == record[
                "experts"
            ]
        if kind == "contract":
            assert yuan(table["合同金额"]) == record["contract_amount"]
            assert moment(table["合同签订日期"] + " 00:00")[:10] == record["contract_date"]


def test_body_shows_number_method_and_deadline(ccgp_truth, read):
    for notice in ccgp_truth["notices"]:
        record = notice["procurement"]
        lines = read[notice["url"]]["body_text"].split("\n")
        numbers = {re.sub(r"\s", "", m.group(1)) for m in map(NUMBER_LINE.match, lines) if m}
        assert numbers == ({record["project_number"]} if record["project_number"] else set())
        methods = {
            line.removeprefix("采购方式：") for line in lines if line.startswith("采购方式：")
        }
        assert methods == (
            {record["procurement_method"]} if record["procurement_method"] else set()
        )
        deadlines = {moment(m.group(1)) for m in map(DEADLINE_LINE.match, lines) if m}
        assert deadlines == ({record["bid_deadline"]} if record["bid_deadline"] else set())


def test_award_tables_show_the_awards(ccgp_truth, read):
    awards_read = 0
    for notice in of_type(ccgp_truth, "award"):
        assert awards(read[notice["url"]]["body"]) == notice["procurement"]["awards"]
        awards_read += 1
    assert awards_read >= 100


def test_intent_tables_show_the_items(ccgp_truth, read):
    intents = of_type(ccgp_truth, "intent")
    assert len(intents) >= 30
    for notice in intents:
        assert intent_items(read[notice["url"]]["body"]) == notice["procurement"]["intent_items"]


def test_summary_table_is_not_part_of_the_body(ccgp_truth):
    for notice in ccgp_truth["notices"]:
        assert "公告概要" not in notice["body_text"]
        assert "公告信息：" not in notice["body_text"]


def test_older_pages_use_the_older_award_layout(ccgp_truth):
    for notice in of_type(ccgp_truth, "award"):
        text = notice["body_text"]
        if notice["publish_date"] < "2020":
            assert "一、项目信息" in text
            assert re.search(r"[三四]、(成交|中标)信息", text)
        else:
            assert "、中标（成交）信息" in text
            assert "、评审专家（单一来源采购人员）名单：" in text


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("1,234,567.89元", r"\d{1,3}(?:,\d{3})+\.\d\d元"),
        ("￥1,234,567.89", r"￥\d{1,3}(?:,\d{3})+\.\d\d(?!\d| 万)"),
        ("294.800000万元", r"\d+\.\d{6}万元"),
        ("￥294.8 万元（人民币）", r"￥\d+\.\d{1,5} 万元（人民币）"),
        ("￥294.800000 万元（人民币）", r"￥\d+\.\d{6} 万元（人民币）"),
        (
            "壹佰贰拾万元整（￥1,200,000.00）",
            r"[壹贰叁肆伍陆柒捌玖][拾佰仟万壹贰叁肆伍陆柒捌玖零]*元整（￥[\d,]+\.00）",
        ),
        ("12.5万元", r"：\d+\.\d万元"),
        ("a （万元） column", r"<strong>(?:中标（成交）金额（万元）|成交金额\(万元\))</strong>"),
        ("a （元） column", r"<strong>中标（成交）金额（元）</strong>"),
        ("bare 万元 numbers", r'<td valign="center">\d+\.\d{6}</td>'),
        ("下浮率：5%", r"下浮率：\d+(?:\.\d)?%"),
        ("折扣率：95%", r"折扣率：\d+(?:\.\d)?%"),
        ("优惠率3.5%", r"优惠率\d+(?:\.\d)?%"),
    ],
)
def test_amount_forms_appear_on_pages(pages, what, pattern):
    assert any(re.search(pattern, html) for html in pages.values()), what


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("a spaced label", r"项目 编号：|名 称：|采 购 人"),
        ("a spaced name", r"湛江市 [\u4e00-\u9fff]"),
        ("padded expert names", r"[\u4e00-\u9fff]  [\u4e00-\u9fff]、"),
        ("a full-width project number", r"(?:[Ａ-Ｚ]{4}|４４０８００)[０-９（(－]"),
        ("a hidden articleId input", r'<input type="hidden" name="articleId" value="\d{8}">'),
        ("an empty sourceName", r'<span id="sourceName"></span>'),
        ("a bot-shield stub before an article", r'<body id="detail"><script id="keyparam"'),
        ("round brackets in a project number", r"ZJZC\(20\d\d\)\d{3}"),
        ("a full-width title", r'ArticleTitle" content="[^"]*[０-９]'),
    ],
)
def test_pages_carry_real_world_dirt(pages, what, pattern):
    assert any(re.search(pattern, html) for html in pages.values()), what


def test_some_bodies_leave_paragraphs_and_cells_open(pages):
    def body(html: str) -> str:
        return html.split('class="vF_detail_content">', 1)[1].split("</div>", 1)[0]

    bodies = [body(html) for html in pages.values()]
    assert any(b.count("<p") > b.count("</p>") for b in bodies)
    assert any(b.count("<td") > b.count("</td>") for b in bodies)


def test_stubbed_pages_still_carry_the_article(ccgp_truth, pages, read):
    stubbed = [n for n in ccgp_truth["notices"] if 'id="keyparam"' in pages[n["url"]]]
    assert len(stubbed) >= 20
    for notice in stubbed:
        assert notice["expect"] == "stored"
        assert read[notice["url"]]["body_text"] == notice["body_text"]
