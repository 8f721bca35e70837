"""One timed crawl of a running replica, in this process; prints a JSON line.

    python -m bench.crawl_once full URL DB [SPIDER]   # the real crawl: fetch, extract, store
    python -m bench.crawl_once bare URL [-] [SPIDER]  # the same pages fetched, nothing kept

``SPIDER`` is ``zjczj`` (default) or ``gdsite`` / ``gdsite:PROFILE``. Both modes use the same
spider flow, settings and replica; ``bare`` drops every detail page on arrival and runs no item
pipeline, so the ratio full/bare is the cost of archiving.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from crawler.config import project_settings
from crawler.spiders.gdsite import GdsiteSpider
from crawler.spiders.zjczj import ZjczjSpider

SPIDERS = {"zjczj": ZjczjSpider, "gdsite": GdsiteSpider}


def bare(spider_cls: type) -> type:
    """The spider with the same lists and detail pages, keeping nothing (the baseline)."""

    class Bare(spider_cls):
        name = f"{spider_cls.name}_bare"

        def parse_detail(self, response, column):
            return []

    return Bare


def main(argv: list[str]) -> int:
    from scrapy.crawler import CrawlerProcess

    mode, url = argv[0], argv[1]
    target = argv[3] if len(argv) > 3 else "zjczj"
    name, _, profile = target.partition(":")
    arguments = {"profile": profile} if profile else {}
    overrides = {
        "ZWGK_REPLICA_URL": url,
        "LOG_LEVEL": "ERROR",
        "ZWGK_PROGRESS_INTERVAL": 0,
        "STATS_DUMP": False,
    }
    if mode == "full":
        overrides["ZWGK_DB"] = argv[2]
    else:
        overrides["ITEM_PIPELINES"] = {}
    process = CrawlerProcess(project_settings(**overrides))
    spider = SPIDERS[name] if mode == "full" else bare(SPIDERS[name])
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **arguments)
    started = time.perf_counter()
    process.start()
    seconds = time.perf_counter() - started
    pages = crawler.stats.get_value("downloader/response_count", 0)
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = {"crawler_cpu": own.ru_utime + own.ru_stime, "writer_cpu": kids.ru_utime + kids.ru_stime}
    print(json.dumps({"mode": mode, "pages": pages, "seconds": seconds, **cpu}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
