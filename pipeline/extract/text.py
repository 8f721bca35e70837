"""Text of short fields and paragraphs: ``normalize_text`` plus the spaces it leaves alone."""

from __future__ import annotations

from pipeline.normalize.text import line_normalizer

# Unicode spaces normalize_text leaves alone (pages indent with EM SPACE, separate names with
# EN SPACE): they read as spaces, so they collapse with the others.
OTHER_SPACES = "\u2000-\u200a\u202f\u205f"

#: ``normalize_text`` after mapping the other Unicode spaces (U+2000-U+200A ...) to a space.
line_text = line_normalizer(OTHER_SPACES)


def short_text(value: str | None) -> str | None:
    """A short field: normalized, None when empty or holding undecodable bytes (U+FFFD)."""
    text = line_text(value)
    if text is None or "\ufffd" in text:
        return None
    return text
