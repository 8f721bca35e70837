"""What a notice's page shows beside its row: site name, attachments, procurement, versions.

Everything is read through Datasette's ``Database`` (so the request bounds of
``plugins/zwgk_guard.py`` apply) and returned as plain values for the templates
(``templates/row.html``, ``templates/notice_diff.html``). Differences between versions come from
``pipeline.history`` over ``notice_versions.record_json``; a version is compared with the version
stored before it.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from markupsafe import Markup

from pipeline.attachments.sniff import EXTENSIONS
from pipeline.history import diff_html, diff_records, folded, inline_diff
from pipeline.sources import read_page
from pipeline.store.evidence import stored_page
from pipeline.warc import Pointer, warc_dir
from pipeline.warc.read import RecordError, read_response

log = logging.getLogger(__name__)
_LATEST_CAPTURE = (
    "select v.warc_file, v.warc_offset, v.warc_length, v.warc_record_id, v.payload_sha256,"
    " v.context_json, n.url, n.site from notices n join notice_versions v on v.notice_id = n.id"
    " where n.id = ? and n.body_html is null and v.warc_file is not null"
    " order by v.version desc limit 1"
)
#: Versions listed (newest first) on a notice's page, each with its changes folded inline.
PAGE_VERSIONS = 20
_EXT_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")
_VERSION_COLUMNS = (
    "id, notice_id, version, fetched_at, content_sha256, raw_sha256, http_status, content_type,"
    " warc_length as warc_bytes, record_json"
)
ANNOUNCEMENT_TYPES = {
    "intent": "采购意向 · Intent",
    "tender": "采购公告 · Tender",
    "correction": "更正公告 · Correction",
    "award": "中标（成交）结果 · Award",
    "contract": "合同公告 · Contract",
    "termination": "终止公告 · Termination",
    "other": "其他 · Other",
}


@dataclass
class Change:
    """One changed field of a version, its diff as escaped HTML."""

    field: str
    label: str
    kind: str
    html: Markup


@dataclass
class Version:
    """One row of ``notice_versions`` as the pages show it."""

    id: str
    notice_id: str
    version: int
    fetched_at: str | None
    content_sha256: str | None
    raw_sha256: str | None
    http_status: int | None
    content_type: str | None
    warc_bytes: int | None  # the gzip member of its WARC record
    previous: int | None = None  # the version compared against (None: the first stored)
    changes: list[Change] = field(default_factory=list)


def yuan(value: Any) -> str:
    """An amount in yuan with thousands separators: ``3,486,500.00 元``; ``—`` when absent."""
    if not isinstance(value, int | float):
        return "—"
    return f"{value:,.2f} 元"


def attachment_ext(name: str | None, url: str | None) -> str | None:
    """The file extension of an attachment (from its URL's path, else its name), lower case."""
    for candidate in (urlsplit(url or "").path, name or ""):
        suffix = PurePosixPath(candidate).suffix.lower().lstrip(".")
        if 0 < len(suffix) <= 8 and set(suffix) <= _EXT_CHARS:
            return suffix
    return None


def record_of(record_json: str | None) -> dict[str, Any]:
    """A version's record (``{}`` when its JSON is missing or unreadable)."""
    try:
        record = json.loads(record_json or "{}")
    except ValueError:
        return {}
    return record if isinstance(record, dict) else {}


def changes_between(
    old: dict[str, Any] | None, new: dict[str, Any], context: int | None
) -> list[Change]:
    """The changed fields from ``old`` to ``new`` with their diffs; unchanged stretches folded to
    ``context`` characters beside each change (None: the whole text)."""
    changes = []
    for change in diff_records(old, new):
        ops = inline_diff(change.old, change.new)
        if context is not None:
            ops = folded(ops, context)
        markup = Markup(diff_html(ops))  # noqa: S704 - diff_html escapes every text it is given
        changes.append(Change(change.field, change.label, change.kind, markup))
    return changes


def _version(row: Any, previous: Any, context: int | None) -> Version:
    data = {key: row[key] for key in row.keys() if key != "record_json"}
    version = Version(**data)
    if previous is not None:
        version.previous = previous["version"]
        old, new = record_of(previous["record_json"]), record_of(row["record_json"])
        version.changes = changes_between(old, new, context)
    return version


async def notice_versions(db: Any, notice_id: str, limit: int = PAGE_VERSIONS) -> list[Version]:
    """The ``limit`` latest versions of a notice, newest first, each with its folded changes."""
    rows = (
        await db.execute(
            f"select {_VERSION_COLUMNS} from notice_versions where notice_id = ?"  # noqa: S608
            " order by version desc limit ?",
            [notice_id, limit + 1],
        )
    ).rows
    return [
        _version(row, rows[i + 1] if i + 1 < len(rows) else None, context=60)
        for i, row in enumerate(rows[:limit])
    ]


async def version_with_previous(db: Any, notice_id: str, version_id: str) -> Version | None:
    """One version of a notice with its whole diff against the version before it (the first
    version: against nothing); None when the notice has no such version."""
    rows = (
        await db.execute(
            f"select {_VERSION_COLUMNS} from notice_versions"  # noqa: S608 - constant columns
            " where notice_id = ? and id = ?",
            [notice_id, version_id],
        )
    ).rows
    if not rows:
        return None
    previous = (
        await db.execute(
            f"select {_VERSION_COLUMNS} from notice_versions"  # noqa: S608 - constant columns
            " where notice_id = ? and version < ? order by version desc limit 1",
            [notice_id, rows[0]["version"]],
        )
    ).rows
    version = _version(rows[0], previous[0] if previous else None, context=None)
    if not previous:  # the first version: everything it holds is new
        version.changes = changes_between(None, record_of(rows[0]["record_json"]), context=None)
    return version


async def _dicts(db: Any, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


#: What each download status says on the notice page (pipeline/attachments/policy.py).
ATTACHMENT_STATUS = {
    "stored": "已存档 · stored",
    "not_extracted": "已存档，未提取文本 · stored, text not extracted",
    "broken": "链接失效 · broken link",
    "skipped": "未下载 · skipped",
    "failed": "下载失败 · download failed",
}
_ATTACHMENTS = (
    "select name, url, sha256, size, mime, status, reason from attachments"
    " where notice_id = ? order by position"
)


async def attachments(db: Any, notice_id: str) -> list[dict[str, Any]]:
    """The notice's attachments with what their download gave (``file``: the stored copy's
    path on this server, when there is one)."""
    rows = await _dicts(db, _ATTACHMENTS, [notice_id])
    for row in rows:  # the type the bytes showed, else what the link says
        row["ext"] = EXTENSIONS.get(row["mime"] or "") or attachment_ext(row["name"], row["url"])
        row["status_label"] = ATTACHMENT_STATUS.get(row["status"] or "", row["status"])
        row["size_label"] = file_size(row["size"])
        sha = row["sha256"] or ""
        row["file"] = f"/-/attachments/{sha}" if len(sha) == 64 and sha.isalnum() else None
    return rows


def file_size(size: int | None) -> str | None:
    """``2.1 MB``, ``35 KB``, ``812 B``; None when unknown."""
    if not isinstance(size, int):
        return None
    for unit, scale in (("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f} {unit}"
    return f"{size} B"


async def procurement(db: Any, notice_id: str) -> dict[str, Any] | None:
    """The notice's ``procurement`` row (JSON lists decoded), its awards and intent items."""
    rows = await _dicts(db, "select * from procurement where notice_id = ?", [notice_id])
    if not rows:
        return None
    row = rows[0]
    for key in ("experts", "conflicts", "award_suppliers"):
        row[key] = json_list(row.get(key))
    row["type_label"] = ANNOUNCEMENT_TYPES.get(row.get("announcement_type") or "other")
    row["awards"] = await _dicts(
        db,
        "select lot, supplier, amount, rate from procurement_awards where notice_id = ?"
        " order by position",
        [notice_id],
    )
    row["intents"] = await _dicts(
        db,
        "select purchaser, project_name, budget_amount, expected_month from procurement_intents"
        " where notice_id = ? order by position",
        [notice_id],
    )
    return row


def json_list(value: str | None) -> list[Any]:
    """A JSON list column as a list (``[]`` when absent or unreadable)."""
    try:
        items = json.loads(value or "[]")
    except ValueError:
        return []
    return items if isinstance(items, list) else []


async def site_title(db: Any, site: str | None) -> str | None:
    rows = (await db.execute("select title from sites where name = ?", [site])).rows
    return rows[0]["title"] if rows else None


def raw_path(version_id: str) -> str:
    """The route serving a version's raw capture (``plugins/zwgk_notice.py``)."""
    return f"/-/raw/{quote(version_id, safe='')}"


def diff_path(notice_id: str, version_id: str) -> str:
    """The route showing a version's whole diff against the version before it."""
    return f"/-/notice/{quote(notice_id, safe='')}/diff/{quote(version_id, safe='')}"


def timeline_query(project_number: str | None) -> str | None:
    """The query string of the ``project_timeline`` canned query for a project number."""
    return urlencode({"project": project_number}) if project_number else None


async def body_html(db: Any, notice_id: str, limit: int) -> str | None:
    """The notice's sanitized body HTML, extracted again from its latest version's WARC record.

    The archive stores ``body_text`` and the raw bytes (WARC), not the HTML derived from them:
    the writer saves the sanitizing on every page and the archive a seventh of its bytes, and
    the page shows what the current extractor makes of the capture. None when the row holds its
    own ``body_html`` (older archives), there is no capture, it is over ``limit`` bytes, or it
    cannot be read (the page then shows ``body_text``).
    """
    rows = (await db.execute(_LATEST_CAPTURE, [notice_id])).rows
    if not rows or db.path is None or rows[0]["warc_length"] > limit:
        return None
    return await asyncio.to_thread(_extracted_html, db.path, dict(rows[0]), limit)


def _extracted_html(path: str, row: dict[str, Any], limit: int) -> str | None:
    try:
        response = read_response(warc_dir(path), Pointer.of_row(row), limit)
        context = json.loads(row["context_json"]) if row["context_json"] else {}
        page = stored_page(response, row["url"], row["site"], context)
        return read_page(page).body_html
    except RecordError as error:
        log.warning("no body HTML for %s: %s", row["url"], error)
    except Exception:  # an extractor failure shows the text instead, never a broken page
        log.exception("no body HTML for %s", row["url"])
    return None
