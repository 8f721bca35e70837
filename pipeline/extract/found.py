"""A value with where it was found: what every field helper returns (``zwgk extract --explain``).

Sources are short and stable: ``meta ArticleTitle``, ``label 发布时间``, ``selector h2.tc``,
``hanweb comment 标题``, ``breadcrumb``, ``summary 采购项目名称``, ``body 项目编号`` …
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple


class Found(NamedTuple):
    """A field's value and its source (None, None when the page does not give it)."""

    value: Any
    source: str | None = None


NOTHING = Found(None, None)


def first_found(*candidates: tuple[str, Callable[[], Any]]) -> Found:
    """The first candidate (``(source, finder)``, tried in order) that finds a value."""
    for source, find in candidates:
        value = find()
        if value:
            return Found(value, source)
    return NOTHING
