"""Chinese date parsing: the first date in a string, with the time written right after it.

Forms: ``2006-09-07``, ``2006/9/7``, ``2006.09.07`` (one separator throughout),
``2006年9月7日`` (spaces allowed around 年月日), ``二〇〇六年九月七日`` (also 零, ○ and
the letter or digit O/0 for 〇), full-width digits. A time may follow the date after
spaces, ``T``, 日 or 上午/下午: ``11:00``, ``11:00:05``, ``09点30分``, ``9时``,
``１１：００``, ``下午3时``.

The first date-shaped token decides: if it is not a real date (``2006-02-30``, month 13, a
year outside 1949-2100) the answer is ``None``, never a later or nearby guess. Bare 8-digit
numbers (``20060907``) are never read as dates.

``parse_year_month`` reads a month without a day (``2025年3月``, ``2025-03``, ``2025年3月份``),
as the 预计采购时间（填写到月） column of procurement intentions writes it.
"""

import datetime as dt
import re

from pipeline.normalize.text import fold_width

MIN_YEAR = 1949
MAX_YEAR = 2100

_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_CN_DIGITS.update({"零": 0, "○": 0, "◯": 0, "O": 0, "o": 0, "Ｏ": 0, "ｏ": 0, "0": 0, "０": 0})
_CN_DIGITS.update({"两": 2, "元": 1})  # 元月 is January
_CN_ZERO = "〇零○◯OoＯｏ0０"
_CN_SMALL = "[一二三四五六七八九十〇零○两]{1,3}"

_NUMERIC = (
    r"(?<!\d)(?<!\d[-/.])(?P<ny>\d{4})(?P<sep>[-/.])(?P<nm>\d{1,2})(?P=sep)(?P<nd>\d{1,2})"
    r"(?!\d)(?![-/.]\d)"
)
_ARABIC_NIAN = r"(?<!\d)(?P<ay>\d{4})\s*年\s*(?P<am>\d{1,2})\s*月\s*(?P<ad>\d{1,2})(?!\d)\s*[日号]?"
_CHINESE = (
    rf"(?<![一二三四五六七八九{_CN_ZERO}])(?P<cy>[一二三四五六七八九{_CN_ZERO}]{{4}})\s*年\s*"
    rf"(?P<cm>元|{_CN_SMALL})\s*月\s*(?P<cd>[一二三四五六七八九十〇零○廿卅]{{1,3}})\s*[日号]"
)
_TIME = (
    r"(?:\s*T|\s*)(?P<ampm>上午|下午|晚上|早上|中午)?\s*"
    rf"(?:(?P<h>\d{{1,2}})\s*[:：]\s*(?P<m>\d{{2}})(?:\s*[:：]\s*\d{{2}})?(?!\d)"
    rf"|(?P<hc>\d{{1,2}}|{_CN_SMALL})\s*[点时](?:\s*(?P<mc>\d{{1,2}}|{_CN_SMALL})\s*分)?)"
)
_DATE = re.compile(f"(?:{_NUMERIC}|{_ARABIC_NIAN}|{_CHINESE})(?:{_TIME})?")


def _cn_number(text: str) -> int | None:
    """Chinese numerals up to 99: 七, 十, 十二, 二十, 二十四, 廿四, 〇九."""
    text = text.replace("廿", "二十").replace("卅", "三十")
    if "十" not in text:
        digits = [_CN_DIGITS.get(c) for c in text]
        if not digits or None in digits or len(digits) > 2:
            return None
        return int("".join(map(str, digits)))
    tens, _, units = text.partition("十")
    if len(tens) > 1 or len(units) > 1:
        return None
    high = _CN_DIGITS.get(tens, -1) if tens else 1
    low = _CN_DIGITS.get(units, -1) if units else 0
    return None if high < 0 or low < 0 else high * 10 + low


def _cn_year(text: str) -> int:
    return int("".join(str(_CN_DIGITS[c]) for c in text))


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else _cn_number(text)


def _make_date(year: int, month: int | None, day: int | None) -> dt.date | None:
    if month is None or day is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _date_of(match: re.Match[str]) -> dt.date | None:
    if match["ny"]:
        return _make_date(int(match["ny"]), int(match["nm"]), int(match["nd"]))
    if match["ay"]:
        return _make_date(int(match["ay"]), int(match["am"]), int(match["ad"]))
    return _make_date(_cn_year(match["cy"]), _cn_number(match["cm"]), _cn_number(match["cd"]))


def _time_of(match: re.Match[str]) -> str | None:
    if match["h"]:
        hour, minute = int(match["h"]), int(match["m"])
    elif match["hc"]:
        hour = _number(match["hc"])
        minute = _number(match["mc"]) if match["mc"] else 0
    else:
        return None
    if hour is None or minute is None:
        return None
    if match["ampm"] in ("下午", "晚上") and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


def parse_datetime(text: str | None) -> tuple[dt.date | None, str | None]:
    """The first date in ``text`` and the time written right after it (``HH:MM``).

    ``(None, None)`` when there is no date or the first date-shaped token is invalid.
    """
    if not text:
        return None, None
    match = _DATE.search(fold_width(text))
    if match is None:
        return None, None
    day = _date_of(match)
    if day is None:
        return None, None
    return day, _time_of(match)


def parse_date(text: str | None) -> dt.date | None:
    """The first date in ``text``, or None. See the module docstring for the forms."""
    return parse_datetime(text)[0]


def parse_date_iso(text: str | None) -> str | None:
    """The first date in ``text`` as ``YYYY-MM-DD``, or None."""
    day = parse_date(text)
    return day.isoformat() if day else None


_YEAR_MONTH = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*(?:年\s*(?P<cm>\d{1,2})\s*月|(?P<sep>[-/.])(?P<nm>\d{1,2})(?![\d]))"
)


def parse_year_month(text: str | None) -> str | None:
    """The first month in ``text`` as ``YYYY-MM``: a full date's month, else ``2025年3月`` /
    ``2025-03`` / ``2025/3`` / ``2025.03``; None when the first one is not a real month."""
    if not text:
        return None
    text = fold_width(text)
    full = _DATE.search(text)
    month = _YEAR_MONTH.search(text)
    if full is not None and (month is None or full.start() <= month.start()):
        day = _date_of(full)
        return f"{day.year:04d}-{day.month:02d}" if day else None
    if month is None:
        return None
    year, number = int(month["y"]), int(month["cm"] or month["nm"])
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= number <= 12):
        return None
    return f"{year:04d}-{number:02d}"


CHINA = dt.timezone(dt.timedelta(hours=8))  # Asia/Shanghai: no daylight saving since 1991


def iso_day(value: str | None) -> dt.date | None:
    """The date of a stored ISO date or date-time (``2024-09-03``, ``2024-09-03 10:00``,
    ``2024-09-03T02:00:00Z`` -> 2024-09-03: its first ten characters); None if none."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def date_from_unix(value: object) -> str | None:
    """``YYYY-MM-DD`` of unix seconds read in China's time zone (gkmlpt's 成文日期), or None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
        try:
            return dt.datetime.fromtimestamp(value, CHINA).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    return None
