"""Scrapy settings for zwgk-archive.

Scrapy's own settings are set for polite crawling of real government sites. Project settings are
prefixed ``ZWGK_`` and documented here and in docs/crawling.md (its Settings section).
"""

BOT_NAME = "zwgk"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# -- politeness (real sites) --------------------------------------------------------------
USER_AGENT = (
    "zwgk-archive/0.1 (+https://github.com/zwgk-archive/zwgk-archive; "
    "open archive of government disclosures)"
)
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy 2.19 starts CONCURRENT_ITEMS asyncio tasks for every response, whatever it yields (a
# detail page yields one item, a list page only requests): the default 100 spent more time
# creating tasks than fetching (FIELD-NOTES; bench/). Eight is ample.
CONCURRENT_ITEMS = 8
# Scrapy's stats collector checks every attribute read for a deprecated argument: ~1.7 µs per
# stats call, 12-16 per response (crawler/stats.py).
STATS_CLASS = "crawler.stats.FastStatsCollector"
# Scrapy parses the source of each generator callback (ast) to warn about a ``return value`` in
# it, caching by a weak reference to the callback; a bound method dies at once, so it parsed
# ``parse_detail`` again for every response (1-2% of the crawl process). Spiders are tested.
WARN_ON_GENERATOR_RETURN_VALUE = False
# No DEBUG record built per response and per item unless LOG_LEVEL is DEBUG (crawler/logformat.py).
LOG_FORMATTER = "crawler.logformat.LogFormatter"
# ``-o FILE`` (.jsonl .json .csv .xml): bytes fields (a page body) as base64 (crawler/feeds.py).
FEED_EXPORTERS = {
    "json": "crawler.feeds.JsonItemExporter",
    "jsonlines": "crawler.feeds.JsonLinesItemExporter",
    "jsonl": "crawler.feeds.JsonLinesItemExporter",
    "jl": "crawler.feeds.JsonLinesItemExporter",
    "csv": "crawler.feeds.CsvItemExporter",
    "xml": "crawler.feeds.XmlItemExporter",
}
# CPython's collector ran every 700 allocations: 13% of the crawl process's CPU (crawler/gctune.py).
ZWGK_GC_THRESHOLDS = "10000,10,10"
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
# Size caps. The largest real government HTML pages are a few MB (long budget tables, pasted
# images). Scrapy's defaults (1 GiB max, 32 MiB warning) let one page take gigabytes: a crawl
# peaked at 1.7 GB RSS on a 50 MB page and 5.0 GB on a 646 KB gzip inflating to 150 MB (~30x
# the page). 8 MiB keeps twice the largest real page and bounds a page's cost to a few hundred
# MB; HttpCompressionMiddleware applies it to the decompressed size too, so a gzip bomb stops
# there (replica crawl with three of each, peak RSS: huge 390 -> 98 MiB, bombs 1440 -> 114 MiB).
# Over-size pages end as fetch_failures rows ("too large: …"); warn from 4 MiB up.
DOWNLOAD_MAXSIZE = 8 * 1024 * 1024
DOWNLOAD_WARNSIZE = 4 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy 2.19's remote-control HTTP server runs code sent to it: never on an archive crawler.
REMOTE_CONTROL_ENABLED = False
LOG_LEVEL = "INFO"
FEED_EXPORT_ENCODING = "utf-8"

DOWNLOADER_MIDDLEWARES = {
    # Nothing is sent once the crawl monitors stop a spider the site blocks (ZWGK_BLOCK_AFTER).
    "crawler.monitors.StopGate": 10,
    # Scrapy's host-only offsite filter gives way to one that compares scheme, host and port
    # and lets the errback record what it refuses (ZWGK_ORIGIN_FILTER).
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "crawler.middlewares.OriginMiddleware": 50,
    # Every exchange as received (before decompression, redirects, retries) to WARC (ZWGK_WARC).
    "crawler.capture.CaptureMiddleware": 950,
}
ITEM_PIPELINES = {
    "crawler.pipelines.ArchivePipeline": 800,
}
EXTENSIONS = {
    # Scrapy's core stats, item_scraped_count counted without the item_scraped signal.
    "scrapy.extensions.corestats.CoreStats": None,
    "crawler.stats.CoreStats": 0,
    # Fewer garbage collections while crawling (ZWGK_GC_THRESHOLDS).
    "crawler.gctune.GcThresholds": 0,
    "crawler.extensions.Progress": 500,
    # Judges every run after the writer closed it; stops a spider the site blocks (ZWGK_MONITOR_*).
    "crawler.monitors.CrawlMonitors": 600,
}
ADDONS = {
    # REPLICA_OVERRIDES when ZWGK_REPLICA_URL is set, whichever command starts the crawl.
    "crawler.addons.ReplicaOverrides": 0,
    # Scale-out worker (shared queue, politeness and items in Redis) when ZWGK_REDIS_URL is set.
    "crawler.scale.addon.RedisMode": 10,
    # No FeedExporter (and its item_scraped receiver) unless FEEDS asks for a feed.
    "crawler.addons.FeedExporterOnlyWithFeeds": 20,
}

# -- project settings ---------------------------------------------------------------------
#: Download every attachment a detail page links (pdf, doc(x), xls(x), wps, ofd, zip, rar), keep
#: its bytes once (its WARC record) and read its text (docs/attachments.md). Off: attachments stay
#: links.
ZWGK_ATTACHMENTS = True
#: Size cap per attachment, in bytes: a larger one is recorded ``skipped`` and never stored.
ZWGK_ATTACHMENT_MAX_BYTES = 50 * 1024 * 1024
#: Path of the SQLite archive the crawl writes to.
ZWGK_DB = "archive.db"
#: Extract and store in a child process (the second core) instead of Scrapy's event loop.
ZWGK_WRITER_PROCESS = True
#: The crawl process on one CPU and its writer on the others (pipeline/affinity.py): ``auto``
#: where exactly two CPUs are allowed (1-8% more pages/s here), ``on`` with two or more, ``off``.
ZWGK_CPU_AFFINITY = "auto"
#: Bytes waiting in the pipe to the writer past which the crawl process extracts a batch's pages
#: itself (the writer is behind; pipeline/writer.py, "hand-off"). 0: the writer extracts all.
ZWGK_WRITER_HANDOFF = 64 * 1024
#: Seconds between checks that the archive writer still works; a writer that died or stopped
#: on a storage error (full disk, lock) closes the crawl with finish reason ``writer_failed``.
ZWGK_WRITER_CHECK_INTERVAL = 1.0
#: Largest size the archive may grow to, in bytes (0: no cap). Past it every write fails as on
#: a full disk and the crawl stops with ``writer_failed``; nothing half-written is kept.
ZWGK_DB_MAX_BYTES = 0
#: Write every HTTP exchange of the crawl (request and response, headers and body as received)
#: to WARC files beside the archive (``archive/warc/``, docs/evidence.md). Each stored version
#: points at its response record. False: only detail pages are written, as records made from the
#: page (no request, no other exchange).
ZWGK_WARC = True
#: Close a WARC file and open the next once it reaches this many bytes (the IIPC's customary 1 GB).
ZWGK_WARC_MAX_BYTES = 1_000_000_000
#: Seconds between progress lines while crawling (0 switches progress off).
ZWGK_PROGRESS_INTERVAL = 5.0
#: Base URL of running replica sites (``http://127.0.0.1:8800``); None crawls the real sites.
ZWGK_REPLICA_URL = None
#: Send the archive's ETag / Last-Modified with detail requests; a 304 is recorded as unchanged
#: without fetching or parsing the page again.
ZWGK_CONDITIONAL = True
#: On a re-crawl (the archive already holds pages of the site), walk each column's list pages one
#: after another and stop at the first page that lists no URL the archive lacks. A periodic full
#: crawl (``zwgk crawl --full``) still revisits every page, catching edits to old notices.
ZWGK_INCREMENTAL = True
#: Only detail pages listed with a date on or after this one (ISO ``YYYY-MM-DD``); list pages
#: stop at the first page with nothing that recent. None crawls everything.
ZWGK_SINCE = None
#: Only detail pages listed with a date on or before this one (ISO ``YYYY-MM-DD``), for
#: backfills; list pages are walked past the newer items to reach it. None: no upper bound.
ZWGK_UNTIL = None
#: On an incremental re-crawl, a page the archive holds is revalidated only when its recheck is
#: due, by age: comma-separated ``AGE:EVERY`` rules in days, the last one ``*`` (any older age).
#: The default rechecks a notice at most 7 days old every day, at most 30 days old every 7 days,
#: at most a year old every 30, older ones every 180. New URLs are always fetched; ``zwgk crawl
#: --full`` revalidates everything. See crawler/recheck.py.
ZWGK_RECHECK = "7:1,30:7,365:30,*:180"
#: The crawl's date (ISO ``YYYY-MM-DD``) for replica runs replaying a replica's days (tests,
#: benchmarks): the recheck policy counts from it and captures are stamped on it. Refused
#: without ``ZWGK_REPLICA_URL``. None: the real date in China.
ZWGK_TODAY = None
#: ccgp.gov.cn's lists are national: keep only items whose title, 地域 or 采购人 holds one of
#: these comma-separated words (empty keeps everything).
ZWGK_CCGP_KEEP = "湛江"
#: Upper bound of list pages followed per column (guards against pager loops).
ZWGK_MAX_LIST_PAGES = 2000
#: Refuse requests outside the spider's origins (scheme, host and port of its ``base_url`` and
#: ``extra_origins``), redirects included; each refusal is a fetch_failures row. False: no
#: origin check at all.
ZWGK_ORIGIN_FILTER = True

# -- scale-out on Redis (crawler/scale/, docs/scale-out.md) ------------------------------------
#: Redis URL (``redis://host:6379/0``) of a scale-out crawl: the request queue, dupefilter,
#: per-host politeness and items live there, and ``zwgk ingest --redis`` writes the archive.
#: None: the single-machine crawl.
ZWGK_REDIS_URL = None
#: Prefix of every Redis key, so one Redis server can serve several archives.
ZWGK_REDIS_PREFIX = "zwgk"
#: Extract and classify each page in the worker and send its record along, so that the one
#: writer only stores (it keeps up with more workers). False: the writer extracts.
ZWGK_REDIS_EXTRACT = True
#: Seconds between a worker's heartbeats.
ZWGK_REDIS_HEARTBEAT = 1.0
#: Seconds without a heartbeat after which a worker counts as dead: its requests in flight go
#: back to the queue and its run is closed as ``worker_lost``.
ZWGK_REDIS_WORKER_TIMEOUT = 10.0
#: Requests a worker pops from the shared queue per round trip to Redis (held in flight, so a
#: worker that dies loses none). 1: one at a time, each as late as possible.
ZWGK_REDIS_PREFETCH = 4

# -- crawl monitors (crawler/monitors.py, docs/operations.md "Monitors and status") ----------
#: Judge every run (empty columns, null fields, error rate, blocked) and stop a spider the site
#: blocks; a failed check makes ``zwgk crawl`` exit 4. False: no monitor at all.
ZWGK_MONITORS = True
#: Stop a site's spider (finish reason ``blocked``) after this many answers in a row that are
#: HTTP 403/412/429/521 or a challenge page, and mark the site blocked (0: never stop).
ZWGK_BLOCK_AFTER = 20
#: Small markup pages answered 200 are read for a challenge one in this many while no run of
#: blocking answers is going (the others are kept and read only when a run needs them): the
#: spider stops at the same answer as reading each one would (crawler/blocking.py). 1: read all.
ZWGK_BLOCK_READ_EVERY = 16
#: A watched field (title, publish_date, body_text; procurement project_number, purchaser) null
#: on more than this share of a column's pages, or of the run's, fails ``field_nulls``.
ZWGK_MONITOR_MAX_NULL_RATE = 0.2
#: ... and so does a null rate that rose more than this over the last healthy run's.
ZWGK_MONITOR_NULL_JUMP = 0.1
#: Failures over requests above this share fail ``error_rate``.
ZWGK_MONITOR_MAX_ERROR_RATE = 0.1
#: Rates are judged over at least this many pages (a column's, the run's requests).
ZWGK_MONITOR_MIN_PAGES = 10
#: URL a failed check is POSTed to as JSON (site, run id, checks failed, messages); None: no
#: webhook. A webhook that fails is logged, never fails the crawl.
ZWGK_MONITOR_WEBHOOK = None
#: Seconds the webhook may take.
ZWGK_MONITOR_WEBHOOK_TIMEOUT = 5.0

#: Settings applied on top when crawling the bundled replica on loopback: it is our own server,
#: so no throttling. Applied by the crawler.addons.ReplicaOverrides add-on only when
#: ZWGK_REPLICA_URL is set, above these settings and below the command line (``-s``); never
#: applied to real sites.
REPLICA_OVERRIDES = {
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "DOWNLOAD_DELAY": 0,
}
