"""Telling people a crawl monitor failed: one log line per failure, and an optional webhook.

The log line is what cron mail and log watchers catch, whatever else is configured::

    ZWGK-MONITOR-FAILED site=zjczj check=field_nulls column=通知公告 message=title null on …

It is logged at ERROR (Scrapy's log goes to stderr). The webhook (``ZWGK_MONITOR_WEBHOOK``)
gets one JSON POST per run with failures (``pipeline.store.monitors.payload``); it has a short
timeout, and a webhook that fails is logged, never fails the crawl.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from typing import Any

from pipeline.store.monitors import Result

log = logging.getLogger("zwgk.monitors")
MARKER = "ZWGK-MONITOR-FAILED"


def failure_line(site: str, result: Result) -> str:
    """``ZWGK-MONITOR-FAILED site=… check=… column=… message=…`` (``-`` for the whole run)."""
    column = result.column if result.column is not None else "-"
    return f"{MARKER} site={site} check={result.check} column={column} message={result.message}"


def log_failures(site: str, failures: list[Result]) -> None:
    for result in failures:
        log.error(failure_line(site, result))


def post_json(url: str, payload: dict[str, Any], timeout: float) -> str | None:
    """POST ``payload`` as JSON to ``url``; returns what went wrong, or None.

    Only http(s) URLs are posted to; any answer below 300 counts as delivered.
    """
    if not url.lower().startswith(("http://", "https://")):
        return f"not an http(s) URL: {url!r}"
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            status = response.status
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return f"{type(exc).__name__}: {exc}"
    return None if status < 300 else f"HTTP {status}"


def notify_webhook(url: str | None, payload: dict[str, Any], timeout: float) -> bool:
    """POST the payload when a webhook is configured; log and swallow any failure."""
    if not url:
        return False
    problem = post_json(url, payload, timeout)
    if problem is not None:
        log.warning("monitor webhook %s not delivered: %s", url, problem)
        return False
    log.info("monitor webhook %s: run %s reported", url, payload.get("run_id"))
    return True
