"""The archive as the crawler's memory: validators (ETag, Last-Modified) of pages it holds."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def known_validators(db_path: str | None, site: str) -> dict[str, tuple[str | None, str | None]]:
    """``{url: (etag, last_modified)}`` of the live pages of ``site`` archived in ``db_path``.

    Read-only; an absent archive (first crawl) or an archive without validators gives ``{}``.
    """
    if not db_path or not Path(db_path).is_file():
        return {}
    uri = f"{Path(db_path).resolve().as_uri()}?mode=ro"
    try:
        with sqlite3.connect(uri, uri=True) as conn:
            rows = conn.execute(
                "select url, etag, last_modified from notices where site = ? and status = 'live'"
                " and (etag is not null or last_modified is not null)",
                [site],
            ).fetchall()
    except sqlite3.OperationalError:  # no notices table yet, or an older schema
        return {}
    return {url: (etag, modified) for url, etag, modified in rows}


def conditional_headers(validators: tuple[str | None, str | None] | None) -> dict[str, str]:
    """If-None-Match / If-Modified-Since for a page the archive already holds."""
    if not validators:
        return {}
    etag, modified = validators
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    return headers
