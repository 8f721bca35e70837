"""Datasette plugin: readable notice pages.

Only ``notices.body_html`` is ever rendered as HTML, and it is sanitized with nh3 again at render
time, whatever is in the database. ``body_text`` keeps its paragraphs on the row page.
"""

from __future__ import annotations

import html

import nh3
from datasette import hookimpl
from markupsafe import Markup


@hookimpl
def render_cell(value, column, table, request):
    if table not in ("notices", "procurement") or not isinstance(value, str):
        return None
    on_row_page = request is not None and request.url_vars.get("pks") is not None
    if column == "body_html":
        if not on_row_page:
            return None
        return Markup(f"<div class=\"zwgk-body\">{nh3.clean(value)}</div>")  # noqa: S704 sanitized
    if column == "body_text" and on_row_page:
        paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in value.split("\n") if p)
        return Markup(f"<div class=\"zwgk-body\">{paragraphs}</div>")  # noqa: S704 escaped
    return None
