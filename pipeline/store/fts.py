"""Chinese full-text search without a word segmenter: text to index tokens, queries to FTS5.

Chinese is written without spaces, so SQLite's ``unicode61`` tokenizer sees a whole run of
characters between punctuation as one word, and ``预算`` inside ``2026年部门预算编制`` is never
found. Here the index holds, for every character of the text, the two-character window starting
there (``index_text``), as FTS5's tokenizer reads it: two word characters (``fts_chars``) are a
bigram, a word character beside a non-word one is that character alone, two non-word characters
are nothing::

    index_text("财政预算")    == "财政 政预 预算 算"
    index_text("2024年预算")  == "20 02 24 4年 年预 预算 算"
    index_text("预算，编制")  == "预算 算， ，编 编制 制"   # FTS5 reads: 预算 算 编 编制 制

So a word character starts a token, and tokens follow the text's order. A query becomes an FTS5
expression over them (``match_query``): a one-character term is the prefix query ``"预"*`` (any
token starting with 预), a longer term the phrase of its bigrams ``"预算 算编 编制"``
(consecutive tokens: exactly that substring). Terms are separated by any non-word character and
ANDed; a double-quoted phrase is one term whose words follow each other with only non-word
characters between them. ASCII letters match case-insensitively (``unicode61`` folds case);
nothing else is normalized.

Windows rather than runs of word characters: building them needs no character classes in
Python (FTS5 classifies), which makes ``index_text`` about five times cheaper for the writer; the
price is one more one-character token where a run starts after a non-word character.
"""

from __future__ import annotations

import re
import sys
from array import array

from pipeline.store.fts_chars import RANGES

#: An FTS5 expression that is valid and matches nothing (an empty phrase).
MATCH_NOTHING = '""'

_WORD = "".join(
    re.escape(chr(first)) if first == last else f"{re.escape(chr(first))}-{re.escape(chr(last))}"
    for first, last in RANGES
)
WORD_RUN = re.compile(f"[{_WORD}]+")
NON_WORD = f"[^{_WORD}]"
_QUERY_TERM = re.compile(f'"([^"]*)"?|([{_WORD}]+)')
_CODE_POINT = "I" if array("I").itemsize == 4 else "L"  # an array item of four bytes
_SPACE = array(_CODE_POINT, [ord(" ")])
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"


def index_text(text: str | None) -> str | None:
    """Every two-character window of ``text``, space-separated (None stays None)."""
    if not text:
        return text
    chars = array(_CODE_POINT)
    chars.frombytes(text.encode(_UTF32, "surrogatepass"))
    n = len(chars)
    windows = _SPACE * (3 * n)  # window i is windows[3i:3i+2], then a space
    windows[0::3] = chars
    windows[1 : 3 * n - 3 : 3] = chars[1:]
    return windows.tobytes().decode(_UTF32, "surrogatepass").rstrip(" ")


def query_terms(query: str | None) -> list[list[str]]:
    """The terms of a user query, each as its words: a bare term is one word, a quoted phrase
    the words in it. Characters that are not word characters only separate terms."""
    terms = []
    for match in _QUERY_TERM.finditer(query or ""):
        phrase, word = match.groups()
        words = [word] if word is not None else WORD_RUN.findall(phrase)
        if words:
            terms.append(words)
    return terms


def _phrase(words: list[str]) -> str:
    """One term as an FTS5 phrase: the windows of its words, space-separated, without the last
    one (the last character alone: in the text, more may follow); a last word of one character
    keeps it, as a prefix token."""
    text = " ".join(words)
    windows = [text[i : i + 2] for i in range(len(text))]
    if len(words[-1]) == 1:
        return '"' + " ".join(windows) + '"*'
    return '"' + " ".join(windows[:-1]) + '"'


def match_query(query: str | None) -> str:
    """A user query as an FTS5 expression over the index of ``index_text`` (never an invalid
    one: a query without word characters matches nothing)."""
    phrases = dict.fromkeys(_phrase(words) for words in query_terms(query))
    return " AND ".join(phrases) or MATCH_NOTHING


def match_pattern(query: str | None) -> re.Pattern[str] | None:
    """A regular expression finding in raw text what ``match_query`` matches (each term,
    longest first), or None for a query without terms. For highlighting."""
    alternatives = {f"{NON_WORD}+".join(map(re.escape, words)) for words in query_terms(query)}
    if not alternatives:
        return None
    return re.compile("|".join(sorted(alternatives, key=len, reverse=True)), re.IGNORECASE)
