"""Text normalization: one line of text, as the record contract defines it.

Full-width digits, Latin letters and ``＃＄％＆＊＋－．／＜＝＞＠＼＾＿｜～`` become ASCII;
zero-width characters (U+200B-U+200D, U+FEFF) are removed; U+3000, NBSP, tabs and line
breaks become a space; runs of spaces collapse to one; the result is trimmed. CJK
punctuation and the full-width ``！，：；？（）［］｛｝＂＇｀`` are kept. An empty result
is ``None``.

This runs on every paragraph of every page, so text with nothing to change (no foldable
character, no space but single U+0020 ones) costs one character-class search and a strip;
otherwise one regex search and one substitution, and only runs of foldable characters go
through ``str.translate``.
"""

import re
from collections.abc import Callable

# Full-width forms converted to ASCII (the rest of U+FF01-U+FF5E is kept as punctuation).
_FULLWIDTH_SYMBOLS = "＃＄％＆＊＋－．／＜＝＞＠＼＾＿｜～"
_FULLWIDTH_RANGES = ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))
_ZERO_WIDTH = "\u200b\u200c\u200d\ufeff"
# Line breaks are the characters str.splitlines() breaks on.
_SPACES = " \t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u3000\xa0"
_ASCII_OFFSET = 0xFEE0


def _build_table() -> dict[int, int | None]:
    table: dict[int, int | None] = {ord(c): ord(c) - _ASCII_OFFSET for c in _FULLWIDTH_SYMBOLS}
    for first, last in _FULLWIDTH_RANGES:
        table.update({code: code - _ASCII_OFFSET for code in range(first, last + 1)})
    table.update(dict.fromkeys(map(ord, _ZERO_WIDTH)))
    return table


_TABLE = _build_table()
_FOLD_RUN = re.compile("[" + re.escape("".join(map(chr, _TABLE))) + "]+")
_SPACE_RUN = re.compile("[" + re.escape(_SPACES) + "]+")


def _fold_run(match: re.Match[str]) -> str:
    return match.group().translate(_TABLE)


def fold_width(text: str) -> str:
    """Full-width digits, letters and symbols to ASCII, zero-width characters removed.

    The width part of :func:`normalize_text` alone: spaces and punctuation are left as they are.
    """
    if _FOLD_RUN.search(text) is None:
        return text
    return _FOLD_RUN.sub(_fold_run, text)


def line_normalizer(extra_spaces: str = "") -> Callable[[str | None], str | None]:
    """:func:`normalize_text`, with the characters of ``extra_spaces`` (the body of a regex
    character class) read as spaces too."""
    folded_or_spaced = "".join(map(chr, _TABLE)) + _SPACES.replace(" ", "")
    changed = re.compile("[" + re.escape(folded_or_spaced) + extra_spaces + "]")
    space_run = re.compile("[" + re.escape(_SPACES) + extra_spaces + "]+")

    def normalize(text: str | None) -> str | None:
        """One line of text, normalized as the record contract says. Empty result -> None."""
        if not text:
            return None
        if "  " in text or changed.search(text) is not None:
            text = space_run.sub(" ", fold_width(text))
        return text.strip(" ") or None

    return normalize


#: One line of text, normalized as the record contract says. Empty result -> None.
normalize_text = line_normalizer()
