"""Benchmark (not a test): attachment text extraction, and what downloads cost a crawl.

    python -m bench.attachments pdf [--files 200]
    python -m bench.attachments crawl [--scale 2000] [--repeat 3]

``pdf``: the replica's PDFs (CID font with a ToUnicode map, as Chinese office software writes
them) and a multi-page one, read by pdfminer.six (the baseline), pypdf, and PDFium (pypdfium2,
what the archive uses, also timed through the writer's child process); ``pip install -e
.[bench]``: milliseconds per file, and how many texts hold the
file's check code (a right reading).

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
    crawl = sub.add_parser("crawl")
    crawl.add_argument("--scale", type=int, default=2000)
    crawl.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.what == "pdf":
        bench_pdf(args.files)
    else:
        bench_crawl(args.scale, args.repeat)


if __name__ == "__main__":
    main()
