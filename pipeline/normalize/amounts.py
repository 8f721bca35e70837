"""Amounts in yuan and rates, as procurement pages write them.

``parse_amount`` reads ``1,234,567.89元``, ``￥120,000.00``, ``12.5万元``, ``1.2亿元``,
``120万``, the capital-numeral form (大写) ``壹佰贰拾万元整`` / ``伍万叁仟贰佰元伍角``,
full-width digits, and a bare number with its unit taken from the ``unit`` hint or a
``（万元）`` label in the text (else 元). When the text has both, the Arabic (小写) number wins;
``amounts_disagree`` flags texts where the two differ.

It returns None, never a guess, for: no number, several unmarked numbers, ranges
(``10-20万元``, see ``parse_amount_range``), rates (``下浮率：5%``, see ``parse_rate``) and
foreign currencies. Every amount is in yuan, rounded to 2 decimals.
"""

import re
from decimal import ROUND_HALF_UP, Decimal

from pipeline.normalize.text import fold_width

_NUM = r"(?<![\d.])(?<!\d[,，])(?:\d{1,3}(?:[,，]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d.]*\d)"
_CURRENCY = r"[¥￥]|人民币|RMB|CNY"
_UNIT = r"(?:(?P<{p}mult>亿|万|千(?=\s*[元圆]))\s*)?(?P<{p}yuan>[元圆])?"
_ARABIC = re.compile(
    rf"(?:(?P<cur>{_CURRENCY})\s*[:：]?\s*)?(?P<num>{_NUM})\s*{_UNIT.format(p='')}(?P<pct>\s*%)?",
    re.IGNORECASE,
)
_RANGE = re.compile(
    rf"(?P<lcur>{_CURRENCY})?\s*(?P<lo>{_NUM})\s*{_UNIT.format(p='l')}\s*(?:-|~|—{{1,2}}|–|至|到)"
    rf"\s*(?P<hcur>{_CURRENCY})?\s*(?P<hi>{_NUM})\s*{_UNIT.format(p='h')}(?!\s*%)",
    re.IGNORECASE,
)
_UNIT_LABEL = re.compile(r"[（(]\s*(?:单位\s*[:：]\s*)?(亿元|万元|千元|元)\s*[)）]")
_FOREIGN = re.compile(r"美元|美金|港元|港币|欧元|日元|英镑|澳门元|澳元|USD|HKD|EUR|JPY|GBP", re.I)
_RATE_WORD = re.compile(r"率|折扣")
_MULTIPLIERS = {"亿": Decimal(100_000_000), "万": Decimal(10_000), "千": Decimal(1000)}
_CENT = Decimal("0.01")
_MAX_YUAN = Decimal(10) ** 15

_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_CN_DIGITS.update({c: i for i, c in enumerate("〇壹贰叁肆伍陆柒捌玖")})
_CN_DIGITS.update({"两": 2, "貳": 2, "參": 3, "陸": 6})
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
_CN_DIGIT_CLASS = "".join(_CN_DIGITS)
_CN_SMALL_CLASS = "".join(_CN_SMALL_UNITS)
_CN_INT_CLASS = _CN_DIGIT_CLASS + _CN_SMALL_CLASS + "".join(_CN_BIG_UNITS)
_CAPITAL_ONLY = set("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟萬億")
_CHINESE = re.compile(
    rf"(?<![\d.])(?P<int>[{_CN_DIGIT_CLASS}{_CN_SMALL_CLASS}][{_CN_INT_CLASS}]*)"
    rf"(?P<yuan>[元圆])?"
    rf"(?:零?(?P<jiao>[{_CN_DIGIT_CLASS}])角)?"
    rf"(?:零?(?P<fen>[{_CN_DIGIT_CLASS}])分)?"
)


def _decimal(number: str) -> Decimal:
    return Decimal(number.replace(",", "").replace("，", ""))


def _to_yuan(value: Decimal | None) -> float | None:
    """Rounded to fen; None above 10^15 yuan, which no real amount reaches."""
    if value is None or value >= _MAX_YUAN:
        return None
    return float(value.quantize(_CENT, rounding=ROUND_HALF_UP))


def _multiplier(mult: str | None, yuan: str | None, default: Decimal) -> Decimal:
    """The unit written after a number (万, 亿, 千元, 元), else ``default``."""
    if mult:
        return _MULTIPLIERS[mult]
    return Decimal(1) if yuan else default


def _hint_multiplier(text: str, unit: str | None) -> Decimal | None:
    """Multiplier for numbers written without a unit: the hint, else a （万元） label, else 元."""
    if unit is None:
        label = _UNIT_LABEL.search(text)
        unit = label.group(1) if label else "元"
    unit = fold_width(unit)
    if _FOREIGN.search(unit) or "%" in unit:
        return None
    mult = next((c for c in "亿万千" if c in unit), None)
    if mult is None and "元" not in unit:
        return None
    return _multiplier(mult, None, Decimal(1))


def _is_marked(match: re.Match[str]) -> bool:
    return bool(match["cur"] or match["mult"] or match["yuan"])


def _is_bare(match: re.Match[str], text: str) -> bool:
    """An unmarked number standing alone (not ``包1中``, not a percent)."""
    following = text[match.end() : match.end() + 1]
    return not match["pct"] and not ("\u3400" <= following <= "\u9fff")


def _marked_value(match: re.Match[str], text: str, hint: Decimal) -> Decimal | None:
    """A number with its unit; ``1亿2000万元`` and ``3万5000元`` are read as one amount."""
    value = _decimal(match["num"]) * _multiplier(match["mult"], match["yuan"], hint)
    if match.group()[-1] not in "亿万":
        return value
    tail = _ARABIC.match(text, match.end())
    if tail is None or tail["cur"] or tail["pct"]:
        return value
    if not (tail["mult"] or tail["yuan"]) or tail["mult"] in (match["mult"], "亿"):
        return None  # 1万2: the unit of the tail is not written
    rest = _marked_value(tail, text, Decimal(1))
    return None if rest is None else value + rest


def _arabic_amount(text: str, unit: str | None) -> Decimal | None:
    matches = [m for m in _ARABIC.finditer(text) if not m["pct"]]
    marked = next((m for m in matches if _is_marked(m)), None)
    if marked is not None:
        return _marked_value(marked, text, _hint_multiplier(text, unit) or Decimal(1))
    bare = [m for m in matches if _is_bare(m, text)]
    if len(bare) != 1 or _RATE_WORD.search(text):
        return None
    hint = _hint_multiplier(text, unit)
    return None if hint is None else _decimal(bare[0]["num"]) * hint


def _chinese_integer(numeral: str) -> int:
    total = section = digit = 0
    for char in numeral:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_SMALL_UNITS:
            section += (digit or 1) * _CN_SMALL_UNITS[char]
            digit = 0
        elif _CN_BIG_UNITS[char] == 10_000:
            total, section, digit = total + (section + digit) * 10_000, 0, 0
        else:
            total, section, digit = (total + section + digit) * 100_000_000, 0, 0
    return total + section + digit


def _chinese_value(match: re.Match[str]) -> Decimal:
    value = Decimal(_chinese_integer(match["int"]))
    if match["jiao"]:
        value += Decimal(_CN_DIGITS[match["jiao"]]) / 10
    if match["fen"]:
        value += Decimal(_CN_DIGITS[match["fen"]]) / 100
    return value


def _chinese_amount(text: str) -> Decimal | None:
    """The first capital-numeral amount (大写), or common numerals followed by 元."""
    for match in _CHINESE.finditer(text):
        if match["yuan"] or _CAPITAL_ONLY.intersection(match["int"]):
            return _chinese_value(match)
    return None


def _range(text: str, unit: str | None) -> tuple[Decimal, Decimal] | None:
    """The first range with a unit on either side, or a unit hint for bare numbers."""
    hint = _hint_multiplier(text, unit) if unit or _UNIT_LABEL.search(text) else None
    for match in _RANGE.finditer(text):
        low_marked = match["lcur"] or match["lmult"] or match["lyuan"]
        high_marked = match["hcur"] or match["hmult"] or match["hyuan"]
        if not (low_marked or high_marked or hint):
            continue
        high_unit = _multiplier(match["hmult"], match["hyuan"], hint or Decimal(1))
        low = _decimal(match["lo"]) * _multiplier(match["lmult"], match["lyuan"], high_unit)
        high = _decimal(match["hi"]) * high_unit
        return (low, high) if low < high else None
    return None


def parse_amount(text: str | None, unit: str | None = None) -> float | None:
    """An amount in yuan (2 decimals), or None. ``unit`` names the unit of bare numbers."""
    if not text:
        return None
    text = fold_width(text)
    if _FOREIGN.search(text) or _range(text, unit) is not None:
        return None
    value = _arabic_amount(text, unit)
    if value is None:
        value = _chinese_amount(text)
    return _to_yuan(value)


def parse_amount_range(text: str | None, unit: str | None = None) -> tuple[float, float] | None:
    """``(low, high)`` in yuan for ``10-20万元`` / ``10万元至20万元``, else None."""
    if not text:
        return None
    text = fold_width(text)
    if _FOREIGN.search(text):
        return None
    bounds = _range(text, unit)
    if bounds is None:
        return None
    low, high = _to_yuan(bounds[0]), _to_yuan(bounds[1])
    return None if low is None or high is None else (low, high)


def amounts_disagree(text: str | None) -> bool:
    """True when the text has both a 小写 and a 大写 amount and they differ."""
    if not text:
        return False
    text = fold_width(text)
    arabic, chinese = _arabic_amount(text, None), _chinese_amount(text)
    return arabic is not None and chinese is not None and arabic != chinese


_PERCENT = re.compile(rf"(?P<num>{_NUM})\s*%")
_RATE_RANGE = re.compile(rf"{_NUM}\s*%?\s*(?:-|~|—{{1,2}}|–|至|到)\s*{_NUM}\s*%")
_ANY_NUMBER = re.compile(_NUM)


def parse_rate(text: str | None) -> float | None:
    """A rate in percent: ``下浮率：5%`` -> 5.0, ``下浮率（%）：3.5`` -> 3.5; else None."""
    if not text:
        return None
    text = fold_width(text)
    if "%" not in text or _RATE_RANGE.search(text):
        return None
    match = _PERCENT.search(text)
    if match is not None:
        return float(_decimal(match["num"]))
    numbers = _ANY_NUMBER.findall(text)
    return float(_decimal(numbers[0])) if len(numbers) == 1 else None
