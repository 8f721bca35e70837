"""What the loopback replica can serve: a raw aiohttp fetch of a list of URLs (not a test).

    python -m bench.raw_fetch URLS_FILE [--concurrency 16]

Every URL once, ``--concurrency`` at a time over keep-alive connections, bodies read and
dropped; prints a JSON line (pages, seconds, pages/s). A reference beside the bare Scrapy spider:
the fetch rate with no crawler framework at all (the replica's own CPU shares the machine).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

import aiohttp


async def fetch_all(urls: list[str], concurrency: int) -> float:
    queue: asyncio.Queue[str] = asyncio.Queue()
    for url in urls:
        queue.put_nowait(url)
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def worker() -> None:
            while not queue.empty():
                async with session.get(queue.get_nowait()) as response:
                    await response.read()

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("urls", help="file with one URL per line")
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args(argv)
    lines = Path(args.urls).read_text(encoding="utf-8").splitlines()
    urls = [line.strip() for line in lines if line.strip()]
    seconds = asyncio.run(fetch_all(urls, args.concurrency))
    print(json.dumps({"mode": "raw", "pages": len(urls), "seconds": seconds}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
