"""decode_html: header → BOM → <meta> → UTF-8; GB labels as GB18030; strict, then fallbacks."""

from __future__ import annotations

import codecs

import pytest

from pipeline.extract.decode import Decoded, choose_encoding, decode_html, meta_encoding

GBK_TEXT = "朱镕基与王喆"  # 镕 and 喆 are outside GB2312


def page(meta: str, text: str = GBK_TEXT) -> str:
    return f"<html><head>{meta}<title>{text}</title></head><body>{text}</body></html>"


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


def test_header_charset_comes_first() -> None:
    body = page('<meta charset="utf-8">').encode("gbk")
    decoded = decode_html(body, declared="GBK")
    assert (decoded.encoding, decoded.errors) == ("gb18030", 0)
    assert GBK_TEXT in decoded.text


def test_unknown_header_charset_is_ignored() -> None:
    assert choose_encoding(page('<meta charset="gbk">').encode("gbk"), "no-such-codec") == "gb18030"
    assert choose_encoding(b"<html></html>", "base64") == "utf-8"  # not a text encoding


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ],
)
def test_byte_order_mark(bom: bytes, codec: str) -> None:
    body = bom + page('<meta charset="gbk">').encode(codec)
    decoded = decode_html(body)
    assert decoded.encoding == codec
    assert decoded.text.startswith("<html>")  # the BOM is not part of the text


def test_wrong_declaration_falls_back_to_utf8() -> None:
    # "镕<" in UTF-8 (E9 95 95 3C) is no valid GB18030: the gbk label loses to strict UTF-8.
    decoded = decode_html(page('<meta charset="gbk">', "镕").encode("utf-8"))
    assert (decoded.encoding, decoded.errors) == ("utf-8", 0)
    assert "<title>镕</title>" in decoded.text


def test_undeclared_gbk_falls_back_to_gb18030() -> None:
    decoded = decode_html(page("").encode("gbk"))
    assert (decoded.encoding, decoded.errors) == ("gb18030", 0)
    assert GBK_TEXT in decoded.text


def test_undecodable_bytes_are_replaced_and_counted() -> None:
    body = page('<meta charset="utf-8">', "标题").encode().replace("标题".encode(), b"\xff\xfe")
    decoded = decode_html(body)
    assert decoded.encoding == "utf-8"
    assert decoded.errors == 4  # two bytes in <title>, two in <body>
    assert "<title>\ufffd\ufffd</title>" in decoded.text


def test_empty_body() -> None:
    assert decode_html(b"") == Decoded("", "utf-8", 0)
