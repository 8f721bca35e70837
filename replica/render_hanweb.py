"""Hanweb 大汉 jcms pages: the 政务公开目录 columns, their datastore lists and article pages.

Article pages follow the sample Hanweb pages (jyt_zj_gov, fgw_zj_gov): ``table.xxgk`` cells,
``<!--<$[标题]>begin-->`` field comments, ``#zoom`` body. Inferred from Hanweb's public jpage
markup (no real list page was available): the column page's ``<datastore>`` script with the
first records inline, its jpage config, and the ``dataproxy.jsp`` answers.
"""

from __future__ import annotations

import random
from importlib import resources
from string import Template

from replica import chrome, dirty
from replica.model import Column, Notice
from replica.render_body import render_blocks

PER_PAGE = 15
INLINE = PER_PAGE * 3  # records on the column page itself; the rest come from dataproxy.jsp
UNIT_ID = 5501
PROXY = "module/jpage/dataproxy.jsp"
JPAGE = Template(
    resources.files("replica").joinpath("data", "jpage.js").read_text(encoding="utf-8")
)


def record(notice: Notice, prefix: str) -> str:
    """One ``<record>`` of a datastore: a list item in CDATA."""
    shown = dirty.title(notice.title, notice.key)
    return (
        f'<record><![CDATA[\n<li><a href="{prefix}{notice.path}" title="{dirty.attr(shown)}" '
        f'target="_blank">{dirty.esc(shown)}</a><span>{notice.publish_date.isoformat()}</span></li>\n]]></record>'
    )


def list_page(column: Column, items: list[Notice], total: int, prefix: str, columns: tuple) -> str:
    """The column page: a datastore script with the first INLINE records and the jpage config."""
    cid = column.col_id
    records = "\n".join(record(n, prefix) for n in items[:INLINE])
    query = (
        f"page=1&appid=1&webid=1&path=/&columnid={cid}&unitid={UNIT_ID}"
        f"&webname={chrome.SITE_TITLE}&permissiontype=0"
    )
    store = (
        f'<div id="{cid}"><script type="text/xml">\n<datastore>\n'
        f'<nextgroup><![CDATA[<a href="{prefix}{PROXY}?{query}"></a>]]></nextgroup>\n'
        f"<recordset>\n{records}\n</recordset>\n<totalrecord>{total}</totalrecord>\n"
        "</datastore>\n</script></div>"
    )
    body = "\n".join(
        (
            chrome.nav(prefix, columns),
            _position(column, prefix),
            f'<div class="main"><div class="lm-title">{dirty.esc(column.name)}</div>',
            f'<div class="lm-list">\n{store}\n{_jpage(cid, total, prefix)}\n</div></div>',
            chrome.footer(prefix, True),
        )
    )
    title = f"{column.name} - {chrome.SITE_TITLE}"
    return _document(title, chrome.site_metas(column.name), body, prefix)


def proxy(items: list[Notice], total: int, prefix: str) -> str:
    """A ``dataproxy.jsp`` answer: the datastore XML with the requested records."""
    records = "\n".join(record(n, prefix) for n in items)
    pages = max(1, -(-total // PER_PAGE))
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<datastore>\n'
        f"<totalrecord>{total}</totalrecord>\n<totalpage>{pages}</totalpage>\n"
        f"<recordset>\n{records}\n</recordset>\n</datastore>\n"
    )


def detail(notice: Notice, prefix: str, columns: tuple, *, show_date: bool = True) -> str:
    """An article page; ``show_date=False`` leaves out 发布日期 and PubDate."""
    rng = random.Random(notice.key + ":look")
    shown = dirty.title(notice.title, notice.key)
    modern = notice.publish_date.year >= 2015
    body = "\n".join(
        (
            chrome.nav(prefix, columns),
            _position(notice.column, prefix),
            '<div class="main"><div class="wzy_cont">',
            _xxgk(notice, rng),
            '<table width="100%" border="0" align="center" cellpadding="0" cellspacing="1" id="c">',
            f'<tr><td align="center" class="title"><!--<$[标题]>begin-->{dirty.esc(shown)}'
            "<!--<$[标题]>end--></td></tr>",
            f"<tr><td>{_info(notice, prefix, show_date)}</td></tr>",
            '<tr><td class="bt_content"><div id="zoom"><!--<$[信息内容]>begin-->'
            '<!--ZJEG_RSS.content.begin--><meta name="ContentStart">',
            render_blocks(notice.body, rng),
            '<meta name="ContentEnd"><!--ZJEG_RSS.content.end-->'
            "<!--<$[信息内容]>end--></div></td></tr>",
            f"<tr><td>{_attachments(notice, prefix)}</td></tr>" if notice.attachments else "",
            f"<tr><td>{SHARE}</td></tr>",
            "</table>",
            "</div></div>",
            chrome.footer(prefix, modern),
        )
    )
    metas = _metas(notice, shown, show_date) if modern else ""
    return _document(shown, metas + "\n" + chrome.SHARE_JS, body, prefix)


SHARE = (
    '<span>分享到：</span><span class="bds_weixin"></span> '
    '<a href="javascript:window.print()">【打印本页】</a>'
    "<a href=\"javascript:window.opener=null;window.open('','_self');window.close();\">"
    "【关闭本页】</a>"
)


def _info(notice: Notice, prefix: str, show_date: bool) -> str:
    """``发布日期：2006-09-07 来源：<!--<$[信息来源]>begin-->本网<!--<$[信息来源]>end-->``."""
    cells = [f"发布日期：{notice.publish_date.isoformat()}"] if show_date else []
    cells.append(
        f"来源：<!--<$[信息来源]>begin-->{dirty.esc(notice.source)}<!--<$[信息来源]>end-->"
    )
    hits = f"{prefix}module/visitcount/articlehits.jsp?colid={notice.column.col_id}"
    cells.append(f'浏览次数：<script language="javascript" src="{hits}"></script>')
    cells.append(
        '字体：[ <a href="javascript:doZoom(16)">大</a> <a href="javascript:doZoom(14)">中</a> '
        '<a href="javascript:doZoom(12)">小</a> ]'
    )
    tds = "".join(f'<td align="center">{c}</td>' for c in cells)
    return f'<table border="0" width="90%" class="bt_size_14"><tr>{tds}</tr></table>'


def _document(title: str, metas: str, body: str, prefix: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta http-equiv="X-UA-Compatible" content="ie=edge">
<title>{dirty.esc(title)}</title>
{metas}
<link href="{prefix}script/page.css" type="text/css" rel="stylesheet">
{chrome.SITE_STYLE}
</head>
<body>
{body}
</body>
</html>
"""


def _metas(notice: Notice, shown: str, show_date: bool) -> str:
    metas = [
        chrome.site_metas(notice.column.name),
        '<meta name="ColumnType" content="政务公开目录">',
        f'<meta name="ArticleTitle" content="{dirty.attr(shown)}">',
    ]
    if show_date:  # date only: this template shows no time anywhere
        metas.append(f'<meta name="PubDate" content="{notice.publish_date.isoformat()}">')
    metas.append(f'<meta name="ContentSource" content="{dirty.attr(notice.source)}">')
    return "\n".join(metas)


def _position(column: Column, prefix: str) -> str:
    """``当前位置：首页 > 财政局 > 政务公开目录 > 机构职能``."""
    trail = chrome.trail(column)
    links = " > ".join(f'<a href="{prefix}{path}">{name}</a>' for name, path in trail)
    return f'<div class="current-position">当前位置：{links}</div>'


def _xxgk(notice: Notice, rng: random.Random) -> str:
    """The 信息公开 table: 索引号 文件编号 发布机构 / 成文日期 主题分类 公开方式."""
    number = dirty.doc_number(notice.doc_number, rng) if notice.doc_number else ""
    made = dirty.date(notice.doc_date, rng.choice(dirty.DATE_STYLES)) if notice.doc_date else ""
    cells = (
        (
            f"索引号: {notice.index_number or ''}",
            f"文件编号: {number}",
            f"发布机构: {notice.publisher}",
        ),
        (f"成文日期: {made}", f"主题分类: {notice.topic}", "公开方式: 主动公开"),
    )
    rows = "\n".join(
        "<tr>" + "".join(f"<td>{dirty.esc(c)}</td>" for c in row) + "</tr>" for row in cells
    )
    table = '<table border="1" width="100%" cellpadding="0" cellspacing="0" class="xxgk">'
    return f"{table}\n{rows}\n</table>"


def _attachments(notice: Notice, prefix: str) -> str:
    if not notice.attachments:
        return ""
    links = "<br>".join(
        f'<a href="{prefix}{dirty.attr(a.path)}" target="_blank">{dirty.esc(a.name)}</a>'
        for a in notice.attachments
    )
    return f'<div class="fjdown"><p>附件下载：</p>{links}</div>'


def _jpage(cid: int, total: int, prefix: str) -> str:
    """The jpage script: the plug-in and its configuration for this column."""
    config = JPAGE.safe_substitute(
        cid=cid, perpage=PER_PAGE, total=total, proxy=prefix + PROXY, unitid=UNIT_ID,
        webname=chrome.SITE_TITLE,
    )  # fmt: skip
    plugin = f"{prefix}module/jslib/jquery/jpage/jquery.jpage.js"
    return (
        f'<script language="javascript" src="{plugin}"></script>\n'
        f'<script type="text/javascript">\n{config}</script>'
    )
