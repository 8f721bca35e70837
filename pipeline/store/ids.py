"""Stable identifiers: one id per canonical URL."""

from __future__ import annotations

import hashlib
from urllib.parse import urlsplit, urlunsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop the default port and the fragment; keep path and query."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if parts.port and parts.port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{parts.port}"
    return urlunsplit((scheme, host, parts.path or "/", parts.query, ""))


def notice_id(url: str) -> str:
    """16 hex digits of sha256(canonical URL): stable across runs and machines."""
    return hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()[:16]
