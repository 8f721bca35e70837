"""Feed exporters for ``scrapy crawl SPIDER -o FILE``: text feeds that can hold the items' bytes.

A page or attachment item carries what was fetched as ``bytes`` (``PageItem.body``), which
Scrapy's text exporters cannot write: its JSON encoder refused every item of a ``-o
notices.jsonl`` feed (``Object of type bytes is not JSON serializable``, an empty file), and
the CSV and XML exporters decode bytes as UTF-8, so every PDF or Excel attachment failed
(``UnicodeDecodeError``). These exporters write a bytes field as its base64 text
(``base64.b64decode(item["body"])`` gives the bytes back); everything else is Scrapy's.
Enabled for ``json``, ``jsonlines`` (``jsonl``, ``jl``), ``csv`` and ``xml`` by
``FEED_EXPORTERS`` (crawler/settings.py); ``pickle`` and ``marshal`` keep bytes as they are.
The archive itself never reads a feed: it is for people who want the items as Scrapy yields
them.
"""

from __future__ import annotations

import base64
from typing import Any

from scrapy import exporters


class Base64Bytes:
    """An exporter mix-in: a ``bytes`` value is serialized as its base64 text."""

    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        if isinstance(value, bytes):
            return base64.b64encode(value).decode("ascii")
        return super().serialize_field(field, name, value)  # type: ignore[misc]


class JsonLinesItemExporter(Base64Bytes, exporters.JsonLinesItemExporter):
    """Scrapy's JSON lines exporter, with bytes as base64 (see the module doc)."""


class JsonItemExporter(Base64Bytes, exporters.JsonItemExporter):
    """Scrapy's JSON exporter, with bytes as base64 (see the module doc)."""


class CsvItemExporter(Base64Bytes, exporters.CsvItemExporter):
    """Scrapy's CSV exporter, with bytes as base64 (see the module doc)."""


class XmlItemExporter(Base64Bytes, exporters.XmlItemExporter):
    """Scrapy's XML exporter, with bytes as base64 (see the module doc)."""
