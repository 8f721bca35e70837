"""Benchmark (not a test): attachment text extraction, and what downloads cost a crawl.

    python -m bench.attachments pdf [--files 200]
    python -m bench.attachments reader [--files 3000] [--repeat 3]
    python -m bench.attachments crawl [--scale 2000] [--repeat 3]

``pdf``: the replica's PDFs (CID font with a ToUnicode map, as Chinese office software writes
them) and a multi-page one, read by pdfminer.six (the baseline), pypdf, and PDFium (pypdfium2,
what the archive uses, also timed through the writer's child process); ``pip install -e
.[bench]``: milliseconds per file, and how many texts hold the
file's check code (a right reading).

``reader``: the writer's text reader as the writer uses it (Linux): replica PDFs submitted one
between each two bits of other work (storing pages), a batch's answers taken at its end, the
parent and its child on one CPU as the writer and its child are. CPU a file, the parent's in the
reader's calls plus the child's: files sent in groups (the archive's way) against one message a
file (groups of one, the way before), alternately, and reading in the parent (no child) as
the floor.

``crawl``: the bureau (``zjczj``) crawled from one replica into fresh archives, attachments off
(the baseline) and on, alternately, in the same run: the fastest of each, requests, archive and
file sizes, and the ratios.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from pipeline.attachments import sniff
from pipeline.attachments.reader import TextReader
from replica import files

_READER = TextReader()  # the archive writer's way: PDFium in a child process

WORDS = "关于报送2026年部门预算编制情况的通知，请各单位按时报送部门预算编制说明"


def _fixtures(count: int) -> list[tuple[bytes, str]]:
    out = []
    for n in range(count):
        key = f"bench-{n}"
        lines = files.lines_of(f"附件{n}.pdf", key, WORDS)
        if n % 10 == 0:  # every tenth a longer one: the lines 40 times over
            lines = lines * 40
        out.append((files.pdf(f"附件{n}.pdf", key, lines), files.check_code(key)))
    return out


def _pypdf(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _pdfium(data: bytes) -> str:
    from pipeline.attachments.text import pdf_text

    return pdf_text(data)


def _pdfium_child(data: bytes) -> str:
    return _READER.read(data, sniff.PDF).text or ""


def _pdfminer(data: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(data))


def bench_pdf(count: int) -> None:
    fixtures = _fixtures(count)
    print(f"{count} PDFs, {sum(len(d) for d, _ in fixtures) / 1024:.0f} KB")
    results = {}
    readers = (
        ("pdfminer.six (baseline)", _pdfminer),
        ("pypdf", _pypdf),
        ("pypdfium2", _pdfium),
        ("pypdfium2 in the child", _pdfium_child),
    )
    for name, read in readers:
        read(fixtures[0][0])  # imports and first-call caches out of the timing
        started = time.perf_counter()
        right = sum(code in read(data) for data, code in fixtures)
        elapsed = time.perf_counter() - started
        results[name] = elapsed
        print(f"{name:24} {1000 * elapsed / count:7.2f} ms/file  right {right}/{count}")
    _READER.close()
    base = results["pdfminer.six (baseline)"]
    for name in ("pypdf", "pypdfium2", "pypdfium2 in the child"):
        print(f"{name} speed vs pdfminer.six: {base / results[name]:.2f}x")


def _reader_round(fixtures: list[bytes], group_files: int | None, batch: int) -> float:
    """CPU µs a file of one pass: ``group_files`` files a message (``None``: read in this
    process, no child)."""
    from bench.run import _cpu_seconds
    from pipeline.attachments import reader as module
    from pipeline.attachments.text import extract_text

    def other_work() -> int:  # a few hundred µs of the writer's own work between two files
        return sum(i * i for i in range(3000))

    if group_files is None:
        cpu = 0.0
        for data in fixtures:
            before = time.process_time()
            assert extract_text(data, sniff.PDF, "pdf").text
            cpu += time.process_time() - before
            other_work()
        return 1e6 * cpu / len(fixtures)
    saved, module.GROUP_FILES = module.GROUP_FILES, group_files
    try:
        with module.TextReader() as reader:
            reader.read(fixtures[0], sniff.PDF, "pdf")  # the child started, out of the timing
            pid = reader._process.pid
            child, cpu = _cpu_seconds(pid), 0.0
            for start in range(0, len(fixtures), batch):
                pending = []
                for data in fixtures[start : start + batch]:
                    before = time.process_time()
                    pending.append(reader.submit(data, sniff.PDF, "pdf"))
                    cpu += time.process_time() - before
                    other_work()
                before = time.process_time()
                assert all(reader.result(p).text for p in pending)
                cpu += time.process_time() - before
            cpu += _cpu_seconds(pid) - child
    finally:
        module.GROUP_FILES = saved
    return 1e6 * cpu / len(fixtures)


def bench_reader(count: int, repeat: int, batch: int = 90) -> None:
    """Groups against one message a file, alternately, ``repeat`` rounds; medians."""
    import os
    import statistics

    from pipeline.attachments.reader import GROUP_FILES

    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[-1]})  # the child inherits it
    fixtures = [d for d, _ in _fixtures(count)]
    modes = {
        f"groups of up to {GROUP_FILES} (the archive's way)": GROUP_FILES,
        "one message a file (baseline)": 1,
        "in the parent, no child (the floor)": None,
    }
    runs: dict[str, list[float]] = {name: [] for name in modes}
    for _ in range(repeat):
        for name, group_files in modes.items():
            runs[name].append(_reader_round(fixtures, group_files, batch))
    print(
        f"{count} PDFs, {batch} a batch, one CPU; CPU µs a file (parent + child), {repeat} rounds"
    )
    for name, values in runs.items():
        rounds = ", ".join(f"{v:.0f}" for v in values)
        print(f"{name:40} {statistics.median(values):6.0f}  ({rounds})")
    grouped, single = (statistics.median(runs[name]) for name in list(modes)[:2])
    print(f"groups / one message a file: {grouped / single:.2f}")


def _crawl(url: str, db: Path, on: bool) -> tuple[float, int]:
    reset = urllib.request.Request(f"{url}/__stats/reset", method="POST")
    urllib.request.urlopen(reset, timeout=30).close()
    command = [sys.executable, "-m", "zwgk", "crawl", "zjczj", "--replica-url", url]
    command += ["--db", str(db), "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0"]
    command += ["-s", f"ZWGK_ATTACHMENTS={on}"]
    db.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    elapsed = time.perf_counter() - started
    import json

    with urllib.request.urlopen(f"{url}/__stats.json", timeout=30) as response:
        return elapsed, json.load(response)["requests"]


def bench_crawl(scale: int, repeat: int) -> None:
    """Off and on, alternately, ``repeat`` times each into fresh archives; the fastest of each
    (the machine is shared: the least disturbed run is the fairest figure)."""
    from tests.integration.conftest import running_replica

    runs: dict[bool, list[tuple[float, int]]] = {False: [], True: []}
    with tempfile.TemporaryDirectory() as work, running_replica("--scale", str(scale)) as url:
        for n in range(repeat):
            for on in (False, True):
                runs[on].append(_crawl(url, Path(work) / f"{on}-{n}" / "archive.db", on))
        side = Path(work) / "True-0"
        stored = [p for p in (side / "archive" / "files").rglob("*") if p.is_file()]
        size = sum(p.stat().st_size for p in stored) / 1e6
        dbs = [(Path(work) / f"{on}-0" / "archive.db").stat().st_size / 1e6 for on in (False, True)]
    off, on = min(runs[False]), min(runs[True])
    every = {k: ", ".join(f"{t:.1f}" for t, _ in v) for k, v in runs.items()}
    print(
        f"attachments off (baseline): {off[0]:6.1f} s (runs: {every[False]}), {off[1]} requests,"
        f" db {dbs[0]:.1f} MB"
    )
    print(
        f"attachments on:             {on[0]:6.1f} s (runs: {every[True]}), {on[1]} requests,"
        f" db {dbs[1]:.1f} MB, {len(stored)} files stored ({size:.1f} MB)"
    )
    print(f"requests/s ratio on vs off: {(on[1] / on[0]) / (off[1] / off[0]):.2f}")
    print(f"time ratio off/on: {off[0] / on[0]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="what", required=True)
    pdf = sub.add_parser("pdf")
    pdf.add_argument("--files", type=int, default=200)
    reader = sub.add_parser("reader")
    reader.add_argument("--files", type=int, default=3000)
    reader.add_argument("--repeat", type=int, default=3)
    crawl = sub.add_parser("crawl")
    crawl.add_argument("--scale", type=int, default=2000)
    crawl.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.what == "pdf":
        bench_pdf(args.files)
    elif args.what == "reader":
        bench_reader(args.files, args.repeat)
    else:
        bench_crawl(args.scale, args.repeat)


if __name__ == "__main__":
    main()
