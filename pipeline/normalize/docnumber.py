"""文号 (document number) normalization: ``湛财预[2006]7号`` -> ``湛财预〔2006〕7号``.

Canonical form: full-width digits and letters in ASCII, no spaces, and the year in 〔〕 whatever
brackets the page used (``[] ［］ （） () 【】 〔〕 ﹝﹞ 〖〗 ｛｝ {}``). Forms without a
bracketed year (``财预2006-7``) are kept as written, only cleaned: nothing is invented.
"""

import re

from pipeline.normalize.text import fold_width

_OPEN = r"[\[［（(【〔﹝〖｛{]"
_CLOSE = r"[\]］）)】〕﹞〗｝}]"
_YEAR = re.compile(rf"{_OPEN}\s*(\d{{4}})\s*{_CLOSE}")
_SPACE = re.compile(r"\s+")
_PLACEHOLDER = re.compile(r"[-—–_/\\.·、]*|无|暂无|无文号|空|null|none", re.IGNORECASE)
_IN_TEXT = re.compile(
    rf"[\u3400-\u9fff]{{1,12}}\s*{_OPEN}\s*\d{{4}}\s*{_CLOSE}\s*第?\s*\d{{1,6}}\s*号"
)
# Words and labels that run straight into an issuer prefix in running text but are never part of
# one: the prefix starts after the last of them.
_LEAD_WORDS = re.compile(r"^.*(?:根据|按照|依据|依照|参照|参见|详见|文号|发文字号|文件编号)")
_STARTS_WITH_CJK = re.compile(r"[\u3400-\u9fff]")


def normalize_doc_number(text: str | None) -> str | None:
    """The canonical 文号, or None for empty text and placeholders (无, -, /)."""
    if not text:
        return None
    cleaned = _SPACE.sub("", fold_width(text))
    if _PLACEHOLDER.fullmatch(cleaned):
        return None
    return _YEAR.sub(r"〔\1〕", cleaned)


def find_doc_number(text: str | None) -> str | None:
    """The first 文号-shaped token in running text, canonical.

    The token is 1-12 CJK characters, a bracketed year, a number and 号; lead words and labels
    (根据, 文号) and whatever precedes them are dropped from the prefix. A longer issuer name
    keeps only its last 12 characters.
    """
    if not text:
        return None
    match = _IN_TEXT.search(fold_width(text))
    if match is None:
        return None
    token = _LEAD_WORDS.sub("", match.group())
    return normalize_doc_number(token) if _STARTS_WITH_CJK.match(token) else None
