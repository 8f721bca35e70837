"""Whatever the bytes, extract_page returns a full record and classify_page an answer."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import RECORD_FIELDS
from pipeline.extract.classify import classify_page
from pipeline.extract.decode import decode_html
from tests.conftest import extract_json

FRAGMENTS = (
    "<html>", "</html>", "<head>", "<body>", "</body>", "<title>", "</title>", "<p>", "</p>",
    "<div class='TRS_Editor'>", "<div id='zoom'>", "</div>", "<table>", "<tr>", "<td>", "</td>",
    "<br>", "<script>", "</script>", "<!--", "-->", "<!--<$[标题]>begin-->", "<a href='x.pdf'>",
    "</a>", "<meta charset='gbk'>", "<meta name='PubDate' content='2006-13-45'>", "发布时间：",
    "来源：", "索引号：", "当前位置：", "2006-09-07 11:00", "二〇〇六年九月七日", "湛财预[2006]7号",
    "<a class='CurrChnlCls'>", "&nbsp;", "　", "\x00", "\ufffd", "<base href='::'>", "<?xml?>",
    "<div style='display:none'>", "<span hidden>", "文号：", "<", ">", "通知", "\n",
)  # fmt: skip
html_soup = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=8), max_size=60).map("".join)


def check(record: dict) -> None:
    assert tuple(record) == RECORD_FIELDS
    assert record["kind"] in ("notice", "procurement")
    assert isinstance(record["attachments"], list)
    assert isinstance(record["decode_errors"], int)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes(body: bytes) -> None:
    check(extract_json(body, "http://www.zjczj.gov.cn/a.shtml"))


@settings(max_examples=300, deadline=None)
@given(html_soup, st.sampled_from(["utf-8", "gb18030", "gbk"]), st.sampled_from([None, "GBK", "x"]))
def test_html_soup_in_any_encoding(text: str, codec: str, header: str | None) -> None:
    body = text.encode(codec, errors="replace")
    check(extract_json(body, "http://www.zjczj.gov.cn/a.shtml", encoding=header))
    assert classify_page(decode_html(body, header).text) in ("content", "challenge", "error")


@settings(max_examples=200, deadline=None)
@given(html_soup, st.text(max_size=30))
def test_text_input_and_odd_urls(text: str, url: str) -> None:
    check(extract_json(text, url, site="zjczj"))
