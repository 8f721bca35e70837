"""Platforms whose documents come with structured fields of their own (JSON list or detail APIs).

``read_page`` turns a fetched page into its record: HTML pages go through the extractor; the
procurement platform's JSON (``gdgpo``) is unwrapped first; a list's catalogue fields (gkmlpt)
are laid over what the page shows. Each module says which field wins and records the source.
"""

from __future__ import annotations

from typing import Any

from pipeline.extract import extract_page
from pipeline.record import Record
from pipeline.sources import gdgpo, gkmlpt

__all__ = ["read_page"]


def read_page(page: dict[str, Any], *, with_html: bool = True) -> Record:
    """The record of a fetched page (``ingest_page``'s page dict); ``with_html``: with the
    sanitized ``body_html`` (the archive stores none: it is derived from the WARC record when a
    notice page is shown, ``publish.notice_page.body_html``)."""
    url, site = page["url"], page.get("site") or None
    if page.get("format") == gdgpo.FORMAT:
        record = gdgpo.read(page["body"], url, site, with_html=with_html)
    else:
        encoding = page.get("encoding")
        record = extract_page(page["body"], url, encoding=encoding, site=site, with_html=with_html)
    listing = page.get("listing")
    if listing and page.get("listing_source") == gkmlpt.SOURCE:
        record = gkmlpt.apply_catalogue(record, listing)
    return record
