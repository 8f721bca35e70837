"""One timed crawl of a running replica, in this process; prints a JSON line.

    python -m bench.crawl_once full URL DB      # the real crawl: fetch, extract, store
    python -m bench.crawl_once bare URL         # a bare spider fetching the same pages, no items

Both modes use the same spider flow, settings and replica; ``bare`` drops every detail page
on arrival and runs no item pipeline, so the ratio full/bare is the cost of archiving.
"""

from __future__ import annotations

import json
import resource
import sys
import time

from crawler.config import project_settings
from crawler.spiders.zjczj import ZjczjSpider


class BareSpider(ZjczjSpider):
    """Same lists, same detail pages, nothing kept (benchmark baseline)."""

    name = "zjczj_bare"

    def parse_detail(self, response, column):
        return []


def main(argv: list[str]) -> int:
    from scrapy.crawler import CrawlerProcess

    mode, url = argv[0], argv[1]
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
    spider = ZjczjSpider if mode == "full" else BareSpider
    crawler = process.create_crawler(spider)
    process.crawl(crawler)
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
