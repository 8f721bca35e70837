"""A small reference reading of replica pages, written from docs/record.md for these tests only.

It checks that what a page *shows* normalizes to the replica's clean truth. It is deliberately
independent of ``pipeline/`` (the replica's tests must not check the extractor against itself),
and it only knows the replica's own markup.
"""

from __future__ import annotations

import datetime as dt
import re

import lxml.html

FULLWIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}  # digits
FULLWIDTH |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)}  # A-Z
FULLWIDTH |= {chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)}  # a-z
FULLWIDTH |= {ch: chr(ord(ch) - 0xFEE0) for ch in "＃＄％＆＊＋－．／＜＝＞＠＼＾＿｜～"}
SPACES = {"\u3000": " ", "\u00a0": " ", "\t": " ", "\n": " ", "\r": " "}
ZERO_WIDTH = {"\u200b": "", "\u200c": "", "\u200d": "", "\ufeff": ""}
TABLE = str.maketrans(FULLWIDTH | SPACES | ZERO_WIDTH)
BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "table", "ul", "ol"}
BLOCKS |= {"section", "article", "blockquote", "pre", "tbody", "thead"}
CN_DIGITS = dict(zip("〇一二三四五六七八九", "0123456789", strict=True))
BREAK = object()


def normalize_text(text: str | None) -> str | None:
    """One line: full-width forms to ASCII, spaces collapsed, trimmed; empty -> None."""
    if text is None:
        return None
    value = re.sub(" +", " ", text.translate(TABLE)).strip()
    return value or None


def body_text(container: lxml.html.HtmlElement) -> str:
    """The contract's body text of a container: blocks and <br> split paragraphs."""
    tokens: list = []
    _walk(container, tokens)
    paragraphs, current = [], []
    for token in [*tokens, BREAK]:
        if token is BREAK:
            line = normalize_text("".join(current))
            if line:
                paragraphs.append(line)
            current = []
        else:
            current.append(token)
    return "\n".join(paragraphs)


def _walk(node: lxml.html.HtmlElement, tokens: list) -> None:
    if node.text:
        tokens.append(node.text)
    for child in node:
        if _skipped(child):
            pass
        elif child.tag == "br":
            tokens.append(BREAK)
        elif child.tag == "tr":
            cells = [_inline(cell) for cell in child if isinstance(cell.tag, str)]
            tokens += [BREAK, " ".join(cells), BREAK]
        elif child.tag in BLOCKS:
            tokens.append(BREAK)
            _walk(child, tokens)
            tokens.append(BREAK)
        else:
            _walk(child, tokens)
        if child.tail:
            tokens.append(child.tail)


def _inline(node: lxml.html.HtmlElement) -> str:
    tokens: list = []
    _walk(node, tokens)
    return "".join(" " if t is BREAK else t for t in tokens)


def _skipped(node: lxml.html.HtmlElement) -> bool:
    if not isinstance(node.tag, str) or node.tag in ("script", "style", "meta"):
        return True
    style = (node.get("style") or "").replace(" ", "").lower()
    return "display:none" in style or "visibility:hidden" in style or node.get("hidden") is not None


def parse_date(text: str | None) -> dt.date | None:
    """The five date forms the replica writes (ISO, 年月日 padded or not, 〇一二, slashes)."""
    if not text:
        return None
    value = normalize_text(text) or ""
    if "〇" in value or re.search("[一二三四五六七八九十]", value):
        value = _numeral_date(value)
    match = re.search(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", value)
    return dt.date(*map(int, match.groups())) if match else None


def _numeral_date(value: str) -> str:
    year, rest = value.split("年", 1)
    month, rest = rest.split("月", 1)
    day = rest.split("日", 1)[0]
    return f"{''.join(CN_DIGITS[c] for c in year)}-{_cn_int(month)}-{_cn_int(day)}"


def _cn_int(text: str) -> int:
    if "十" not in text:
        return int(CN_DIGITS[text])
    tens, _, ones = text.partition("十")
    return (int(CN_DIGITS[tens]) if tens else 1) * 10 + (int(CN_DIGITS[ones]) if ones else 0)


def doc_number(text: str | None) -> str | None:
    """文号 with its year brackets made canonical 〔〕."""
    value = normalize_text(text)
    if not value:
        return None
    return re.sub(r"[\[［（(〔](\d{4})[\]］）)〕]", r"〔\1〕", value)


def labelled(doc: lxml.html.HtmlElement, label: str) -> str | None:
    """The value of a ``label：`` cell of the TRS metadata table or a ``label: value`` Hanweb cell."""
    for cell in doc.iter("td"):
        text = cell.text_content()
        if cell.get("class") == "t" and text.strip().rstrip("：:") == label:
            value = cell.getnext()
            return value.text_content() if value is not None else None
        if text.strip().startswith(label + ":"):
            return text.split(":", 1)[1]
    return None
