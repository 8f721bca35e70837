"""Datasette plugin: the researchers' views around the archive.

- ``/-/dashboard``: charts drawn on the server (publish/charts.py) from one bounded query each
  (publish/dashboard.py), each with its numbers in a table and a link to its query;
  ``?months=N`` sets the months of the monthly charts (default 24, at most 240).
- The home page's figures (publish/overview.py) for templates/index.html, with the canned
  queries and the feeds of the served archive, whatever its file is called.
- A "Dashboard" entry in the navigation menu.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from datasette import hookimpl
from datasette.utils.asgi import Response

from publish.dashboard import dashboard_panels, months_param
from publish.feeds import feed_url
from publish.overview import archive_overview, is_archive

DASHBOARD_PATH = "/-/dashboard"


async def dashboard(datasette: Any, request: Any) -> Response:
    db = datasette.get_database()
    if not await is_archive(db):
        return Response.html("这不是 zwgk 存档 / Not a zwgk archive", status=404)
    months = months_param(request.args.get("months"))
    context = {
        "metadata": datasette.metadata(),
        "database": db.name,
        "panels": await dashboard_panels(datasette, db, months),
        "months": months,
        "feed_url": feed_url(datasette, db.name),
    }
    html = await datasette.render_template(
        "dashboard.html", context, request=request, view_name="zwgk_dashboard"
    )
    return Response.html(html)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(rf"^{DASHBOARD_PATH}$", dashboard)]


async def home_figures(datasette: Any, actor: Any) -> dict[str, Any] | None:
    """The home page's figures with the links that go with them; None when not an archive."""
    db = datasette.get_database()
    home = await archive_overview(db)
    if home is None:
        return None
    queries = await datasette.get_canned_queries(db.name, actor)
    home["queries"] = [
        {"name": name, "title": q.get("title") or name, "url": datasette.urls.query(db.name, name)}
        for name, q in queries.items()
    ]
    notices = datasette.urls.table(db.name, "notices")
    for site in home["sites"] or []:
        site["feed_url"] = feed_url(datasette, db.name, site=site["site"])
        site["url"] = notices + "?" + urlencode({"site": site["site"]})
    home["feed_url"] = feed_url(datasette, db.name)
    home["dashboard_url"] = datasette.urls.path(DASHBOARD_PATH)
    home["notices_url"] = notices
    home["database_url"] = datasette.urls.database(db.name)
    return home


@hookimpl
def extra_template_vars(view_name: str, request: Any, datasette: Any) -> Any:
    if view_name != "index":
        return {}

    async def home() -> dict[str, Any]:
        actor = request.actor if request else None
        return {"zwgk_home": await home_figures(datasette, actor)}

    return home


@hookimpl
def menu_links(datasette: Any) -> list[dict[str, str]]:
    return [{"href": datasette.urls.path(DASHBOARD_PATH), "label": "图表 / Dashboard"}]
