"""What the crawl process takes from Scrapy and w3lib when it reads a page's text.

Listing pages are read through ``response.text`` (selectors) and attachment links are decoded
with ``w3lib.encoding.to_unicode`` and ``response.encoding``. Chinese government sites declare
gb2312 or gbk and write GB18030, as browsers read them. w3lib 2.6 changed how these are named
(``gbk`` where 2.5 said ``gb18030``) and decoded (the WHATWG decoders): these tests hold the
text, not the name, so a dependency upgrade that loses a character fails here.
"""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse
from w3lib.encoding import to_unicode

URL = "http://127.0.0.1:8800/czj/tzgg/202406/t20240612_1.html"
#: CJK punctuation, full-width digits and a character outside GBK (𠮷, four bytes in GB18030).
TEXT = (
    "关于印发《湛江市财政局政府信息公开工作办法》的通知（湛财〔2024〕12号）："
    "各有关单位：现将办法印发给你们，请认真贯彻执行。附件：𠮷野村项目资金表。２０２４年６月１２日"
)


def _page(codec: str, label: str | None = None, where: str = "meta") -> HtmlResponse:
    """TEXT written in ``codec``, its charset ``label`` declared in the header or a ``<meta>``
    (no label: declared nowhere)."""
    declared = f"text/html; charset={label}" if label else "text/html"
    header = declared if where == "header" else "text/html"
    meta = f'<meta http-equiv="Content-Type" content="{declared}">' if where == "meta" else ""
    html = f"<html><head>{meta}<title>通知</title></head><body><p>{TEXT}</p></body></html>"
    return HtmlResponse(URL, body=html.encode(codec), headers={"Content-Type": header})


@pytest.mark.parametrize("where", ["header", "meta"])
@pytest.mark.parametrize(
    ("label", "codec"),
    [("gb2312", "gb18030"), ("GBK", "gb18030"), ("gb18030", "gb18030"), ("utf-8", "utf-8")],
)
def test_a_declared_page_keeps_every_character(label, codec, where):
    response = _page(codec, label, where)
    assert response.css("p::text").get() == TEXT
    # attachment_links decodes raw slices of the body this way: the same text as the selector.
    assert to_unicode(response.body, response.encoding) == response.text


@pytest.mark.parametrize("codec", ["gb18030", "utf-8"])
def test_an_undeclared_page_is_read_in_the_encoding_it_is_written_in(codec):
    response = _page(codec)
    assert response.css("p::text").get() == TEXT
    assert to_unicode(response.body, response.encoding) == response.text
