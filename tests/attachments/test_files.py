"""pipeline.attachments on bytes made here: sniffing, the store, zip limits, text, the verdicts."""

from __future__ import annotations

import hashlib
import io
import zipfile

import pytest

from pipeline.attachments import policy, sniff, zipsafe
from pipeline.attachments.ingest import attachment_fields, link_extension
from pipeline.attachments.reader import TextReader
from pipeline.attachments.store import STORED_NAME, FileStore
from pipeline.attachments.text import extract_text, time_limit
from replica import attachment_cases, files

WORDS = "关于报送2026年部门预算编制情况的通知"


def _zip(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


OFD = _zip({
    "OFD.xml": "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>",
    "Doc_0/Pages/Page_0/Content.xml": (
        "<ofd:Page xmlns:ofd='http://www.ofdspec.org/2016'><ofd:Content><ofd:Layer>"
        "<ofd:TextObject><ofd:TextCode X='0' Y='0'>财政预算执行情况</ofd:TextCode></ofd:TextObject>"
        "</ofd:Layer></ofd:Content></ofd:Page>"
    ),
})  # fmt: skip


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (files.content("a.pdf", "k", WORDS), sniff.PDF),
        (files.content("a.docx", "k", WORDS), sniff.DOCX),
        (files.content("a.xlsx", "k", WORDS), sniff.XLSX),
        (OFD, sniff.OFD),
        (_zip({"readme.txt": "x"}), sniff.ZIP),
        (files.ole_placeholder("k"), sniff.OLE),
        (files.ole_placeholder("k")[:600] + "WordDocument".encode("utf-16-le"), sniff.DOC),
        (b"Rar!\x1a\x07\x01\x00" + bytes(20), sniff.RAR),
        ("预算，编制".encode("gb18030"), sniff.TEXT),
        (bytes(range(256)), None),
    ],
)
def test_types_come_from_the_bytes(data, mime):
    assert sniff.sniff(data) == mime


@pytest.mark.parametrize(
    ("name", "ext"), [("a.pdf", "pdf"), ("a.docx", "docx"), ("a.xlsx", "xlsx")]
)
def test_replica_files_hold_the_notice_words_and_their_check_code(name, ext):
    result = extract_text(
        files.content(name, "key-1", WORDS), sniff.sniff(files.content(name, "key-1"))
    )
    assert WORDS in result.text
    assert files.check_code("key-1") in result.text
    assert result.reason is None


def test_ofd_text_is_read():
    assert extract_text(OFD, sniff.OFD).text == "财政预算执行情况"


def test_binary_office_files_without_a_converter_say_so(monkeypatch):
    monkeypatch.setenv("PATH", "")
    result = extract_text(files.ole_placeholder("k"), sniff.XLS, "xls")
    assert (result.text, result.reason) == (None, "no converter for .xls")


def test_a_zip_bomb_is_refused_before_anything_is_inflated():
    result = extract_text(attachment_cases.bomb(), sniff.DOCX)
    assert result.text is None
    assert result.reason.startswith("zip bomb")


def test_a_lying_directory_stops_at_the_declared_size():
    data = bytearray(_zip({"word/document.xml": "<w/>" + "x" * 5000}))
    # shrink the declared size in the central directory: the member inflates past it
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    archive = zipfile.ZipFile(io.BytesIO(bytes(data)))
    assert info.file_size > 10
    with pytest.raises((zipsafe.UnsafeZip, zipfile.BadZipFile)):
        zipsafe.read_member(archive, "word/document.xml")


def test_too_many_members_is_a_bomb():
    data = _zip({f"{n}.xml": "" for n in range(zipsafe.MAX_MEMBERS + 1)})
    with pytest.raises(zipsafe.UnsafeZip, match="members"):
        zipsafe.open_zip(data)


def test_damaged_files_are_a_reason_not_a_crash():
    result = extract_text(b"%PDF-1.4\n garbage", sniff.PDF)
    assert result.text is None or result.text == ""
    assert extract_text(b"PK\x03\x04broken", sniff.DOCX).reason


def test_the_time_cap_stops_a_slow_extraction():
    import time

    from pipeline.attachments.text import ExtractTimeout

    def spin(seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:  # bounded: the alarm ends it long before
            pass

    with pytest.raises(ExtractTimeout), time_limit(0.05):
        spin(5)


def test_an_older_archives_plain_copy_is_found_by_digest_only(tmp_path):
    store = FileStore(tmp_path / "files")
    digest = hashlib.sha256(b"same bytes").hexdigest()
    path = store.path_of(digest)
    assert path.relative_to(tmp_path / "files").as_posix() == f"{digest[:2]}/{digest}"
    assert STORED_NAME.match(path.name)
    assert not store.has(digest)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"same bytes")
    assert store.has(digest)
    assert store.read(digest) == b"same bytes"
    for bad in ("../../etc/passwd", "g" * 64, digest.upper(), digest + "/x", ""):
        assert not store.has(bad)
        with pytest.raises(ValueError, match="sha256"):
            store.path_of(bad)


@pytest.mark.parametrize(
    ("status", "body", "content_type", "verdict"),
    [
        (200, b"%PDF-1.4 x", "application/pdf", (True, None, None)),
        (404, b"<html>", "text/html", (False, "broken", "404")),
        (410, b"", None, (False, "broken", "410")),
        (503, b"", None, (False, "failed", "http 503")),
        (200, b"", "application/pdf", (False, "broken", "empty")),
        (
            200,
            b"\xef\xbb\xbf <!DOCTYPE html><p>",
            "application/pdf",
            (False, "broken", "html instead of a file"),
        ),
        (200, "文件不存在".encode(), "text/html", (False, "broken", "html instead of a file")),
        (200, b"%PDF-1.4" + bytes(50), "text/html", (True, None, None)),
        (200, bytes(101), "application/pdf", (False, "skipped", "over cap (100 bytes)")),
    ],
)
def test_verdicts(status, body, content_type, verdict):
    result = policy.judge(status, body, content_type, cap=100)
    assert (result.keep, result.status, result.reason) == verdict


def test_fields_of_a_download():
    body = files.content("a.pdf", "k", WORDS)
    url = "http://x/module/download/downfile.jsp?filename=..%2F..%2Fetc%2Fpasswd"
    payload = {"url": url, "status": 200, "body": body, "content_type": "text/html", "cap": 10**6}
    with TextReader() as reader:
        fields = attachment_fields(payload, reader)
        assert fields["status"] == "reading"  # the text is read in the child process
        assert fields.pop("text").number == 0
        assert fields["reason"] is None
    assert fields["mime"] == sniff.PDF
    assert fields["mime_header"] == "text/html"
    assert (fields["sha256"], fields["size"]) == (hashlib.sha256(body).hexdigest(), len(body))
    failed = attachment_fields({"url": url, "error": "too large", "cap": 5}, reader)
    assert (failed["status"], failed["reason"], failed["sha256"]) == (
        "skipped",
        "over cap (5 bytes)",
        None,
    )
    timeout = attachment_fields({"url": url, "error": "timeout"}, reader)
    assert (timeout["status"], timeout["reason"]) == ("failed", "timeout")


@pytest.mark.parametrize(
    ("url", "ext"),
    [
        ("http://x/a/P020.pdf", "pdf"),
        ("http://x/downfile.jsp?classid=0&filename=ab.xls", "xls"),
        ("http://x/downfile.jsp?filename=a.pdf%3Brm%20-rf%20~", None),
        ("http://x/a/b", None),
    ],
)
def test_link_extension(url, ext):
    assert link_extension(url) == ext


def test_a_file_that_breaks_the_reader_is_failed_not_fatal(tmp_path, monkeypatch):
    from pipeline.attachments import ingest
    from pipeline.store import Archive

    def boom(data):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(ingest, "sniff", boom)
    archive = Archive(str(tmp_path / "archive.db"))
    payload = {"url": "http://x/a.pdf", "status": 200, "body": b"%PDF-1.4", "cap": 100}
    assert ingest.ingest_attachment(archive, payload) == "failed"
    archive.close()
