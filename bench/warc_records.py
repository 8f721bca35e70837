"""Writing an exchange's WARC records: built directly against warcio building them (not a test).

    python -m bench.warc_records [--pages 2000] [--rounds 5]

Fetches ``--pages`` detail pages of a replica (the zjczj replica's notices, as ``bench.run``
samples them), makes each an exchange with the headers a crawl sends and receives, then writes
all of them into a fresh folder of WARC files two ways, in turn, ``--rounds`` times:

* ``warcio``: the records built by warcio's writer (``pipeline.warc.files.pack_by_warcio``: the
  baseline, what every exchange took before ``pipeline.warc.records``);
* ``direct``: ``WarcFiles.write`` (records built by ``pipeline.warc.records``).

Both gzip each record at the same level and write the same CDXJ line. Reports the best round
of each in CPU ms per exchange and the ratio.
"""

from __future__ import annotations

import argparse
import tempfile
import time

from bench.run import sample_pages
from pipeline.warc import Exchange, WarcFiles, new_record_id
from pipeline.warc.files import pack_by_warcio

REQUEST = [
    (b"Accept", b"text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
    (b"Accept-Language", b"en"),
    (b"User-Agent", b"zwgk-archive/0.1 (+https://github.com/zwgk-archive/zwgk-archive)"),
    (b"Accept-Encoding", b"gzip, deflate, br, zstd"),
]


def exchanges(pages: list[tuple[bytes, str]]) -> list[Exchange]:
    response = [
        (b"Server", b"nginx"),
        (b"Date", b"Thu, 03 Dec 2026 06:17:02 GMT"),
        (b"Content-Type", b"text/html; charset=utf-8"),
        (b"Etag", b'"f83ad18c576b06c19ba1"'),
    ]
    return [
        Exchange(
            url=url,
            record_id=new_record_id(),
            date="2026-12-03T06:17:02Z",
            status=200,
            body=body,
            request_headers=REQUEST,
            response_headers=[(b"Content-Length", str(len(body)).encode()), *response],
        )
        for body, url in pages
    ]


def warcio_way(files: WarcFiles, exchange: Exchange) -> None:
    """``WarcFiles.write`` as it was: the records by warcio, then the same CDXJ line."""
    files.append(pack_by_warcio(exchange))


def direct_way(files: WarcFiles, exchange: Exchange) -> None:
    files.write(exchange)


def timed(write, items: list[Exchange]) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        files = WarcFiles(tmp)
        started = time.process_time()
        for exchange in items:
            write(files, exchange)
        spent = time.process_time() - started
        files.close()
    return spent / len(items) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    items = exchanges(sample_pages(args.pages))
    best = {"warcio": float("inf"), "direct": float("inf")}
    ways = {"warcio": warcio_way, "direct": direct_way}
    for round_ in range(args.rounds):
        order = list(ways) if round_ % 2 == 0 else list(reversed(ways))
        for name in order:
            best[name] = min(best[name], timed(ways[name], items))
    print(f"{len(items)} exchanges, best of {args.rounds} rounds, CPU ms per exchange:")
    print(f"  warcio {best['warcio']:.3f}  direct {best['direct']:.3f}")
    print(f"  direct / warcio = {best['direct'] / best['warcio']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
