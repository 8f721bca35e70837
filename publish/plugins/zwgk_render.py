"""Datasette plugin: readable notice pages.

Only ``body_html`` is ever rendered as HTML, and it is sanitized with nh3 again at render time,
whatever is in the database; it is folded into a ``<details>`` so table pages stay compact.
``body_text`` keeps its paragraphs through CSS (``white-space: pre-line``, publish/static).
"""

from __future__ import annotations

import nh3
from datasette import hookimpl
from markupsafe import Markup, escape

HTML_TABLES = ("notices",)


@hookimpl
def render_cell(value, column, table):
    if column != "body_html" or table not in HTML_TABLES or not isinstance(value, str):
        return None
    summary = escape("正文（HTML） / Body (HTML)")
    body = nh3.clean(value)
    return Markup(  # noqa: S704 - body sanitized by nh3 just above
        f'<details class="zwgk-body"><summary>{summary}</summary>{body}</details>'
    )
