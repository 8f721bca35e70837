"""gzip members of WARC records: zlib against ISA-L, CPU and size (not a test).

    python -m bench.gzip [--pages FILE] [--rounds 5]

Compresses every page body the demo's crawl hands the writer (``bench.writer_cpu``'s page file:
captured once if missing) as one gzip member each, as ``pipeline.warc.files`` does, with zlib
(the baseline: what the archive used before) and ISA-L at each level; the fastest of
``--rounds`` rounds, CPU µs per page and compressed/raw bytes, and the ratio to zlib level 1.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import tempfile
import time
import zlib
from pathlib import Path

from bench.writer_cpu import capture


def time_module(module, level: int, bodies: list[bytes], rounds: int) -> tuple[float, float]:
    best = float("inf")
    for _ in range(rounds):
        size = 0
        started = time.process_time()
        for body in bodies:
            packer = module.compressobj(level, module.DEFLATED, module.MAX_WBITS + 16)
            size += len(packer.compress(body) + packer.flush())
        best = min(best, time.process_time() - started)
    return best / len(bodies) * 1e6, size / sum(map(len, bodies))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", help="page file: captured if missing, reused if present")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    from isal import isal_zlib

    with tempfile.TemporaryDirectory() as tmp:
        pages_file = args.pages or str(Path(tmp) / "pages.pkl")
        if not Path(pages_file).exists():
            print(f"captured {capture(pages_file)} pages", file=sys.stderr)
        bodies = [page["body"] for page in pickle.loads(Path(pages_file).read_bytes())]
    base, _ = time_module(zlib, 1, bodies, args.rounds)
    print(f"{len(bodies)} pages, {sum(map(len, bodies)) / len(bodies):.0f} bytes on average")
    print("| library | level | CPU µs/page | × zlib 1 | compressed/raw |")
    print("|---|---|---|---|---|")
    for name, module, levels in (("zlib", zlib, (1, 6)), ("ISA-L", isal_zlib, (0, 1, 2, 3))):
        for level in levels:
            micros, ratio = time_module(module, level, bodies, args.rounds)
            print(f"| {name} | {level} | {micros:.1f} | {micros / base:.2f} | {ratio:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
