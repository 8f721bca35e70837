"""What each detail page shows normalizes to its truth; the dirt real pages carry is there."""

from __future__ import annotations

import re
from urllib.parse import urljoin

import lxml.html
import pytest

from tests.replica import reference as ref
from tests.replica.conftest import fetch

FIELDS = (
    "title",
    "category",
    "publish_date",
    "publish_time",
    "publisher",
    "author",
    "doc_number",
    "index_number",
    "doc_date",
    "body_text",
    "attachments",
)


@pytest.fixture(scope="module")
def pages(truth) -> dict[str, str]:
    """Every detail page of the healthy replica, decoded by its declared charset."""
    decoded = {}
    for notice in truth["notices"]:
        status, _, body = fetch(notice["url"])
        assert status == 200, notice["url"]
        gbk = b"charset=gb2312" in body[:600]
        decoded[notice["url"]] = body.decode("gb18030" if gbk else "utf-8")
    return decoded


@pytest.fixture(scope="module")
def read(truth, pages) -> dict[str, dict]:
    return {n["url"]: read_page(pages[n["url"]], n["url"]) for n in truth["notices"]}


def read_page(html: str, url: str) -> dict:
    """The record fields as the replica's markup shows them (reference reading)."""
    doc = lxml.html.document_fromstring(html)
    hanweb = "/art/" in url
    if hanweb:
        title, body = doc.xpath("//td[@class='title']"), doc.xpath("//div[@id='zoom']")
        crumbs = doc.xpath("//div[@class='current-position']/a")
        info = ref.normalize_text(doc.xpath("//table[@class='bt_size_14']")[0].text_content())
        links = doc.xpath("//div[@class='fjdown']//a")
    else:
        title, body = doc.xpath("//div[@class='title']/h1"), doc.xpath("//div[@class='TRS_Editor']")
        crumbs = doc.xpath("//div[@class='position']/a")
        info = ref.normalize_text(doc.xpath("//div[@class='info']")[0].text_content())
        links = doc.xpath("//div[@class='fujian']//a")
    published = re.search(r"发布(?:时间|日期)[:：] ?(\d{4}-\d\d-\d\d)(?: (\d\d:\d\d))?", info)
    author = re.search(r"作者[:：] ?(.*?) 来源", info)
    source = re.search(r"来源[:：] ?(.+?)(?: 字体| 浏览次数|$)", info).group(1)
    has_meta = bool(doc.xpath("//table[@class='gkml_meta' or @class='xxgk']"))
    return {
        "title": ref.normalize_text(title[0].text_content()),
        "category": ref.normalize_text(crumbs[-1].text_content()),
        "publish_date": published.group(1) if published else None,
        "publish_time": published.group(2) if published else None,
        "publisher": ref.normalize_text(ref.labelled(doc, "发布机构")) if has_meta else source,
        "author": ref.normalize_text(author.group(1)) if author else None,
        "doc_number": ref.doc_number(ref.labelled(doc, "文件编号" if hanweb else "文号")),
        "index_number": ref.normalize_text(ref.labelled(doc, "索引号")),
        "doc_date": _iso(ref.parse_date(ref.labelled(doc, "成文日期"))),
        "body_text": ref.body_text(body[0]),
        "attachments": [
            {"name": ref.normalize_text(a.text_content()), "url": urljoin(url, a.get("href"))}
            for a in links
        ],
        "meta_published": _iso(ref.parse_date(ref.labelled(doc, "发布日期"))),
        "pubdate_meta": (doc.xpath("//meta[@name='PubDate']/@content") or [None])[0],
    }


def _iso(day) -> str | None:
    return day.isoformat() if day else None


@pytest.mark.parametrize("field", FIELDS)
def test_page_shows_the_truth(truth, read, field):
    wrong = [
        (n["url"], n[field], read[n["url"]][field])
        for n in truth["notices"]
        if read[n["url"]][field] != n[field]
    ]
    assert not wrong, f"{len(wrong)} pages differ in {field}; first: {wrong[0]}"


def test_metadata_table_dates_agree_with_the_info_line(truth, read):
    trs_with_meta = [n for n in truth["notices"] if read[n["url"]]["meta_published"]]
    assert len(trs_with_meta) > 50
    for notice in trs_with_meta:
        assert read[notice["url"]]["meta_published"] == notice["publish_date"]


def test_pubdate_meta_on_pages_since_2015_only(truth, read):
    for notice in truth["notices"]:
        pubdate = read[notice["url"]]["pubdate_meta"]
        if notice["publish_date"] < "2015":
            assert pubdate is None
        else:
            moment = " ".join(filter(None, (notice["publish_date"], notice["publish_time"])))
            assert pubdate == moment


@pytest.mark.parametrize(
    ("what", "pattern"),
    [
        ("full-width digits in a body", r"<p[^>]*>[^<]*[０-９]"),
        ("U+3000 indentation", r"<p>\u3000\u3000"),
        ("&nbsp; indentation", r"<p>&nbsp;&nbsp;&nbsp;&nbsp;"),
        ("a hidden element", r"display: ?none|visibility:hidden|<p hidden>"),
        ("a Chinese-numeral date", r"<td>二〇[〇一二]\w年"),
        ("a 年月日 date", r"<td>\d{4}年\d{1,2}月\d{1,2}日</td>"),
        ("a slashed date", r"<td>\d{4}/\d{1,2}/\d{1,2}</td>"),
        ("[] brackets in a 文号", r"湛\w+\[\d{4}\]\d+号"),
        ("［］ brackets in a 文号", r"湛\w+［\d{4}］\d+号"),
        ("（） brackets in a 文号", r"湛\w+（\d{4}）\d+号"),
        ("〔〕 brackets in a 文号", r"湛\w+〔\d{4}〕\d+号"),
        ("lines split by <br>", r"湛江市财政局<br ?/?>"),
        ("the 2006 info line with an empty author", r"作者: 来源: "),
        ("a table in a body", r'<td colspan="\d+" valign="center">'),
        ("a Word-paste span", r'<span lang="EN-US">'),
    ],
)
def test_pages_carry_real_world_dirt(pages, what, pattern):
    assert any(re.search(pattern, html) for html in pages.values()), what


def test_hidden_text_never_reaches_the_truth(truth, pages):
    junk = re.compile(r"(?:display: ?none;?|visibility:hidden)\">([^<]+)<|<p hidden>([^<]+)<")
    hidden = {m for html in pages.values() for m in junk.findall(html)}
    texts = {t for pair in hidden for t in pair if t}
    assert texts
    for notice in truth["notices"]:
        assert not any(t in notice["body_text"] for t in texts)


def test_list_titles_are_shortened_with_an_ellipsis_but_attributes_are_full(server, truth):
    _, _, body = fetch(server.site_base("zjczj") + "xxgk/tzgg/index.shtml")
    items = re.findall(r'title="([^"]+)" target="_blank">([^<]+)</a>', body.decode())
    shortened = [(full, shown) for full, shown in items if shown.endswith("…")]
    assert shortened
    assert all(full.startswith(shown[:-1]) for full, shown in shortened)
