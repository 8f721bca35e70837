"""A value with where it was found: what every field helper returns (``zwgk extract --explain``).

Sources are short and stable: ``meta ArticleTitle``, ``label 发布时间``, ``selector h2.tc``,
``hanweb comment 标题``, ``breadcrumb``, ``summary 采购项目名称``, ``body 项目编号`` …
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from lxml import etree

from pipeline.record import Attachment


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


@dataclass(frozen=True)
class Embedded:
    """What a page carries as data beside its markup (gkmlpt's ``window._CONFIG.DETAIL``):
    field values that win over the page's (a value of None included: a date given without
    its time), a body container parsed from the data, and attachments the data lists."""

    fields: dict[str, Found] = field(default_factory=dict)
    body: etree._Element | None = None
    attachments: tuple[Attachment, ...] = ()
    body_source: str | None = None  # where ``body`` came from (``gkmlpt DETAIL.content``)
