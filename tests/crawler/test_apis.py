"""The JSON list APIs: gkmlpt (real answer read in place) and gdgpo (answers built here)."""

from __future__ import annotations

import json

import pytest

from crawler import apis
from tests.conftest import REALPAGES

LIST = "https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/api/all/21023?page=1&sid=758001"


@pytest.fixture(scope="module")
def real_answer() -> str:
    path = REALPAGES / "api" / "gkmlpt_api_all__zhaoqing.json"
    if not path.is_file():
        pytest.skip(f"real pages not found at {REALPAGES}; set ZWGK_REALPAGES")
    return path.read_text(encoding="utf-8")


def test_gkmlpt_items_of_the_real_answer(real_answer):
    items = apis.gkmlpt_items(real_answer, LIST)
    assert list(items) == [
        "https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/content/3/3255/post_3255421.html",
        "https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/content/3/3253/post_3253080.html",
    ]
    first = next(iter(items.values()))
    assert first["identifier"] == "11441200MB2C91453G/2026-00271"
    assert apis.gkmlpt_post_count(real_answer) == 203
    assert apis.gkmlpt_next_page(real_answer, LIST) is None  # 2 articles: the last page


def article(n: int, **extra) -> dict:
    return {"id": n, "url": f"https://s.gov.cn/gkmlpt/content/0/{n // 1000}/post_{n}.html", **extra}


def test_gkmlpt_prefers_the_column_page():
    answer = json.dumps({"articles": [article(1, post_url="https://s.gov.cn/a/content/post_1.html"),
                                      article(2, post_url="")]})  # fmt: skip
    assert list(apis.gkmlpt_items(answer, LIST)) == [
        "https://s.gov.cn/a/content/post_1.html",
        "https://s.gov.cn/gkmlpt/content/0/0/post_2.html",
    ]


@pytest.mark.parametrize(("url", "next_page"), [("?page=1", 2), ("?page=0", 2), ("?page=4", 5)])
def test_gkmlpt_full_pages_go_on_and_page_0_is_page_1(url, next_page):
    answer = json.dumps({"articles": [article(n) for n in range(100)]})
    base = "https://s.gov.cn/gkmlpt/api/all/0"
    assert apis.gkmlpt_next_page(answer, base + url + "&sid=1") == (
        f"{base}?page={next_page}&sid=1"
    )


@pytest.mark.parametrize("answer", ["", "<html>404</html>", "[]", '{"articles": "x"}'])
def test_gkmlpt_malformed_answers_list_nothing(answer):
    assert apis.gkmlpt_items(answer, LIST) == {}
    assert apis.gkmlpt_next_page(answer, LIST) is None


GDGPO = (
    "https://gdgpo.czt.gd.gov.cn/gpcms/rest/web/v2/info/selectInfoForIndex?currPage=1&pageSize=2"
)


def gdgpo_answer(total: int, ids: list[str]) -> str:
    rows = [{"id": i, "noticeTime": f"2026-05-0{n + 1} 10:00:00"} for n, i in enumerate(ids)]
    return json.dumps({"code": "200", "data": {"total": total, "rows": rows}})


def test_gdgpo_details_and_pages():
    answer = gdgpo_answer(5, ["a-1", "b-2"])
    assert apis.gdgpo_items(answer, GDGPO) == [
        "https://gdgpo.czt.gd.gov.cn/gpcms/rest/web/v2/info/getInfoById?id=a-1",
        "https://gdgpo.czt.gd.gov.cn/gpcms/rest/web/v2/info/getInfoById?id=b-2",
    ]
    assert apis.gdgpo_next_page(answer, GDGPO).endswith("currPage=2&pageSize=2")
    last = GDGPO.replace("currPage=1", "currPage=3")
    assert apis.gdgpo_next_page(gdgpo_answer(5, ["e-5"]), last) is None
    assert str(apis.gdgpo_dates(answer, GDGPO)[apis.gdgpo_items(answer, GDGPO)[1]]) == "2026-05-02"


def test_gdgpo_error_answers_list_nothing():
    assert apis.gdgpo_items('{"code": "500", "msg": "验证码错误"}', GDGPO) == []
    assert apis.gdgpo_next_page('{"code": "500"}', GDGPO) is None


def test_the_ccgp_filter_keeps_the_citys_items_of_a_real_national_list():
    """ccgp_gov__list__1: a national list; 地域 is a province, so the city is found in the
    purchaser or the title."""
    from scrapy.http import HtmlResponse

    from crawler.families import TRS
    from crawler.spiders.ccgp import CcgpSpider

    path = REALPAGES / "ccgp_gov__list__1.html"
    if not path.is_file():
        pytest.skip(f"real pages not found at {REALPAGES}; set ZWGK_REALPAGES")
    url = "http://www.ccgp.gov.cn/cggg/zygg/index.htm"
    response = HtmlResponse(url, body=path.read_bytes(), encoding="utf-8")
    texts = TRS.item_texts(response)
    assert len(texts) == 20
    spider = CcgpSpider()
    spider.keep_words = ("深圳",)
    kept = spider._kept(TRS.item_urls(response), texts)
    assert kept
    assert all("深圳" in texts[u] for u in kept)
    assert len(kept) < len(texts)
