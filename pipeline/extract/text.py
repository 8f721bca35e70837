"""Text of short fields and paragraphs: ``normalize_text`` plus the spaces it leaves alone."""

from __future__ import annotations

from pipeline.normalize import normalize_text

# Unicode spaces normalize_text leaves alone (pages indent with EM SPACE, separate names with
# EN SPACE): they read as spaces, so they become one before normalizing.
_OTHER_SPACES = str.maketrans(
    dict.fromkeys(
        map(ord, "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"),
        " ",
    )
)


def line_text(value: str | None) -> str | None:
    """``normalize_text`` after mapping the other Unicode spaces (U+2000-U+200A ...) to a space."""
    return normalize_text(value.translate(_OTHER_SPACES)) if value else None


def short_text(value: str | None) -> str | None:
    """A short field: normalized, None when empty or holding undecodable bytes (U+FFFD)."""
    text = line_text(value)
    if text is None or "\ufffd" in text:
        return None
    return text
