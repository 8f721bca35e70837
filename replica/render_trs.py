"""TRS WCM pages: column list pages and article pages of the bureau's portal.

Article pages follow the sample TRS pages (shanxi_gov, gxzf_gov, jw_beijing_gov): the inline
``createPageHTML`` helper, ``CurrChnlCls`` breadcrumb, ``div.TRS_Editor`` body, national-spec
metas on pages since 2015. Inferred: the list page (no real TRS list page was available; it
is built around the ``createPageHTML(count, index, "index", "shtml")`` call real templates make)
and the 公开目录 table ``table.gkml_meta``.
"""

from __future__ import annotations

import random

from replica import chrome, dirty
from replica.model import Column, Notice
from replica.render_body import render_blocks

PER_PAGE = 20
TITLE_CHARS = 30
MODERN_YEAR = 2015  # pages published since then carry the national-spec metas
TRS_TA = (
    '<script id="_trs_ta_js" src="//ta.trs.cn/c/js/ta.js?mpid=4408" '
    'async="async" defer="defer"></script>'
)
TRS_STYLE = (
    '<style type="text/css">.TRS_Editor P{margin-top:5px;margin-bottom:5px;line-height:2;'
    "font-family:宋体;font-size:12pt;}.TRS_Editor TD{font-size:12pt;}</style>"
)


def page_name(index: int) -> str:
    """``index.shtml``, ``index_1.shtml`` …"""
    return "index.shtml" if index == 0 else f"index_{index}.shtml"


def list_page(
    column: Column, items: list[Notice], index: int, count: int, prefix: str, columns: tuple
) -> str:
    """Page ``index`` (0-based) of ``count`` of a column's list, newest first."""
    here = column.dir + page_name(index)
    lines = "\n".join(_item(notice, here) for notice in items)
    pager = f'<script>createPageHTML({count}, {index}, "index", "shtml");</script>'
    body = "\n".join(
        (
            chrome.nav(prefix, columns),
            _position(column, here),
            '<div class="main">',
            f'<div class="column-title"><h2>{dirty.esc(column.name)}</h2></div>',
            f'<ul class="list">\n{lines}\n</ul>',
            f'<div class="page">{pager}</div>',
            "</div>",
            chrome.footer(prefix, True),
        )
    )
    head = f"{chrome.site_metas(column.name)}\n{chrome.stylesheet(prefix)}\n{chrome.PAGER_JS}"
    return chrome.page(f"{column.name} - {chrome.SITE_TITLE}", head, body, _charset(column))


def _item(notice: Notice, here: str) -> str:
    """A list entry: link (title attribute full, text maybe shortened with …) and date."""
    shown = dirty.title(notice.title, notice.key)
    label = shown if len(shown) <= TITLE_CHARS else shown[: TITLE_CHARS - 1] + "…"
    link = (
        f'<a href="{chrome.rel(notice.path, here)}" title="{dirty.attr(shown)}" '
        f'target="_blank">{dirty.esc(label)}</a>'
    )
    return f'<li>{link}<span class="date">{notice.publish_date.isoformat()}</span></li>'


def detail(notice: Notice, prefix: str, columns: tuple, *, show_date: bool = True) -> str:
    """An article page; ``show_date=False`` leaves out 发布时间, PubDate and 发布日期."""
    rng = random.Random(notice.key + ":look")
    modern = notice.publish_date.year >= MODERN_YEAR
    shown = dirty.title(notice.title, notice.key)
    head = [
        _metas(notice, shown, show_date) if modern else "",
        chrome.stylesheet(prefix),
        chrome.PAGER_JS,
        chrome.SHARE_JS,
    ]
    if modern:
        head.append(TRS_TA)
    parts = [
        chrome.nav(prefix, columns),
        _position(notice.column, notice.path),
        '<div class="content">',
        _meta_table(notice, shown, rng, show_date) if notice.has_meta else "",
        f'<div class="title"><h1>{dirty.esc(shown)}</h1></div>',
        _info(notice, modern, show_date),
        f'<div class="article"><div class="TRS_Editor">{TRS_STYLE}',
        render_blocks(notice.body, rng),
        "</div></div>",
        _attachments(notice),
        SHARE,
        "</div>",
        chrome.footer(prefix, modern),
    ]
    title = f"{shown} - {chrome.SITE_TITLE}" if modern else shown
    return chrome.page(
        title,
        "\n".join(h for h in head if h),
        "\n".join(p for p in parts if p),
        _charset(notice.column),
    )


def _charset(column: Column) -> str:
    return "gb2312" if column.charset != "utf-8" else "utf-8"


def _metas(notice: Notice, shown: str, show_date: bool) -> str:
    metas = [
        chrome.site_metas(notice.column.name),
        f'<meta name="ArticleTitle" content="{dirty.attr(shown)}">',
    ]
    if show_date:
        moment = f"{notice.publish_date.isoformat()} {notice.publish_time}"
        metas.append(f'<meta name="PubDate" content="{moment}">')
    metas.append(f'<meta name="ContentSource" content="{dirty.attr(notice.source)}">')
    return "\n".join(metas)


def _position(column: Column, page: str) -> str:
    """``您当前所在位置: 首页 > 财政局 > 信息公开 > 通知公告`` with CurrChnlCls links."""
    trail = chrome.trail(column)
    links = " &gt; ".join(
        f'<a href="{chrome.rel(path, page)}" target="_self" title="{name}" '
        f'class="CurrChnlCls">{name}</a>'
        for name, path in trail
    )
    return f'<div class="position">您当前所在位置: {links}</div>'


def _meta_table(notice: Notice, shown: str, rng: random.Random, show_date: bool) -> str:
    """The 公开目录 block: 索引号 分类 发布机构 成文日期 发布日期 文号 名称 主题词."""
    made = dirty.date(notice.doc_date, rng.choice(dirty.DATE_STYLES)) if notice.doc_date else ""
    published = dirty.date(notice.publish_date, rng.choice(dirty.DATE_STYLES))
    number = dirty.doc_number(notice.doc_number, rng) if notice.doc_number else ""
    pairs = (
        (
            ("索引号", notice.index_number or ""),
            ("分类", f"财政、金融、审计\\{notice.column.name}"),
        ),
        (("发布机构", notice.publisher), ("成文日期", made)),
        (("文号", number), ("发布日期", published)) if show_date else (("文号", number),),
        (("名称", shown),),
        (("主题词", notice.topic),),
    )
    rows = ["<tr>" + "".join(_meta_cells(label, value, len(row)) for label, value in row) + "</tr>"
            for row in pairs]  # fmt: skip
    return (
        '<table class="gkml_meta" width="100%" cellspacing="0" cellpadding="0">\n'
        + "\n".join(rows)
        + "\n</table>"
    )


def _meta_cells(label: str, value: str, per_row: int) -> str:
    span = ' colspan="3"' if per_row == 1 else ""
    return f'<td class="t">{label}：</td><td{span}>{dirty.esc(value)}</td>'


def _info(notice: Notice, modern: bool, show_date: bool) -> str:
    """``发布时间:2006-09-07 11:00 作者: 来源: 本网 字体:[…]`` (full-width colons since 2015)."""
    colon, gap = ("：", "&nbsp;&nbsp;") if modern else (":", " ")
    pad = "" if modern else " "
    fields = []
    if show_date:
        fields.append(f"发布时间{colon}{notice.publish_date.isoformat()} {notice.publish_time}")
    fields.append(
        f"作者{colon}{pad}{dirty.esc(notice.author)}" if notice.author else f"作者{colon}"
    )
    fields.append(f"来源{colon}{pad}{dirty.esc(notice.source)}")
    fields.append(f"字体{colon}[{ZOOM}]")
    return f'<div class="info">{gap.join(fields)}</div>'


ZOOM = (
    '<a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> '
    '<a href="javascript:doZoom(12)">小</a>'
)


def _attachments(notice: Notice) -> str:
    if not notice.attachments:
        return ""
    items = "".join(
        f'<li><a href="{chrome.rel(a.path, notice.path)}" target="_blank">'
        f"{dirty.esc(a.name)}</a></li>"
        for a in notice.attachments
    )
    return f'<div class="fujian"><p>附件：</p><ul>{items}</ul></div>'


SHARE = (
    '<div class="share">分享到：'
    '<a href="javascript:shareTo(\'wechat\')" class="bds_weixin">微信</a> '
    '<a href="javascript:shareTo(\'weibo\')" class="bds_tsina">微博</a>　'
    '<a href="javascript:window.print()">打印本页</a> '
    '<a href="javascript:window.close()">关闭窗口</a></div>'
)
