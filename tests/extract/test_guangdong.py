"""The Guangdong site group's families: NFCMS themes, gkmlpt content pages, gdgpo content.

NFCMS themes are recognized by their markup on a page carrying ``window.NFCMS_*`` (hosts vary);
gkmlpt pages by ``window._CONFIG``; gdgpo content by its host (or named by the caller). The real
pages are in test_realpages.py; these tests use our own pages (tests/files) built on them.
"""

from __future__ import annotations

from functools import cache

import pytest

from pipeline.extract import extract_page
from pipeline.record import Attachment, Record
from tests.conftest import FILES, realpage

GKMLPT_URL = "https://www.zhanjiang.gov.cn/gkmlpt/content/2/2175/post_2175001.html"
GDGPO_URL = "https://gdgpo.czt.gd.gov.cn/gpcms/rest/web/v2/info/getInfoById?id=7d1c2b3a-0001"


def family_of(record: Record) -> str:
    return record.sources["kind"].removesuffix(" family")


@pytest.mark.parametrize(
    ("name", "family"),
    [
        ("zhanjiang_gov__budget__1.html", "nfcms_zhanjiang"),
        ("czj_zs_gov__notice__1.html", "nfcms_zs"),
        ("jiangmen_gov__budget__1.html", "nfcms_jiangmen"),
        ("api/gkmlpt_content__zhaoqing.html", "gkmlpt"),
    ],
)
def test_site_group_pages_are_recognized_by_markup(name: str, family: str) -> None:
    """Saved pages have no URL: the family comes from the markup alone."""
    assert family_of(extract_page(realpage(name), "file:///saved.html")) == family


def test_a_theme_needs_the_nfcms_mark() -> None:
    html = (FILES / "nfcms_chrome_in_article.html").read_text(encoding="utf-8")
    without = html.replace("window.NFCMS_", "window.OTHER_")
    assert family_of(extract_page(html, "file:///a.html")) == "nfcms_zhanjiang"
    assert family_of(extract_page(without, "file:///a.html")) == "generic"


# -- gkmlpt -------------------------------------------------------------------------------------
@cache
def gkmlpt(html: str | None = None) -> Record:
    page = html or (FILES / "gkmlpt_content_full.html").read_text(encoding="utf-8")
    return extract_page(page, GKMLPT_URL)


def test_gkmlpt_detail_fields_and_their_sources() -> None:
    record = gkmlpt()
    assert family_of(record) == "gkmlpt"
    shown = {
        "title": ("湛江市财政局关于2026年政府购买服务指导性目录的通知", "gkmlpt DETAIL.title"),
        "publisher": ("湛江市财政局", "gkmlpt DETAIL.publisher"),
        "category": ("财政预决算", "gkmlpt DETAIL.classify_main_name"),
        "doc_number": ("湛财综〔2026〕11号", "gkmlpt DETAIL.document_number"),  # [2026] -> 〔〕
        "doc_date": ("2026-03-10", "gkmlpt DETAIL.date"),  # 1773072000 in Asia/Shanghai
        "publish_date": ("2026-03-12", "gkmlpt DETAIL.created_at"),
        "publish_time": ("16:40", "gkmlpt DETAIL.created_at"),
        "index_number": ("11440800007049868E/2026-00044", "gkmlpt table 索引号"),  # not in DETAIL
        "body_text": (
            "各县（市、区）财政局，市直各单位：\n现将2026年政府购买服务指导性目录印发给你们，请遵照执行。",
            "gkmlpt DETAIL.content",
        ),
    }
    for name, (value, source) in shown.items():
        assert (getattr(record, name), record.sources[name]) == (value, source), name


def test_gkmlpt_attachments_from_the_content_and_the_list() -> None:
    assert gkmlpt().attachments == (
        Attachment(
            "2026年政府购买服务指导性目录.pdf",
            "https://www.zhanjiang.gov.cn/attachment/0/281/281001/2175001.pdf",
        ),
    )  # DETAIL.content's link (named by alt) and DETAIL.attachment's entry are one file


def test_gkmlpt_rendered_table_without_detail() -> None:
    html = (FILES / "gkmlpt_content_full.html").read_text(encoding="utf-8")
    rendered = html[: html.index("<script>")] + "</body></html>"
    record = gkmlpt(rendered.replace("</head>", "<script>window._CONFIG = {};</script></head>"))
    assert family_of(record) == "gkmlpt"
    assert record.title == "湛江市财政局关于2026年政府购买服务指导性目录的通知"
    assert record.sources["title"] == "gkmlpt table 名称"
    assert (record.publish_date, record.publish_time) == ("2026-03-12", None)
    assert record.doc_date == "2026-03-10"
    assert record.category == "财政预决算"
    assert record.sources["body_text"] == "body container"  # .article-content
    assert record.body_text.startswith("各县（市、区）财政局")


def test_gkmlpt_real_page_detail() -> None:
    record = extract_page(realpage("api/gkmlpt_content__zhaoqing.html"), "file:///saved.html")
    assert record.sources["category"] == "gkmlpt DETAIL.classify_main_name"
    assert record.sources["body_text"] == "gkmlpt DETAIL.content"


# -- gdgpo --------------------------------------------------------------------------------------
@cache
def gdgpo(url: str = GDGPO_URL, family: str | None = None) -> Record:
    return extract_page((FILES / "gdgpo_content.html").read_bytes(), url, family=family)


def test_gdgpo_content_is_a_procurement_page_by_its_host() -> None:
    record = gdgpo()
    assert (record.kind, family_of(record)) == ("procurement", "gdgpo")
    assert record.body_text.startswith("湛江市麻章区人民医院医用耗材采购项目结果公告\n一、项目编号")
    assert record.attachments == (
        Attachment(
            "采购文件.pdf",
            "https://gdgpo.czt.gd.gov.cn/gpx-bid-file/440800/gpx-tender/2025/9/18/8a7e0c1f.pdf",
        ),
    )


def test_gdgpo_content_goes_through_the_procurement_extractor() -> None:
    procurement = gdgpo().procurement  # its type comes from the API's noticeType (the adapter)
    assert procurement.project_number == "440800-2025-01562"
    assert procurement.purchaser == "湛江市麻章区人民医院"
    assert procurement.agency == "广东湛诚招标代理有限公司"
    assert [(a.lot, a.supplier, a.amount) for a in procurement.awards] == [
        ("1", "湛江市康达医疗器械有限公司", 356000.0)
    ]
    assert procurement.experts == ("林国华", "周敏", "吴建平")


def test_gdgpo_family_named_by_the_caller() -> None:
    """The ingest names the family (pipeline.sources.gdgpo): any URL, a replica's too."""
    record = gdgpo("http://127.0.0.1:8800/gdgpo/gpcms/rest/web/v2/info/getInfoById?id=1", "gdgpo")
    assert (record.kind, record.procurement) == ("procurement", gdgpo().procurement)


def test_gdgpo_intent_fragment_without_a_title() -> None:
    """No title to name the type: an intent table (预计采购时间) does; the unit heading above
    it, past an editor's comment, is the purchaser."""
    fragment = (
        "<p>湛江市第一中学</p><!-- 正文分隔 --><table><tr><th>序号</th><th>采购项目名称</th>"
        "<th>预算金额（万元）</th><th>预计采购时间</th></tr><tr><td>1</td><td>教学设备采购</td>"
        "<td>120</td><td>2026年3月</td></tr></table>"
    )
    procurement = extract_page(fragment, GDGPO_URL).procurement
    assert procurement.announcement_type == "intent"
    assert procurement.sources["announcement_type"] == "intent table of the body"
    assert procurement.purchaser == "湛江市第一中学"
    assert [
        (i.project_name, i.budget_amount, i.expected_month) for i in procurement.intent_items
    ] == [("教学设备采购", 1200000.0, "2026-03")]
