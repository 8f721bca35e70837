"""An exchange's records built directly (pipeline.warc.records) are the records warcio builds:
the same header lines in the same order, the same blocks, the same digests."""

from __future__ import annotations

import gzip
import re

import pytest

from pipeline.warc import WarcFiles
from pipeline.warc.files import pack_by_warcio
from pipeline.warc.records import exchange_records
from tests.warc.test_files import compressed_exchange, exchange, warcio_check

REQUEST_ID = re.compile(rb"(WARC-Type: request\r\nWARC-Record-ID: )<urn:uuid:[0-9a-f-]+>")

EXCHANGES = {
    "page": exchange(),
    "query, chunked, compressed": compressed_exchange(
        "http://www.zjczj.gov.cn/search?q=%E9%A2%84%E7%AE%97&page=2",
        (b"Set-Cookie", b"a=1"),
        (b"Set-Cookie", b"b=2"),
    ),
    "host sent, 404, empty body": exchange(
        status=404,
        body=b"",
        request_headers=[(b"Host", b"www.zjczj.gov.cn"), (b"Accept", b"*/*")],
        response_headers=[],
    ),
    "no request (an older archive's capture)": exchange(has_request=False),
    "unknown status, root path": exchange("http://127.0.0.1:8765", status=599),
}


def written(tmp_path, name: str, ex, *, direct: bool) -> list[bytes]:
    files = WarcFiles(tmp_path / name)
    if direct:
        files.write(ex)
    else:
        files.append(pack_by_warcio(ex))
    files.close()
    (path,) = (tmp_path / name).glob("*.warc.gz")
    return [REQUEST_ID.sub(rb"\1<id>", record) for record in _records(path.read_bytes())]


def _records(data: bytes) -> list[bytes]:
    text = gzip.decompress(data)  # all members, concatenated
    return [b"WARC/1.1\r\n" + part for part in text.split(b"WARC/1.1\r\n") if part][1:]


@pytest.mark.parametrize("ex", EXCHANGES.values(), ids=EXCHANGES)
def test_records_are_warcios_byte_for_byte(tmp_path, ex):
    direct = written(tmp_path, "direct", ex, direct=True)
    assert direct == written(tmp_path, "warcio", ex, direct=False)
    assert len(direct) == (2 if ex.has_request else 1)
    assert warcio_check(*(tmp_path / "direct").glob("*.warc.gz")).returncode == 0


def test_a_header_that_is_not_ascii_is_left_to_warcio(tmp_path):
    name = "附件.pdf".encode()
    ex = exchange(response_headers=[(b"Content-Disposition", b"attachment; filename=" + name)])
    assert exchange_records(ex, "sha256:") is None
    files = WarcFiles(tmp_path / "warc")
    files.write(ex)  # warcio percent-encodes the value
    files.close()
    (path,) = (tmp_path / "warc").glob("*.warc.gz")
    assert b"filename*=UTF-8''%" in gzip.decompress(path.read_bytes())
    assert warcio_check(path).returncode == 0


def test_record_ids_are_random_uuids_as_uuid4_makes_them():
    """``new_record_id`` formats the UUID itself (no ``uuid.UUID`` object): each one must still
    read back as a version-4, RFC 4122 UUID, in the ``<urn:uuid:…>`` form, and never repeat."""
    import uuid

    from pipeline.warc import new_record_id

    ids = [new_record_id() for _ in range(5000)]
    assert len(set(ids)) == len(ids)
    for record_id in ids[:500]:
        assert record_id.startswith("<urn:uuid:")
        assert record_id.endswith(">")
        parsed = uuid.UUID(record_id[len("<urn:uuid:") : -1])
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == record_id[len("<urn:uuid:") : -1]  # lower case, dashes in place


def test_an_exchange_crosses_a_pipe_whole():
    """``Exchange.__reduce__`` lists its fields by hand (cheaper pickles): a field added to the
    dataclass and not to it would be lost on the way to the writer."""
    import dataclasses
    import pickle

    from pipeline.warc import Exchange

    values = {
        "url": "http://127.0.0.1/a.pdf", "record_id": "<urn:uuid:1>",
        "date": "2026-12-05T09:00:00Z", "status": 206, "body": b"%PDF-1.4", "method": "POST",
        "protocol": "HTTP/1.0", "request_headers": [(b"Range", b"bytes=0-")],
        "response_headers": [(b"Content-Type", b"application/pdf")], "has_request": False,
    }  # fmt: skip
    assert set(values) == {f.name for f in dataclasses.fields(Exchange)}
    exchange = Exchange(**values)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        assert pickle.loads(pickle.dumps(exchange, protocol)) == exchange
