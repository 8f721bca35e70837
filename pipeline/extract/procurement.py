"""Hook for the procurement field extractor (项目编号, 采购人, 预算金额, 中标金额 ...).

``extract_page`` calls :func:`procurement_fields` for every ``procurement`` page and stores the
result in the record's ``procurement`` field. It returns None until the procurement extractor
(a later piece of work, see DESIGN.md "zwgk extract JSON") fills it in from the same parsed page.
"""

from __future__ import annotations

from typing import Any

from lxml import etree


def procurement_fields(
    root: etree._Element, body: etree._Element | None, url: str
) -> dict[str, Any] | None:
    """The ``procurement`` object of a procurement notice; None while not implemented."""
    del root, body, url
    return None
