"""One timed crawl of a running replica, in this process; prints a JSON line.

    python -m bench.crawl_once full URL DB [TARGETS] [--urls FILE]   # fetch, extract, store
    python -m bench.crawl_once bare URL -  [TARGETS] [--urls FILE]   # the same pages, kept nowhere
    python -m bench.crawl_once items URL - [TARGETS]   # bare, and a plain item a page (no pipeline)

``TARGETS`` is a comma-separated list of crawl targets as ``zwgk crawl`` takes them (``zjczj``,
``gdsite:zs-czj``, ``default`` = every spider with its default profile, which is what a plain
``zwgk crawl`` runs); the default is ``zjczj``. Both modes crawl the same targets in one process
with the same settings and replica; ``bare`` drops every detail page on arrival and runs none of
the project's archiving parts (``BARE_SETTINGS``), so the ratio full/bare is the cost of
archiving. ``items`` is ``bare`` with one plain item (URL and body) for every detail page and
attachment download, through Scrapy's item path with no pipeline: what Scrapy's own machinery
for ~18,000 items costs the crawl process (``bench.pairs --a bare --b items``), a share of the
full crawl's CPU no archiving code can remove. ``--urls FILE`` writes every URL the
crawl fetched (for ``bench.raw_fetch``); ``--set NAME=VALUE`` (repeatable) overrides a Scrapy
setting for the run, for experiments. Peak RSS: this process's, the archive writer's, and
their sum (``peak_rss_mb``, the two together).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

from scrapy import Request, signals
from scrapy.spiderloader import SpiderLoader

from crawler import attachments
from crawler.config import project_settings

#: The baseline's configuration: the project's settings (the same politeness, concurrency,
#: retries, robots.txt, replica overrides, garbage-collector thresholds) without what only
#: archiving needs: no item pipeline, no progress lines, no crawl monitors with their challenge
#: check of every answer, and no origin filter (the spiders request only their own origins
#: anyway). What remains is Scrapy fetching and the spider's own list parsing.
BARE_SETTINGS = {
    "ITEM_PIPELINES": {},
    # The garbage collector's thresholds stay: process tuning any Scrapy spider can have, not
    # archiving work (crawler/gctune.py; without it the bare spider spends 13% of its CPU in gc).
    "EXTENSIONS": {"crawler.gctune.GcThresholds": 0},
    "DOWNLOADER_MIDDLEWARES": {"scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None},
}


MODES = ("full", "bare", "items")


def bare(spider_cls: type, items: bool = False) -> type:
    """The spider with the same lists and detail pages, keeping nothing (the baseline); with
    ``items``, yielding a plain item for each detail page and attachment (mode ``items``)."""

    class Bare(spider_cls):
        name = f"{spider_cls.name}_bare"

        def parse_detail(self, response, column):
            # The same attachment downloads as the real crawl (links found the same way), no item.
            for request in attachments.requests_for(self, response):
                if isinstance(request, Request):
                    yield request
            if items:
                yield {"url": response.url, "body": response.body}

        def parse_attachment(self, response, notice_url):
            return [{"url": response.url, "body": response.body}] if items else []

    return Bare


def targets(spec: str) -> list[tuple[str, dict[str, str]]]:
    """``[(spider name, arguments)]`` of a comma-separated target list."""
    if spec == "default":
        loader = SpiderLoader.from_settings(project_settings())
        return [(name, {}) for name in sorted(loader.list())]
    out = []
    for target in spec.split(","):
        name, _, profile = target.partition(":")
        out.append((name, {"profile": profile} if profile else {}))
    return out


def main(argv: list[str]) -> int:
    from scrapy.crawler import CrawlerProcess

    urls_file = None
    if "--urls" in argv:
        at = argv.index("--urls")
        urls_file, argv = argv[at + 1], argv[:at] + argv[at + 2 :]
    extra = {}
    while "--set" in argv:  # --set NAME=VALUE: a Scrapy setting for this run (experiments)
        at = argv.index("--set")
        name, _, value = argv[at + 1].partition("=")
        extra[name] = value
        argv = argv[:at] + argv[at + 2 :]
    mode, url = argv[0], argv[1]
    if mode not in MODES:
        raise SystemExit(f"mode {mode!r}: one of {', '.join(MODES)}")
    overrides = {
        "ZWGK_REPLICA_URL": url,
        "LOG_LEVEL": "ERROR",
        "ZWGK_PROGRESS_INTERVAL": 0,
        "STATS_DUMP": False,
    }
    if mode == "full":
        overrides["ZWGK_DB"] = argv[2]
    else:
        overrides.update(BARE_SETTINGS)
    settings = project_settings(**{**overrides, **extra})  # --set may override LOG_LEVEL…
    process = CrawlerProcess(settings)
    loader = SpiderLoader.from_settings(settings)
    fetched: list[str] = []
    crawlers = []
    for name, arguments in targets(argv[3] if len(argv) > 3 else "zjczj"):
        spider = loader.load(name)
        crawler = process.create_crawler(
            spider if mode == "full" else bare(spider, items=mode == "items")
        )
        if urls_file:  # only then: at scale 100,000 the list of every URL held ~70 MB
            crawler.signals.connect(  # weak=False: the lambda is referenced nowhere else
                lambda response, **_: fetched.append(response.url),
                signal=signals.response_received,
                weak=False,
            )
        crawlers.append(crawler)
        process.crawl(crawler, **arguments)
    started = time.perf_counter()
    process.start()
    seconds = time.perf_counter() - started
    if urls_file:
        Path(urls_file).write_text("\n".join(fetched) + "\n", encoding="utf-8")
    pages = sum(c.stats.get_value("downloader/response_count", 0) for c in crawlers)
    # The writer is shared: each spider's stat is the process's count when it closed.
    prepared = max(
        (c.stats.get_value("zwgk/pages/prepared_in_crawl", 0) for c in crawlers), default=0
    )
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = {"crawler_cpu": own.ru_utime + own.ru_stime, "writer_cpu": kids.ru_utime + kids.ru_stime}
    # Each process's own peak; their sum bounds the two together from above (the crawl and the
    # writer run side by side for the whole crawl, so their peaks are close in time).
    rss = {
        "crawler_rss_mb": own.ru_maxrss / 1024,
        "writer_rss_mb": kids.ru_maxrss / 1024,
        "peak_rss_mb": (own.ru_maxrss + kids.ru_maxrss) / 1024,
    }
    print(json.dumps({"mode": mode, "pages": pages, "seconds": seconds, **cpu, **rss,
                      "prepared_in_crawl": prepared}))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
