"""Attachment text read in a child process: answers in order, a crash or a hang costs one file,
and the files sent after it are read by the next child."""

from __future__ import annotations

from pipeline.attachments import sniff
from pipeline.attachments.reader import GROUP_FILES, IN_FLIGHT_BYTES, Pending, TextReader
from replica import files
from tests.attachments.children import CRASH, HANG

FAULTY = "tests.attachments.children:faulty"


def _pdf(key: str) -> bytes:
    return files.content("预算表.pdf", key, "部门预算")


def test_submitted_files_are_answered_in_their_own_order():
    with TextReader() as reader:  # several groups, more bytes than may be in flight at once
        pending = [
            reader.submit(_pdf(f"k{n}"), sniff.PDF, "pdf") for n in range(2 * GROUP_FILES + 3)
        ]
        assert all(isinstance(p, Pending) for p in pending)
        for n, p in reversed(list(enumerate(pending))):  # collected out of order
            assert files.check_code(f"k{n}") in reader.result(p).text
        child = reader._process
    assert child.returncode == 0  # told to stop, it left by exit_now (not killed after a wait)


def test_types_without_a_reader_are_answered_without_a_child():
    reader = TextReader()
    answer = reader.submit(b"Rar!\x1a\x07\x00", sniff.RAR, "rar")
    assert answer.text is None
    assert "archive" in answer.reason
    assert reader._process is None  # no child was started for it
    reader.close()


def test_a_binary_office_file_goes_to_the_child_only_where_a_converter_reads_it(
    tmp_path, monkeypatch
):
    (tmp_path / "bin").mkdir()
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing installed
    reader = TextReader()
    answer = reader.submit(files.ole_placeholder("k"), sniff.XLS, "xls")
    assert (answer.text, answer.reason) == (None, "no converter for .xls")
    assert reader._process is None
    converter = tmp_path / "bin" / "xls2csv"  # one installed (a PATH is searched once)
    converter.write_text("#!/bin/sh\necho 部门预算\n")
    converter.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    with reader:
        pending = reader.submit(files.ole_placeholder("k"), sniff.XLS, "xls")
        assert isinstance(pending, Pending)
        assert reader.result(pending).text == "部门预算"


def test_a_crash_costs_one_file_and_the_rest_are_read():
    with TextReader(serve=FAULTY) as reader:
        before = reader.submit(_pdf("a"), sniff.PDF)
        crash = reader.submit(CRASH, sniff.PDF)
        after = [reader.submit(_pdf(f"b{n}"), sniff.PDF) for n in range(3)]
        assert files.check_code("a") in reader.result(before).text
        failed = reader.result(crash)
        assert failed.text is None
        assert failed.reason.startswith("the text reader crashed (exit code -11)")
        for n, p in enumerate(after):
            assert files.check_code(f"b{n}") in reader.result(p).text


def test_a_hang_is_cut_at_the_time_cap():
    with TextReader(time_cap=0.5, serve=FAULTY) as reader:
        hang = reader.submit(HANG, sniff.PDF)
        later = reader.submit(_pdf("c"), sniff.PDF)
        assert reader.result(hang).reason == "extraction took over 0.5 s"
        assert files.check_code("c") in reader.result(later).text


def test_a_big_file_waits_until_nothing_is_in_flight():
    big = _pdf("big") + b"\n%" + b"x" * IN_FLIGHT_BYTES  # bytes after %%EOF: still a PDF
    with TextReader() as reader:
        first = reader.submit(_pdf("d"), sniff.PDF)
        reader.submit(big, sniff.PDF)
        assert first.number in reader._done  # collected before the big file was sent
        assert len(reader._sent) == 1
