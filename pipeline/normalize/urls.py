"""Links as a browser reads them: WHATWG-style cleanup, then only http(s) URLs are kept.

A browser strips leading and trailing C0 controls and spaces from an ``href`` and removes every
ASCII tab and newline before it looks at the scheme, so ``java\\tscript:alert(1)`` and
``\\x01javascript:…`` are ``javascript:`` links. Checking a prefix of the raw attribute misses
them; checking the scheme of the URL after cleanup and resolution does not.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import urljoin, urlsplit

WEB_SCHEMES = frozenset({"http", "https"})
_C0_CONTROL_OR_SPACE = "".join(chr(code) for code in range(0x21))
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")


def clean_href(href: str) -> str:
    """``href`` as the URL parser sees it: leading/trailing C0 controls and spaces stripped,
    ASCII tab, LF and CR removed anywhere."""
    return href.strip(_C0_CONTROL_OR_SPACE).translate(_TAB_OR_NEWLINE)


@lru_cache(maxsize=1024)
def web_url(base: str, href: str | None) -> str | None:
    """The absolute URL of a web link ``href`` on the page at ``base``, or None.

    A link with a scheme must be http(s) with a host; ``javascript:``, ``mailto:``, ``data:``,
    ``file:`` … give None however disguised. A relative link resolves against ``base`` (the
    page's own URL: http(s) for every crawled page). None also for an empty or fragment-only
    link and a malformed one (bad port, broken IPv6 literal).

    Memoized (a pure function of two strings): a page resolves its body's links for the
    attachments and again for ``body_html``, and ``urljoin`` is pure Python.
    """
    href = clean_href(href or "")
    if not href or href.startswith("#"):
        return None
    try:
        scheme = urlsplit(href).scheme.lower()
        url = urljoin(base, href)
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises ValueError for a port out of range)
    except ValueError:
        return None
    if scheme and (scheme not in WEB_SCHEMES or not parts.hostname):
        return None
    return url
