"""Only http(s) URLs become requests, attachment links or body_html links, after the cleanup a
browser applies to an href (C0 controls and spaces trimmed, tabs and newlines removed)."""

from __future__ import annotations

import pytest

from crawler import listing
from pipeline.normalize.urls import clean_href, web_url
from tests.conftest import extract_json

PAGE = "http://127.0.0.1:8800/czj/xxgk/tzgg/index.shtml"
DISGUISED = [
    "javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java\r\nscript:alert(1)",
    " \x01javascript:alert(1)",
    "\x00\x1fjavascript:alert(1)",
    "JavaScript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "mailto:czj@example.gov.cn",
    "tel:07592000000",
    "file:///etc/passwd",
    "ftp://127.0.0.1/a.pdf",
    "#top",
    "",
    " \t\n",
    "http://127.0.0.1:99999/a.pdf",
    "http://[::1/a.pdf",
]


def test_clean_href_is_the_whatwg_cleanup():
    assert clean_href(" \x00\x1f java\tscr\nipt:x \x7f") == "javascript:x \x7f"
    assert clean_href("\u3000./a.shtml") == "\u3000./a.shtml"  # not a C0 control or space


@pytest.mark.parametrize("href", DISGUISED)
def test_anything_but_a_web_link_is_refused(href):
    assert web_url(PAGE, href) is None


@pytest.mark.parametrize(
    ("href", "url"),
    [
        (
            "./200609/t20060907_1.shtml",
            "http://127.0.0.1:8800/czj/xxgk/tzgg/200609/t20060907_1.shtml",
        ),
        (" ../tzgg/a.pdf\n", "http://127.0.0.1:8800/czj/xxgk/tzgg/a.pdf"),
        ("/czj/a\t.pdf", "http://127.0.0.1:8800/czj/a.pdf"),
        ("//www.example.gov.cn/a.pdf", "http://www.example.gov.cn/a.pdf"),
        ("HTTPS://www.example.gov.cn/a.pdf", "HTTPS://www.example.gov.cn/a.pdf"),
        ("http:a.pdf", "http://127.0.0.1:8800/czj/xxgk/tzgg/a.pdf"),
    ],
)
def test_web_links_resolve(href, url):
    assert web_url(PAGE, href) == url


def test_relative_links_keep_the_page_scheme():
    assert web_url("file:///tmp/page.html", "a.pdf") == "file:///tmp/a.pdf"
    assert web_url("file:///tmp/page.html", "file:///etc/passwd") is None


def _trs_list(hrefs: list[str]) -> str:
    items = "".join(f'<li><a href="{h}">x</a><span>2024-01-02</span></li>' for h in hrefs)
    return f'<ul class="list">{items}</ul>'


def test_list_pages_yield_only_web_links():
    hrefs = [h.replace('"', "&quot;") for h in DISGUISED] + ["./a.shtml", " ./a.shtml "]
    assert listing.trs_item_urls(_trs_list(hrefs), PAGE) == [
        "http://127.0.0.1:8800/czj/xxgk/tzgg/a.shtml"
    ]


def test_list_dates_are_keyed_like_the_links():
    page = _trs_list(["./a\t.shtml", "java\tscript:alert(1)"])
    urls = listing.trs_item_urls(page, PAGE)
    assert list(listing.trs_item_dates(page, PAGE)) == urls


def test_hanweb_records_yield_only_web_links():
    records = "".join(
        f"<record><![CDATA[<li><a href='{h}'>x</a>2024-01-02</li>]]></record>"
        for h in ("java\tscript:alert(1)", "/art/2024/1/2/art_1_1.html")
    )
    page = f"<datastore>{records}</datastore>"
    assert listing.hanweb_item_urls(page, PAGE) == [
        "http://127.0.0.1:8800/art/2024/1/2/art_1_1.html"
    ]
    assert list(listing.hanweb_item_dates(page, PAGE)) == listing.hanweb_item_urls(page, PAGE)


ARTICLE = """<html><head><title>关于预算公开的通知</title></head><body>
<div class="article"><h1>关于预算公开的通知</h1>
<div id="zoom" class="TRS_Editor"><p>现将有关事项通知如下，请认真贯彻执行。各单位要按照要求做好预算公开工作，
确保公开内容真实、准确、完整。</p>
<p><a href="java&#9;script:alert(1)">点此查看</a> <a href="mailto:czj@example.gov.cn">来信</a>
<a href="ftp://127.0.0.1/x.pdf">镜像</a> <a href="./201">相关</a>
<img src=" java\tscript:alert(2)"> <img src="./W0202401.png"></p>
<p>附件：<a href="java	script:alert(3)">预算表.xls</a> <a href="mailto:x@example.gov.cn">说明.doc</a>
<a href="data:application/pdf;base64,AAAA">全文.pdf</a> <a href=" ./P020240102.pdf ">预算说明.pdf</a></p>
</div></div></body></html>"""


@pytest.fixture(scope="module")
def record() -> dict:
    url = "http://127.0.0.1:8800/czj/xxgk/tzgg/202401/t20240102_1.shtml"
    return extract_json(ARTICLE.encode(), url)


def test_attachment_links_are_web_links_only(record):
    assert record["attachments"] == [
        {
            "name": "预算说明.pdf",
            "url": "http://127.0.0.1:8800/czj/xxgk/tzgg/202401/P020240102.pdf",
        }
    ]


def test_body_html_keeps_web_and_relative_links_only(record):
    html = record["body_html"]
    assert "202401/201" in html
    assert "W0202401.png" in html
    for scheme in ("javascript", "script:", "mailto:", "ftp:", "data:"):
        assert scheme not in html, scheme
