"""The project's Scrapy settings, built the way ``scrapy crawl -s NAME=VALUE`` builds them.

Used by the command line (``zwgk crawl``), the benchmarks and the tests, so that every way of
starting a crawl starts from the same settings.
"""

from __future__ import annotations

import os
from typing import Any

from scrapy.settings import Settings
from scrapy.utils.project import get_project_settings


def project_settings(**overrides: Any) -> Settings:
    """crawler/settings.py with ``overrides`` (None values left out) at command-line priority.

    The replica overrides are not applied here: the ``crawler.addons.ReplicaOverrides`` add-on
    applies them when a crawler starts with ``ZWGK_REPLICA_URL`` set.
    """
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    settings = get_project_settings()
    settings.setdict({k: v for k, v in overrides.items() if v is not None}, priority="cmdline")
    return settings
