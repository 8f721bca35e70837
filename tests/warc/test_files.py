"""WARC files: records read back from their pointers, digests warcio checks, rotation, CDXJ."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import sys
import uuid

import pytest
from warcio.archiveiterator import ArchiveIterator

from pipeline.warc import Exchange, WarcFiles
from pipeline.warc.files import sort_index, surt
from pipeline.warc.read import RecordError, read_response

HTML = "<html><head><title>通知</title></head><body>湛江市财政局</body></html>".encode()


def exchange(url: str = "http://www.zjczj.gov.cn/xxgk/a.shtml", **fields) -> Exchange:
    base = {
        "url": url,
        "record_id": f"<urn:uuid:{uuid.uuid4()}>",
        "date": "2026-05-22T04:05:06Z",
        "status": 200,
        "body": HTML,
        "request_headers": [(b"User-Agent", b"zwgk-archive/0.1"), (b"Accept-Encoding", b"gzip")],
        "response_headers": [(b"Content-Type", b"text/html; charset=utf-8")],
    }
    base.update(fields)
    return Exchange(**base)


def compressed_exchange(url: str, *more_headers: tuple[bytes, bytes]) -> Exchange:
    """A gzip-encoded page that came chunked (its Transfer-Encoding is renamed in WARC)."""
    return exchange(
        url,
        body=gzip.compress(HTML),
        response_headers=[
            (b"Content-Type", b"text/html; charset=utf-8"),
            (b"Content-Encoding", b"gzip"),
            (b"Transfer-Encoding", b"chunked"),
            *more_headers,
        ],
    )


def records(path):
    with path.open("rb") as handle:
        return [
            (r.rec_type, r.rec_headers.get_header("WARC-Record-ID"), r.rec_headers)
            for r in ArchiveIterator(handle)
        ]


def warcio_check(*paths) -> subprocess.CompletedProcess:
    code = "import sys; from warcio.cli import main; sys.exit(main(sys.argv[1:]))"
    command = [sys.executable, "-c", code, "check", *map(str, paths)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


@pytest.fixture
def written(tmp_path):
    files = WarcFiles(tmp_path / "warc")
    plain = exchange()
    encoded = compressed_exchange("http://www.zjczj.gov.cn/xxgk/b.shtml")
    missing = exchange("http://www.zjczj.gov.cn/robots.txt", status=404, body=b"not here")
    pointers = [files.write(x) for x in (plain, encoded, missing)]
    files.close()
    return tmp_path / "warc", (plain, encoded, missing), pointers


def test_each_exchange_is_a_response_and_a_request_after_a_warcinfo(written):
    directory, exchanges, _ = written
    (path,) = directory.glob("*.warc.gz")
    found = records(path)
    assert [kind for kind, _, _ in found] == ["warcinfo"] + ["response", "request"] * 3
    responses = [rid for kind, rid, _ in found if kind == "response"]
    assert responses == [x.record_id for x in exchanges]
    for (_, rid, _), (_, _, request) in zip(found[1::2], found[2::2], strict=True):
        assert request.get_header("WARC-Concurrent-To") == rid
    assert found[1][2].get_header("WARC-Payload-Digest").startswith("sha256:")
    assert found[1][2].protocol == "WARC/1.1"


def test_warcio_check_passes_every_digest(written):
    directory, _, _ = written
    result = warcio_check(*directory.glob("*.warc.gz"))
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_record_reads_back_from_its_pointer(written):
    directory, (plain, _, _), pointers = written
    back = read_response(directory, pointers[0])
    assert (back.body, back.payload, back.status, back.url) == (HTML, HTML, 200, plain.url)
    assert back.header("content-type") == "text/html; charset=utf-8"
    assert read_response(directory, pointers[2]).status == 404


def test_a_compressed_body_is_kept_as_received_and_read_decoded(written):
    directory, (_, encoded, _), pointers = written
    back = read_response(directory, pointers[1])
    assert back.payload == encoded.body  # gzip, as it came off the wire
    assert back.body == HTML
    assert back.header("Content-Encoding") == "gzip"
    # chunking was undone before the body was kept: its header no longer applies to it
    assert back.header("Transfer-Encoding") is None
    assert back.header("X-Archive-Orig-Transfer-Encoding") == "chunked"


def test_the_cdxj_index_lists_each_response_sorted(written):
    directory, _, pointers = written
    (index,) = directory.glob("*.cdxj")
    lines = index.read_text(encoding="utf-8").splitlines()
    assert lines == sorted(lines)
    assert len(lines) == 3
    entries = {line.split(" ", 2)[0]: json.loads(line.split(" ", 2)[2]) for line in lines}
    entry = entries["cn,gov,zjczj)/xxgk/a.shtml"]
    assert {line.split(" ")[1] for line in lines} == {"20260522040506"}
    assert (int(entry["offset"]), int(entry["length"])) == (pointers[0].offset, pointers[0].length)
    assert entry["filename"] == pointers[0].file
    assert (entry["status"], entry["mime"]) == ("200", "text/html")


def test_the_index_is_sorted_in_runs_of_bounded_size(tmp_path):
    # sorted in runs of 7 lines and merged: the same file as one sort in memory, no temp left
    rng = random.Random(5)
    lines = [f"cn,gov,x)/{rng.randrange(10**6)} 2026{n:010d} {{}}\n" for n in range(50)]
    index = tmp_path / "a.cdxj"
    index.write_text("".join(lines)[:-1], encoding="utf-8")  # the last line cut short
    sort_index(index, run_lines=7)
    assert index.read_text(encoding="utf-8") == "".join(sorted(lines))
    assert [p.name for p in tmp_path.iterdir()] == ["a.cdxj"]


def test_files_rotate_by_size_and_each_stands_alone(tmp_path):
    files = WarcFiles(tmp_path / "warc", max_bytes=3000)
    big = random.Random(11).randbytes(4096)  # 4 KiB that gzip cannot shrink
    pointers = [files.write(exchange(f"http://x.gov.cn/{n}", body=big)) for n in range(5)]
    files.close()
    paths = sorted((tmp_path / "warc").glob("*.warc.gz"))
    assert len(paths) == 5 == len({p.file for p in pointers})
    for path in paths:
        assert records(path)[0][0] == "warcinfo"
        assert path.with_name(path.name.replace(".warc.gz", ".cdxj")).exists()
    assert all(read_response(tmp_path / "warc", p).body == big for p in pointers)
    assert warcio_check(*paths).returncode == 0


def test_a_closed_file_is_never_appended_to(tmp_path):
    files = WarcFiles(tmp_path / "warc")
    first = files.write(exchange())
    files.close()
    second = files.write(exchange())
    files.close()
    assert first.file != second.file


@pytest.mark.parametrize("damage", ["flip", "truncate", "missing", "other-record"])
def test_a_damaged_record_is_an_error_never_a_wrong_page(written, damage):
    directory, _, pointers = written
    pointer = pointers[0]
    path = directory / pointer.file
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[pointer.offset + pointer.length // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    elif damage == "truncate":
        path.write_bytes(bytes(data[: pointer.offset + pointer.length - 10]))
    elif damage == "missing":
        path.unlink()
    else:  # the pointer names another record's bytes
        pointer = pointers[1].__class__(
            pointer.file,
            pointers[1].offset,
            pointers[1].length,
            pointer.record_id,
            pointer.payload_sha256,
        )
    with pytest.raises(RecordError):
        read_response(directory, pointer)


def test_surt_keys():
    assert (
        surt("http://www.zjczj.gov.cn/xxgk/A.shtml?b=2&a=1") == "cn,gov,zjczj)/xxgk/a.shtml?a=1&b=2"
    )
    assert surt("http://127.0.0.1:8800/czj/") == "1,0,0,127:8800)/czj/"
    assert surt("https://gdgpo.czt.gd.gov.cn") == "cn,gov,gd,czt,gdgpo)/"


def test_a_pointer_gives_its_column_values_in_field_order():
    """``Pointer.values`` spells the fields out (for speed): it must stay what
    ``dataclasses.astuple`` gives, in the order of ``POINTER_COLUMNS``."""
    from dataclasses import astuple, fields

    from pipeline.warc.files import POINTER_COLUMNS, Pointer

    pointer = Pointer("zwgk-1.warc.gz", 120, 4096, "<urn:uuid:1>", "ab" * 32)
    assert pointer.values() == astuple(pointer)
    assert len(fields(Pointer)) == len(POINTER_COLUMNS) == len(pointer.values())
    assert Pointer.of_row(dict(zip(POINTER_COLUMNS, pointer.values(), strict=True))) == pointer
