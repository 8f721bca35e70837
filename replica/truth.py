"""The ground truth: every notice's clean record, written from the data pages are rendered from.

A notice's record has the fields of the extract contract (docs/record.md) except body_html,
charset and decode_errors, plus ``fault`` and ``expect`` (``stored`` or ``failed``; a failed
one also has ``status`` and ``reason``: ``http``, ``challenge`` or ``timeout``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from replica import findings
from replica.faults import EFFECTS
from replica.model import Column, Notice


class Site(Protocol):
    name: str
    prefix: str
    kind: str
    cms: str
    columns: tuple[Column, ...]
    notices: list[Notice]

    def truth(self, base_url: str) -> tuple[dict, list[dict]]: ...

    def procurement_projects(self, base_url: str) -> list[dict]: ...

    # Optional: ``printed_dates(base_url)`` → {url: {"documents": (first, last) | "determined":
    # date}}, dates a page prints that its record has no field for (findings.py reads them).


def assemble(sites: list[Site], base_url: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """The whole truth document for sites served under ``base_url`` (``http://host:port``)
    and built with ``as_of``: records, projects, the sites, and the compliance findings a
    checker should reach as of ``compliance_as_of`` (``as_of``, else the replica's own "today",
    ``findings.DEFAULT_AS_OF``)."""
    base_url = base_url.rstrip("/")
    entries, notices, projects = [], [], []
    printed: dict[str, dict[str, Any]] = {}
    for site in sites:
        entry, records = site.truth(base_url)
        entries.append(entry)
        notices += records
        projects += site.procurement_projects(base_url)
        if hasattr(site, "printed_dates"):
            printed |= site.printed_dates(base_url)
    document: dict[str, Any] = {
        "notices": notices,
        "procurement_projects": projects,
        "expected_findings": [],
        "sites": entries,
    }
    day = as_of or findings.DEFAULT_AS_OF
    document["expected_findings"] = findings.expected_findings(document, printed, day)
    document["compliance_as_of"] = day.isoformat()
    return document


def site_entry(site: Site, base_url: str) -> dict[str, Any]:
    """A site's entry: name, base URL, kind, CMS families and its columns."""
    return {
        "name": site.name,
        "base_url": base_url + site.prefix,
        "kind": site.kind,
        "cms": site.cms,
        "columns": [{"name": c.name, "path": c.path, "family": c.family} for c in site.columns],
    }


def notice_record(notice: Notice, site: str, site_base: str) -> dict[str, Any]:
    """The clean record an extractor should produce for the notice's page."""
    record: dict[str, Any] = {
        "url": site_base + notice.path,
        "site": site,
        "kind": "notice",
        "category": notice.column.name,
        "title": notice.title,
        "publish_date": notice.publish_date.isoformat(),
        "publish_time": notice.publish_time,
        "publisher": notice.publisher,
        "author": notice.author,
        "doc_number": notice.doc_number,
        "index_number": notice.index_number,
        "doc_date": notice.doc_date.isoformat() if notice.doc_date else None,
        "body_text": notice.body_text,
        "attachments": [{"name": a.name, "url": site_base + a.path} for a in notice.attachments],
        "procurement": None,
        "fault": notice.fault,
        "expect": "stored",
    }
    record.update(EFFECTS.get(notice.fault or "", {}))
    if notice.edited is not None:  # only with --edits (replica/edits.py)
        record["edited"] = notice.edited.isoformat()
    if notice.history is not None:  # only with --history (replica/history.py)
        record |= notice.history
        if notice.withdrawn is not None:  # off the lists; gone when its page answers 404/410
            record["expect"] = "gone" if record["status"] == "gone" else "unlisted"
    return record
