"""Datasette plugin: Atom feeds of new notices (datasette-atom), linked from the notices table.

datasette-atom 0.9 answers 500 for a query with no rows (it takes ``max()`` of no dates), so a
feed of a column or site with no notice yet would fail: this plugin registers the ``.atom``
renderer again, last (``trylast``: Datasette keeps the last renderer of an extension), handing
every result with rows to datasette-atom unchanged and answering an empty, valid feed otherwise.
"""

from __future__ import annotations

from typing import Any

import datasette_atom
from datasette import hookimpl

from publish.feeds import empty_feed, feed_title, feed_url


def render_atom(
    datasette, request, sql, columns, rows, database, table, query_name, view_name, data
) -> Any:
    if rows:
        return datasette_atom.render_atom(
            datasette, request, sql, columns, rows, database, table, query_name, view_name, data
        )
    return empty_feed(request, feed_title(datasette, database, query_name, sql))


@hookimpl(trylast=True)
def register_output_renderer(datasette: Any) -> dict[str, Any]:
    return {
        "extension": "atom",
        "render": render_atom,
        "can_render": datasette_atom.can_render_atom,
    }


@hookimpl
def table_actions(datasette: Any, database: str, table: str, request: Any) -> Any:
    """On the notices table: the feed of the column and site the table is filtered to."""
    if table != "notices":
        return None
    category = request.args.get("category", "") if request else ""
    site = request.args.get("site", "") if request else ""
    label = "订阅新公告（Atom） / Atom feed of new notices"
    if category or site:
        chosen = " · ".join(value for value in (category, site) if value)
        label = f"订阅“{chosen}”的新公告（Atom） / Atom feed of {chosen}"
    return [{"href": feed_url(datasette, database, category, site), "label": label}]
