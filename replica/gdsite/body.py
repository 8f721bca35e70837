"""A document's body as the NFCMS editor (UEditor) leaves it, in each theme's paragraph style.

Real (the three sample pages): U+3000 indentation inside ``<p style="text-align: left;">``
(中山: ``indenttext`` / ``noextractcontent`` attributes, 江门: font styles), bold leads inside
paragraphs, ``<p><br/></p>`` spacers, ``a.nfw-cms-attachment`` links (some with empty text
and the name only in ``alt``), ``img.nfw-cms-img`` images. The same HTML is the column page's
body, the mobile twin's and gkmlpt's ``DETAIL.content``; only desktop pages may add the
trailing chrome (QR code, print / close) inside the container.
"""

from __future__ import annotations

import random

from replica import dirty
from replica.gdsite.model import Attach, Doc, Image, attachment_path, image_path
from replica.model import Block, Hidden, Lines, Para, Table

PARA_STYLE = {
    "zhanjiang": ' style="text-align: left;"',
    "zs": ' indenttext="　　" noextractcontent="true" style="text-align: justify;"',
    "jiangmen": ' style="text-align: left; font-family: 宋体; font-size: 20px; line-height: 2;"',
}
INDENTS = ("\u3000\u3000", "\u3000\u3000", "\u3000\u3000", "&nbsp;&nbsp;&nbsp;&nbsp;", "")
#: The page chrome some real articles carry inside the container; never body text.
INNER_CHROME = (
    '<div class="info_ewm"><div id="qr_container">扫一扫在手机打开当前页</div>'
    '<canvas id="Canvas" width="160" height="160"></canvas></div>'
    '<div class="mar"><a id="btn_print" class="article_bot_btn" '
    'onclick="javascript:window.print()">【打印本页】</a>'
    '<a id="btn_close" class="article_bot_btn" '
    'onclick="javascript:window.close()">【关闭窗口】</a></div>'
)


def render(doc: Doc, theme: str, prefix: str) -> str:
    """The body HTML (inside the theme's container), deterministic for the document."""
    rng = random.Random(doc.key + ":body")
    style = PARA_STYLE[theme]
    lead = [a for a in doc.attachments if a.lead]
    tail = [a for a in doc.attachments if not a.lead]
    parts = [f"<p>{link(a, doc.post_id, prefix, rng)}</p>" for a in lead]
    if lead:
        parts.append(f"<p{style}><br/></p>")
    for index, block in enumerate(doc.body):
        parts.append(_block(block, style, rng))
        parts += [image(i, doc.post_id, prefix) for i in doc.images if i.after == index]
        if rng.random() < 0.06:
            parts.append(rng.choice(("<p><br/></p>", "<p>&nbsp;</p>", f"<p{style}><br/></p>")))
    if tail:
        parts.append(f"<p{style}><br/></p>")
    parts += [f"<p>{link(a, doc.post_id, prefix, rng)}</p>" for a in tail]
    return "".join(parts)


def link(att: Attach, post_id: int, prefix: str, rng: random.Random) -> str:
    """``a.nfw-cms-attachment``; with empty text the name is only in ``alt`` (and ``title``)."""
    href = prefix + attachment_path(att.aid, post_id, att.ext)
    name = dirty.attr(att.name)
    title = f' title="{name}"' if att.empty_text and rng.random() < 0.5 else ""
    text = "" if att.empty_text else dirty.esc(att.name)
    return (
        f'<a target="_blank" class="nfw-cms-attachment" attachment-id="{att.aid}" '
        f'href="{href}" alt="{name}"{title}>{text}</a>'
    )


def image(img: Image, post_id: int, prefix: str) -> str:
    src = prefix + image_path(img.iid, post_id)
    size = f'width="{img.width}" height="{img.height}"'
    style = f"width: {img.width}px; height: {img.height}px;"
    return (
        f'<p style="text-align: center;">\u3000\u3000<img class="nfw-cms-img" img-id="{img.iid}" '
        f'src="{src}" alt="{dirty.attr(img.alt)}" {size} style="{style}"/></p>'
    )


def _block(block: Block, style: str, rng: random.Random) -> str:
    if isinstance(block, Para):
        return _para(block, style, rng)
    if isinstance(block, Lines):
        lines = "<br/>".join(dirty.text(line, rng) for line in block.lines)
        return f'<p style="text-align: {block.align or "left"};">{lines}</p>'
    if isinstance(block, Table):
        return _table(block, rng)
    if isinstance(block, Hidden):
        return f'<p style="display: none;">{dirty.esc(block.text)}</p>'
    raise TypeError(block)


def _para(para: Para, style: str, rng: random.Random) -> str:
    if para.heading:
        return f"<p{style}><strong>\u3000\u3000{dirty.text(para.text, rng)}</strong></p>"
    if para.align:
        return f'<p style="text-align: {para.align};">{dirty.text(para.text, rng)}</p>'
    indent = rng.choice(INDENTS)
    head, dot, rest = para.text.partition("。")
    if rest and rng.random() < 0.25:  # a bold lead sentence, as reports write them
        bold = dirty.text(head + dot, rng)
        return f"<p{style}>{indent}<strong>{bold}</strong>{dirty.text(rest, rng)}</p>"
    return f"<p{style}>{indent}{dirty.text(para.text, rng)}</p>"


def _table(table: Table, rng: random.Random) -> str:
    rows = []
    for i, row in enumerate(table.rows):
        cells = "".join(
            f'<td valign="center" style="border: 1px solid #000;">{dirty.text(c, rng, 0.05)}</td>'
            for c in row
        )
        first = ' class="firstRow"' if i == 0 else ""
        rows.append(f"<tr{first}>{cells}</tr>")
    return (
        '<table cellspacing="0" style="width: 100%; border-collapse: collapse;" width="100%">'
        "<tbody>" + "".join(rows) + "</tbody></table>"
    )
