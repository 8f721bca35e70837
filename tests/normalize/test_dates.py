"""parse_date / parse_datetime / parse_date_iso over the forms seen on government sites."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize.dates import parse_date, parse_date_iso, parse_datetime

PROPERTY = settings(database=None, max_examples=500)
DATE_ALPHABET = "0123456789０１２年月日号-/.:：点时分T 　\xa0上下午一二三四五六七八九十〇零O廿卅[]"

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected_date", "expected_time"),
    [
        # ISO-like, with and without time (list pages, <meta name="PubDate">).
        ("2006-09-07 11:00", D(2006, 9, 7), "11:00"),
        ("2006-09-07", D(2006, 9, 7), None),
        ("2006-9-7", D(2006, 9, 7), None),
        ("2024-05-11", D(2024, 5, 11), None),
        ("2019-09-18 06:23", D(2019, 9, 18), "06:23"),
        ("2024-10-21 12:51", D(2024, 10, 21), "12:51"),
        ("2023-11-30  14:52", D(2023, 11, 30), "14:52"),
        ("2023-11-06 00:00", D(2023, 11, 6), "00:00"),
        ("2025-06-27 17:52", D(2025, 6, 27), "17:52"),
        ("2006-09-07 11:00:05", D(2006, 9, 7), "11:00"),
        ("2006-09-07T11:00:05", D(2006, 9, 7), "11:00"),
        ("2006-09-07T11:00:05+08:00", D(2006, 9, 7), "11:00"),
        ("2006-9-7 9:05", D(2006, 9, 7), "09:05"),
        ("2024-02-29", D(2024, 2, 29), None),
        # Slashes and dots.
        ("2006/9/7", D(2006, 9, 7), None),
        ("2006/09/07", D(2006, 9, 7), None),
        ("2024/01/05 22:09", D(2024, 1, 5), "22:09"),
        ("2016/11/22", D(2016, 11, 22), None),
        ("2006.09.07", D(2006, 9, 7), None),
        ("2006.9.7", D(2006, 9, 7), None),
        ("2007.08.20。", D(2007, 8, 20), None),
        # Labelled, bracketed and embedded in running text.
        ("[2006-09-07]", D(2006, 9, 7), None),
        ("(2006-09-07)", D(2006, 9, 7), None),
        ("【2024-10-21】", D(2024, 10, 21), None),
        ("发布时间:2006-09-07 11:00", D(2006, 9, 7), "11:00"),
        ("发布时间:2006-09-07 11:00 作者: 来源: 本网 字体:", D(2006, 9, 7), "11:00"),
        ("发布日期：2024-10-21", D(2024, 10, 21), None),
        ("生成日期: 2024-10-21", D(2024, 10, 21), None),
        ("来源: | 发布时间: 2018-05-17 | 浏览次数:", D(2018, 5, 17), None),
        ("发布时间：2024-07-12", D(2024, 7, 12), None),
        ("索引号: 002482082/2024-00332 生成日期: 2024-10-21", D(2024, 10, 21), None),
        ("成文日期：2006年9月7日", D(2006, 9, 7), None),
        # Chinese 年月日 with Arabic digits.
        ("2006年9月7日", D(2006, 9, 7), None),
        ("2006年09月07日", D(2006, 9, 7), None),
        ("2006 年 10 月 30 日", D(2006, 10, 30), None),
        ("2019 年 10 月 30 日", D(2019, 10, 30), None),
        ("2023年01月05日", D(2023, 1, 5), None),
        ("2025年05月27日 20:20", D(2025, 5, 27), "20:20"),
        ("2025年05月27日  20:20", D(2025, 5, 27), "20:20"),
        ("2025年03月24日 09点30分", D(2025, 3, 24), "09:30"),
        ("2025年03月24日 09点30分（北京时间）", D(2025, 3, 24), "09:30"),
        ("2025年3月24日9时30分", D(2025, 3, 24), "09:30"),
        ("2025年3月24日上午9时30分", D(2025, 3, 24), "09:30"),
        ("2025年3月24日下午3时", D(2025, 3, 24), "15:00"),
        ("2025年3月24日下午14:30", D(2025, 3, 24), "14:30"),
        ("2025年3月24日 9点", D(2025, 3, 24), "09:00"),
        ("2021年06月10日 17:35", D(2021, 6, 10), "17:35"),
        ("2006年9月7号", D(2006, 9, 7), None),
        ("2025年03月03日至2025年03月10日", D(2025, 3, 3), None),
        ("自2025年03月03日起", D(2025, 3, 3), None),
        # Chinese numerals, with the usual stand-ins for 〇.
        ("二〇〇六年九月七日", D(2006, 9, 7), None),
        ("二OO六年九月七日", D(2006, 9, 7), None),
        ("二00六年九月七日", D(2006, 9, 7), None),
        ("二○○六年九月七日", D(2006, 9, 7), None),
        ("二零零六年九月七日", D(2006, 9, 7), None),
        ("二〇一七年三月二十四日", D(2017, 3, 24), None),
        ("二〇〇六年十月三十日", D(2006, 10, 30), None),
        ("二〇〇六年十二月三十一日", D(2006, 12, 31), None),
        ("二〇〇六年十一月十日", D(2006, 11, 10), None),
        ("二〇〇六年二月廿八日", D(2006, 2, 28), None),
        ("二〇二四年元月五日", D(2024, 1, 5), None),
        ("二〇一七年三月二十四日上午九时三十分", D(2017, 3, 24), "09:30"),
        ("湛江市财政局\n二〇〇六年九月七日", D(2006, 9, 7), None),
        # Full-width digits and punctuation.
        ("２００６－０９－０７", D(2006, 9, 7), None),
        ("２００６－０９－０７ １１：００", D(2006, 9, 7), "11:00"),
        ("２００６年９月７日", D(2006, 9, 7), None),
        ("２００６／９／７", D(2006, 9, 7), None),
        ("2006-09-07 １１：００", D(2006, 9, 7), "11:00"),
        ("\u30002006-09-07\xa011:00", D(2006, 9, 7), "11:00"),
        # Boundaries of the accepted years.
        ("1949-10-01", D(1949, 10, 1), None),
        ("2100-12-31", D(2100, 12, 31), None),
        # A time that is not a time leaves the date alone.
        ("2006-09-07 25:00", D(2006, 9, 7), None),
        ("2006-09-07 11:60", D(2006, 9, 7), None),
        ("2006-09-07 第3期", D(2006, 9, 7), None),
    ],
)
def test_parse_datetime(text: str, expected_date: dt.date, expected_time: str | None) -> None:
    assert parse_datetime(text) == (expected_date, expected_time)
    assert parse_date(text) == expected_date
    assert parse_date_iso(text) == expected_date.isoformat()


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "无",
        "发布时间:",
        # Not real dates: never a guess.
        "2006-02-30",
        "2006-13-01",
        "2006-00-10",
        "2006-09-00",
        "2006-09-32",
        "2023-02-29",
        "2006年13月1日",
        "2006年2月30日",
        "二〇〇六年二月三十日",
        "二〇〇六年十三月一日",
        # Years outside 1949-2100.
        "1948-12-31",
        "2101-01-01",
        "0000-01-01",
        "一九〇〇年一月一日",
        # Shapes that only look like dates.
        "20060907",
        "t20211011_1485252.html",
        "2006-09",
        "2006年9月",
        "2025年1至6月政府采购意向",
        "007049868/2006-00012",
        "2006-09/07",
        "12006-09-07",
        "2006-09-071",
        "1.2006.9.7",
        "192.168.10.1",
        "0759-3181234",
        "一二〇〇六年九月七日",
        "二〇〇六年九月七",
    ],
)
def test_parse_date_none(text: str | None) -> None:
    assert parse_datetime(text) == (None, None)
    assert parse_date(text) is None
    assert parse_date_iso(text) is None


def test_first_date_wins() -> None:
    assert parse_date("开始 2024-01-02，截止 2024-02-03") == D(2024, 1, 2)


def test_invalid_first_date_is_not_replaced_by_a_later_one() -> None:
    assert parse_date("2006-02-30 更正为 2006-03-01") is None


@PROPERTY
@given(st.one_of(st.text(), st.text(alphabet=DATE_ALPHABET)))
def test_parse_datetime_never_crashes_and_returns_valid(text: str) -> None:
    day, time = parse_datetime(text)
    assert day is None or (isinstance(day, dt.date) and 1949 <= day.year <= 2100)
    if day is None:
        assert time is None
    if time is not None:
        hour, minute = map(int, time.split(":"))
        assert len(time) == 5
        assert 0 <= hour <= 23
        assert 0 <= minute <= 59


@PROPERTY
@given(st.dates(min_value=D(1949, 1, 1), max_value=D(2100, 12, 31)))
def test_round_trip_of_formatted_dates(day: dt.date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.year}年{day.month}月{day.day}日") == day
    assert parse_date(f"{day.year}/{day.month}/{day.day}") == day


def _chinese_numeral(number: int) -> str:
    digits = "〇一二三四五六七八九"
    tens, units = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[units] if units or not tens else "")


@PROPERTY
@given(st.dates(min_value=D(1949, 1, 1), max_value=D(2100, 12, 31)))
def test_round_trip_of_chinese_numeral_dates(day: dt.date) -> None:
    year = "".join("〇一二三四五六七八九"[int(d)] for d in str(day.year))
    text = f"{year}年{_chinese_numeral(day.month)}月{_chinese_numeral(day.day)}日"
    assert parse_date(text) == day
