"""The official working-day calendar: real holiday data, hand-counted deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.compliance.calendar import CalendarGap, HolidayFileError, WorkCalendar

D = dt.date
CAL = WorkCalendar.default()


def test_covered_years_are_2004_to_2026():
    assert CAL.years == frozenset(range(2004, 2027))
    assert CAL.covers(D(2004, 1, 1))
    assert CAL.covers(D(2026, 12, 31))
    assert not CAL.covers(D(2003, 12, 31))
    assert not CAL.covers(D(2027, 1, 1))


@pytest.mark.parametrize(
    ("day", "workday"),
    [
        # 春节 2024: 2月10日至17日放假, 2月4日(周日)、2月18日(周日)上班
        (D(2024, 2, 4), True),
        (D(2024, 2, 9), True),  # 除夕, a Friday: not a holiday in 2024
        (D(2024, 2, 10), False),
        (D(2024, 2, 15), False),  # Thursday inside the holiday
        (D(2024, 2, 16), False),
        (D(2024, 2, 17), False),
        (D(2024, 2, 18), True),
        (D(2024, 2, 19), True),
        # 春节 2025: 1月28日至2月4日放假, 1月26日(周日)、2月8日(周六)上班
        (D(2025, 1, 25), False),  # ordinary Saturday
        (D(2025, 1, 26), True),
        (D(2025, 1, 27), True),
        (D(2025, 1, 28), False),
        (D(2025, 2, 3), False),  # Monday inside the holiday
        (D(2025, 2, 4), False),
        (D(2025, 2, 5), True),
        (D(2025, 2, 8), True),
        (D(2025, 2, 9), False),  # ordinary Sunday
        # 国庆、中秋 2025: 10月1日至8日放假, 9月28日(周日)、10月11日(周六)上班
        (D(2025, 9, 27), False),
        (D(2025, 9, 28), True),
        (D(2025, 9, 30), True),
        (D(2025, 10, 1), False),
        (D(2025, 10, 6), False),  # Monday, 中秋
        (D(2025, 10, 8), False),  # Wednesday
        (D(2025, 10, 9), True),
        (D(2025, 10, 11), True),
        (D(2025, 10, 12), False),
        # 2006 元旦 (国办发明电〔2005〕35号): 12月31日(星期六)上班 — corrected package data
        (D(2005, 12, 31), True),
        (D(2006, 1, 2), False),
    ],
)
def test_official_days(day, workday):
    assert CAL.is_workday(day) is workday


def test_twenty_working_days_across_national_day_2025():
    # Formed Friday 2025-09-26; the day itself is not counted:
    #  1 Sun 09-28 (调休)   2 Mon 09-29   3 Tue 09-30   [10-01..10-08 holiday]
    #  4 Thu 10-09   5 Fri 10-10   6 Sat 10-11 (调休)
    #  7-11 Mon 10-13..Fri 10-17   12-16 Mon 10-20..Fri 10-24   17 Mon 10-27
    # 18 Tue 10-28  19 Wed 10-29  20 Thu 10-30
    assert CAL.add_working_days(D(2025, 9, 26), 20) == D(2025, 10, 30)
    assert CAL.working_days_between(D(2025, 9, 26), D(2025, 10, 30)) == 20
    assert CAL.working_days_between(D(2025, 9, 26), D(2025, 10, 29)) == 19
    # Formed on the first holiday: 10-09, 10-10, 10-11 are the first three working days.
    assert CAL.add_working_days(D(2025, 10, 1), 3) == D(2025, 10, 11)


@pytest.mark.parametrize(
    ("friday", "due"),
    [
        # 端午 2024: 6月10日(周一)放假, no make-up day: Tue 06-11, Wed 06-12
        (D(2024, 6, 7), D(2024, 6, 12)),
        # 春节 2025: Sun 01-26 (调休) is the first, Mon 01-27 the second
        (D(2025, 1, 24), D(2025, 1, 27)),
        # 国庆 2025: Sun 09-28 (调休), Mon 09-29
        (D(2025, 9, 26), D(2025, 9, 29)),
        # 劳动节 2025 (5月1日至5日): Sun 04-27 (调休), Mon 04-28
        (D(2025, 4, 25), D(2025, 4, 28)),
    ],
)
def test_two_working_days_after_a_friday_before_a_holiday(friday, due):
    assert friday.weekday() == 4
    assert CAL.add_working_days(friday, 2) == due


def test_zero_and_negative_counts():
    assert CAL.add_working_days(D(2025, 10, 1), 0) == D(2025, 10, 1)
    with pytest.raises(ValueError, match="n must be >= 0"):
        CAL.add_working_days(D(2025, 10, 1), -1)
    assert CAL.working_days_between(D(2025, 10, 1), D(2025, 10, 1)) == 0
    assert CAL.working_days_between(D(2025, 10, 30), D(2025, 9, 26)) == -20


def test_calendar_day_deadline_moves_off_a_holiday():
    # 7 days after 09-24 is 10-01, a holiday: the deadline is the next working day, 10-09.
    assert CAL.add_calendar_days(D(2025, 9, 24), 7) == D(2025, 10, 9)
    # Ending on a make-up Saturday (10-11), the deadline stays there.
    assert CAL.add_calendar_days(D(2025, 10, 4), 7) == D(2025, 10, 11)
    # Ending on an ordinary Sunday, it moves to Monday.
    assert CAL.add_calendar_days(D(2025, 11, 2), 7) == D(2025, 11, 10)


def test_beyond_the_data_raises_calendar_gap():
    with pytest.raises(CalendarGap) as info:
        CAL.is_workday(D(2027, 3, 1))  # an ordinary Monday, but the schedule is unknown
    message = str(info.value)
    assert "2027-03-01" in message
    assert "2004–2026" in message
    assert "holiday file" in message
    assert info.value.day == D(2027, 3, 1)
    # A count that runs past the data stops at the first unknown day.
    with pytest.raises(CalendarGap, match="2027-01-01"):
        CAL.add_working_days(D(2026, 12, 25), 10)
    with pytest.raises(CalendarGap):
        CAL.is_workday(D(2003, 12, 31))


HOLIDAYS_2027 = """\
# Illustrative dates for the test, not the official 2027 schedule.
2027:
  source: test
  holidays:
    - 2027-01-01..2027-01-03
    - 2027-02-05..2027-02-12
  workdays:
    - 2027-02-20
"""


def test_a_holiday_file_answers_2027(tmp_path):
    path = tmp_path / "holidays.yml"
    path.write_text(HOLIDAYS_2027, encoding="utf-8")
    cal = WorkCalendar.from_file(path)
    assert cal.years == frozenset(range(2004, 2028))
    assert cal.is_workday(D(2027, 1, 1)) is False  # Friday, listed holiday
    assert cal.is_workday(D(2027, 2, 8)) is False
    assert cal.is_workday(D(2027, 2, 15)) is True  # ordinary Monday
    assert cal.is_workday(D(2027, 2, 20)) is True  # listed make-up Saturday
    assert cal.is_workday(D(2027, 2, 21)) is False  # ordinary Sunday
    # 12-28..12-31 (4), 01-01..01-03 off, 01-04..01-08 (5-9), Mon 01-11 (10)
    assert cal.add_working_days(D(2026, 12, 25), 10) == D(2027, 1, 11)
    assert cal.is_workday(D(2025, 10, 11)) is True  # the package's data is kept
    with pytest.raises(CalendarGap, match="2004–2027"):
        cal.is_workday(D(2028, 1, 3))
    # The default calendar is unchanged.
    assert not CAL.covers(D(2027, 1, 1))


def test_a_holiday_file_can_correct_a_covered_year(tmp_path):
    path = tmp_path / "fix.yml"
    path.write_text("2025:\n  workdays: [2025-10-08]\n", encoding="utf-8")
    cal = CAL.with_file(path)
    assert cal.is_workday(D(2025, 10, 8)) is True
    assert cal.is_workday(D(2025, 10, 7)) is False


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2027:\n  holidays: [2027-02-30]\n", "'2027-02-30' is not a date"),
        ("2027:\n  holidays: [2027-02-12..2027-02-05]\n", "ends before it starts"),
        ("2027:\n  holidays: [2027-10-01]\n  workdays: [2027-10-01]\n", "both holiday and workday"),
        ("2027:\n  holidays: [2028-01-01]\n", "2028-01-01 is not in 2027"),
        ("2027:\n  workdays: [2027-02-20]\n", "needs its 'holidays' list"),
        ("2027:\n  holiday: [2027-01-01]\n", "unknown key(s) ['holiday']"),
        ("2027:\n  holidays: 2027-01-01\n", "'holidays' must be a list"),
        ("twenty-seven:\n  holidays: [2027-01-01]\n", "'twenty-seven' is not a year"),
        ("- 2027-01-01\n", "expected a mapping of years"),
        ("2027: [unclosed\n", "cannot be read"),
    ],
)
def test_a_malformed_holiday_file_names_the_file_and_the_problem(tmp_path, text, problem):
    path = tmp_path / "bad.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(HolidayFileError) as info:
        WorkCalendar.from_file(path)
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_a_missing_holiday_file(tmp_path):
    with pytest.raises(HolidayFileError, match=r"missing\.yml: cannot be read"):
        WorkCalendar.from_file(tmp_path / "missing.yml")


covered_days = st.dates(min_value=D(2004, 1, 1), max_value=D(2026, 6, 30))


@settings(max_examples=300, deadline=None)
@given(start=covered_days, n=st.integers(min_value=0, max_value=100))
def test_add_and_between_agree(start, n):
    due = CAL.add_working_days(start, n)
    assert CAL.working_days_between(start, due) == n
    if n:
        assert CAL.is_workday(due)
        # due is the first day reaching n: the day before still counts n - 1.
        assert CAL.working_days_between(start, due - dt.timedelta(days=1)) == n - 1


@settings(max_examples=300, deadline=None)
@given(a=covered_days, b=covered_days)
def test_between_is_antisymmetric_and_inverts_add(a, b):
    k = CAL.working_days_between(a, b)
    assert CAL.working_days_between(b, a) == -k
    if k > 0:
        # The k-th working day after a is the last working day on or before b.
        last = CAL.add_working_days(a, k)
        assert last <= b
        assert all(
            not CAL.is_workday(last + dt.timedelta(days=i)) for i in range(1, (b - last).days + 1)
        )
