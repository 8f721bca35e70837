"""Datasette plugin: Chinese full-text search over the archive's bigram index.

``notices_fts`` holds two-character tokens (pipeline/store/fts.py), so a user's words must be
rewritten before FTS5 sees them. Datasette's search (the table page's box, ``?_search=``,
``?_search_<column>=``) matches ``escape_fts(:search)``; this plugin registers its own
``escape_fts`` (``match_query``) on every connection, after Datasette's (``trylast``), so the
standard search works unchanged and the box keeps what the user typed. A blank ``_search`` is
no search (Datasette's filter form always sends the box, empty or not).

On a notices page with a search, ``title`` and ``body_text`` cells show where the words are: the
part of the body around the first match, matches in ``<mark>``, everything else escaped
(computed from the stored text: a contentless FTS5 table has no ``snippet()``).

Datasette 0.65 orders table pages by ``_sort`` or the table's default (newest first), never by
relevance; the canned query ``search`` (``/archive/search?q=…``) ranks by FTS5's bm25.

A search page's queries (its rows, their count, each facet) all filter ``rowid in (select rowid
from notices_fts where … match …)``, and SQLite always reads that by looking up each matching
rowid (it assumes an IN list of 25). For a word in most notices that means reading every
matching row, sorting them all for the first 50: 5 s for 预算 in a million notices, past
Datasette's time limit. When a search matches more than ``SCAN_SHARE`` of the notices, this
plugin writes ``+rowid in (…)`` instead: SQLite then walks the ``publish_date`` index (or another
index) and keeps the rows in the list, so the first page stops after 50. Same rows either way.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils import await_me_maybe
from markupsafe import Markup, escape

from pipeline.store.fts import match_pattern, match_query

TABLE = "notices"
HIGHLIGHTED = ("title", "body_text")
SEARCH_QUERY = "search"  # the canned query's name, and its URL
BEFORE_MATCH = 0.25  # of an excerpt, shown before the first match
ELLIPSIS = "\u2026"
#: The clause Datasette's own ``_search`` filter writes for notices (datasette/filters.py).
DATASETTE_SEARCH = (
    "rowid in (select rowid from notices_fts where notices_fts match escape_fts(:search))"
)
SCAN_SHARE = 0.08  # past this share of the notices matched, scan an index instead of looking up
SHARE_SQL = (
    "select (select count(*) from notices_fts where notices_fts match escape_fts(:search))"
    " / (1.0 + (select max(rowid) from notices))"
)

#: The pattern of the words searched for by the request being answered (None: no search).
_searched: ContextVar[re.Pattern[str] | None] = ContextVar("zwgk_searched", default=None)

SEARCH_SQL = """select n.id, n.title, n.publish_date, n.site, n.category, n.url, n.body_text
from notices_fts join notices n on n.rowid = notices_fts.rowid
where notices_fts match escape_fts(:q)
order by notices_fts.rank
limit 100"""


@hookimpl(trylast=True)
def prepare_connection(conn: Any) -> None:
    conn.create_function("escape_fts", 1, match_query, deterministic=True)


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    def wrap(app: Any) -> Any:
        async def search_aware(scope: dict, receive: Any, send: Any) -> None:
            if scope.get("type") != "http":
                return await app(scope, receive, send)
            scope, searched = _read_search(scope)
            token = _searched.set(searched)
            try:
                return await app(scope, receive, send)
            finally:
                _searched.reset(token)

        return search_aware

    return wrap


@hookimpl(wrapper=True)
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    filters = yield
    search = request.args.get("_search")
    if table != TABLE or not search:
        return filters
    db = datasette.get_database(database)
    return [_planned(arguments, db, search) for arguments in filters]


async def _planned(arguments: Any, db: Any, search: str) -> Any:
    """Datasette's search clause as ``+rowid in (…)`` when the search matches many notices."""
    arguments = await await_me_maybe(arguments)
    clauses = getattr(arguments, "where_clauses", None) or []
    if DATASETTE_SEARCH in clauses:
        share = (await db.execute(SHARE_SQL, {"search": search})).first()[0]
        if share > SCAN_SHARE:
            arguments.where_clauses = [f"+{c}" if c == DATASETTE_SEARCH else c for c in clauses]
    return arguments


def _read_search(scope: dict) -> tuple[dict, re.Pattern[str] | None]:
    """The scope without a blank ``_search``, and the pattern of the words searched for."""
    query = scope.get("query_string", b"").decode("utf-8", "replace")
    params = parse_qsl(query, keep_blank_values=True)
    kept = [(k, v) for k, v in params if not (k == "_search" and not v.strip())]
    if len(kept) != len(params):
        scope = {**scope, "query_string": urlencode(kept).encode("ascii")}
    canned = scope.get("path", "").rsplit("/", 1)[-1].split(".")[0] == SEARCH_QUERY
    words = [value for key, value in kept if _is_search(key, canned)]
    return scope, match_pattern(" ".join(words)) if words else None


def _is_search(key: str, canned: bool) -> bool:
    return (key.startswith("_search") and key != "_searchmode") or (canned and key == "q")


@hookimpl
def render_cell(value: Any, column: str, table: str | None, datasette: Any) -> Markup | None:
    pattern = _searched.get()
    if pattern is None or column not in HIGHLIGHTED or table not in (TABLE, None):
        return None
    if not isinstance(value, str):
        return None
    length = int(datasette.setting("truncate_cells_html") or 0) if column == "body_text" else 0
    return Markup('<span class="zwgk-snippet">{}</span>').format(highlight(value, pattern, length))


def highlight(text: str, pattern: re.Pattern[str], length: int = 0) -> Markup:
    """``text`` escaped, with what ``pattern`` finds in ``<mark>``; with ``length``, only the
    ``length`` characters around the first match (from the start when nothing matches)."""
    start, end = 0, len(text)
    if length and len(text) > length:
        first = pattern.search(text)
        ahead = int(length * BEFORE_MATCH)
        start = min(max(first.start() - ahead, 0), len(text) - length) if first else 0
        end = start + length
    piece = text[start:end]
    parts = [ELLIPSIS if start else ""]
    done = 0
    for match in pattern.finditer(piece):
        parts += [escape(piece[done : match.start()]), _mark(match.group())]
        done = match.end()
    parts += [escape(piece[done:]), ELLIPSIS if end < len(text) else ""]
    return Markup("").join(parts)


def _mark(text: str) -> Markup:
    return Markup("<mark>{}</mark>").format(text)


@hookimpl
def canned_queries(datasette: Any, database: str) -> Any:
    async def queries() -> dict:
        db = datasette.get_database(database)
        if not await db.table_exists("notices_fts"):
            return {}
        return {
            SEARCH_QUERY: {
                "sql": SEARCH_SQL,
                "title": "全文搜索（按相关度） · Full-text search by relevance",
                "description": "标题、正文、采购人与供应商中包含所有词的公告，最相关的 100 条。"
                " / The 100 notices most relevant to all the words, in title, body, purchaser"
                " or supplier names.",
                "hide_sql": True,
            }
        }

    return queries
