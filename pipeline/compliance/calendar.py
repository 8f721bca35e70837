"""The official working-day calendar of mainland China, for statutory deadlines.

A day is a working day unless it is a Saturday or Sunday or a public holiday, except that
the State Council's yearly schedule (国务院办公厅关于某年部分节假日安排的通知) turns some
weekend days into make-up workdays (调休上班). The data comes from the ``chinese-calendar``
package, with one known correction, and can be extended with holiday files (YAML) for years
the package does not know yet. Outside the covered years every question raises
``CalendarGap``: the calendar never guesses from weekends alone.

Counting convention (see docs/working-days.md): the starting day is not counted
(《民法典》第二百零一条: 开始的当日不计入，自下一日开始计算), so ``add_working_days(start, n)``
is the n-th working day after ``start``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import chinese_calendar
import yaml

from pipeline.compliance import yaml_text

ONE_DAY = dt.timedelta(days=1)

# chinese-calendar 1.11.0 marks 2005-12-31 (Saturday) as a day off, but the 2006 schedule
# (国办发明电〔2005〕35号, 一、元旦) says "12月31日(星期六)上班".
PACKAGE_CORRECTIONS: dict[dt.date, bool] = {dt.date(2005, 12, 31): True}


class CalendarGap(LookupError):
    """A date outside the years whose official holiday schedule the calendar knows."""

    def __init__(self, day: dt.date, years: Iterable[int]) -> None:
        self.day = day
        self.years = tuple(sorted(years))
        super().__init__(
            f"{day.isoformat()} is outside the working-day calendar, which covers "
            f"{describe_years(self.years)}; add the State Council's holiday schedule for "
            f"{day.year} with a holiday file (WorkCalendar.default().with_file(path), "
            "format in docs/working-days.md)"
        )


class HolidayFileError(ValueError):
    """A holiday file that cannot be read; the message names the file and the problem."""


def describe_years(years: Iterable[int]) -> str:
    """Years as ranges: (2004, ..., 2026, 2028) -> '2004–2026, 2028'."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][1] + 1:
            runs[-1][1] = year
        else:
            runs.append([year, year])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in runs) or "no years"


@dataclass(frozen=True)
class WorkCalendar:
    """Working days of the official calendar for the ``years`` it covers.

    ``overrides`` maps every public holiday (False) and make-up workday (True) to its status;
    other days in a covered year are working days on Monday to Friday.
    """

    years: frozenset[int]
    overrides: Mapping[dt.date, bool]

    @classmethod
    def default(cls) -> WorkCalendar:
        """The ``chinese-calendar`` package's data (2004–2026 in version 1.11.0)."""
        overrides = {day: False for day in chinese_calendar.holidays}
        overrides.update({day: True for day in chinese_calendar.workdays})
        overrides.update(PACKAGE_CORRECTIONS)
        years = range(min(overrides).year, max(overrides).year + 1)
        return cls(frozenset(years), overrides)

    @classmethod
    def from_file(cls, path: str | Path) -> WorkCalendar:
        """The package's data merged with one holiday file."""
        return cls.default().with_file(path)

    def with_file(self, path: str | Path) -> WorkCalendar:
        """A new calendar: this one with a holiday file's dates on top (the file wins)."""
        years, overrides = read_holiday_file(Path(path), self.years)
        return WorkCalendar(self.years | years, {**self.overrides, **overrides})

    def covers(self, day: dt.date) -> bool:
        """Whether the official schedule of ``day``'s year is known."""
        return day.year in self.years

    def is_workday(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day; CalendarGap outside the covered years."""
        if not self.covers(day):
            raise CalendarGap(day, self.years)
        status = self.overrides.get(day)
        return day.weekday() < 5 if status is None else status

    def next_workday(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        while not self.is_workday(day):
            day += ONE_DAY
        return day

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (``start`` itself is never counted).

        The result is always a working day for n >= 1; n == 0 returns ``start``.
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        day = start
        while n:
            day += ONE_DAY
            n -= self.is_workday(day)
        return day

    def working_days_between(self, a: dt.date, b: dt.date) -> int:
        """Working days d with a < d <= b; 0 if a == b, and -(days in (b, a]) if b < a."""
        if b < a:
            return -self.working_days_between(b, a)
        count, day = 0, a
        while day < b:
            day += ONE_DAY
            count += self.is_workday(day)
        return count

    def add_calendar_days(self, start: dt.date, n: int) -> dt.date:
        """A deadline of n calendar days after ``start``, moved off a day of rest.

        The last day is ``start + n`` (the starting day not counted); if it is not a working
        day the deadline is the next working day (《民法典》第二百零三条).
        """
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        return self.next_workday(start + dt.timedelta(days=n))


def read_holiday_file(
    path: Path, known: Iterable[int] = ()
) -> tuple[frozenset[int], dict[dt.date, bool]]:
    """The years a holiday file covers and its dates (holiday -> False, workday -> True).

    ``known`` are years already covered: for those the file may correct single dates; a year
    the calendar does not know yet needs its ``holidays`` list (the whole notice).
    """

    known = set(known)

    def fail(problem: str) -> HolidayFileError:
        return HolidayFileError(f"holiday file {path}: {problem}")

    try:
        data = yaml_text.load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise fail(f"cannot be read: {exc}") from exc
    if not isinstance(data, dict) or not data:
        raise fail("expected a mapping of years (e.g. '2027:') to 'holidays'/'workdays' lists")
    years: set[int] = set()
    overrides: dict[dt.date, bool] = {}
    for year, entry in data.items():
        if not isinstance(year, int) or isinstance(year, bool) or not 1949 < year < 3000:
            raise fail(f"{year!r} is not a year")
        if not isinstance(entry, dict):
            raise fail(f"{year}: expected 'holidays' and/or 'workdays' lists")
        unknown = set(entry) - {"holidays", "workdays", "source"}
        if unknown:
            raise fail(f"{year}: unknown key(s) {sorted(map(str, unknown))}")
        if year not in known and not entry.get("holidays"):
            raise fail(f"{year}: a year the calendar does not know needs its 'holidays' list")
        seen: dict[dt.date, bool] = {}
        for key, status in (("holidays", False), ("workdays", True)):
            items = entry.get(key) or []
            if not isinstance(items, list):
                raise fail(f"{year}: '{key}' must be a list")
            for item in items:
                for day in _parse_item(item, fail, f"{year} {key}"):
                    if day.year != year:
                        raise fail(f"{year} {key}: {day} is not in {year}")
                    if seen.get(day, status) != status:
                        raise fail(f"{year}: {day} is listed as both holiday and workday")
                    seen[day] = status
        years.add(year)
        overrides.update(seen)
    return frozenset(years), overrides


def _parse_item(item: object, fail: Callable[[str], HolidayFileError], where: str) -> list[dt.date]:
    """One list entry: a date (2027-10-01) or an inclusive range '2027-10-01..2027-10-07'."""
    if isinstance(item, str):
        try:
            first, _, last = item.partition("..")
            a = dt.date.fromisoformat(first.strip())
            b = dt.date.fromisoformat(last.strip()) if last else a
        except ValueError:
            raise fail(f"{where}: {item!r} is not a date or 'YYYY-MM-DD..YYYY-MM-DD'") from None
        if b < a:
            raise fail(f"{where}: range {item!r} ends before it starts")
        return [a + dt.timedelta(days=i) for i in range((b - a).days + 1)]
    raise fail(f"{where}: {item!r} is not a date or 'YYYY-MM-DD..YYYY-MM-DD'")
