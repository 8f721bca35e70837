"""An attachment's text: pdf with PDFium (pypdfium2), docx / xlsx / ofd from their XML (read through
``zipsafe``), doc / xls / ppt / wps with a converter where one is installed.

Every extraction runs under a time cap (``time_limit``) and keeps at most ``MAX_CHARS``
characters; whatever goes wrong is a reason, never an exception: the caller records
``not_extracted`` with it.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from pipeline.attachments import sniff as kinds
from pipeline.attachments import zipsafe

MAX_CHARS = 1_000_000  # text kept per attachment
MAX_PDF_PAGES = 2000
TIME_CAP = 60.0  # seconds per attachment
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_SPACES = re.compile(r"[ \t\u3000]+")
log = logging.getLogger(__name__)


class ExtractTimeout(Exception):
    """Extraction ran past its time cap."""


@dataclass(frozen=True)
class TextResult:
    """The text read (None when none could be), and why not."""

    text: str | None
    reason: str | None = None

    @property
    def extracted(self) -> bool:
        return self.text is not None


def extract_text(
    data: bytes, mime: str | None, ext: str | None = None, time_cap: float = TIME_CAP
) -> TextResult:
    """The text of a file of type ``mime`` (as ``sniff`` named it); ``ext`` the extension its
    link gave (a ``.wps`` is an OLE2 Word file: the reason names what the site linked)."""
    reader = _READERS.get(mime or "")
    if reader is None:
        return TextResult(None, _unread_reason(mime))
    try:
        with time_limit(time_cap):
            text = reader(data)
    except ExtractTimeout:
        return TextResult(None, f"extraction took over {time_cap:g} s")
    except zipsafe.UnsafeZip as exc:
        return TextResult(None, str(exc))
    except _NoConverter:
        return TextResult(None, f"no converter for .{ext or kinds.EXTENSIONS.get(mime, 'doc')}")
    except Exception as exc:  # a damaged file is a reason, never a crash
        log.debug("text extraction failed", exc_info=True)
        return TextResult(None, f"unreadable {kinds.EXTENSIONS.get(mime, 'file')}: {exc}"[:300])
    return TextResult(_tidy(text)[:MAX_CHARS])


def can_read(mime: str | None) -> bool:
    """Whether some reader handles this type here (else ``extract_text`` answers only a reason,
    parsing nothing): a binary office type only where a converter for it is installed. The
    archive writer sends only these to its text reader; the replica's 245 ``.xls`` files of a
    ``gdsite`` crawl cost the reader 0.12 ms each looking for converters, and a round trip."""
    mime = mime or ""
    if mime not in _READERS:
        return False
    if mime in CONVERTERS or mime == kinds.OLE:  # binary office files: read by a converter
        return _ole_command(mime) is not None
    return True


def _unread_reason(mime: str | None) -> str:
    if mime in (kinds.ZIP, kinds.RAR, "application/x-7z-compressed", "application/gzip"):
        return "an archive: its contents are not unpacked"
    if mime and mime.startswith("image/"):
        return "an image: no OCR"
    return f"unknown file type ({mime or 'no magic number'})"


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise ExtractTimeout in the block after ``seconds`` (a real-time alarm: only in the main
    thread of a process; elsewhere the block runs uncapped)."""
    if threading.current_thread() is not threading.main_thread() or seconds <= 0:
        yield
        return

    def expire(signum, frame):
        raise ExtractTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _tidy(text: str) -> str:
    lines = (_SPACES.sub(" ", line).strip() for line in text.replace("\x00", "").splitlines())
    return "\n".join(line for line in lines if line)


# -- pdf ------------------------------------------------------------------------------------
def pdf_text(data: bytes) -> str:
    """A PDF's text, page by page, read by PDFium (pypdfium2; Chromium's PDF engine).

    Native code: a signal cannot stop it and a hostile file could crash it, so the archive
    writer calls it only in a child process (``pipeline.attachments.reader``). On the replica's
    PDFs (CID fonts with ToUnicode maps, as Chinese office software writes them) it reads the
    same text as pypdf 7 at 1/8 of the CPU (``python -m bench.attachments pdf``). PDFium's C
    functions are called directly (``pypdfium2.raw``), each handle closed here: the same calls
    as pypdfium2's ``PdfDocument`` … ``get_text_bounded``, without its wrapper objects (238 →
    199 µs a PDF of ``bench.attachments``).
    """
    import ctypes

    import pypdfium2  # importing it initializes the library
    import pypdfium2.raw as pdfium

    document = pdfium.FPDF_LoadMemDocument64(data, len(data), None)  # ``data`` outlives it
    try:
        pages = pdfium.FPDF_GetPageCount(document)
        if pages < 1:
            code = pdfium.FPDF_GetLastError()
            reason = pypdfium2.internal.ErrorToStr.get(code)
            raise ValueError(f"Failed to load document (PDFium: {reason}).")
        parts: list[str] = []
        size = 0
        box = pdfium.FS_RECTF()
        for number in range(min(pages, MAX_PDF_PAGES)):
            if size > MAX_CHARS:
                break
            page = pdfium.FPDF_LoadPage(document, number)
            if not page:
                raise ValueError(f"Failed to load page {number + 1}.")
            try:
                textpage = pdfium.FPDFText_LoadPage(page)
                if not textpage:
                    raise ValueError(f"Failed to load the text of page {number + 1}.")
                try:
                    if not pdfium.FPDF_GetPageBoundingBox(page, box):
                        raise ValueError(f"Failed to get the bounding box of page {number + 1}.")
                    corners = (box.left, box.top, box.right, box.bottom)
                    count = pdfium.FPDFText_GetBoundedText(textpage, *corners, None, 0)
                    part = ""
                    if count > 0:
                        buffer = (ctypes.c_ushort * count)()
                        pdfium.FPDFText_GetBoundedText(textpage, *corners, buffer, count)
                        part = bytes(buffer).decode("utf-16-le", errors="ignore")
                finally:
                    pdfium.FPDFText_ClosePage(textpage)
            finally:
                pdfium.FPDF_ClosePage(page)
            parts.append(part)
            size += len(part)
        return "\n".join(parts)
    finally:
        if document:
            pdfium.FPDF_CloseDocument(document)


# -- office open xml, ofd ---------------------------------------------------------------------
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _xml(archive, name: str) -> etree._Element:
    return etree.fromstring(zipsafe.read_member(archive, name), _PARSER)


def docx_text(data: bytes) -> str:
    with zipsafe.open_zip(data) as archive:
        root = _xml(archive, "word/document.xml")
    paragraphs = ("".join(p.itertext(_W + "t")) for p in root.iter(_W + "p"))
    return "\n".join(paragraphs)


def xlsx_text(data: bytes) -> str:
    with zipsafe.open_zip(data) as archive:
        names = archive.namelist()
        shared = []
        if "xl/sharedStrings.xml" in names:
            shared = [
                "".join(si.itertext(_S + "t")) for si in _xml(archive, "xl/sharedStrings.xml")
            ]
        sheets = sorted(n for n in names if re.match(r"xl/worksheets/sheet\d+\.xml$", n))
        rows = [row for sheet in sheets for row in _sheet_rows(_xml(archive, sheet), shared)]
    return "\n".join(rows)


def _sheet_rows(root: etree._Element, shared: list[str]) -> Iterator[str]:
    for row in root.iter(_S + "row"):
        cells = []
        for cell in row.iter(_S + "c"):
            kind, value = cell.get("t"), cell.findtext(_S + "v")
            if kind == "s" and value is not None and value.isdigit() and int(value) < len(shared):
                cells.append(shared[int(value)])
            elif kind == "inlineStr":
                cells.append("".join(cell.itertext(_S + "t")))
            elif value is not None:
                cells.append(value)
        if cells:
            yield "\t".join(cells)


def ofd_text(data: bytes) -> str:
    """OFD (GB/T 33190): each page's ``Content.xml`` holds its text in ``TextCode`` elements."""
    with zipsafe.open_zip(data) as archive:
        pages = sorted(
            (n for n in archive.namelist() if re.search(r"Pages/Page_\d+/Content\.xml$", n)),
            key=lambda n: [int(d) for d in re.findall(r"\d+", n)],
        )
        lines = []
        for page in pages:
            root = _xml(archive, page)
            lines += [el.text or "" for el in root.iter() if _local(el.tag) == "TextCode"]
    return "\n".join(lines)


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def plain_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data[: MAX_CHARS * 4].decode(encoding)
        except UnicodeDecodeError:
            continue
    return data[: MAX_CHARS * 4].decode("utf-8", "replace")


# -- binary office files: an installed converter, else a reason -------------------------------
class _NoConverter(Exception):
    pass


#: Converters tried in order per type: (program, arguments before the file path).
CONVERTERS = {
    kinds.DOC: (("antiword", ("-m", "UTF-8.txt")), ("catdoc", ("-d", "utf-8"))),
    kinds.XLS: (("xls2csv", ("-d", "utf-8")),),
    kinds.PPT: (("catppt", ("-d", "utf-8")),),
}
_OFFICE = ("libreoffice", "soffice")


def converter_for(mime: str) -> tuple[str, ...] | None:
    """The command (without the file) that prints a binary office file's text, if installed."""
    for program, args in CONVERTERS.get(mime, ()):
        path = which(program)
        if path:
            return (path, *args)
    return None


def office_program() -> str | None:
    """LibreOffice's command, if installed (it converts every binary office type)."""
    return next((path for path in map(which, _OFFICE) if path), None)


def which(program: str) -> str | None:
    """``shutil.which`` remembered per ``PATH``: it looks in every directory of it each time."""
    return _which(program, os.environ.get("PATH"))


@functools.lru_cache(maxsize=64)
def _which(program: str, path: str | None) -> str | None:
    return shutil.which(program, path=path)


def _ole_command(mime: str) -> tuple[str, ...] | None:
    """What would read a binary office file of this type here (``ole_text``), if anything."""
    command = converter_for(mime if mime != kinds.OLE else kinds.DOC)
    if command is not None:
        return command
    office = office_program()
    return (office,) if office else None


def ole_text(mime: str) -> Callable[[bytes], str]:
    def read(data: bytes) -> str:
        ext = kinds.EXTENSIONS.get(mime, "doc")
        command = converter_for(mime)
        office = office_program()
        if command is None and office is None:
            raise _NoConverter
        with tempfile.TemporaryDirectory(prefix="zwgk-text-") as work:
            source = Path(work) / f"file.{ext}"
            source.write_bytes(data)
            if command is not None:
                return _run([*command, str(source)])
            _run([office, "--headless", "--convert-to", "txt:Text", "--outdir", work, str(source)])
            return (Path(work) / "file.txt").read_text("utf-8", "replace")

    return read


def _run(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, timeout=TIME_CAP, check=True)
    return done.stdout.decode("utf-8", "replace")


_READERS: dict[str, Callable[[bytes], str]] = {
    kinds.PDF: pdf_text,
    kinds.DOCX: docx_text,
    kinds.XLSX: xlsx_text,
    kinds.OFD: ofd_text,
    kinds.TEXT: plain_text,
    kinds.DOC: ole_text(kinds.DOC),
    kinds.XLS: ole_text(kinds.XLS),
    kinds.PPT: ole_text(kinds.PPT),
    kinds.OLE: ole_text(kinds.DOC),
}
