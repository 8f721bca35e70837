"""An announcement's ``content``: the HTML fragment getInfoById returns (no page chrome).

The body blocks go through the same editor dirt as the ccgp replica's bodies
(``replica.render_body``: indentation, full-width digits, Word-paste spans …); a few pages write
the project number full-width; an award links its 附件 lines to their files. INFERRED: the
real content markup (a rich-text editor's fragment is assumed), the optional wrapping
``<div style>``, and links as root-relative URLs on the platform's host.
"""

from __future__ import annotations

import html
import random

from replica.gdgpo.codes import PREFIX
from replica.gdgpo.model import Entry
from replica.procurement.render import wide
from replica.render_body import render_blocks

WRAPPER = '<div style="font-family:宋体;font-size:14px;line-height:2">'


def content(entry: Entry) -> str:
    """The announcement's HTML (deterministic per announcement)."""
    rng = random.Random(entry.notice.key + ":content")
    text = render_blocks(entry.notice.body, rng)
    number = entry.draft.number
    if number and rng.random() < 0.1:
        text = text.replace(number, wide(number))
    for link in entry.linked:
        text = _link(text, link.name, PREFIX + link.path)
    return f"{WRAPPER}\n{text}\n</div>" if rng.random() < 0.3 else text


def _link(text: str, words: str, href: str) -> str:
    """The last occurrence of ``words`` (the 附件 line) as a link to ``href``."""
    at = text.rfind(words)
    if at < 0:
        raise ValueError(f"no {words!r} to link in the content")
    anchor = f'<a href="{html.escape(href)}" target="_blank">{words}</a>'
    return text[:at] + anchor + text[at + len(words) :]
