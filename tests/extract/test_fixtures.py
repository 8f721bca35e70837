"""Our own fixture pages (tests/files): the replica markup contract, encodings, broken pages.

Each fixture is ``<name>.html`` plus an optional ``<name>.headers.json`` with the HTTP
headers; the Content-Type charset goes into ``encoding`` the way the crawl passes it.
"""

from __future__ import annotations

import json
from email.message import Message
from functools import cache
from typing import Any

import pytest

from pipeline.extract import RECORD_FIELDS
from pipeline.extract.classify import classify_page
from pipeline.extract.decode import decode_html
from tests.conftest import FILES, extract_json

TRS_URL = "http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_10234.shtml"
HANWEB_URL = "http://127.0.0.1:8800/czj/art/2006/9/1/art_2801_4567.html"


def load(name: str) -> tuple[bytes, str | None]:
    """A fixture's bytes and the charset its HTTP headers declare (None without headers)."""
    headers = FILES / f"{name}.headers.json"
    charset = None
    if headers.is_file():
        message = Message()
        message["Content-Type"] = json.loads(headers.read_text())["Content-Type"]
        charset = message.get_param("charset")
    return (FILES / f"{name}.html").read_bytes(), charset


@cache
def record(name: str, url: str = "http://www.zjczj.gov.cn/page.shtml") -> dict[str, Any]:
    body, charset = load(name)
    return extract_json(body, url, encoding=charset, site="zjczj")


# -- TRS detail page per the replica markup contract ------------------------------------------
TRS_EXPECTED = {
    "site": "zjczj",
    "kind": "notice",
    "category": "通知公告",
    "title": "关于下达2006年市直部门预算的通知",
    "publish_date": "2006-09-07",
    "publish_time": "11:00",
    "publisher": "湛江市财政局",  # 发布机构 of the 公开目录 table, not 来源: 本网
    "author": None,  # 作者: shown empty
    "doc_number": "湛财预〔2006〕7号",  # written 湛财预[2006]7号
    "index_number": "007049868/2006-00012",
    "doc_date": "2006-09-05",  # 二〇〇六年九月五日
    "body_text": "\n".join(
        [
            "市直各预算单位：",
            "根据《湛江市人民政府关于2006年预算的批复》（湛府〔2006〕12号），"
            "现将你单位2006年部门预算下达给你们。",
            "一、本次下达预算总额3521.07万元，其中基本支出2890.50万元。",
            "二、各单位要严格执行预算，不得擅自调整。",
            "三、执行中如有问题，请及时与市财政局预算科联系。",
            "项目 金额（万元）",
            "基本支出 2890.50",
            "项目支出 630.57",
            "湛江市财政局",
            "二〇〇六年九月七日",
        ]
    ),
    "attachments": [
        {
            "name": "2006年市直部门预算表.pdf",
            "url": "http://www.zjczj.gov.cn/xxgk/tzgg/200609/P020060907512345678901.pdf",
        },
        {
            "name": "预算明细",
            "url": "http://www.zjczj.gov.cn/xxgk/tzgg/200609/P020060907512345678902.xls",
        },
    ],
    "procurement": None,
    "charset": "utf-8",
    "decode_errors": 0,
}

HANWEB_EXPECTED = {
    "site": "zjczj",
    "kind": "notice",
    "category": "机构职能",
    "title": "湛江市财政局主要职责",
    "publish_date": "2006-09-01",
    "publish_time": None,
    "publisher": "湛江市财政局",
    "author": None,
    "doc_number": "湛财办〔2006〕3号",  # written 湛财办（2006）3号
    "index_number": "007049868/2006-00101",
    "doc_date": "2006-08-30",
    "body_text": "（一）贯彻执行国家财政、税收方针政策和法律法规。\n"
    "（二）编制年度市级预决算草案并组织执行。\n"
    "（三）承办市人民政府交办的其他事项。",
    "attachments": [
        {
            "name": "机构设置图.pdf",
            "url": "http://127.0.0.1:8800/czj/module/download/downfile.jsp"
            "?classid=0&filename=9f8e7d6c5b4a.pdf",
        },
        {
            "name": "1a2b3c4d5e6f.doc",  # no link text: the file name
            "url": "http://127.0.0.1:8800/czj/module/download/downfile.jsp"
            "?classid=0&filename=1a2b3c4d5e6f.doc",
        },
    ],
    "procurement": None,
    "charset": "utf-8",
    "decode_errors": 0,
}


@pytest.mark.parametrize("field", sorted(TRS_EXPECTED))
def test_trs_replica_page(field: str) -> None:
    assert record("trs_replica", TRS_URL)[field] == TRS_EXPECTED[field]


@pytest.mark.parametrize("field", sorted(HANWEB_EXPECTED))
def test_hanweb_replica_page(field: str) -> None:
    assert record("hanweb_replica", HANWEB_URL)[field] == HANWEB_EXPECTED[field]


@pytest.mark.parametrize("name", ["trs_replica", "hanweb_replica"])
def test_replica_pages_have_every_contract_field(name: str) -> None:
    assert tuple(record(name)) == RECORD_FIELDS


def test_trs_body_html_is_sanitized_and_complete() -> None:
    html = record("trs_replica", TRS_URL)["body_html"]
    assert "<table>" in html
    assert "<td>基本支出</td>" in html
    assert "不应出现" not in html
    assert "隐藏段落" not in html
    assert "style=" not in html
    assert "<!--" not in html


def test_trs_chrome_stays_out_of_the_body() -> None:
    body = record("trs_replica", TRS_URL)["body_text"]
    for chrome in (
        "打印本页",
        "关闭窗口",
        "分享到",
        "网站标识码",
        "字体",
        "您当前所在位置",
        "附件",
    ):
        assert chrome not in body


# -- encodings -------------------------------------------------------------------------------
def test_gb2312_declared_page_decodes_gbk_characters() -> None:
    result = record("gb2312_declared_gbk_chars")
    assert result["charset"] == "gb18030"
    assert result["decode_errors"] == 0
    assert result["title"] == "朱镕基同志视察湛江财政工作纪实"
    assert result["author"] == "王喆"
    assert "市财政局局长王喆汇报了全市财政收支情况。" in result["body_text"]


def test_header_charset_wins_over_meta() -> None:
    _body, charset = load("header_gbk_meta_gb2312")
    assert charset == "GBK"
    result = record("header_gbk_meta_gb2312")
    assert result["charset"] == "gb18030"
    assert result["title"] == "湛江市财政局关于公布2006年行政事业性收费项目的公告"
    assert result["body_text"] == "现将2006年行政事业性收费项目予以公布。\n特此公告。"


def test_undecodable_title_becomes_null() -> None:
    result = record("bad_bytes_title")
    assert result["title"] is None
    assert result["decode_errors"] == 4  # 0xFF 0xFE in <title> and in <h1>
    assert result["publish_date"] == "2006-09-07"
    assert result["body_text"] == "各单位：请按时报送2006年度决算报表。"


# -- broken and empty pages ----------------------------------------------------------------------
def test_malformed_page_title() -> None:
    assert record("malformed")["title"] == "关于开展2006年财政收支检查的通知"


def test_malformed_page_date() -> None:
    assert record("malformed")["publish_date"] == "2006-10-12"
    assert record("malformed")["publish_time"] == "09:30"


def test_malformed_page_body() -> None:
    assert record("malformed")["body_text"] == (
        "各有关单位：请务必按时报送自查报告。\n检查时间为10月至11月。\n联系电话：3387654"
    )


def test_malformed_page_category() -> None:
    assert record("malformed")["category"] == "财政要闻"  # the unclosed trail swallows nothing


def test_page_without_date() -> None:
    result = record("no_date")
    assert result["publish_date"] is None
    assert result["publish_time"] is None
    assert result["title"] == "湛江市财政局办事指南：政府采购供应商注册"


def test_bot_shield_page_is_a_challenge() -> None:
    body, charset = load("challenge")
    assert classify_page(decode_html(body, charset).text, 200) == "challenge"


@pytest.mark.parametrize("name", ["trs_replica", "hanweb_replica", "malformed", "no_date"])
def test_fixture_pages_are_content(name: str) -> None:
    body, charset = load(name)
    assert classify_page(decode_html(body, charset).text) == "content"
