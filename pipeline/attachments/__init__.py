"""Attachments as files: what a download means, the bytes by sha256, their type and their text.

The crawl fetches each attachment link through Scrapy (``crawler.spiders.base``) and sends what
came back to the archive writer, which judges it (``policy``), keeps the bytes once, in the
download's WARC record (``store`` reads them back), names its type from its bytes
(``sniff``), reads its text (``text``; zip-based formats through ``zipsafe``) and fills the
attachment's row (``ingest``). No name a site gives ever becomes a path.
"""
