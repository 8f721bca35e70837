"""Site chrome shared by both CMS families: header and navigation, footer, and the small pages
that are not columns (home, channel landing pages, search, error pages).

Inferred: the bureau's own header and footer are not among the sample pages; they follow the
usual gov.cn layout (logo, column navigation, 网站标识码, ICP 备案, the bszs.conac.cn badge).
The static parts live in ``replica/data/``.
"""

from __future__ import annotations

import posixpath
from importlib import resources
from string import Template

from replica.dirty import attr, esc
from replica.model import Column

SITE_TITLE = "湛江市财政局"
SITE_DOMAIN = "www.zjczj.gov.cn"
SITE_ID = "4408000031"
HOME = "index.shtml"
DOCTYPE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">'
)


def _asset(name: str) -> str:
    return resources.files("replica").joinpath("data", name).read_text(encoding="utf-8")


SITE_STYLE = f'<style type="text/css">\n{_asset("site.css")}</style>'
SHARE_JS = f'<script type="text/javascript">\n{_asset("share.js")}</script>'
PAGER_JS = f'<script type="text/javascript">\n{_asset("pager.js")}</script>'
HEADER = Template(_asset("header.html"))
FOOTERS = {True: Template(_asset("footer.html")), False: Template(_asset("footer-2006.html"))}

# 友情链接 as real footers carry them (external; crawlers keep to their allowed domains).
FRIEND_LINKS = (
    ("中华人民共和国财政部", "http://www.mof.gov.cn/"),
    ("中国政府网", "http://www.gov.cn/"),
    ("广东省人民政府", "http://www.gd.gov.cn/"),
    ("广东省财政厅", "http://czt.gd.gov.cn/"),
    ("湛江市人民政府", "http://www.zhanjiang.gov.cn/"),
    ("中国政府采购网", "http://www.ccgp.gov.cn/"),
    ("广东省政府采购网", "https://gdgpo.czt.gd.gov.cn/"),
    ("国家税务总局广东省税务局", "http://guangdong.chinatax.gov.cn/"),
    ("湛江市发展和改革局", "http://fgj.zhanjiang.gov.cn/"),
    ("湛江市审计局", "http://sjj.zhanjiang.gov.cn/"),
    ("湛江市人力资源和社会保障局", "http://hrss.zhanjiang.gov.cn/"),
    ("湛江市统计局", "http://tjj.zhanjiang.gov.cn/"),
    ("赤坎区人民政府", "http://www.chikan.gov.cn/"),
    ("霞山区人民政府", "http://www.zjxs.gov.cn/"),
    ("坡头区人民政府", "http://www.potou.gov.cn/"),
    ("麻章区人民政府", "http://www.zjmazhang.gov.cn/"),
    ("遂溪县人民政府", "http://www.suixi.gov.cn/"),
    ("徐闻县人民政府", "http://www.xuwen.gov.cn/"),
    ("廉江市人民政府", "http://www.lianjiang.gov.cn/"),
    ("雷州市人民政府", "http://www.leizhou.gov.cn/"),
    ("吴川市人民政府", "http://www.gdwc.gov.cn/"),
)


def rel(target: str, page: str) -> str:
    """The relative href from the page at ``page`` to ``target`` (both relative to the base)."""
    start = posixpath.dirname(page) or "."
    href = posixpath.relpath(target, start)
    return href if href.startswith(".") else "./" + href


def trail(column: Column) -> list[tuple[str, str]]:
    """The breadcrumb of a column's pages: (name, path) from 首页 down to the column itself."""
    return [("首页", HOME), ("财政局", HOME), *column.trail, (column.name, column.path)]


def nav(prefix: str, columns: tuple[Column, ...]) -> str:
    """Header with logo, search box and the column navigation (absolute paths)."""
    links = "\n".join(
        f'<li><a href="{prefix}{c.path}" target="_self">{esc(c.name)}</a></li>' for c in columns
    )
    return HEADER.substitute(prefix=prefix, links=links).rstrip("\n")


def friend_links() -> str:
    """The 友情链接 drop-down above the footer."""
    options = "\n".join(f'<option value="{url}">{name}</option>' for name, url in FRIEND_LINKS)
    script = "if(this.value)window.open(this.value);"
    return (
        f'<div class="links"><span>友情链接：</span><select onchange="{script}">'
        f'<option value="">---- 政府网站 ----</option>\n{options}\n</select></div>'
    )


def footer(prefix: str, modern: bool) -> str:
    """The footer: older pages carry a bare copyright line, newer ones the national badges."""
    return FOOTERS[modern].substitute(prefix=prefix, links=friend_links()).rstrip("\n")


def page(title: str, head: str, body: str, charset: str = "utf-8") -> str:
    """A whole (TRS-style XHTML) document around the given head extras and body."""
    return "\n".join(
        (
            DOCTYPE,
            '<html xmlns="http://www.w3.org/1999/xhtml">',
            "<head>",
            f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">',
            '<meta http-equiv="X-UA-Compatible" content="IE=edge">',
            f"<title>{esc(title)}</title>",
            head,
            "</head>",
            "<body>",
            body,
            "</body>",
            "</html>\n",
        )
    )


def home(prefix: str, columns: tuple[Column, ...], channels: dict[str, str]) -> str:
    """The site's home page: navigation and a box per channel and column (no article links)."""
    boxes = "\n".join(
        f'<div class="box"><h3><a href="{prefix}{path}">{esc(name)}</a></h3></div>'
        for name, path in [*channels.items(), *((c.name, c.path) for c in columns)]
    )
    body = f'{nav(prefix, columns)}\n<div class="main">\n{boxes}\n</div>\n{footer(prefix, True)}'
    return page(SITE_TITLE, site_metas() + "\n" + stylesheet(prefix), body)


def channel(prefix: str, name: str, columns: tuple[Column, ...], all_columns: tuple) -> str:
    """A channel landing page (信息公开, 政策法规 …): links to its columns."""
    items = "\n".join(f'<li><a href="{prefix}{c.path}">{esc(c.name)}</a></li>' for c in columns)
    position = f'您当前所在位置: <a href="{prefix}{HOME}">首页</a> &gt; {esc(name)}'
    body = (
        f'{nav(prefix, all_columns)}\n<div class="position">{position}</div>\n'
        f'<div class="main"><h2>{esc(name)}</h2><ul class="sub">\n{items}\n</ul></div>\n'
        f"{footer(prefix, True)}"
    )
    return page(f"{name} - {SITE_TITLE}", site_metas() + "\n" + stylesheet(prefix), body)


def search(prefix: str) -> str:
    """The site search page (robots.txt keeps crawlers out of it)."""
    form = f'<form action="{prefix}search/"><input name="searchword"></form>'
    body = f'<div class="main"><p>请输入检索关键字。</p>{form}</div>'
    return page(f"站内搜索 - {SITE_TITLE}", "", body)


def error(status: int) -> str:
    """The server's plain error page."""
    words = {404: "404 页面不存在", 500: "500 服务器内部错误"}.get(status, f"{status} 错误")
    body = f'<div class="error"><h1>{esc(words)}</h1><p>请返回首页。</p></div>'
    return page(words, "", body)


def stylesheet(prefix: str) -> str:
    """The site's stylesheet link and its inline style block."""
    link = f'<link href="{prefix}images/style.css" rel="stylesheet" type="text/css">'
    return f"{link}\n{SITE_STYLE}"


def site_metas(column: str | None = None) -> str:
    """The national spec's SiteName / SiteDomain / SiteIDCode (and ColumnName) metas."""
    metas = [
        f'<meta name="SiteName" content="{SITE_TITLE}">',
        f'<meta name="SiteDomain" content="{SITE_DOMAIN}">',
        f'<meta name="SiteIDCode" content="{SITE_ID}">',
    ]
    if column:
        metas.append(f'<meta name="ColumnName" content="{attr(column)}">')
    return "\n".join(metas)
