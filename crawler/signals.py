"""The project's own signals, sent through ``crawler.signals`` like Scrapy's.

``run_finished``: the archive writer has closed a crawl run (``crawl_runs`` holds its counts,
field coverage and listings). Sent by ``crawler.pipelines.ArchivePipeline`` at the end of its
``spider_closed`` handler — so a receiver runs after the run row is complete, whatever order
the components connected to ``spider_closed`` in — and only for a run the writer recorded (not
for ``writer_failed``). Arguments: ``run`` (the ``crawl_runs`` row as a dict), ``spider``,
``reason`` (the spider's finish reason).

``spider_blocked``: the crawl monitors are stopping a spider the site blocks; from now on no
request may be sent. Sent by ``crawler.monitors.CrawlMonitors`` at the blocking answer that
decided it, before the spider's close begins; ``crawler.monitors.StopGate`` receives it.
Arguments: ``spider``.
"""

from __future__ import annotations

run_finished = object()
spider_blocked = object()
