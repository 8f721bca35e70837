"""Attachment links found in the crawl process: HTML hrefs, and a platform's JSON file list."""

from __future__ import annotations

import json

from scrapy.http import HtmlResponse, Request, TextResponse

from crawler.attachments import attachment_links

API = "http://127.0.0.1:8800/gdgpo/freecms/rest/v1/notice/selectInfoMoreChannel.do?id=1"


def _json_answer(data: dict, escape_slashes: bool = False) -> TextResponse:
    body = json.dumps(data, ensure_ascii=False)
    if escape_slashes:  # some JSON encoders write "\/" for "/"
        body = body.replace("/", "\\/")
    request = Request(API, meta={"format": "gdgpo"})
    return TextResponse(API, body=body.encode(), encoding="utf-8", request=request)


def test_a_json_answer_yields_its_file_list_and_the_links_of_its_html():
    data = {
        "data": {
            "content": '<p>见<a href="/gdgpo/gpx-bid-file/a/招标文件.docx">招标文件</a></p>',
            "attchList": [
                {"fileName": "采购需求.pdf", "fileUrl": "/gdgpo/gpx-bid-file/b/1.pdf"},
                {"fileName": "首页", "fileUrl": "/gdgpo/index.html"},  # not a file: left out
            ],
        }
    }
    for escaped in (False, True):
        links = attachment_links(_json_answer(data, escape_slashes=escaped))
        assert links == [
            "http://127.0.0.1:8800/gdgpo/gpx-bid-file/b/1.pdf",
            "http://127.0.0.1:8800/gdgpo/gpx-bid-file/a/招标文件.docx",
        ]


def test_an_html_page_never_reads_json_file_lists():
    body = '<script>var x = {"fileUrl": "/f/1.pdf"};</script><a href="/f/2.pdf">附件</a>'
    response = HtmlResponse("http://127.0.0.1:8800/p.html", body=body.encode(), encoding="utf-8")
    assert attachment_links(response) == ["http://127.0.0.1:8800/f/2.pdf"]


def test_links_are_found_in_any_case_and_kept_as_written():
    """Older pages write ``HREF`` or ``Href`` and upper-case extensions; the URL keeps the case
    the page gave it (a path is case-sensitive), and navigation links are left out."""
    body = (
        '<A HREF="/Files/Report.PDF">报告</A><a Href = "/f/b.Docx">b</a>'
        '<a hRef="/news/list.html">新闻</a><a href="/Download.jsp?ID=7">下载</a>'
        '<a href="/Files/Report.PDF">again</a><a href="/f/c.pdfx">not a pdf</a>'
    )
    response = HtmlResponse("http://127.0.0.1:8800/p.html", body=body.encode(), encoding="utf-8")
    assert attachment_links(response) == [
        "http://127.0.0.1:8800/Files/Report.PDF",
        "http://127.0.0.1:8800/f/b.Docx",
        "http://127.0.0.1:8800/Download.jsp?ID=7",
    ]


def test_a_gb2312_page_links_a_file_named_with_a_four_byte_gb18030_character():
    """Chinese sites declare gb2312 or gbk and write GB18030, as browsers read them: a name
    with a character outside GBK (𠮷, four bytes) is kept, not turned into replacement marks."""
    name = "附件𠮷野家预算表.xls"
    url = "http://127.0.0.1:8800/czj/a.html"
    for label in ("gb2312", "gbk", "GB2312"):
        head = f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'
        body = f'<html><head>{head}</head><body><a href="/files/{name}">附件</a></body></html>'
        response = HtmlResponse(url, body=body.encode("gb18030"), request=Request(url))
        assert attachment_links(response) == [f"http://127.0.0.1:8800/files/{name}"], label
