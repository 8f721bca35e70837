"""``/-/attachments/<sha256>``: a stored attachment file, with a safe download name.

Only digests the archive's ``attachments`` table names are served, from the content-addressed
store beside the database (publish/attachment_files.py); anything else is a 404.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.utils.asgi import AsgiFileDownload, Response

from publish import attachment_files


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
        sql = "select name, mime from attachments where sha256 = ? order by rowid limit 1"
        rows = (await db.execute(sql, [sha256])).rows
    path = attachment_files.stored_path(db.path, sha256) if rows else None
    if path is None or not path.is_file():
        return Response.text("未找到附件 / No such attachment", status=404)
    name, mime = rows[0]["name"], rows[0]["mime"]
    return AsgiFileDownload(
        path,
        content_type=attachment_files.content_type(mime),
        headers=attachment_files.headers(name, sha256, mime),
    )


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(attachment_files.ROUTE, attachment_view)]
