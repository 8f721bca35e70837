"""gkmlpt's catalogue fields over a page's record (real list answer read in place)."""

from __future__ import annotations

import json

import pytest

from pipeline.record import Record
from pipeline.sources import gkmlpt
from tests.conftest import REALPAGES


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    path = REALPAGES / "api" / "gkmlpt_api_all__zhaoqing.json"
    if not path.is_file():
        pytest.skip(f"real pages not found at {REALPAGES}; set ZWGK_REALPAGES")
    return json.loads(path.read_text(encoding="utf-8"))["articles"]


PAGE = Record(
    url="https://www.zhaoqing.gov.cn/zqhjj/gkmlpt/content/3/3255/post_3255421.html",
    site="zhaoqing",
    title="金宸农牧科技（四会）有限公司四会富硒蛋鸡产业园项目受理公告",
    publisher="本网",
    publish_date="2026-07-08",
    sources={"publisher": "label 来源", "publish_date": "meta PubDate"},
)


def test_the_catalogue_wins_where_it_gives_a_value(articles):
    record = gkmlpt.apply_catalogue(PAGE, articles[0])
    assert record.index_number == "11441200MB2C91453G/2026-00271"
    assert record.publisher == "肇庆市生态环境局"
    assert (record.publish_date, record.publish_time) == ("2026-07-07", "10:48")
    assert record.doc_date == "2026-07-07"  # 1783353600 is 2026-07-07 00:00 in China
    assert record.category == "受理公告"
    assert record.sources["index_number"] == "gkmlpt api identifier"
    assert record.sources["publish_date"] == "gkmlpt api created_at"


def test_where_the_catalogue_is_silent_the_page_stays(articles):
    second = articles[1]  # no identifier, no created_at in the real answer
    record = gkmlpt.apply_catalogue(PAGE, second)
    assert record.index_number is None
    assert (record.publish_date, record.sources["publish_date"]) == ("2026-07-08", "meta PubDate")
    assert record.doc_date == "2026-06-29"  # its title: 2026年6月29日 …受理情况


def test_the_page_column_beats_the_catalogue_category():
    record = gkmlpt.apply_catalogue(
        Record(url="u", category="通知公告"), {"classify_main_name": "受理公告"}
    )
    assert record.category == "通知公告"
