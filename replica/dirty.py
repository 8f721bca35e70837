"""Dirty variants of clean values, as real pages write them.

Each function maps a clean value to one rendering that the record contract's normalization
brings back to the same clean value: full-width digits, varied 文号 brackets, dates in
Chinese numerals, U+3000 or ``&nbsp;`` for spaces and indentation.
"""

from __future__ import annotations

import datetime as dt
import html
import random

from replica.text import cn_numeral_date

FULLWIDTH = str.maketrans({**{str(d): chr(0xFF10 + d) for d in range(10)}, "%": "％"})
BRACKETS = (("〔", "〕"), ("[", "]"), ("［", "］"), ("（", "）"))
DATE_STYLES = ("iso", "cn", "cn-padded", "numeral", "slash")
INDENTS = ("\u3000\u3000", "\u3000\u3000", "&nbsp;&nbsp;&nbsp;&nbsp;", "")


def fullwidth(text: str) -> str:
    """ASCII digits and ``%`` as full-width forms (``２００６``, ``％``)."""
    return text.translate(FULLWIDTH)


def esc(text: str) -> str:
    """Text-node escaping (quotes stay as they are)."""
    return html.escape(text, quote=False)


def attr(text: str) -> str:
    """Attribute-value escaping."""
    return html.escape(text, quote=True)


def doc_number(clean: str, rng: random.Random) -> str:
    """The 文号 with one of the bracket pairs sites use: 〔〕 [] ［］ （）."""
    left, right = rng.choice(BRACKETS)
    return clean.replace("〔", left).replace("〕", right)


def date(day: dt.date, style: str) -> str:
    """The date in one of DATE_STYLES.

    ``2006-09-07``, ``2006年9月7日``, ``2006年09月07日``, ``二〇〇六年九月七日``, ``2006/9/7``.
    """
    if style == "cn":
        return f"{day.year}年{day.month}月{day.day}日"
    if style == "cn-padded":
        return f"{day:%Y}年{day:%m}月{day:%d}日"
    if style == "numeral":
        return cn_numeral_date(day)
    if style == "slash":
        return f"{day.year}/{day.month}/{day.day}"
    return day.isoformat()


def text(clean: str, rng: random.Random, wide: float = 0.15) -> str:
    """Escaped text, sometimes with full-width digits, its spaces as U+3000 or ``&nbsp;``."""
    value = fullwidth(clean) if rng.random() < wide else clean
    value = esc(value)
    if " " in value:
        value = value.replace(" ", rng.choice((" ", "\u3000", "&nbsp;", "&nbsp;&nbsp;")))
    return value


def indent(rng: random.Random) -> str:
    """A paragraph's leading indentation: U+3000 pairs, ``&nbsp;`` runs or nothing."""
    return rng.choice(INDENTS)


def title(clean: str, key: str) -> str:
    """The title as a page shows it: a few pages write its digits full-width."""
    return fullwidth(clean) if random.Random(key + ":title").random() < 0.08 else clean
