"""Amounts as procurement pages write them; clean amounts are integers in fen (cents).

Forms (the truth always holds yuan): ``1,234,567.89元``, ``￥1,234,567.89``, ``294.800000万元``,
``￥294.8 万元（人民币）``, ``壹佰贰拾万元整（￥1,200,000.00）``, ``12.5万元``, bare numbers under a
（万元） or （元） header; rates ``下浮率：5%``, ``折扣率：95%``, ``优惠率3.5%``.
"""

from __future__ import annotations

UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
UPPER_UNITS = ("", "拾", "佰", "仟")
GROUP_UNITS = ("", "万", "亿")
FEN_PER_WAN = 1_000_000

# Budget / contract forms a page may use in a labelled line (names used by the builders).
LINE_FORMS = ("yuan", "yen", "wan6", "wan", "upper")


def to_yuan(fen: int | None) -> float | None:
    """The truth's number: yuan, as a float (``123456789`` → ``1234567.89``)."""
    return None if fen is None else fen / 100


def yuan(fen: int) -> str:
    """``1,234,567.89``."""
    return f"{fen // 100:,}.{fen % 100:02d}"


def yuan_plain(fen: int) -> str:
    """``1234567.89`` (a bare number in a （元） column)."""
    return f"{fen // 100}.{fen % 100:02d}"


def wan6(fen: int) -> str:
    """``294.800000``: 万元 with six decimals, as ccgp's summary tables write them."""
    return f"{fen // FEN_PER_WAN}.{fen % FEN_PER_WAN:06d}"


def wan(fen: int) -> str:
    """``294.8`` / ``12.5`` / ``120``: 万元 without trailing zeros."""
    return wan6(fen).rstrip("0").rstrip(".")


def summary(fen: int, padded: bool) -> str:
    """``￥294.800000 万元（人民币）`` (padded) or ``￥294.8 万元（人民币）``."""
    return f"￥{wan6(fen) if padded else wan(fen)} 万元（人民币）"


def line(fen: int, form: str) -> str:
    """The amount in one of LINE_FORMS, as it follows a label like ``预算金额：``."""
    if form == "yuan":
        return f"{yuan(fen)}元"
    if form == "yen":
        return f"￥{yuan(fen)}"
    if form == "wan6":
        return f"{wan6(fen)}万元"
    if form == "wan":
        return f"{wan(fen)}万元"
    if form == "upper":
        return f"{upper(fen)}（￥{yuan(fen)}）"
    raise ValueError(form)


def rate(kind: str, value: str) -> str:
    """``下浮率：5%``, ``折扣率：95%`` or ``优惠率3.5%`` (a rate, never an amount)."""
    return f"{kind}{value}%" if kind == "优惠率" else f"{kind}：{value}%"


def upper(fen: int) -> str:
    """The amount in capital numerals: ``壹佰贰拾万元整``, ``叁万零伍元伍角陆分``."""
    whole, cents = divmod(fen, 100)
    jiao, fen_digit = divmod(cents, 10)
    text = (_upper_int(whole) or "零") + "元"
    if jiao:
        text += UPPER_DIGITS[jiao] + "角"
    elif fen_digit and whole:
        text += "零"
    if fen_digit:
        return text + UPPER_DIGITS[fen_digit] + "分"
    return text + "整"


def _upper_int(number: int) -> str:
    groups = []
    while number:
        number, group = divmod(number, 10000)
        groups.append(group)
    out, gap = "", False
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            gap = bool(out)
            continue
        if out and (gap or group < 1000):
            out += "零"
        out += _upper_group(group) + GROUP_UNITS[index]
        gap = False
    return out


def _upper_group(group: int) -> str:
    digits = str(group)
    out, zero = "", False
    for position, char in enumerate(digits):
        digit = int(char)
        if digit == 0:
            zero = True
            continue
        if zero:
            out += "零"
            zero = False
        out += UPPER_DIGITS[digit] + UPPER_UNITS[len(digits) - 1 - position]
    return out
