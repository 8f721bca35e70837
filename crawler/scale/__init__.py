"""Scale-out on scrapy-redis: many crawl workers, one shared queue, one writer.

* :mod:`crawler.scale.keys` names every Redis key and identifies a worker;
* :mod:`crawler.scale.scheduler`: scrapy-redis's scheduler and dupefilter, with a request in
  flight kept in Redis until its response is wholly processed (a killed worker's requests go
  back to the queue);
* :mod:`crawler.scale.politeness`: per-host concurrency and delay shared by every worker;
* :mod:`crawler.scale.pipeline`: items into Redis for ``zwgk ingest --redis``
  (:mod:`pipeline.queue`), the one process that writes the archive.

``crawler.config.redis_settings`` switches a crawl to this mode; docs/scale-out.md explains it.
"""
