"""Checks of ``zwgk`` arguments, run before any work starts.

The argparse types raise ``argparse.ArgumentTypeError`` (usage error, exit 2); the other checks
return a problem as one line of text, or None.
"""

from __future__ import annotations

import argparse
import codecs
import datetime as dt
import difflib
import json
import logging
import re
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

SQLITE_HEADER = b"SQLite format 3\x00"
SETTING_NAME = re.compile(r"[A-Z][A-Z0-9_]*\Z")
#: Settings ``zwgk crawl`` sets from its own options; ``-s`` must not set them.
BY_OPTION = {"ZWGK_DB": "--db", "ZWGK_REPLICA_URL": "--replica-url or --replica"}
#: Settings ``zwgk crawl`` fixes for its log and summary.
FIXED = ("LOG_FORMAT", "LOG_DATEFORMAT", "LOG_VERSIONS", "STATS_DUMP")
#: Settings whose default is an int but that Scrapy reads with ``getfloat``.
READ_AS_FLOAT = {"DNS_TIMEOUT", "DOWNLOAD_DELAY", "DOWNLOAD_TIMEOUT"}
#: Project settings read with a default in code instead of crawler/settings.py.
EXTRA_DEFAULTS = {"ZWGK_WRITER_CHECK_INTERVAL": 1.0}
BOOLEANS = {"0", "1", "True", "False", "true", "false"}


class UsageError(Exception):
    """A bad argument found after parsing: ``zwgk VERB: error: MESSAGE``, exit 2."""


# -- argparse types ------------------------------------------------------------------------


def port(value: str) -> int:
    """A TCP port number, 1-65535."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"port {number} out of range 1-65535")
    return number


def iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def http_url(value: str) -> str:
    """An http(s) URL with a host (and a valid port, if any)."""
    problem = _url_problem(value, ("http", "https"))
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def redis_url(value: str) -> str:
    """A redis:// (or rediss://, unix://) URL with a host or a socket path."""
    problem = _url_problem(value, ("redis", "rediss")) if "://" in value else "not a URL"
    if value.startswith("unix://"):
        problem = None
    if problem:
        raise argparse.ArgumentTypeError(f"{problem} (expected redis://HOST:PORT/DB)")
    return value


def page_url(value: str) -> str:
    """The URL a saved page came from: http(s) with a host, or file:."""
    problem = _url_problem(value, ("http", "https", "file"))
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _url_problem(value: str, schemes: tuple[str, ...]) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in schemes:
        return f"not an {' or '.join(schemes)} URL: {value!r}"
    try:
        parts.port  # noqa: B018 (raises ValueError on a bad port)
    except ValueError:
        return f"bad port in URL {value!r}"
    if parts.scheme != "file" and not parts.hostname:
        return f"no host in URL {value!r}"
    return None


def encoding(value: str) -> str:
    try:
        codecs.lookup(value)
    except LookupError:
        raise argparse.ArgumentTypeError(f"unknown encoding: {value!r}") from None
    return value


def log_level(value: str) -> str:
    """A logging level name (any case), returned in upper case."""
    level = value.upper()
    if level not in logging.getLevelNamesMapping():
        raise argparse.ArgumentTypeError(
            f"unknown log level {value!r} (DEBUG, INFO, WARNING, ERROR or CRITICAL)"
        )
    return level


def db_path(value: str) -> str:
    """An archive path: a new file in an existing folder, an SQLite database or an empty file."""
    problem = _db_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _db_problem(value: str) -> str | None:
    if not value:
        return "the archive path is empty"
    path = Path(value)
    if path.is_dir():
        return f"{value} is a folder, not an archive file"
    if not path.parent.is_dir():
        return f"folder {path.parent} does not exist"
    if not path.exists():
        return None
    if not path.is_file():
        return f"{value} is not a regular file"
    return _header_problem(path)


def _header_problem(path: Path) -> str | None:
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror}"
    if header and header != SQLITE_HEADER:
        return f"{path} is not an SQLite database"
    return None


def setting(value: str) -> tuple[str, str]:
    """``NAME=VALUE`` for a Scrapy / ZWGK_* setting, the value checked against the default."""
    name, equals, text = value.partition("=")
    if not equals:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE, got {value!r}")
    problem = _name_problem(name) or _value_problem(name, text)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return name, text


# -- settings -------------------------------------------------------------------------------


@cache
def setting_defaults() -> dict[str, Any]:
    """Scrapy's defaults overlaid with the project's settings (crawler/settings.py)."""
    from scrapy.settings import default_settings

    import crawler.settings as project

    merged = {**vars(default_settings), **EXTRA_DEFAULTS, **vars(project)}
    return {name: value for name, value in merged.items() if SETTING_NAME.match(name)}


def _name_problem(name: str) -> str | None:
    if not SETTING_NAME.match(name):
        return f"not a setting name (upper case, e.g. DOWNLOAD_TIMEOUT): {name!r}"
    if name in BY_OPTION:
        return f"{name} is set with {BY_OPTION[name]}, not -s"
    if name in FIXED:
        return f"{name} is fixed by zwgk crawl"
    if name.startswith("ZWGK_") and name not in setting_defaults():
        return _unknown_zwgk(name)
    return None


def _unknown_zwgk(name: str) -> str:
    known = sorted(n for n in setting_defaults() if n.startswith("ZWGK_"))
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"did you mean {close[0]}?" if close else f"known: {', '.join(known)}"
    return f"unknown setting {name} ({hint})"


def _value_problem(name: str, text: str) -> str | None:
    if name in ("ZWGK_SINCE", "ZWGK_UNTIL", "ZWGK_TODAY"):
        return _parses(name, text, dt.date.fromisoformat, "a date (YYYY-MM-DD)")
    if name == "ZWGK_RECHECK":
        return _recheck_problem(text)
    if name == "LOG_LEVEL":
        return _parses(name, text, log_level, "a log level (DEBUG, INFO, WARNING, ...)")
    default = setting_defaults().get(name)
    if isinstance(default, bool):
        return None if text in BOOLEANS else f"{name} expects a boolean (1/0, true/false)"
    if isinstance(default, int) and name not in READ_AS_FLOAT:
        return _parses(name, text, int, "an integer")
    if isinstance(default, int | float):
        return _parses(name, text, float, "a number")
    if isinstance(default, dict):
        return _parses(name, text, _json_object, "a JSON object")
    return None


def _recheck_problem(text: str) -> str | None:
    from crawler.recheck import RecheckPolicy

    try:
        RecheckPolicy.parse(text)
    except ValueError as exc:
        return f"ZWGK_RECHECK: {exc}"
    return None


def _parses(name: str, text: str, parse, what: str) -> str | None:
    try:
        parse(text)
    except (ValueError, argparse.ArgumentTypeError):
        return f"{name} expects {what}, got {text!r}"
    return None


def _json_object(text: str) -> dict:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise ValueError("not an object")
    return value


# -- files ----------------------------------------------------------------------------------

#: Leading bytes of files that are clearly not web pages.
MAGIC = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a ZIP archive (or an Office document)",
    b"\xd0\xcf\x11\xe0": "an Office 97-2003 document",
    b"\x89PNG": "a PNG image",
    b"GIF8": "a GIF image",
    b"\xff\xd8\xff": "a JPEG image",
    b"\x1f\x8b": "a gzip file",
    b"Rar!": "a RAR archive",
    SQLITE_HEADER: "an SQLite database",
}
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
TEXT_CONTROLS = frozenset(b"\t\n\v\f\r\x1b")


def page_problem(body: bytes) -> str | None:
    """Why ``body`` cannot be a saved web page (empty, a known binary format, binary), or None."""
    if not body.strip():
        return "empty file, nothing to extract"
    head = body[:1024]
    for magic, what in MAGIC.items():
        if head.startswith(magic):
            return f"{what}, not an HTML page"
    if head.startswith(UTF16_BOMS):
        return None
    controls = sum(1 for byte in head if byte < 32 and byte not in TEXT_CONTROLS)
    if b"\x00" in head or controls > len(head) // 10:
        return "binary file, not an HTML page"
    return None


def archive_problem(db: str) -> str | None:
    """Why ``db`` (already through ``db_path``) holds no archive to serve, or None."""
    path = Path(db)
    if not path.exists():
        return f"no archive at {db}; run `zwgk demo` or `zwgk crawl` first"
    if path.stat().st_size == 0:
        return f"no archive at {db} (the file is empty); run `zwgk demo` or `zwgk crawl` first"
    return None
