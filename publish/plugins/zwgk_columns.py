"""Datasette plugin: the columns a table page shows by default.

``notices`` has 27 columns, of which a reader browsing the table needs about ten: the long text
(``body_html``, ``body_text``) and the archive's bookkeeping (hashes, validators, capture times)
belong on a notice's own page. A table page (HTML) that names no columns itself (no ``_col`` or
``_nocol``) is answered as if it asked ``_nocol=`` for each hidden column; on a search page
``body_text`` stays (it is the highlighted snippet). Rendering 50 rows of 11 instead of 27
columns is most of what the page costs (docs/benchmarks-log.md, "Search").

``.json`` and ``.csv`` URLs are left alone: ``/archive/notices.csv`` has every column (a page's
own export links carry its ``_nocol`` and export what it shows). Configured in metadata.yml::

    plugins:
      zwgk_columns:
        notices:
          hidden: [body_html, body_text, ...]
          shown_when_searching: [body_text]
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

NAMING = ("_col", "_nocol")


def hidden_columns(config: dict[str, Any], table: str, args: list[tuple[str, str]]) -> list[str]:
    """The columns to hide on an HTML page of ``table`` asked with ``args`` (none when the
    request names its own columns)."""
    spec = config.get(table) or {}
    if any(name in NAMING for name, _ in args):
        return []
    searching = any(name == "_search" or name.startswith("_search_") for name, _ in args)
    keep = set(spec.get("shown_when_searching") or ()) if searching else set()
    return [c for c in spec.get("hidden") or () if c not in keep]


def _table_of(path: str, tables: set[str]) -> str | None:
    """``/db/table`` (no format extension, no row) -> table, when it is a configured one."""
    parts = path.strip("/").split("/")
    if len(parts) == 2 and parts[1] in tables:
        return parts[1]
    return None


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    config = datasette.plugin_config("zwgk_columns") or {}
    tables = set(config)

    def wrap(app: Any) -> Any:
        async def default_columns(scope: dict, receive: Any, send: Any) -> None:
            table = None
            if scope.get("type") == "http" and scope.get("method") == "GET" and tables:
                table = _table_of(scope.get("path", ""), tables)
            if table is not None:
                query = scope.get("query_string", b"").decode("utf-8", "replace")
                args = parse_qsl(query, keep_blank_values=True)
                hidden = hidden_columns(config, table, args)
                if hidden:
                    args += [("_nocol", column) for column in hidden]
                    scope = {**scope, "query_string": urlencode(args).encode()}
            return await app(scope, receive, send)

        return default_columns

    return wrap
