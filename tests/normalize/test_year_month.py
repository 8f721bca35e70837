"""parse_year_month: the 预计采购时间（填写到月） column of procurement intentions."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize.dates import parse_year_month


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年3月", "2025-03"),
        ("2025年03月", "2025-03"),
        ("2025年3月份", "2025-03"),
        ("2025 年 3 月", "2025-03"),
        ("２０２５年３月", "2025-03"),
        ("2025-03", "2025-03"),
        ("2025/3", "2025-03"),
        ("2025.03", "2025-03"),
        ("2025年3月15日", "2025-03"),
        ("2025-03-15", "2025-03"),
        ("二〇二五年三月五日", "2025-03"),
        ("预计2025年6月", "2025-06"),
        ("2025年6月至7月", "2025-06"),
        ("2025年13月", None),
        ("2025-02-30", None),  # the first date-shaped token is no real date: no guess
        ("1900年3月", None),
        ("2025", None),
        ("3月", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_year_month(text: str | None, expected: str | None) -> None:
    assert parse_year_month(text) == expected


@settings(database=None, max_examples=300)
@given(st.text(alphabet="0123456789年月日-/. 份", max_size=20))
def test_parse_year_month_never_crashes(text: str) -> None:
    result = parse_year_month(text)
    assert result is None or (len(result) == 7 and result[4] == "-")
