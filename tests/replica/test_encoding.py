"""The 工作动态 column: GB2312-declared pages whose bytes are gb18030 (GBK) only."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.replica.conftest import fetch
from tests.replica.reference import normalize_text

GBK_ONLY = "镕喆堃赟玥"


@pytest.fixture(scope="module")
def gzdt(truth) -> list[tuple[dict, dict, bytes]]:
    """(notice, headers, body) for every 工作动态 detail page."""
    pages = []
    for notice in (n for n in truth["notices"] if n["category"] == "工作动态"):
        status, headers, body = fetch(notice["url"])
        assert status == 200
        pages.append((notice, headers, body))
    return pages


def test_pages_declare_gb2312(gzdt):
    for _, _, body in gzdt:
        assert b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' in body


def test_most_headers_carry_no_charset_a_few_say_gbk(gzdt):
    kinds = Counter(headers["Content-Type"] for _, headers, _ in gzdt)
    assert set(kinds) == {"text/html", "text/html; charset=gbk"}
    assert kinds["text/html"] > kinds["text/html; charset=gbk"] > 0


def test_bytes_are_not_utf8(gzdt):
    for _, _, body in gzdt:
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")


def test_gbk_only_characters_break_strict_gb2312_but_not_gb18030(gzdt):
    special = [
        (n, body) for n, _, body in gzdt if any(c in n["title"] + n["body_text"] for c in GBK_ONLY)
    ]
    assert len(special) >= 3
    assert any("镕" in n["title"] for n, _ in special)
    for notice, body in special:
        with pytest.raises(UnicodeDecodeError):
            body.decode("gb2312")
        assert notice["title"] in normalize_text(body.decode("gb18030"))


def test_every_page_decodes_as_gb18030_to_its_truth(gzdt):
    for notice, _, body in gzdt:
        assert "\ufffd" not in body.decode("gb18030", "replace")
        assert notice["title"] in normalize_text(body.decode("gb18030"))


def test_the_list_page_is_gb18030_too(server):
    status, headers, body = fetch(server.site_base("zjczj") + "gzdt/index.shtml")
    assert status == 200
    assert headers["Content-Type"] == "text/html"
    assert b"charset=gb2312" in body
    assert "镕".encode("gb18030") in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("gb2312")
    assert "工作动态" in body.decode("gb18030")


def test_other_columns_are_utf8(truth):
    notice = next(n for n in truth["notices"] if n["category"] == "财政要闻")
    _, _, body = fetch(notice["url"])
    assert notice["title"] in body.decode("utf-8")
