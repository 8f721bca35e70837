"""Working days for the procurement replica: Monday to Friday minus a small fixed holiday list.

Deliberately simple (no 调休 make-up Saturdays, no 清明 / 端午 / 中秋): the replica only needs a
calendar it can state. Deadlines it marks *late* exceed two working days by a wide margin and
the ones it keeps on time stay within one (or two with no weekend or holiday in between), so a
checker using the official State Council calendar reaches the same verdicts.
"""

from __future__ import annotations

import datetime as dt

# Spring Festival (正月初一) of each year the replica covers; the holiday is that day and the
# two after it, plus the eve.
SPRING_FESTIVAL = {
    2019: dt.date(2019, 2, 5),
    2020: dt.date(2020, 1, 25),
    2021: dt.date(2021, 2, 12),
    2022: dt.date(2022, 2, 1),
    2023: dt.date(2023, 1, 22),
    2024: dt.date(2024, 2, 10),
    2025: dt.date(2025, 1, 29),
    2026: dt.date(2026, 2, 17),
}


def _holidays() -> frozenset[dt.date]:
    days: set[dt.date] = set()
    for year, new_year in SPRING_FESTIVAL.items():
        days.add(dt.date(year, 1, 1))  # 元旦
        days.update(new_year + dt.timedelta(days=d) for d in range(-1, 3))  # 春节
        days.update(dt.date(year, 5, d) for d in (1, 2, 3))  # 劳动节
        days.update(dt.date(year, 10, d) for d in range(1, 8))  # 国庆节
    return frozenset(days)


HOLIDAYS = _holidays()


def is_workday(day: dt.date) -> bool:
    """Monday to Friday and not in HOLIDAYS."""
    return day.weekday() < 5 and day not in HOLIDAYS


def on_or_after(day: dt.date) -> dt.date:
    """The first working day on or after ``day``."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def on_or_before(day: dt.date) -> dt.date:
    """The last working day on or before ``day``."""
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def add_workdays(day: dt.date, count: int) -> dt.date:
    """The working day ``count`` working days after ``day`` (``count`` 0: ``day`` itself if it
    is a working day, else the next one)."""
    day = on_or_after(day)
    for _ in range(count):
        day = on_or_after(day + dt.timedelta(days=1))
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    count, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        count += is_workday(day)
    return count


def plain_week(start: dt.date, end: dt.date) -> bool:
    """True when every day after ``start`` up to ``end`` is a working day."""
    return workdays_between(start, end) == (end - start).days
