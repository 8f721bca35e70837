"""decode_html: BOM, valid UTF-8, header and <meta> labels reconciled; garbled text counted."""

from __future__ import annotations

import codecs
import json
from email.message import Message
from typing import Any

import pytest

from pipeline.extract.decode import (
    Decoded,
    choose_encoding,
    count_garbled,
    decode_html,
    meta_encoding,
)
from tests.conftest import FILES, extract_json

GBK_TEXT = "朱镕基与王喆"  # 镕 and 喆 are outside GB2312
WESTERN_HEADERS = ["iso-8859-1", "ISO_8859-1", "latin1", "windows-1252", "cp1252", "us-ascii"]


def page(meta: str, text: str = GBK_TEXT) -> str:
    return f"<html><head>{meta}<title>{text}</title></head><body>{text}</body></html>"


def fixture_record(name: str) -> dict[str, Any]:
    """extract_page on tests/files/<name>.html with the charset of <name>.headers.json."""
    headers = FILES / f"{name}.headers.json"
    charset = None
    if headers.is_file():
        message = Message()
        message["Content-Type"] = json.loads(headers.read_text())["Content-Type"]
        charset = message.get_param("charset")
    body = (FILES / f"{name}.html").read_bytes()
    return extract_json(body, "http://www.zjczj.gov.cn/page.shtml", encoding=charset, site="zjczj")


# -- labels ------------------------------------------------------------------------------------
def test_utf8_without_any_declaration() -> None:
    assert decode_html(page("").encode()) == Decoded(page(""), "utf-8", 0)


@pytest.mark.parametrize(
    "meta",
    [
        '<meta charset="gb2312">',
        "<meta charset=GBK>",
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        '<meta httpequiv="Content-Type" content="text/html; charset=gb2312">',  # no dash
        "<META HTTP-EQUIV='content-type' CONTENT='text/html;charset=x-gbk'>",
    ],
)
def test_meta_gb_labels_decode_as_gb18030(meta: str) -> None:
    decoded = decode_html(page(meta).encode("gb18030"))
    assert decoded.encoding == "gb18030"
    assert decoded.errors == 0
    assert GBK_TEXT in decoded.text


def test_empty_meta_charset_is_skipped() -> None:
    meta = '<meta http-equiv="Content-Type" content="text/html; charset="><meta charset="gbk">'
    assert meta_encoding(page(meta).encode("gbk")) == "gb18030"


def test_only_the_first_4_kb_are_scanned() -> None:
    late = "<!--" + "x" * 5000 + '--><meta charset="gbk">'
    assert meta_encoding(late.encode()) is None


@pytest.mark.parametrize("label", ["utf-16", "UTF-16LE", "utf-16be", "utf-32"])
def test_utf16_in_a_meta_means_utf8(label: str) -> None:
    # The <meta> was readable as ASCII, so the page is not UTF-16 (as in the HTML standard).
    body = f'<html><meta charset="{label}"><title>notice</title></html>'.encode()
    assert meta_encoding(body) == "utf-8"
    assert decode_html(body) == Decoded(body.decode(), "utf-8", 0)


def test_header_charset_comes_first() -> None:
    body = page('<meta charset="utf-8">').encode("gbk")
    decoded = decode_html(body, declared="GBK")
    assert (decoded.encoding, decoded.errors) == ("gb18030", 0)
    assert GBK_TEXT in decoded.text


def test_unknown_header_charset_is_ignored() -> None:
    assert choose_encoding(page('<meta charset="gbk">').encode("gbk"), "no-such-codec") == "gb18030"
    assert choose_encoding(b"<html></html>", "base64") == "utf-8"  # not a text encoding


@pytest.mark.parametrize("label", ["undefined", "idna", "palmos"])
def test_odd_header_codecs_neither_raise_nor_garble(label: str) -> None:
    # "undefined" always raises, "idna" has no "replace" handler, "palmos" never fails.
    decoded = decode_html(page('<meta charset="gbk">').encode("gbk"), label)
    assert (decoded.encoding, decoded.errors) == ("gb18030", 0)
    assert GBK_TEXT in decoded.text


def test_wrong_declaration_falls_back_to_utf8() -> None:
    # "镕<" in UTF-8 (E9 95 95 3C) is no valid GB18030: the gbk label loses to strict UTF-8.
    decoded = decode_html(page('<meta charset="gbk">', "镕").encode("utf-8"))
    assert (decoded.encoding, decoded.errors) == ("utf-8", 0)
    assert "<title>镕</title>" in decoded.text


def test_valid_utf8_beats_a_stale_gb2312_label_even_when_gb18030_fits() -> None:
    body = page('<meta charset="gb2312">', "通知公告").encode("utf-8")
    assert body.decode("gb18030")  # 12 bytes of UTF-8 pair up into valid GB18030: 閫氱煡鍏憡
    decoded = decode_html(body, "gbk")
    assert (decoded.encoding, decoded.errors) == ("utf-8", 0)
    assert "<title>通知公告</title>" in decoded.text


def test_undeclared_gbk_falls_back_to_gb18030() -> None:
    decoded = decode_html(page("").encode("gbk"))
    assert (decoded.encoding, decoded.errors) == ("gb18030", 0)
    assert GBK_TEXT in decoded.text


def test_ascii_page_keeps_its_label() -> None:
    body = b"<html><title>Notice</title></html>"
    assert decode_html(body, "iso-8859-1") == Decoded(body.decode(), "iso8859-1", 0)
    assert decode_html(body, "gbk") == Decoded(body.decode(), "gb18030", 0)


# -- Western single-byte headers: the server's default, not the page's -------------------------
def test_latin1_header_on_gbk_page_with_gbk_meta() -> None:
    """Measured: the title was stored as ¹ØÓÚÖì… with decode_errors 0."""
    record = fixture_record("decode_latin1_header_gbk_meta")
    assert record["title"] == "关于朱镕基同志视察湛江财政工作的通报"
    assert (record["charset"], record["decode_errors"]) == ("gb18030", 0)
    assert record["author"] == "王喆"
    assert "朱镕基同志在湛江考察期间" in record["body_text"]


@pytest.mark.parametrize("header", WESTERN_HEADERS)
@pytest.mark.parametrize("meta", ['<meta charset="gbk">', ""])
def test_western_header_loses_to_gbk_meta_or_content(header: str, meta: str) -> None:
    decoded = decode_html(page(meta).encode("gbk"), header)
    assert (decoded.encoding, decoded.errors) == ("gb18030", 0)
    assert GBK_TEXT in decoded.text


@pytest.mark.parametrize("header", WESTERN_HEADERS)
def test_western_header_loses_to_valid_utf8(header: str) -> None:
    decoded = decode_html(page("").encode("utf-8"), header)
    assert (decoded.encoding, decoded.errors) == ("utf-8", 0)
    assert GBK_TEXT in decoded.text


def test_western_meta_loses_to_gbk_content_too() -> None:
    decoded = decode_html(page('<meta charset="iso-8859-1">').encode("gbk"))
    assert (decoded.encoding, decoded.errors) == ("gb18030", 0)
    assert GBK_TEXT in decoded.text


def test_western_header_stays_on_western_text() -> None:
    text = "Café São Paulo © 2006, 30°C, 2×3 m, ±5%, naïve"
    body = page('<meta charset="iso-8859-1">', text).encode("latin-1")
    assert decode_html(body, "iso-8859-1") == Decoded(page('<meta charset="iso-8859-1">', text),
                                                      "iso8859-1", 0)  # fmt: skip


def test_latin1_header_on_gbk_with_a_broken_byte_is_the_least_garbled() -> None:
    # 0xFF is never valid GBK: nothing decodes strictly, and Latin-1 would give mojibake.
    body = page("").encode("gbk").replace(b"</title>", b"\xff</title>")
    decoded = decode_html(body, "iso-8859-1")
    assert decoded.encoding == "gb18030"
    assert decoded.errors == 1
    assert f"<title>{GBK_TEXT}\ufffd</title>" in decoded.text


def test_utf8_label_on_gbk_with_a_broken_byte_costs_one_error_not_hundreds() -> None:
    body = page("", GBK_TEXT * 20).encode("gbk").replace(b"</title>", b"\xff</title>")
    decoded = decode_html(body, "utf-8")
    assert (decoded.encoding, decoded.errors) == ("gb18030", 1)


# -- byte-order marks: trusted only if the rest fits --------------------------------------------
@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
@pytest.mark.parametrize("header", [None, "gbk"])
def test_a_fitting_byte_order_mark_beats_the_labels(bom: bytes, codec: str, header: str) -> None:
    body = bom + page('<meta charset="gbk">').encode(codec)
    decoded = decode_html(body, header)
    assert (decoded.encoding, decoded.errors) == (codec, 0)
    assert decoded.text == page('<meta charset="gbk">')  # the BOM is not part of the text


def test_utf8_bom_on_gbk_page() -> None:
    """Measured: a null title and 141 U+FFFD."""
    record = fixture_record("decode_bom_gbk")
    assert record["title"] == "湛江市财政局关于王喆同志任职的通知"
    assert (record["charset"], record["decode_errors"]) == ("gb18030", 0)
    assert record["body_text"] == "经研究，决定任命王喆同志为市财政局预算科科长。\n特此通知。"


@pytest.mark.parametrize("meta", ['<meta charset="gb2312">', ""])
@pytest.mark.parametrize("header", [None, "gbk", "utf-8", "iso-8859-1"])
def test_utf8_bom_on_gbk_bytes_is_dropped(meta: str, header: str | None) -> None:
    decoded = decode_html(codecs.BOM_UTF8 + page(meta).encode("gbk"), header)
    assert decoded == Decoded(page(meta), "gb18030", 0)  # no BOM, no 锘 left at the start


def test_truncated_utf16_page_keeps_its_bom() -> None:
    body = codecs.BOM_UTF16_LE + page("").encode("utf-16-le") + b"<"  # odd: no strict UTF-16
    assert body[2:].decode("gb18030")  # but strict GB18030, full of NULs
    decoded = decode_html(body)
    assert (decoded.encoding, decoded.errors) == ("utf-16-le", 1)
    assert decoded.text == page("") + "\ufffd"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_nul_characters_count_as_garbled(codec: str) -> None:
    body = page("", "notice").encode(codec)  # UTF-16 without a BOM, and no label
    assert decode_html(body).errors == len(page("", "notice"))  # one NUL per character
    assert decode_html(body, codec) == Decoded(page("", "notice"), codec, 0)


# -- replacement and garbled text -------------------------------------------------------------
def test_undecodable_bytes_are_replaced_and_counted() -> None:
    body = page('<meta charset="utf-8">', "标题").encode().replace("标题".encode(), b"\xff\xfe")
    decoded = decode_html(body)
    assert decoded.encoding == "utf-8"
    assert decoded.errors == 4  # two bytes in <title>, two in <body>
    assert "<title>\ufffd\ufffd</title>" in decoded.text


def test_empty_body() -> None:
    assert decode_html(b"") == Decoded("", "utf-8", 0)


GBK_AS_LATIN1 = "关于朱镕基同志".encode("gbk").decode("latin-1")  # ¹ØÓÚÖìéF»ùÍ¬Ö¾
UTF8_AS_LATIN1 = "关于通知".encode().decode("latin-1")  # å\x85³äº\x8eé\x80\x9aç\x9f¥


@pytest.mark.parametrize(
    ("text", "garbled"),
    [
        (f"<title>{GBK_AS_LATIN1}</title>", 13),  # 14 characters; "F" (the 0x46 of 镕) splits
        (f"<title>{UTF8_AS_LATIN1}</title>", 12),
        (f"湛江市财政局{GBK_AS_LATIN1[:4]}的通知", 4),
        ("通知锟斤拷锟斤拷公告", 6),  # two U+FFFD in UTF-8, read as GBK
        ("内容烫烫烫烫烫", 5),  # 0xCC memory read as GBK
        ("标题\ufffd\ufffd", 2),
        ("\x93\x94", 2),
    ],
)
def test_garbled_text_is_counted(text: str, garbled: int) -> None:
    assert count_garbled(text) == garbled


@pytest.mark.parametrize(
    "text",
    [
        "法国总统马克龙（Emmanuel Macron）与贝利（Pelé）、Beyoncé、Müller会面",
        "© 2006 湛江市财政局 版权所有",
        "气温30°C，面积2×3米，误差±5%，价格¥100，第§3条",
        "×××同志、××市××县",
        "张三·李四，马克·吐温",
        "等等···",
        "通\xa0\xa0\xa0知\xa0©",  # no-break spaces from &nbsp; next to a symbol
        "“通知”——……",
        "烫手的山芋，烫烫",
        GBK_TEXT,
    ],
)
def test_legitimate_text_is_not_counted(text: str) -> None:
    assert count_garbled(text) == 0
    assert decode_html(page("", text).encode()).errors == 0
    assert decode_html(page("", text).encode("gb18030"), "gbk").errors == 0


def test_garbled_text_in_a_valid_utf8_page_is_counted() -> None:
    decoded = decode_html(page('<meta charset="utf-8">', GBK_AS_LATIN1).encode(), "utf-8")
    assert decoded.encoding == "utf-8"
    assert decoded.errors == 2 * 13  # in <title> and in <body>


def test_utf8_replacement_bytes_inside_a_gbk_page_are_counted() -> None:
    body = (
        page('<meta charset="gbk">')
        .encode("gbk")
        .replace(b"</title>", b"\xef\xbf\xbd" * 2 + b"</title>")
    )
    decoded = decode_html(body)
    assert decoded.encoding == "gb18030"
    assert f"<title>{GBK_TEXT}锟斤拷</title>" in decoded.text
    assert decoded.errors == 3
