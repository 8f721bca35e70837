"""Detail pages in ccgp's ``vF_detail`` template (ccgp_gov__procurement_award__1/2).

Head metas (ArticleTitle, PubDate, ContentSource), ``CurrChnlCls`` breadcrumb, the
``vF_detail_header`` with ``#pubTime`` / ``#sourceName``, the 公告概要 summary table, the body in
``div.vF_detail_content``, attachments in ``div.vF_detail_fujian`` and 相关公告. Dirt that does
not change the record is added here: the bot-shield stub before a normal article, full-width
project numbers, unclosed ``<p>`` / ``<td>``, a hidden ``articleId`` input, an empty
``#sourceName`` (the ContentSource meta still names the source). INFERRED: every page that is
not an award (no real one), and the attachment block's markup.
"""

from __future__ import annotations

import random
import re

from replica import chrome, dirty
from replica.model import Notice
from replica.procurement import layout
from replica.procurement.model import Announcement, SummaryRow
from replica.render_body import render_blocks

WIDE = str.maketrans({c: chr(ord(c) + 0xFEE0) for c in "0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ"})
OPEN_P = re.compile(r"(<p[^>]*>[^<]{8,}?)</p>")


def detail(announcement: Announcement, prefix: str, *, show_date: bool = True) -> str:
    """The page of an announcement; ``show_date=False`` leaves out PubDate, pubTime, 公告时间."""
    notice = announcement.notice
    rng = random.Random(notice.key + ":look")
    shown = dirty.title(notice.title, notice.key)
    stub = layout.bot_stub(notice.key) if _stubbed(notice, rng) else ""
    parts = [
        stub,
        layout.header(prefix),
        '<div class="main">\n<div class="main_container">',
        layout.crumbs(notice.column, notice.path),
        '<div class="vF_deail_maincontent">\n<div class="vF_detail_main">',
        _title_block(notice, shown, rng, show_date),
        _summary(announcement.draft.summary, show_date),
        _body(announcement, rng),
        _attachments(notice),
        "</div><!--vF_detail_main-->\n</div><!--vF_deail_maincontent-->",
        _related(announcement, notice.path),
        "</div>\n</div>",
        layout.FOOTER,
    ]
    return layout.document(
        shown, _metas(notice, shown, show_date), "\n".join(p for p in parts if p), "detail"
    )


def wide(number: str) -> str:
    """``ＺＪＣＧ２０２５－０１２３``: letters, digits and hyphens full-width (brackets stay)."""
    return number.translate(WIDE)


def _stubbed(notice: Notice, rng: random.Random) -> bool:
    return notice.publish_date.year >= 2022 and rng.random() < 0.5


def _metas(notice: Notice, shown: str, show_date: bool) -> str:
    metas = [layout.site_metas(), f'<meta name="ArticleTitle" content="{dirty.attr(shown)}">']
    if show_date:
        metas.append(f'<meta name="PubDate" content="{notice.publish_date} {notice.publish_time}">')
    metas.append(f'<meta name="ContentSource" content="{dirty.attr(notice.source)}">')
    return "\n".join(metas)


def _title_block(notice: Notice, shown: str, rng: random.Random, show_date: bool) -> str:
    day = notice.publish_date
    when = f'<span id="pubTime">{day:%Y}年{day:%m}月{day:%d}日 {notice.publish_time}</span> '
    source = "" if day.year < 2022 and rng.random() < 0.4 else dirty.esc(notice.source)
    return (
        f'<div class="vF_detail_header"><h2 class="tc">{dirty.esc(shown)}</h2>\n'
        f'<p class="tc">{when if show_date else ""}来源：<span id="sourceName">{source}</span> '
        '【<span id="printBtn">打印</span>】 <span id="shareTo"></span></p></div>'
    )


def _summary(rows: list[SummaryRow], show_date: bool) -> str:
    """The 公告概要 table (intent pages have none)."""
    if not rows:
        return ""
    lines = []
    for row in rows:
        if isinstance(row, str):
            lines.append(f"<tr><td colspan='4'><b>{dirty.esc(row)}</b></td></tr>")
            continue
        cells = [cell for cell in row if show_date or cell[0] != "公告时间"]
        lines.append("<tr>" + "".join(_cells(label, value, len(cells)) for label, value in cells)
                     + "</tr>")  # fmt: skip
    table = (
        "<table width='600' border='0' cellspacing='1' bgcolor='#bfbfbf' "
        "style='text-align:left;'>" + "".join(lines) + "</table>"
    )
    summary = f"<div class='table'><h5>公告概要：</h5>{table}</div>"
    return f"<!--contentTable-->\n{summary}\n<!--contentTable-->"


def _cells(label: str, value: str, per_row: int) -> str:
    shown = f"<p>{dirty.esc(value)}</p>" if label == "品目" else dirty.esc(value)
    span = " colspan='3'" if per_row == 1 else " width='168'"
    return f"<td class='title'>{dirty.esc(label)}</td><td{span}>{shown}</td>"


def _body(announcement: Announcement, rng: random.Random) -> str:
    html = render_blocks(announcement.notice.body, rng)
    number = announcement.draft.number
    if number and rng.random() < 0.1:
        html = html.replace(number, wide(number))
    if rng.random() < 0.12:
        html = OPEN_P.sub(r"\1", html, count=3).replace("</td>", "", 2)
    if rng.random() < 0.4:
        article = announcement.notice.path.rsplit("_", 1)[1].split(".")[0]
        html = f'<input type="hidden" name="articleId" value="{article}">\n{html}'
    return (
        '<div class="vF_detail_content_container">\n<div class="vF_detail_content">\n'
        f"{html}\n</div>\n</div><!--vF_detail_content_container-->"
    )


def _attachments(notice: Notice) -> str:
    if not notice.attachments:
        return ""
    links = " ".join(
        f'<a href="{chrome.rel(a.path, notice.path)}" target="_blank">{dirty.esc(a.name)}</a>'
        for a in notice.attachments
    )
    return f'<div class="vF_detail_fujian"><p>附件：</p>{links}</div>'


def _related(announcement: Announcement, page: str) -> str:
    items = "\n".join(
        f'<li><a href="{chrome.rel(n.path, page)}" title="{dirty.attr(n.title)}" '
        f'target="_blank">{dirty.esc(n.title)}</a><span>{n.publish_date}</span></li>'
        for n in reversed(announcement.related)
    )
    return (
        '<div class="vF_detail_relcontent mt13">\n<h2><p>相关公告</p></h2>\n'
        f'<div class="vF_detail_relcontent_lst">\n<ul class="c_list_tat">\n{items}\n</ul>\n'
        "</div>\n</div><!--相关公告-->"
    )
