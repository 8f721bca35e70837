"""How a search page over ``notices`` is read, chosen per request from how common the words are.

Datasette writes one clause for a search, ``rowid in (select rowid from notices_fts where …
match …)``, and uses it for the page's rows, their count and each facet. SQLite reads it by
looking up every matching row, which for a word in most notices (预算 in a finance archive) is
most of the table: seconds at a million notices. So, per request:

* ``lookup`` (Datasette's clause): a search matching few notices (under ``LOOKUP_SHARE``):
  reading each matching row is cheapest.
* ``scan`` (``+rowid in (…)``): more matches. SQLite builds the list of matching rowids once
  (cheap: the index alone) and walks an index, keeping the rows in the list: newest first, the
  first page stops after about ``50 / share`` rows instead of reading every match (30,000 rows,
  150 ms to a second for a word in 3% of a million notices).
* ``walk``: a word in more than ``SCAN_SHARE`` of the notices, nothing but the search, newest
  first (the default page). The clause asks the index about each row (``notices_fts.rowid =
  notices.rowid``) while SQLite walks the ``publish_date`` index: no list built, the first page
  in a millisecond. Asked about every row that clause would cost ~11 µs a row (a count or a
  facet over it: seconds), so

a **plain** search (nothing asked but the search) counts from the index alone (``COUNT_SQL``:
every notice is in the index once) and counts all its facets in one grouped query over the
matches (``sample_sql``): exact up to ``EXACT`` matches, estimated past that from a sample
spread over the archive.

Every plan gives the same rows (tests/publish/test_search_plan.py).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field

TABLE = "notices"
#: The clause Datasette's own ``_search`` filter writes for notices (datasette/filters.py).
LOOKUP = "rowid in (select rowid from notices_fts where notices_fts match escape_fts(:search))"
SCAN = f"+{LOOKUP}"
WALK = (
    "exists (select 1 from notices_fts where notices_fts match escape_fts(:search)"
    " and notices_fts.rowid = notices.rowid)"
)
LOOKUP_SHARE = 0.005  # up to this share of the notices matched, look each match up
SCAN_SHARE = 0.08  # past this share, a plain search newest first walks the date index
#: Matches counted, up to ``:cap`` (enough to compare a search's share with both shares).
PROBE_SQL = (
    "select count(*) from (select rowid from notices_fts"
    " where notices_fts match escape_fts(:search) limit :cap)"
)
COUNT_SQL = "select count(*) from notices_fts where notices_fts match escape_fts(:search)"
#: A ``walk`` page's orders: the columns with an index SQLite can walk newest (or oldest) first.
WALKED_ORDERS = frozenset({"publish_date"})
#: Request arguments that neither filter nor reorder the rows (a ``walk`` page allows only these).
NEUTRAL_ARGS = frozenset(
    {"_search", "_col", "_nocol", "_facet", "_facet_size", "_size", "_next", "_labels",
     "_nofacet", "_nocount", "_nosuggest", "_trace", "_json", "_searchmode", "_shape", "_extra"}
)  # fmt: skip
EXACT = 10_000  # up to this many matches, a plain search's facets are counted exactly
SAMPLE = 4000  # matches a facet estimate reads, about
WINDOWS = 32  # rowid ranges the sample is spread over


@dataclass
class Plan:
    """One search page's reading: its clause, and what a ``walk`` page learns on the way."""

    kind: str  # lookup, scan or walk
    search: str
    max_rowid: int = 0
    plain: bool = False  # nothing but the search: count from the index, facets in one pass
    total: int | None = None  # the exact count, once counted
    estimated: set[str] = field(default_factory=set)  # facets given as estimates

    @property
    def clause(self) -> str:
        return {"lookup": LOOKUP, "scan": SCAN, "walk": WALK}[self.kind]

    @property
    def count_sql(self) -> str:
        """The count statement Datasette writes for this page (datasette/views/table.py)."""
        return f"select count(*) from {TABLE} where {self.clause} "  # noqa: S608


#: The plan of the search page being answered (None: not a search page of notices).
current: ContextVar[Plan | None] = ContextVar("zwgk_search_plan", default=None)


def choose(matched: int, max_rowid: int, plain: bool, order: str | None, query: str = "") -> str:
    """``lookup``, ``scan`` or ``walk`` for a search matching at least ``matched`` notices
    (counted up to ``cap(max_rowid)``), ``plain`` (nothing else asked), ordered by ``order``.
    A one-character term (``query`` holds a prefix, ``"预"*``) is never walked: asking a prefix
    about one row merges every token it starts, ~70 ms a row at a million notices."""
    if matched < LOOKUP_SHARE * max_rowid:
        return "lookup"
    if matched >= cap(max_rowid) and plain and order in WALKED_ORDERS and "*" not in query:
        return "walk"
    return "scan"


def is_plain(args: Mapping[str, Sequence[str]]) -> bool:
    """Whether a request asks for nothing but one search (any order, any page)."""
    return all(key in NEUTRAL_ARGS for key in args) and len(args.get("_search", ())) == 1


def cap(max_rowid: int) -> int:
    """Matches past which a search is common (``SCAN_SHARE`` of the notices)."""
    return max(1, math.ceil(SCAN_SHARE * max_rowid))


def windows(
    total: int, max_rowid: int, sample: int | None = None, count: int = WINDOWS
) -> list[tuple[int, int]]:
    """``count`` rowid ranges spread evenly over the notices, together holding about
    ``sample`` of ``total`` matches; one range over everything (exact figures) when ``total``
    is at most ``EXACT`` or the ranges would cover most of the archive."""
    if total <= EXACT:
        return [(0, max_rowid)]
    share = total / max(max_rowid, 1)
    width = math.ceil((sample or SAMPLE) / max(share, 1e-9) / count)
    if width * count >= max_rowid * 0.5:
        return [(0, max_rowid)]
    step = max_rowid / count
    return [(int(i * step), int(i * step) + width - 1) for i in range(count)]


def sample_sql(columns: Sequence[str], ranges: Sequence[tuple[int, int]]) -> tuple[str, dict]:
    """The grouped counts of ``columns`` over the matches in ``ranges`` (a ``walk`` sample)."""
    cols = ", ".join(f"[{c}]" for c in columns)
    parts = [
        "select rowid from notices_fts where notices_fts match escape_fts(:search)"  # noqa: S608
        f" and rowid between :lo{i} and :hi{i}"
        for i in range(len(ranges))
    ]
    params = {f"lo{i}": lo for i, (lo, _) in enumerate(ranges)}
    params |= {f"hi{i}": hi for i, (_, hi) in enumerate(ranges)}
    sql = (
        f"select {cols}, count(*) from {TABLE} where rowid in ({' union all '.join(parts)})"  # noqa: S608
        f" group by {cols}"
    )
    return sql, params


def estimate(rows: Iterable[Sequence], column: int, total: int) -> list[tuple[object, int]]:
    """``(value, count)`` of one column of grouped sample ``rows`` (values…, n), scaled from the
    sample to ``total`` matches, most frequent first; null values left out, as Datasette does."""
    rows = list(rows)
    counts: Counter = Counter()
    for row in rows:
        counts[row[column]] += row[-1]
    sampled = sum(row[-1] for row in rows)
    scale = total / sampled if sampled else 0
    scaled = [(value, round(n * scale)) for value, n in counts.items() if value is not None]
    return sorted(scaled, key=lambda item: (-item[1], _sort_key(item[0])))


def _sort_key(value: object) -> tuple:
    return (isinstance(value, str), value if isinstance(value, (int, float)) else str(value))
