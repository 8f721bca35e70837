"""Datasette plugin: readable notice pages, safe links.

Only ``body_html`` is ever rendered from HTML, and only as text: on table pages a cell shows the
first ``truncate_cells_html`` characters of its text (tags stripped with nh3 from the start of
the page only), so notices of many megabytes make a small table page. The notice's row page
(templates/row.html) shows the whole body text. ``body_text`` keeps its paragraphs through CSS
(publish/static).

``http_url`` is the template filter every link to an archived URL goes through: only http(s)
URLs become links, anything else (``javascript:``, ``java<TAB>script:``, ``data:``) is text.
"""

from __future__ import annotations

import html
import re
from typing import Any

import nh3
from datasette import hookimpl
from markupsafe import Markup, escape

HTML_TABLES = ("notices",)
# Text of an excerpt is taken from this many characters of HTML per character shown, at least
# EXCERPT_MIN_SOURCE: markup is most of a page, and nh3 must never see a whole 50 MB body here.
EXCERPT_SOURCE_FACTOR = 64
EXCERPT_MIN_SOURCE = 64 * 1024
_WHITESPACE = re.compile(r"\s+")
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_C0_OR_SPACE = "".join(map(chr, range(0x21)))


def http_url(value: Any) -> str | None:
    """The URL a browser would follow for ``value`` if its scheme is http or https, else None.

    As the WHATWG URL parser does: strip leading and trailing C0 controls and spaces, remove every
    tab and newline, then read the scheme (case-insensitive).
    """
    if not isinstance(value, str):
        return None
    url = value.strip(_C0_OR_SPACE)
    for char in "\t\n\r":
        url = url.replace(char, "")
    match = _SCHEME.match(url)
    if not match or match.group(1).lower() not in ("http", "https"):
        return None
    return url


def text_excerpt(body_html: str, length: int) -> str:
    """The first ``length`` characters of the text of ``body_html``, with an ellipsis if cut."""
    source = body_html[: max(length * EXCERPT_SOURCE_FACTOR, EXCERPT_MIN_SOURCE)]
    # A space before every tag keeps paragraphs apart once tags are gone.
    text = html.unescape(nh3.clean(source.replace("<", " <"), tags=set()))
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) > length or len(source) < len(body_html):
        return text[:length] + "\u2026"
    return text


@hookimpl
def render_cell(value: Any, column: str, table: str | None, datasette: Any) -> Markup | None:
    if column != "body_html" or table not in HTML_TABLES or not isinstance(value, str):
        return None
    length = datasette.setting("truncate_cells_html") or 0
    if length:
        return Markup('<span class="zwgk-excerpt">{}</span>').format(text_excerpt(value, length))
    summary = escape("正文（HTML） / Body (HTML)")
    body = nh3.clean(value)
    return Markup(  # noqa: S704 - body sanitized by nh3 just above
        f'<details class="zwgk-body"><summary>{summary}</summary>{body}</details>'
    )


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["http_url"] = http_url
