"""Body blocks as the HTML an editor (TRS_Editor, Hanweb's) leaves behind.

Paragraphs are indented by U+3000 pairs, ``&nbsp;`` runs or ``text-indent``; digits are
sometimes full-width; Word-paste spans, empty ``<p>&nbsp;</p>`` lines and comments appear
here and there; hidden blocks use ``display:none``, ``visibility:hidden`` or ``hidden``.
"""

from __future__ import annotations

import random
import re

from replica import dirty
from replica.model import Block, Hidden, Lines, Para, Table

DIGIT_RUN = re.compile(r"\d{4,}")


def render_blocks(blocks: tuple[Block, ...], rng: random.Random) -> str:
    """The HTML of a body's blocks, in order."""
    parts = []
    for block in blocks:
        parts.append(_block(block, rng))
        if rng.random() < 0.05:
            parts.append(rng.choice(("<p>&nbsp;</p>", "<p><br></p>", "<!-- 正文分隔 -->")))
    return "\n".join(parts)


def _block(block: Block, rng: random.Random) -> str:
    if isinstance(block, Para):
        return _para(block, rng)
    if isinstance(block, Lines):
        style = f' style="text-align:{block.align}"' if block.align else ""
        br = rng.choice(("<br>", "<br/>", "<br />"))
        return f"<p{style}>" + br.join(dirty.text(line, rng) for line in block.lines) + "</p>"
    if isinstance(block, Table):
        return _table(block, rng)
    if isinstance(block, Hidden):
        return _hidden(block, rng)
    raise TypeError(block)


def _para(para: Para, rng: random.Random) -> str:
    body = dirty.text(para.text, rng)
    if rng.random() < 0.1:
        body = DIGIT_RUN.sub(lambda m: f'<span lang="EN-US">{m.group(0)}</span>', body, count=1)
    if para.heading:
        return f"<p><strong>{body}</strong></p>"
    if para.align:
        return f'<p style="text-align:{para.align}">{body}</p>'
    lead = dirty.indent(rng)
    style = "" if lead else ' style="text-indent:2em"'
    return f"<p{style}>{lead}{body}</p>"


def _table(table: Table, rng: random.Random) -> str:
    width = max(len(row) for row in table.rows)
    rows = []
    for i, row in enumerate(table.rows):
        spans = _colspans(len(row), width)
        cells = []
        for cell, span in zip(row, spans, strict=True):
            content = dirty.text(cell, rng, wide=0.05)
            if i < table.header_rows:
                content = f"<strong>{content}</strong>"
            colspan = f' colspan="{span}"' if span > 1 else ""
            cells.append(f'<td{colspan} valign="center">{content}</td>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        '<table border="1" cellspacing="0" cellpadding="0" width="100%" '
        'style="border-collapse:collapse">\n<tbody>\n' + "\n".join(rows) + "\n</tbody></table>"
    )


def _colspans(cells: int, width: int) -> list[int]:
    """Column spans for a short row: even when the width divides, else the last cell widens."""
    if width % cells == 0:
        return [width // cells] * cells
    return [1] * (cells - 1) + [width - cells + 1]


def _hidden(block: Hidden, rng: random.Random) -> str:
    junk = dirty.esc(block.text)
    return rng.choice(
        (
            f'<div style="display:none">{junk}</div>',
            f'<p style="display: none;">{junk}</p>',
            f'<div style="visibility:hidden">{junk}</div>',
            f"<p hidden>{junk}</p>",
        )
    )
