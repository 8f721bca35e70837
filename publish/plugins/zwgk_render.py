"""Datasette plugin: readable notice pages, safe links.

Only ``body_html`` is ever rendered from HTML, and only as text: on table pages a cell shows the
first ``truncate_cells_html`` characters of its text (tags stripped with nh3 from the start of
the page only), so notices of many megabytes make a small table page. The notice's row page
(templates/row.html) shows the whole body text. ``body_text`` keeps its paragraphs through CSS
(publish/static).

``http_url`` is the template filter every link to an archived URL goes through: only http(s)
URLs become links, anything else (``javascript:``, ``java<TAB>script:``, ``data:``) is text.

``safe_body`` is the filter the notice page renders ``body_html`` through: a second nh3 pass,
stricter than extraction's, because the page is served from the archive's own origin. No
``id``/``class``/``style`` attribute survives (nothing in a body can clobber the page's ids or
restyle it), only absolute http(s) links and images (a relative URL would point into the
archive), links open nothing with access to the page (``noopener``), images are lazy and send
no referrer.
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


def _only_http(tag: str, attribute: str, value: str) -> str | None:
    """nh3 attribute filter: a URL attribute survives only as an http(s) URL."""
    if attribute in _URL_ATTRIBUTES:
        return http_url(value)
    return value


_URL_ATTRIBUTES = frozenset({"href", "src", "cite"})
_BODY_ATTRIBUTES = {
    tag: attributes - {"cite"} for tag, attributes in nh3.ALLOWED_ATTRIBUTES.items()
}
_BODY_CLEANER = nh3.Cleaner(
    attributes=_BODY_ATTRIBUTES,
    attribute_filter=_only_http,
    url_schemes={"http", "https"},
    url_relative="deny",
    link_rel="nofollow noopener noreferrer",
    set_tag_attribute_values={"img": {"loading": "lazy", "referrerpolicy": "no-referrer"}},
)


def safe_body(value: Any) -> Markup | None:
    """``body_html`` cleaned again for the notice page (see the module docstring); None when
    nothing of it is left."""
    if not isinstance(value, str):
        return None
    cleaned = _BODY_CLEANER.clean(value).strip()
    return Markup(cleaned) if cleaned else None  # noqa: S704 - sanitized by nh3 just above


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
    env.filters["safe_body"] = safe_body
