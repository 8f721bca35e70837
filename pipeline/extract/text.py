"""Text of short fields and paragraphs: ``normalize_text`` plus the spaces it leaves alone."""

from __future__ import annotations

import re

from pipeline.normalize import normalize_text

# Unicode spaces normalize_text leaves alone (pages indent with EM SPACE, separate names with
# EN SPACE): they read as spaces, so they become one before normalizing. A regex, not
# str.translate: translate walks every character of a long CJK paragraph in Python.
_OTHER_SPACES = re.compile("[\u2000-\u200a\u202f\u205f]")


def line_text(value: str | None) -> str | None:
    """``normalize_text`` after mapping the other Unicode spaces (U+2000-U+200A ...) to a space."""
    if not value:
        return None
    if _OTHER_SPACES.search(value):
        value = _OTHER_SPACES.sub(" ", value)
    return normalize_text(value)


def short_text(value: str | None) -> str | None:
    """A short field: normalized, None when empty or holding undecodable bytes (U+FFFD)."""
    text = line_text(value)
    if text is None or "\ufffd" in text:
        return None
    return text
