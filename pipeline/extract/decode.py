"""Bytes to text for Chinese government pages.

Order: the HTTP header charset (``declared``), a byte-order mark, the first ``<meta>`` charset
in the first 4 KB (``<meta charset>`` and ``<meta http-equiv|httpequiv content="...charset=...">``;
empty ``charset=`` values are skipped), then UTF-8. GB2312 and GBK labels decode as GB18030:
pages declared GB2312 routinely contain GBK characters (镕, 堃, 喆).

A strict decode comes first. If the chosen encoding fails, UTF-8 and then GB18030 are tried
strictly; if all fail, the chosen encoding decodes with replacement and ``errors`` counts the
U+FFFD characters in the result.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

META_SCAN_BYTES = 4096

_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]*)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels that mean "some GB superset": GB18030 decodes all of them.
_GB_FAMILY = {"gb2312", "gbk", "cp936", "gb18030", "euc-cn", "hz-gb-2312", "gb2312-80"}
_GB_ALIASES = {"x-gbk", "gb_2312-80", "gb_2312", "csgb2312", "x-euc-cn", "ms936", "windows-936"}


@dataclass(frozen=True)
class Decoded:
    """A decoded page: its text, the encoding used, and how many characters were replaced."""

    text: str
    encoding: str
    errors: int = 0


def normalize_encoding(label: str | bytes | None) -> str | None:
    """A Python codec name for a charset label, GB labels folded to ``gb18030``; None if unknown."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", "ignore")
    name = label.strip().strip("\"'").lower()
    if name in _GB_ALIASES:
        return "gb18030"
    try:
        info = codecs.lookup(name)
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True):  # base64, rot13, zlib ...
        return None
    codec = info.name
    if codec in _GB_FAMILY or name in _GB_FAMILY:
        return "gb18030"
    return "utf-8" if codec == "utf-8-sig" else codec


def bom_encoding(body: bytes) -> str | None:
    """The encoding a byte-order mark announces, or None."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    return None


def meta_encoding(body: bytes) -> str | None:
    """The first usable ``<meta>`` charset in the first 4 KB (empty ``charset=`` skipped)."""
    for tag in _META_TAG.finditer(body, 0, META_SCAN_BYTES):
        found = _CHARSET.search(tag.group())
        encoding = normalize_encoding(found.group(1)) if found else None
        if encoding:
            return encoding
    return None


def choose_encoding(body: bytes, declared: str | None = None) -> str:
    """The encoding the page says it has: header, then BOM, then ``<meta>``, then UTF-8."""
    return normalize_encoding(declared) or bom_encoding(body) or meta_encoding(body) or "utf-8"


def _strict(body: bytes, encoding: str) -> str | None:
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(body: bytes, declared: str | None = None) -> Decoded:
    """Decode a page's bytes; never raises. See the module docstring for the order."""
    chosen = choose_encoding(body, declared)
    for encoding in dict.fromkeys((chosen, "utf-8", "gb18030")):
        text = _strict(body, encoding)
        if text is not None:
            return Decoded(text.lstrip("\ufeff"), encoding, 0)
    text = body.decode(chosen, errors="replace").lstrip("\ufeff")
    return Decoded(text, chosen, text.count("\ufffd"))
