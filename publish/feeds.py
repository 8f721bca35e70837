"""Atom feeds of new notices: their URLs, and a valid feed when a column has no notice yet.

The feed is the ``new_notices`` canned query (publish/metadata.yml) in the ``.atom`` format of
the datasette-atom plugin: ``atom_id`` (the page URL), ``atom_title``, ``atom_updated`` (publish
date and time, China Standard Time), ``atom_link``, ``atom_content_html`` (escaped in the SQL and
cleaned again by the plugin), with ``?category=`` and ``?site=`` choosing one column and site.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from datasette.utils.asgi import Response
from feedgen.feed import FeedGenerator

FEED_QUERY = "new_notices"
ATOM_TYPE = "application/xml; charset=utf-8"  # what datasette-atom answers


def feed_url(datasette: Any, database: str, category: str = "", site: str = "") -> str:
    """The Atom feed of new notices, of one column and site when given."""
    url = datasette.urls.query(database, FEED_QUERY, format="atom")
    params = {key: value for key, value in (("category", category), ("site", site)) if value}
    return url + ("?" + urlencode(params) if params else "")


def feed_title(datasette: Any, database: str, query_name: str | None, sql: str) -> str:
    """The canned query's title, else its SQL (as datasette-atom names a feed)."""
    queries = datasette.metadata("queries", database=database) or {}
    query = queries.get(query_name) if query_name else None
    return (query or {}).get("title") or sql


def empty_feed(request: Any, title: str) -> Response:
    """A valid Atom feed with no entries, updated now."""
    feed = FeedGenerator()
    feed.id(request.url)
    feed.link(href=request.url, rel="self")
    feed.title(title)
    return Response(feed.atom_str(pretty=True), content_type=ATOM_TYPE, status=200)
