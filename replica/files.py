"""Attachment files: small, deterministic, real-looking bytes, built at run time.

A ``.pdf`` is a valid one-page PDF whose text is Chinese: the notice's words and a check code
(``check_code``: six characters that appear nowhere else, so a search can prove the text was
read). Its font is a CID-keyed Type0 font (Identity-H) with a ``/ToUnicode`` map, as PDFs from
Chinese office software are: no font file is embedded, a text extractor reads the characters from
the map. ``.docx`` / ``.xlsx`` are minimal Office Open XML packages holding the same text;
``.doc`` and ``.xls`` are OLE2 compound-file placeholders (the right magic and header, then zero
sectors: no text to read without a converter).
"""

from __future__ import annotations

import hashlib
import io
import zipfile

MIME = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
#: Characters of check codes: the celestial stems and earthly branches, rare in notices as a run.
CODE_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
STAMP = (2020, 1, 1, 0, 0, 0)  # zip member times: the same input gives the same bytes


def mime(name: str) -> str:
    """The Content-Type for a file name, by extension."""
    return MIME.get(name.rsplit(".", 1)[-1].lower(), "application/octet-stream")


def check_code(key: str) -> str:
    """Six characters of ``CODE_CHARS`` that only this file's text holds (``附件核对码``)."""
    digest = hashlib.blake2b(key.encode(), digest_size=6).digest()
    return "".join(CODE_CHARS[byte % len(CODE_CHARS)] for byte in digest)


def lines_of(name: str, key: str, words: str = "") -> list[str]:
    """The text lines of an attachment: its name, the notice's words, its check code."""
    stem = name.rsplit(".", 1)[0]
    return [line for line in (stem, words[:60], f"附件核对码：{check_code(key)}") if line]


def content(name: str, key: str, words: str = "", ext: str | None = None) -> bytes:
    """The bytes of the attachment called ``name``; ``key`` makes every file distinct,
    ``words`` (the notice's title, say) go into its text; ``ext`` its type when the name's
    extension is not it."""
    ext = ext or name.rsplit(".", 1)[-1].lower()
    if ext == "pdf":
        return pdf(name, key, lines_of(name, key, words))
    if ext == "docx":
        return docx(lines_of(name, key, words))
    if ext == "xlsx":
        return xlsx(lines_of(name, key, words))
    return ole_placeholder(key)


# -- pdf --------------------------------------------------------------------------------------
def pdf(title: str, key: str, lines: list[str] | None = None, padding: int = 0) -> bytes:
    """A one-page PDF showing ``lines`` (any Unicode), its /Title ``title``; ``padding`` bytes
    of an unused stream make it as large as a test needs."""
    lines = lines if lines is not None else lines_of(title, key)
    chars = sorted({ch for line in lines for ch in line})
    cid = {ch: number for number, ch in enumerate(chars, start=1)}
    shown = b"".join(
        b"<%s> Tj T*\n" % "".join(f"{cid[ch]:04X}" for ch in line).encode() for line in lines
    )
    stream = b"BT /F1 14 Tf 18 TL 72 770 Td\n" + shown + b"ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        _stream(stream),
        b"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /Identity-H "
        b"/DescendantFonts [7 0 R] /ToUnicode 8 0 R >>",
        b"<< /Title <%s> /Producer (zwgk replica) >>" % _utf16_hex(title),
        b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /STSong-Light /CIDSystemInfo "
        b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 9 0 R "
        b"/DW 1000 >>",
        _stream(_to_unicode(cid)),
        b"<< /Type /FontDescriptor /FontName /STSong-Light /Flags 4 /FontBBox [0 -200 1000 900]"
        b" /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 80 >>",
    ]
    if padding:
        objects.append(_stream(hashlib.shake_256(key.encode()).digest(padding)))
    return _assemble(objects)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data)


def _utf16_hex(text: str) -> bytes:
    return ("FEFF" + text.encode("utf-16-be").hex().upper()).encode()


def _to_unicode(cid: dict[str, int]) -> bytes:
    """A ToUnicode CMap: each CID to its character (``bfchar``, at most 100 per block)."""
    pairs = [f"<{n:04X}> <{ch.encode('utf-16-be').hex().upper()}>" for ch, n in cid.items()]
    blocks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]
    body = "".join(
        f"{len(block)} beginbfchar\n" + "\n".join(block) + "\nendbfchar\n" for block in blocks
    )
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"{body}endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend"
    ).encode()


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


# -- office open xml ----------------------------------------------------------------------------
_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/{part}" ContentType="{type}"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="{part}" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_S = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def package(members: dict[str, str], part: str, part_type: str) -> bytes:
    """An Office Open XML zip with its content types and root relationship."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        parts = {
            "[Content_Types].xml": _TYPES.format(part=part, type=part_type),
            "_rels/.rels": _RELS.format(part=part),
            **members,
        }
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, STAMP), text)
    return out.getvalue()


def docx(lines: list[str]) -> bytes:
    paragraphs = "".join(f"<w:p><w:r><w:t>{_esc(line)}</w:t></w:r></w:p>" for line in lines)
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{_W}"><w:body>'
    document += paragraphs + "</w:body></w:document>"
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return package({"word/document.xml": document}, "word/document.xml", main)


def xlsx(lines: list[str]) -> bytes:
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>{_esc(line)}</t></is></c>'
        f'<c r="B{n}"><v>{n}</v></c></row>'
        for n, line in enumerate(lines, start=1)
    )
    sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_S}"><sheetData>'
    sheet += rows + "</sheetData></worksheet>"
    book = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_S}" xmlns:r="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    rels = _RELS.format(part="worksheets/sheet1.xml").replace(
        "officeDocument/2006/relationships/officeDocument",
        "officeDocument/2006/relationships/worksheet",
    )
    main = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
    members = {
        "xl/workbook.xml": book,
        "xl/_rels/workbook.xml.rels": rels,
        "xl/worksheets/sheet1.xml": sheet,
    }
    return package(members, "xl/workbook.xml", main)


def ole_placeholder(key: str) -> bytes:
    """An OLE2 compound-file header (as .doc / .xls files start) padded to three sectors."""
    header = bytearray(512)
    header[0:8] = OLE_MAGIC
    header[24:26] = (0x003E).to_bytes(2, "little")  # minor version
    header[26:28] = (0x0003).to_bytes(2, "little")  # major version 3: 512-byte sectors
    header[28:30] = (0xFFFE).to_bytes(2, "little")  # byte order mark
    header[30:32] = (9).to_bytes(2, "little")  # sector shift
    header[32:34] = (6).to_bytes(2, "little")  # mini sector shift
    header[56:60] = (4096).to_bytes(4, "little")  # mini stream cutoff
    tag = hashlib.blake2b(key.encode(), digest_size=20).digest()
    return bytes(header) + tag + bytes(1024 - len(tag))
