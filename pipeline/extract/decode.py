"""Bytes to text for Chinese government pages: every piece of charset evidence, reconciled.

Evidence comes from a byte-order mark, the HTTP header charset (``declared``), the first
``<meta>`` charset in the first 4 KB (``<meta charset>`` and ``<meta http-equiv|httpequiv
content="...charset=...">``; empty values skipped) and the bytes themselves. GB2312 and GBK labels
decode as GB18030: pages declared GB2312 routinely contain GBK characters (镕, 堃, 喆). The rules,
in order:

1. A BOM is trusted only if the rest decodes strictly and cleanly (nothing garbled, see below) in
   the encoding it announces. Otherwise it is stripped (editors and includes glue UTF-8 BOMs onto
   GBK bytes) and only leads the least-garbled contest of rule 6, so a truncated UTF-16 page keeps
   UTF-16 with one U+FFFD.
2. Pure ASCII bytes read the same in every ASCII-compatible encoding: the first label, else UTF-8.
3. Non-ASCII bytes that decode strictly as UTF-8 are UTF-8, whatever the labels say (unless a
   UTF-16 BOM disagrees and the UTF-8 text is garbled). GBK, Big5 or Latin-1 text is practically
   never valid UTF-8, while stale ``charset=gb2312`` templates on UTF-8 pages are common, and a
   short UTF-8 page can decode strictly as GB18030 mojibake (通知公告 → 閫氱煡鍏憡), which the
   old "label first, then fall back" order accepted.
4. Labels: the header, then the ``<meta>`` (read only if the header does not settle it). A
   single-byte Western label (ISO-8859-1, windows-1252, US-ASCII and their aliases) is weak:
   servers and templates default to it, and Latin-1 never fails, so GBK bytes became mojibake
   with no error. A weak label loses to any other label, and to GB18030 when the bytes decode
   strictly as GB18030 into text with CJK characters; that also holds for a weak ``<meta>``, the
   same lie in a template. UTF-16/32 in a ``<meta>`` means UTF-8 (as in the HTML standard: the
   ``<meta>`` was readable as ASCII).
5. The first strong label, then GB18030, that decodes strictly and cleanly wins. A strict decoding
   with garbled text is not taken outright: single-byte codecs never fail (a ``palmos`` header on
   GBK bytes).
6. Otherwise every candidate (the BOM's encoding, strong labels, weak labels, UTF-8, GB18030)
   decodes with replacement and the fewest ``errors`` wins, ties to the earlier: one bad byte in a
   GBK page labelled UTF-8 or Latin-1 costs one U+FFFD, not thousands of them or of mojibake.

``errors`` (the record's ``decode_errors``) counts U+FFFD and NUL characters plus characters that
are evidently garbled in a Chinese page (``count_garbled``): ``锟斤拷`` (UTF-8 replacement
characters read as GBK), runs of three or more ``烫`` (0xCC memory read as GBK), and runs of two or
more characters of U+0080–U+00FF holding a Latin-1 letter or a C1 control (GBK or UTF-8 read as
Latin-1: ``¹ØÓÚÖì``, ``å\x85³äº``). A lone ``é``, ``©``, ``°``, ``×`` or ``·``, runs of symbols
only (``×××``, ``···``) and no-break spaces are legitimate. Two adjacent accented letters
(``créé``) are counted: rare in these pages, and a false count only lowers a quality score.

Cost: the common page (valid UTF-8) is one decode plus memchr-speed checks for U+FFFD, NUL, 锟
and 烫. The Latin-1 scan runs only when it can find something: in UTF-8 text only if the bytes
hold a Latin-1 letter (a C3 lead byte other than × and ÷), never in GB18030 text (GBK cannot
encode those letters; garbled GB pages show 锟斤拷 instead). Strict decodes that are likely to
fail try the first 4 KB first.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

META_SCAN_BYTES = 4096
PROBE_BYTES = 4096  # a strict decode that is likely to fail tries this prefix first

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
# Codec names (after normalize_encoding) of the single-byte Western defaults servers send.
WEAK_ENCODINGS = frozenset({"iso8859-1", "cp1252", "ascii"})
_NOT_ASCII_COMPATIBLE = ("utf-16", "utf-32")

_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_TANG = re.compile("烫{3,}")


def _latin1_classes() -> bytes:
    """Translation table for ``count_garbled``: C1 controls and letters → L, symbols → s."""
    table = bytearray(b" " * 256)
    for byte in range(0x80, 0x100):
        table[byte] = ord("L") if byte < 0xA0 or byte >= 0xC0 else ord("s")
    table[0xA0] = ord(" ")  # no-break space: everywhere in real pages
    table[0xAD] = ord("L")  # soft hyphen: the "中" of UTF-8 read as Latin-1 ends in one
    table[0xD7] = table[0xF7] = ord("s")  # × and ÷ are symbols (×××: a redacted name)
    return bytes(table)


_LATIN1_CLASSES = _latin1_classes()


@dataclass(frozen=True)
class Decoded:
    """A decoded page: its text, the encoding used, and how many characters are garbled."""

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


def content_type_charset(content_type: str | bytes | None) -> str | None:
    """The charset parameter of a Content-Type header value, lower case, or None."""
    if isinstance(content_type, bytes):
        content_type = content_type.decode("latin-1")
    for part in (content_type or "").split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            return value.strip().strip("\"'").lower()
    return None


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
            return "utf-8" if encoding.startswith(_NOT_ASCII_COMPATIBLE) else encoding
    return None


def declared_encodings(body: bytes, declared: str | None = None) -> list[str]:
    """The labels (header, then ``<meta>``), strong ones before weak Western ones; no BOM."""
    labels = dict.fromkeys(e for e in (normalize_encoding(declared), meta_encoding(body)) if e)
    return sorted(labels, key=lambda encoding: encoding in WEAK_ENCODINGS)  # stable


def choose_encoding(body: bytes, declared: str | None = None) -> str:
    """The encoding the page says it has (BOM, strong label, weak label, UTF-8), unverified."""
    return bom_encoding(body) or next(iter(declared_encodings(body, declared)), "utf-8")


def count_garbled(text: str, encoding: str | None = None, body: bytes | None = None) -> int:
    """U+FFFD plus evidently garbled characters in ``text`` (see the module docstring).

    ``encoding`` and ``body`` (the bytes ``text`` was decoded from) only let the Latin-1 scan be
    skipped when the bytes show it cannot find anything.
    """
    count = text.count("\ufffd") if "\ufffd" in text else 0
    if body is None or b"\x00" in body:  # NUL: UTF-16 or binary read as ASCII-compatible
        count += text.count("\x00")
    if "锟" in text:
        count += 3 * text.count("锟斤拷")
    if "烫" in text:
        count += sum(len(run) for run in _TANG.findall(text))
    if _may_hold_latin1_letters(encoding, body):
        count += _latin1_garbled(text)
    return count


def _may_hold_latin1_letters(encoding: str | None, body: bytes | None) -> bool:
    if body is None or encoding not in ("utf-8", "gb18030"):
        return True
    if encoding == "gb18030":
        return False
    at = body.find(b"\xc3")  # the UTF-8 lead byte of U+00C0-U+00FF
    while at >= 0:
        if body[at + 1 : at + 2] not in (b"\x97", b"\xb7"):  # × and ÷ are symbols
            return True
        at = body.find(b"\xc3", at + 2)
    return False


def _latin1_garbled(text: str) -> int:
    """Characters in runs of U+0080-U+00FF (no-break space excluded) that hold a letter or C1."""
    latin1 = text.encode("latin-1", "replace")  # every other character becomes "?"
    if latin1.isascii():
        return 0
    classes = latin1.translate(_LATIN1_CLASSES)
    if b"L" not in classes:
        return 0
    return sum(len(run) for run in classes.split() if b"L" in run and len(run) > 1)


def decode_html(body: bytes, declared: str | None = None) -> Decoded:
    """Decode a page's bytes; never raises. See the module docstring for the rules."""
    body, bom, decoded = _from_bom(body)
    if decoded is not None:
        return decoded
    header = normalize_encoding(declared)
    if bom is None and body.isascii():
        return _ascii(body, header)
    text = _strict(body, "utf-8", probe=header != "utf-8")
    decoded = None if text is None else _decoded(text, "utf-8", body)
    if decoded is not None and (not decoded.errors or bom in (None, "utf-8")):
        return decoded  # valid UTF-8 is UTF-8, garbled or not, unless a UTF-16 BOM disagrees
    evidence = [e for e in (bom, decoded and decoded.encoding) if e]
    return _reconcile(body, header, evidence)


def _from_bom(body: bytes) -> tuple[bytes, str | None, Decoded | None]:
    """The body without its BOM, the BOM's encoding, and the decoding if it fits cleanly."""
    encoding = bom_encoding(body)
    if encoding is None:
        return body, None, None
    rest = body[3:] if encoding == "utf-8" else body[2:]
    return rest, encoding, _clean(rest, encoding)


def _ascii(body: bytes, header: str | None) -> Decoded:
    """ASCII bytes: every ASCII-compatible label reads them alike; report the first label."""
    for encoding in declared_encodings(body, header):
        text = _strict(body, encoding)
        if text is not None:
            return _decoded(text, encoding, body)
    return _decoded(body.decode("ascii"), "utf-8", body)


def _reconcile(body: bytes, header: str | None, evidence: list[str]) -> Decoded:
    """Bytes that are not clean UTF-8: the first strong label, or GB18030, that decodes strictly
    and cleanly; else the least garbled candidate, ``evidence`` (a BOM, valid but garbled UTF-8)
    first, then the labels, then UTF-8 and GB18030."""
    if header and header not in WEAK_ENCODINGS and header != "utf-8":  # before reading <meta>
        decoded = _clean(body, header)
        if decoded is not None:
            return decoded
    labels = declared_encodings(body, header)
    strong = [encoding for encoding in labels if encoding not in WEAK_ENCODINGS]
    weak = labels[len(strong) :]
    for encoding in dict.fromkeys([*strong, "gb18030"]):
        decoded = None if encoding in ("utf-8", header) else _clean(body, encoding, probe=True)
        if decoded and (encoding in strong or not weak or _CJK.search(decoded.text)):
            return decoded
    candidates = dict.fromkeys([*evidence, *strong, *weak, "utf-8", "gb18030"])
    decodings = (_replaced(body, encoding) for encoding in candidates)
    return min((d for d in decodings if d is not None), key=lambda d: d.errors)


def _clean(body: bytes, encoding: str, probe: bool = False) -> Decoded | None:
    """The strict decoding if it succeeds and nothing in it is garbled, else None."""
    text = _strict(body, encoding, probe)
    decoded = None if text is None else _decoded(text, encoding, body)
    return decoded if decoded and not decoded.errors else None


def _strict(body: bytes, encoding: str, probe: bool = False) -> str | None:
    """The strict decoding, or None. ``probe``: reject on the first 4 KB before the rest."""
    try:
        if probe and len(body) > PROBE_BYTES:
            codecs.getincrementaldecoder(encoding)().decode(body[:PROBE_BYTES], final=False)
        return body.decode(encoding)
    except (ValueError, LookupError):  # UnicodeError; odd codecs (idna) raise their own kinds
        return None


def _decoded(text: str, encoding: str, body: bytes) -> Decoded:
    text = text.lstrip("\ufeff")
    return Decoded(text, encoding, count_garbled(text, encoding, body))


def _replaced(body: bytes, encoding: str) -> Decoded | None:
    try:
        text = body.decode(encoding, errors="replace")
    except (ValueError, LookupError):  # a codec without a "replace" handler (idna)
        return None
    return _decoded(text, encoding, body)
