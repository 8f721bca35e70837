"""``bad-attachments``: one bureau notice links every attachment a real site can get wrong.

Hostile names (a path climbing out, a shell command, 300 characters, a NUL byte) served through
the download handler with that name in ``filename=`` and in the Content-Disposition; broken
links (a 404, an HTML page where a file was linked, 0 bytes); a file over a small cap; a zip
bomb (a ``.docx`` whose document inflates to 64 MiB of zeros, ~64 KB on the wire); and one good
file of each readable kind (pdf, docx, xlsx) whose text holds a check code (``files.check_code``).
Each case's expected outcome is in the truth (``attachment_files``).
"""

from __future__ import annotations

import dataclasses
import functools
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from urllib.parse import quote

from replica import files
from replica.model import Attachment, Notice
from replica.pages import Page, error_page, html_page

FAULT = "bad-attachments"
DOWNLOAD = "module/download/downfile.jsp"
BIG_BYTES = 2 * 1024 * 1024  # over the cap the tests set (1 MB), under the default (50 MB)
BOMB_BYTES = 64 * 1024 * 1024
LONG_NAME = "预算公开附件" + "-budget-2026" * 24 + "x" * 2 + ".pdf"  # 300 characters


@dataclass(frozen=True)
class Case:
    """One attachment link: its link text, how it is served, and the expected outcome."""

    slug: str
    name: str
    serve: str  # pdf, docx, xlsx, 404, html, empty, big, bomb
    expect: str  # stored, not_extracted, broken, skipped (under a cap below BIG_BYTES)
    reason: str | None = None
    download: str | None = None  # the filename= of the download handler, else a plain path


CASES = (
    Case("passwd", "../../etc/passwd", "pdf", "stored", download="../../etc/passwd"),
    Case("shell", "a.pdf;rm -rf ~", "pdf", "stored", download="a.pdf;rm -rf ~"),
    Case("long", LONG_NAME, "pdf", "stored", download=LONG_NAME),
    Case("nul", "空字节附件.pdf", "pdf", "stored", download="nul\x00byte.pdf"),
    Case("docx", "预算说明.docx", "docx", "stored"),
    Case("xlsx", "预算明细表.xlsx", "xlsx", "stored"),
    Case("missing", "已删除的附件.pdf", "404", "broken", "404"),
    Case("html", "跳转页面.pdf", "html", "broken", "html instead of a file"),
    Case("empty", "空文件.doc", "empty", "broken", "empty"),
    Case("big", "超大附件.pdf", "big", "skipped", "over cap"),
    Case("bomb", "压缩炸弹.docx", "bomb", "not_extracted", "zip bomb"),
)


def path_of(case: Case, notice: Notice) -> str:
    """The case's link, relative to the site base."""
    if case.download is not None:
        return f"{DOWNLOAD}?classid=0&filename={quote(case.download, safe='')}"
    ext = case.name.rsplit(".", 1)[1]
    serial = zlib.crc32(notice.key.encode())
    return f"{notice.path.rsplit('/', 1)[0]}/P0{serial:010d}_{case.slug}.{ext}"


def attach(notice: Notice) -> tuple[Notice, dict[str, Case]]:
    """The notice with every case linked after its own attachments, and the cases by path."""
    by_path = {path_of(case, notice): case for case in CASES}
    links = tuple(Attachment(case.name, path) for path, case in by_path.items())
    return dataclasses.replace(notice, attachments=(*notice.attachments, *links)), by_path


def page(case: Case, notice: Notice) -> Page:
    """The answer to a case's link."""
    key = f"{notice.key}:{case.slug}"
    if case.serve == "404":
        return error_page(404, "attachment")
    if case.serve == "html":
        html = "<!DOCTYPE html><html><body><p>文件不存在或已转移</p></body></html>"
        return html_page(html, "attachment")
    if case.serve == "empty":
        return Page(200, b"", "application/msword", "attachment")
    if case.serve == "big":
        return _file(case, files.pdf(case.name, key, padding=BIG_BYTES))
    if case.serve == "bomb":
        return _file(case, bomb())
    return _file(case, files.content(case.name, key, notice.title, ext=case.serve))


def _file(case: Case, body: bytes) -> Page:
    if case.download is None:
        return Page(200, body, files.mime(case.name), "attachment")
    ascii_name = "".join(ch if " " <= ch < "\x7f" and ch != '"' else "_" for ch in case.download)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(case.download)}"
    headers = (("Content-Disposition", disposition),)
    return Page(200, body, "application/octet-stream", "attachment", headers)


@functools.cache
def bomb() -> bytes:
    """A docx-looking zip whose ``word/document.xml`` inflates to ``BOMB_BYTES`` of zeros."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", files.STAMP), "<Types/>")
        info = zipfile.ZipInfo("word/document.xml", files.STAMP)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=False) as member:
            zeros = bytes(1 << 20)
            for _ in range(BOMB_BYTES >> 20):
                member.write(zeros)
    return out.getvalue()


def truth(notice: Notice, by_path: dict[str, Case], site_base: str) -> list[dict[str, Any]]:
    """What an archive should record for each case (``check_code``: a word only its text has)."""
    out = []
    for path, case in by_path.items():
        entry = {
            "notice_url": site_base + notice.path,
            "url": site_base + path,
            "name": case.name,
            "case": case.slug,
            "expect": case.expect,
            "reason": case.reason,
        }
        if case.serve in ("pdf", "docx", "xlsx"):
            entry["check_code"] = files.check_code(f"{notice.key}:{case.slug}")
        if case.serve == "big":
            entry["size_over"] = BIG_BYTES
        out.append(entry)
    return out
