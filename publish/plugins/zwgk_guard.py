"""Datasette plugin: no single request may make the server hold unbounded memory.

Datasette's ``sql_time_limit_ms`` stops a query, not the encoding of its result: one anonymous
``select zeroblob(400000000)`` grew the server to 12 GB. Bounds, each where the bytes are made
(limits in publish/metadata.yml, ``plugins: zwgk_guard``; defaults below):

1. ``SQLITE_LIMIT_LENGTH`` (``max_value_mib``): SQLite refuses any one string, blob or record (a
   sorter row) longer than this: "string or blob too big". ``printf()`` past it returns NULL.
2. An authorizer refuses the functions whose only use is making blobs (``zeroblob``,
   ``randomblob``): "not authorized to use function: zeroblob".
3. ``PRAGMA hard_heap_limit`` (``sqlite_heap_limit_mib``): SQLite's whole heap, every connection
   of the process, so one row of many large computed columns stays inside it. Past it SQLite
   answers "out of memory", which ``handle_exception`` turns into a clear 400.
4. A row factory counts the Python memory of the values a query returns: one row
   (``max_row_mib``; Datasette's CSV writer needs up to 14 times a row) and all rows
   (``max_result_mib``), and stops the query with a clear error past either.
5. The ``.json`` renderer estimates the JSON a result becomes (``\\uXXXX`` is six bytes for a
   Chinese or a control character) and refuses past ``max_json_mib``; ``?_json=`` parsing (up to
   24 times its size in Python objects) is refused past ``max_json_parse_mib``.
6. Memory is given back: after a request that fetched much, a garbage collection (the request's
   objects are in reference cycles), and glibc maps large blocks on their own (``mallopt``).
"""

from __future__ import annotations

import ctypes
import gc
import json
import sqlite3
import sys
import weakref
from collections.abc import Callable, Iterable
from typing import Any

from datasette import hookimpl
from datasette.renderer import json_renderer
from datasette.utils.asgi import Response
from datasette.views.base import DatasetteError

PLUGIN = "zwgk_guard"
JSON_TYPE = "application/json; charset=utf-8"
MIB = 1 << 20
DEFAULTS = {
    "max_value_mib": 64,
    "max_row_mib": 32,
    "max_result_mib": 256,
    "max_json_mib": 128,
    "max_json_parse_mib": 4,
    "sqlite_heap_limit_mib": 256,
}
M_MMAP_THRESHOLD = -3  # glibc malloc.h
MMAP_THRESHOLD = 1 * MIB
# A request's objects end up in reference cycles (exception tracebacks, Datasette's and uvicorn's
# request objects), so its rows are freed only by Python's cyclic collector, which runs by object
# counts, not bytes: measured, a 60 MB result stayed in memory after its response, and several
# stayed together. After a request that fetched this much, collect at once.
COLLECT_AFTER_BYTES = 16 * MIB
REFUSED_FUNCTIONS = frozenset({"zeroblob", "randomblob"})
# Bytes Python's JSON encoder writes as they are; every other ASCII byte becomes \" \\ \n or \u00XX.
_JSON_VERBATIM = bytes(b for b in range(0x20, 0x7F) if b not in b'"\\')
HINT = (
    "请减少行数或列数 / Ask for fewer rows or columns: LIMIT, ?_size=, ?_col= / ?_nocol= "
    "(e.g. ?_nocol=body_html)"
)


class ResultTooLarge(sqlite3.OperationalError):
    """A query's rows passed a budget (an OperationalError: Datasette answers 400 with it)."""


class _Garbage:
    fetched = 0  # bytes of values fetched since the last collection, all connections
    collect_again = False  # a request was in flight at the last collection


def limits(datasette: Any) -> dict[str, int]:
    """The configured limits in MiB (publish/metadata.yml ``plugins: zwgk_guard``)."""
    config = datasette.plugin_config(PLUGIN) or {}
    return {key: int(config.get(key, default)) for key, default in DEFAULTS.items()}


def refuse_blob_functions(action: int, arg1: Any, arg2: Any, db_name: Any, source: Any) -> int:
    """SQLite authorizer: deny the blob-making functions, allow everything else."""
    if action == sqlite3.SQLITE_FUNCTION and str(arg2).lower() in REFUSED_FUNCTIONS:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def budget_row_factory(
    row_limit: int, result_limit: int
) -> Callable[[sqlite3.Cursor, tuple], sqlite3.Row]:
    """A row factory returning ``sqlite3.Row`` (as Datasette's) that stops a query when one row's
    values pass ``row_limit`` bytes of Python memory, or all its rows' pass ``result_limit``. One
    factory per connection: Datasette runs one query at a time on a connection, each with a fresh
    cursor."""
    used: weakref.WeakKeyDictionary[sqlite3.Cursor, int] = weakref.WeakKeyDictionary()

    def row_factory(cursor: sqlite3.Cursor, row: tuple) -> sqlite3.Row:
        row_size = sum(map(sys.getsizeof, row))
        _Garbage.fetched += row_size
        if row_size > row_limit:
            mib = row_limit // MIB
            raise ResultTooLarge(
                f"一行超过 {mib} MiB 上限 / A row over the {mib} MiB limit. {HINT}"
            )
        size = used.get(cursor, 0) + row_size
        if size > result_limit:
            mib = result_limit // MIB
            raise ResultTooLarge(
                f"查询结果超过 {mib} MiB 上限 / Query result over the {mib} MiB limit. {HINT}"
            )
        used[cursor] = size
        return sqlite3.Row(cursor, row)

    return row_factory


def release_large_blocks() -> bool:
    """Ask glibc to map every block of ``MMAP_THRESHOLD`` or more on its own and unmap it when
    freed. By default glibc raises that threshold as large blocks come and go (up to 32 MiB) and
    keeps freed blocks in per-thread arenas: after the hostile queries of tests/publish/test_guard
    the server idled at up to 430 MB RSS without this, 160 MB with it. False without glibc."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (AttributeError, OSError):
        return False
    return bool(mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD))


@hookimpl
def startup(datasette: Any) -> None:
    release_large_blocks()


@hookimpl
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    bounds = limits(datasette)
    conn.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, bounds["max_value_mib"] * MIB)
    conn.set_authorizer(refuse_blob_functions)
    conn.row_factory = budget_row_factory(
        bounds["max_row_mib"] * MIB, bounds["max_result_mib"] * MIB
    )
    heap = bounds["sqlite_heap_limit_mib"] * MIB
    if heap:
        # Process-wide: never loosen a stricter limit set by someone else.
        current = conn.execute("PRAGMA hard_heap_limit").fetchone()[0]
        if not current or current > heap:
            conn.execute(f"PRAGMA hard_heap_limit={heap}")


def json_cost(value: Any) -> int:
    """An upper bound on the bytes ``value`` becomes in Datasette's JSON, separator included.

    Datasette's JSON is ASCII: a non-ASCII character is ``\\uXXXX`` (six bytes, twelve for one
    outside the BMP), an ASCII control character ``\\u00XX``; other ASCII is one byte.
    """
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")  # Datasette sends UTF-8 bytes as a string
        except UnicodeDecodeError:
            return len(value) * 4 // 3 + 40  # {"$base64": true, "encoded": "..."}
    if isinstance(value, dict):  # ?_labels=on: {"value": ..., "label": ...}
        return sum(json_cost(v) for v in value.values()) + 32
    if isinstance(value, int):  # SQLite's are 64-bit (20 characters); Python's unbounded
        return len(str(value)) + 2
    if not isinstance(value, str):
        return 32  # a float: its repr is at most 24 characters
    ascii_chars = value.encode("ascii", "ignore")
    escaped = len(ascii_chars.translate(None, _JSON_VERBATIM))
    others = len(value) - len(ascii_chars)
    # Only a string storing four bytes a character can hold characters outside the BMP.
    per_other = 12 if sys.getsizeof(value) >= 4 * len(value) else 6
    return len(ascii_chars) + 5 * escaped + per_other * others + 4  # quotes and ", "


def _rows_cost(rows: Iterable[Any]) -> int:
    return sum(json_cost(value) for row in rows for value in row)


def _refuse(message: str) -> dict[str, Any]:
    # A dict, not a Response: Datasette sets a returned Response's status to the view's (200).
    body = {"ok": False, "error": message, "status": 400, "title": None}
    return {"body": json.dumps(body), "status_code": 400, "content_type": JSON_TYPE}


def guarded_json(args: Any, data: Any, view_name: str, datasette: Any) -> Response | dict:
    """Datasette's own JSON renderer, behind the JSON-size and ``?_json=`` budgets."""
    bounds = limits(datasette)
    rows = data.get("rows") or []
    columns = data.get("columns") or []
    json_columns = [columns.index(c) for c in args.getlist("_json") if c in columns]
    if json_columns:
        parse = sum(
            len(row[i]) for row in rows for i in json_columns if isinstance(row[i], str | bytes)
        )
        if parse > bounds["max_json_parse_mib"] * MIB:
            mib = bounds["max_json_parse_mib"]
            return _refuse(
                f"?_json= 只解析不超过 {mib} MiB 的 JSON / ?_json= parses at most {mib} MiB. {HINT}"
            )
    if _rows_cost(rows) > bounds["max_json_mib"] * MIB:
        mib = bounds["max_json_mib"]
        return _refuse(
            f"JSON 结果超过 {mib} MiB 上限 / JSON result over the {mib} MiB limit. {HINT}"
        )
    return json_renderer(args, data, view_name)


@hookimpl
def register_output_renderer(datasette: Any) -> dict[str, Any]:
    # Registered after Datasette's built-in "json" renderer, so this one serves .json.
    return {"extension": "json", "render": guarded_json, "can_render": lambda: True}


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable:
    def wrap(app: Callable) -> Callable:
        async def collect_after_large_results(scope: Any, receive: Any, send: Any) -> None:
            if _Garbage.collect_again:
                _Garbage.collect_again = False
                gc.collect()
            try:
                await app(scope, receive, send)
            finally:
                if _Garbage.fetched > COLLECT_AFTER_BYTES:
                    _Garbage.fetched = 0
                    _Garbage.collect_again = True
                    gc.collect()

        return collect_after_large_results

    return wrap


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: BaseException) -> Any:
    """SQLite out of memory (the heap limit) and "string or blob too big" outside the query
    page are the query's fault, not the server's: a 400 that says so, not a 500."""
    if isinstance(exception, MemoryError):
        mib = limits(datasette)["sqlite_heap_limit_mib"]
        message = (
            f"查询所需内存超过服务器上限（SQLite {mib} MiB）/ The query needs more memory than "
            f"the server allows (SQLite heap limit {mib} MiB). {HINT}"
        )
    elif isinstance(exception, sqlite3.DataError):
        mib = limits(datasette)["max_value_mib"]
        message = f"{exception}: 单个值或行超过 {mib} MiB / a value or row over {mib} MiB. {HINT}"
    else:
        return None
    # Imported here, not at the top: importing datasette.handle_exception before
    # datasette.plugins registers it half-initialised, and Datasette loses its default handler.
    from datasette.handle_exception import handle_exception as default_handle_exception

    return default_handle_exception(
        datasette, request, DatasetteError(message, title="查询过大 / Query too large", status=400)
    )
