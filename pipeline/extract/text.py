"""Text of short fields and paragraphs: ``normalize_text`` plus the spaces it leaves alone."""

from __future__ import annotations

from functools import lru_cache

from pipeline.normalize.text import line_normalizer

# Unicode spaces normalize_text leaves alone (pages indent with EM SPACE, separate names with
# EN SPACE): they read as spaces, so they collapse with the others.
OTHER_SPACES = "\u2000-\u200a\u202f\u205f"

#: ``normalize_text`` after mapping the other Unicode spaces (U+2000-U+200A ...) to a space.
#: Memoized: four in five calls on replica pages repeat a recent text (labels, headings, page
#: chrome, a cell read for the body and again for a table).
line_text = lru_cache(maxsize=2048)(line_normalizer(OTHER_SPACES))


def short_text(value: str | None) -> str | None:
    """A short field: normalized, None when empty or holding undecodable bytes (U+FFFD)."""
    text = line_text(value)
    if text is None or "\ufffd" in text:
        return None
    return text
