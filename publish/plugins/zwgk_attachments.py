"""``/-/attachments/<sha256>``: a stored attachment file, with a safe download name.

Only digests the archive's ``attachments`` table names are served: the body of the response
record the download came in (the archive's copy of the bytes, ``pipeline.warc``), or the plain
copy an archive made before 2026-12 kept beside the database
(``pipeline.attachments.store.read_attachment``), with the headers of
publish/attachment_files.py; anything else is a 404.
"""

from __future__ import annotations

import asyncio
from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import Response

from pipeline.attachments.store import read_attachment
from pipeline.warc.files import Pointer
from publish import attachment_files

_ROWS = (
    "select name, mime, warc_file, warc_offset, warc_length, warc_record_id, payload_sha256"
    " from attachments where sha256 = ? order by rowid"
)


async def _archive(datasette: Any) -> Any:
    for name, db in datasette.databases.items():
        if name != "_internal" and not db.is_memory and await db.table_exists("attachments"):
            return db
    return None


async def attachment_view(datasette: Any, request: Any) -> Any:
    sha256 = request.url_vars["sha256"]
    db = await _archive(datasette)
    rows = []
    if db is not None:
        await datasette.ensure_permissions(
            request.actor,
            [("view-table", (db.name, "attachments")), ("view-database", db.name), "view-instance"],
        )
        rows = (await db.execute(_ROWS, [sha256])).rows
    if not rows:
        return _not_found()
    pointers = [Pointer.of_row(row) for row in rows if row["warc_file"]]
    body = await asyncio.to_thread(read_attachment, db.path, sha256, pointers)
    if body is None:
        return _not_found()
    name, mime = rows[0]["name"], rows[0]["mime"]
    return Response(
        body,
        content_type=attachment_files.content_type(mime),
        headers=attachment_files.headers(name, sha256, mime),
    )


def _not_found() -> Response:
    return Response.text("未找到附件 / No such attachment", status=404)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(attachment_files.ROUTE, attachment_view)]
