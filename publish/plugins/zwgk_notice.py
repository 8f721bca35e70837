"""Datasette plugin: a notice's page with its history, each version's diff and raw capture.

* The row page of ``notices`` (templates/row.html) gets ``zwgk_notice``: the site's name, the
  attachments, the body HTML extracted again from the latest capture (the archive stores none),
  the procurement fields, and the latest versions with what changed in each
  (``publish/notice_page.py``, diffs from ``pipeline/history.py``).
* ``/-/notice/<notice id>/diff/<version id>``: one version against the version before it, whole.
* ``/-/raw/<version id>``: the version's raw capture, byte for byte as the crawl extracted it
  (the body of its WARC response record, Content-Encoding undone; ``publish/raw_capture.py``);
  ``?download=1`` offers it as a file. A capture over the guard's bounds (``max_row_mib`` /
  ``max_value_mib`` of ``zwgk_guard`` in metadata.yml, the smaller; compressed or not) is
  refused with 413, a damaged record with 500.

Both routes serve the first database that has ``notice_versions`` and need the same permission
as its ``notice_versions`` table; a missing notice or version is a 404. Error pages are rendered
here (Datasette's ``error.html``) rather than raised: a raised error depends on Datasette's
default ``handle_exception`` hook, which is lost when ``datasette.handle_exception`` is imported
before ``datasette.plugins`` (as ``zwgk_guard`` does; seen in the test process).
"""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils import tilde_encode, urlsafe_components
from datasette.utils.asgi import Response

from pipeline.warc import Pointer, warc_dir
from pipeline.warc.read import RecordError, read_response
from publish import notice_page, raw_capture

GUARD = "zwgk_guard"
GUARD_DEFAULT_MIB = 32
MIB = 1 << 20


class Refused(Exception):
    """A request this plugin answers with an error page: status, title, message."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


def _not_found(message: str) -> Refused:
    return Refused(404, "未找到 / Not found", message)


async def error_page(datasette: Any, request: Any, refused: Refused) -> Response:
    """Datasette's own error page for ``refused``, with its status."""
    context = {
        "ok": False,
        "error": refused.message,
        "status": refused.status,
        "title": refused.title,
    }
    html = await datasette.render_template("error.html", context, request=request)
    return Response.html(html, status=refused.status)


async def archive_database(datasette: Any) -> Any:
    """The served archive: the first database holding ``notice_versions``."""
    for name, db in datasette.databases.items():
        if name != "_internal" and not db.is_memory and await db.table_exists("notice_versions"):
            return db
    raise _not_found("没有存档数据库 / No archive database")


async def _allowed(datasette: Any, request: Any, db: Any) -> None:
    await datasette.ensure_permissions(
        request.actor,
        [("view-table", (db.name, "notice_versions")), ("view-database", db.name), "view-instance"],
    )


def raw_limit(datasette: Any) -> int:
    """Bytes a raw capture may have, compressed or not: the guard's row and value bounds."""
    config = datasette.plugin_config(GUARD) or {}
    mib = min(
        int(config.get("max_row_mib", GUARD_DEFAULT_MIB)),
        int(config.get("max_value_mib", GUARD_DEFAULT_MIB)),
    )
    return mib * MIB


def _too_large(size: int, limit: int) -> Refused:
    return Refused(
        413,
        "原始抓取过大 / Raw capture too large",
        f"原始抓取 {size:,} 字节，超过 {limit // MIB} MiB 上限 / The raw capture is {size:,} "
        f"bytes, over the {limit // MIB} MiB limit a request may serve.",
    )


async def raw_view(datasette: Any, request: Any) -> Response:
    try:
        db = await archive_database(datasette)
        await _allowed(datasette, request, db)
        body, headers = await _raw_capture(datasette, db, request)
    except Refused as refused:
        return await error_page(datasette, request, refused)
    content_type = headers.pop("content-type")
    return Response(body, status=200, headers=headers, content_type=content_type)


async def _raw_capture(datasette: Any, db: Any, request: Any) -> tuple[bytes, dict[str, str]]:
    """The body of the version asked for, read from its WARC record, and its headers."""
    version_id = request.url_vars["version_id"]
    meta = (
        await db.execute(
            "select content_type, raw_sha256, warc_file, warc_offset, warc_length,"
            " warc_record_id, payload_sha256, json_extract(record_json, '$.charset') as charset"
            " from notice_versions where id = ? and warc_file is not null",
            [version_id],
        )
    ).rows
    if not meta or db.path is None:
        raise _not_found("没有这个版本的原始抓取 / No raw capture for this version")
    row = meta[0]
    limit = raw_limit(datasette)
    if row["warc_length"] > limit:
        raise _too_large(row["warc_length"], limit)
    pointer = Pointer.of_row(row)
    try:
        stored = await asyncio.to_thread(read_response, warc_dir(db.path), pointer, limit)
    except RecordError as error:
        if "over" in str(error):
            raise _too_large(limit + 1, limit) from error
        raise Refused(500, "原始抓取已损坏 / Damaged capture", str(error)) from error
    headers = raw_capture.headers(
        version_id,
        row["content_type"],
        row["charset"],
        size=len(stored.body),
        raw_sha256=row["raw_sha256"],
        download=request.args.get("download") == "1",
    )
    return stored.body, headers


async def diff_view(datasette: Any, request: Any) -> Response:
    try:
        db = await archive_database(datasette)
        await _allowed(datasette, request, db)
        context = await _diff_context(datasette, db, request)
    except Refused as refused:
        return await error_page(datasette, request, refused)
    html = await datasette.render_template(
        "notice_diff.html", context, request=request, view_name="notice_diff"
    )
    return Response.html(html)


async def _diff_context(datasette: Any, db: Any, request: Any) -> dict[str, Any]:
    notice_id = request.url_vars["notice_id"]
    version_id = request.url_vars["version_id"]
    version = await notice_page.version_with_previous(db, notice_id, version_id)
    if version is None:
        raise _not_found("没有这个版本 / No such version of this notice")
    notice = (await db.execute("select title, url from notices where id = ?", [notice_id])).rows
    return {
        "database": db.name,
        "notice_id": notice_id,
        "notice_title": notice[0]["title"] if notice else None,
        "notice_url": notice[0]["url"] if notice else None,
        "row_url": datasette.urls.row(db.name, "notices", tilde_encode(notice_id)),
        "version": version,
        "raw_url": datasette.urls.path(notice_page.raw_path(version.id)),
    }


async def _notice_vars(datasette: Any, database: str, notice_id: str) -> dict[str, Any]:
    db = datasette.get_database(database)
    notice = (await db.execute("select site from notices where id = ?", [notice_id])).rows
    versions = await notice_page.notice_versions(db, notice_id)
    timeline = await datasette.get_canned_query(database, "project_timeline", None)
    procurement = await notice_page.procurement(db, notice_id)
    if procurement and timeline:
        query = notice_page.timeline_query(procurement.get("project_number"))
        if query:
            procurement["timeline_url"] = datasette.urls.query(database, "project_timeline")
            procurement["timeline_url"] += f"?{query}"
    return {
        "site_title": await notice_page.site_title(db, notice[0]["site"]) if notice else None,
        "attachments": await notice_page.attachments(db, notice_id),
        "body_html": await notice_page.body_html(db, notice_id, raw_limit(datasette)),
        "procurement": procurement,
        "versions": versions,
        "raw_urls": {v.id: datasette.urls.path(notice_page.raw_path(v.id)) for v in versions},
        "diff_urls": {
            v.id: datasette.urls.path(notice_page.diff_path(notice_id, v.id)) for v in versions
        },
        "older_versions_url": datasette.urls.table(database, "notice_versions")
        + "?"
        + urlencode({"notice_id": notice_id, "_sort_desc": "version"}),
    }


@hookimpl
def extra_template_vars(
    template: str,
    database: str | None,
    table: str | None,
    view_name: str,
    request: Any,
    datasette: Any,
) -> Any:
    if view_name != "row" or table != "notices" or request is None or database is None:
        return {}

    async def notice_vars() -> dict[str, Any]:
        notice_id = urlsafe_components(request.url_vars["pks"])[0]
        return {"zwgk_notice": await _notice_vars(datasette, database, notice_id)}

    return notice_vars


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/-/raw/(?P<version_id>[^/]+)$", raw_view),
        (r"^/-/notice/(?P<notice_id>[^/]+)/diff/(?P<version_id>[^/]+)$", diff_view),
    ]


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["yuan"] = notice_page.yuan
