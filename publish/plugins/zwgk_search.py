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

A search page's rows, count and facets are read as ``publish/search_plan.py`` chooses per request
from how many notices match: Datasette's clause, ``+rowid in (…)``, or (a common word, newest
first, nothing else asked) a walk of the ``publish_date`` index asking the index about each row.
A plain search (nothing else asked) gets its count from the index alone (this plugin answers
Datasette's count statement with ``COUNT_SQL``) and its facets in one pass, estimated past
10,000 matches (plugin ``zwgk_facets``). The notices page with no filter gets its count from
``facet_counts``.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl
from datasette.utils import await_me_maybe
from markupsafe import Markup, escape

from pipeline.store import facet_counts
from pipeline.store.fts import match_pattern, match_query
from publish import search_plan
from publish.search_plan import PROBE_SQL, Plan

TABLE = search_plan.TABLE
WHOLE_COUNT = "select count(*) from notices "  # Datasette's, for a page with no filter
HIGHLIGHTED = ("title", "body_text")
SEARCH_QUERY = "search"  # the canned query's name, and its URL
BEFORE_MATCH = 0.25  # of an excerpt, shown before the first match
ELLIPSIS = "\u2026"
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
            token, plan_token = _searched.set(searched), search_plan.current.set(None)
            try:
                return await app(scope, receive, send)
            finally:
                search_plan.current.reset(plan_token)
                _searched.reset(token)

        return search_aware

    return wrap


@hookimpl
def startup(datasette: Any) -> None:
    for db in datasette.databases.values():
        _answer_counts(db)


def _answer_counts(db: Any) -> None:
    """Answer two count statements of Datasette's table page from elsewhere: the whole notices
    table's from ``facet_counts`` (kept by triggers), a plain search's from the index alone."""
    execute = db.execute
    if getattr(execute, "zwgk_counting", False):
        return

    async def counting(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        plan = search_plan.current.get()
        if sql == WHOLE_COUNT and await db.table_exists(facet_counts.TABLE):
            return await execute(facet_counts.ROWS, [TABLE], *args, **kwargs)
        if plan is None or not plan.plain or sql != plan.count_sql:
            return await execute(sql, params, *args, **kwargs)
        results = await execute(search_plan.COUNT_SQL, {"search": plan.search}, *args, **kwargs)
        plan.total = results.first()[0]
        return results

    counting.zwgk_counting = True  # type: ignore[attr-defined]
    db.execute = counting


@hookimpl(wrapper=True)
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    filters = yield
    search = request.args.get("_search")
    if table != TABLE or not search:
        return filters
    db = datasette.get_database(database)
    metadata = datasette.table_metadata(database, table)
    args = {k: request.args.getlist(k) for k in request.args if k not in ("_sort", "_sort_desc")}
    order = (
        request.args.get("_sort_desc") or request.args.get("_sort")
        or metadata.get("sort_desc") or metadata.get("sort")
    )  # fmt: skip
    return [_planned(arguments, db, search, args, order) for arguments in filters]


async def _planned(arguments: Any, db: Any, search: str, args: dict, order: str | None) -> Any:
    """Datasette's search clause as the plan for this search and request writes it."""
    arguments = await await_me_maybe(arguments)
    clauses = getattr(arguments, "where_clauses", None) or []
    if search_plan.LOOKUP in clauses:
        max_rowid = (await db.execute("select max(rowid) from notices")).first()[0] or 0
        params = {"search": search, "cap": search_plan.cap(max_rowid)}
        matched = (await db.execute(PROBE_SQL, params)).first()[0]
        plain = search_plan.is_plain(args)
        kind = search_plan.choose(matched, max_rowid, plain, order, match_query(search))
        plan = Plan(kind, search, max_rowid, plain)
        search_plan.current.set(plan)
        arguments.where_clauses = [plan.clause if c == search_plan.LOOKUP else c for c in clauses]
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
