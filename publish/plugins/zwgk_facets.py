"""Datasette plugin: facet counts of notices without a ``group by`` over every row.

Datasette's column facet counts ``select col, count(*) from (<page's query>) group by col``.
This plugin puts a subclass in its place (``register_facet_classes``, as a wrapper) that
answers two kinds of facet from elsewhere, and leaves every other facet to Datasette:

* over the whole table (no filter, no search): from ``facet_counts``, which triggers keep
  exact (pipeline/store/facet_counts.py);
* on a plain search page (nothing asked but the search, publish/search_plan.py): all the page's
  facets in one grouped query over the matches, exact up to ``EXACT`` matches; past that over a
  sample of them spread over the archive, scaled to the exact number of matches and shown with
  ≈ (template ``_facet_results.html``). Select a value to get exact figures.
"""

from __future__ import annotations

import re
from typing import Any

from datasette import hookimpl
from datasette.database import Results
from datasette.facets import ColumnFacet

from pipeline.store.facet_counts import COUNTED
from pipeline.store.facet_counts import READ as COUNTS_SQL
from pipeline.store.facet_counts import TABLE as COUNTS_TABLE
from publish import search_plan

#: The statement ColumnFacet.facet_results writes (datasette/facets.py): column, inner query, limit.
FACET_SQL = re.compile(
    r"\s*select (?P<col>\S+) as value, count\(\*\) as count from \(\s*(?P<inner>.*?)\s*\)"
    r"\s*where (?P=col) is not null\s*group by (?P=col) order by count desc, value"
    r" limit (?P<limit>\d+)\s*",
    re.DOTALL,
)


@hookimpl(wrapper=True)
def register_facet_classes() -> Any:
    groups = yield
    return [[CountedColumnFacet if c is ColumnFacet else c for c in group] for group in groups]


class CountedColumnFacet(ColumnFacet):
    """Datasette's column facet, answered from ``facet_counts`` or a sample where it can."""

    async def facet_results(self) -> tuple[list, list]:
        if self.table not in COUNTED:
            return await super().facet_results()
        datasette, plan = self.ds, search_plan.current.get()
        counted = await _has_counts(datasette, self.database)
        self.ds = _Answering(datasette, self, plan, counted)
        try:
            results, timed_out = await super().facet_results()
        finally:
            self.ds = datasette
        if plan is not None:
            for info in results:
                if info["name"] in plan.estimated:
                    info["estimated"] = True
        return results, timed_out

    def columns(self) -> list[str]:
        return [c["config"].get("column") or c["config"]["simple"] for c in self.get_configs()]


async def _has_counts(datasette: Any, database: str) -> bool:
    """Whether the archive has ``facet_counts`` (an archive not yet opened by this version's
    writer has not: its facets are Datasette's)."""
    return await datasette.get_database(database).table_exists(COUNTS_TABLE)


def _where(inner: str, table: str, paged: bool = False) -> str | None:
    """The where clause of a facet's inner ``select … from table [where …]`` ("" for none;
    None when it reads something else). On a later page (``paged``) without the clause that
    starts the page: Datasette 0.65 counts facets of page 2 over the rows after page 1 only;
    here a facet counts what the page's count counts, on every page."""
    found = _INNER.fullmatch(" ".join(inner.split()))
    if found is None or found["table"].strip("[]") != table:
        return None
    where = found["where"] or ""
    return _without_keyset(where) if paged else where


_INNER = re.compile(r"select [\w\[\], *]+? from (?P<table>\[?\w+\]?)(?: where (?P<where>.*))?")
#: How the clause Datasette adds for ``_next`` starts: ``(col < :pN or …)``, ``(col is null …``.
_KEYSET_START = re.compile(r"\(\[?\w+\]? (?:[<>] :p\d+|is (?:not )?null)")
_ROWID_KEYSET = re.compile(r"(?:^| and )rowid > :p\d+$")


def _without_keyset(where: str) -> str:
    """``where`` without the last clause when it is the one Datasette adds for ``_next``."""
    if _ROWID_KEYSET.search(where):
        return _ROWID_KEYSET.sub("", where)
    if not where.endswith(")"):
        return where
    depth = 0
    for start in range(len(where) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(where[start], 0)
        if depth == 0:
            break
    head = where[:start]
    if (head == "" or head.endswith(" and ")) and _KEYSET_START.match(where, start):
        return head.removesuffix(" and ")
    return where


class _Answering:
    """The Datasette object as a facet sees it, with facet statements it can answer answered."""

    def __init__(self, datasette: Any, facet: CountedColumnFacet, plan: Any, counted: bool) -> None:
        self._datasette, self._facet, self._plan = datasette, facet, plan
        self._counted = counted  # the archive has facet_counts
        self._sample: list | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._datasette, name)

    async def execute(self, database: str, sql: str, params: Any = None, **kwargs: Any) -> Any:
        found = FACET_SQL.fullmatch(sql)
        table = self._facet.table
        if found:
            column, limit = found["col"].strip("[]"), int(found["limit"])
            where = _where(found["inner"], table, "_next" in self._facet.request.args)
            if where == "" and self._counted and column in COUNTED[table]:
                args = [table, column, limit]
                return await self._datasette.execute(database, COUNTS_SQL, args, **kwargs)
            if self._plan is not None and self._plan.plain and where == self._plan.clause:
                return await self._estimate(database, column, limit, **kwargs)
        return await self._datasette.execute(database, sql, params, **kwargs)

    async def _estimate(self, database: str, column: str, limit: int, **kwargs: Any) -> Results:
        plan, columns = self._plan, self._facet.columns()
        if plan.total is None:
            counted = await self._datasette.execute(
                database, search_plan.COUNT_SQL, {"search": plan.search}, **kwargs
            )
            plan.total = counted.first()[0]
        if self._sample is None:
            ranges = search_plan.windows(plan.total, plan.max_rowid)
            sql, params = search_plan.sample_sql(columns, ranges)
            sampled = await self._datasette.execute(
                database, sql, {"search": plan.search, **params}, **kwargs
            )
            self._sample = [tuple(row) for row in sampled.rows]
            if len(ranges) > 1:
                plan.estimated.update(columns)
        counts = search_plan.estimate(self._sample, columns.index(column), plan.total)
        rows = [{"value": value, "count": n} for value, n in counts[:limit]]
        return Results(rows, False, [("value",), ("count",)])
