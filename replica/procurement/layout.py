"""ccgp.gov.cn chrome: the document frame, header, footer, home and channel pages.

Header and footer follow the real detail pages (ccgp_gov__procurement_award__1/2: the
``v4incheadertop`` bar, the 财政部 copyright block); links to sections the replica does not
serve keep the real site's protocol-relative URLs. INFERRED: the home and channel pages.
"""

from __future__ import annotations

from replica import faults
from replica.dirty import attr, esc
from replica.model import Column
from replica.procurement import columns

SITE_TITLE = "中国政府采购网"
SITE_DOMAIN = "www.ccgp.gov.cn"
SITE_ID = "bm14000002"
OUTSIDE = (
    ("政采法规", "zcfg/"),
    ("购买服务", "gpsr/"),
    ("监督检查", "jdjc/"),
    ("国际专栏", "wtogpa/"),
)


def document(title: str, head: str, body: str, body_id: str = "") -> str:
    """A whole page: the ccgp ``<head>`` preamble, extras, then the body."""
    ident = f' id="{body_id}"' if body_id else ""
    return "\n".join(
        (
            "<!DOCTYPE html><html><head>",
            '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">',
            '<meta http-equiv="pragma" content="no-cache">',
            '<meta http-equiv="cache-control" content="no-cache">',
            '<meta http-equiv="expires" content="0">',
            head,
            f"<title>{esc(title)}</title>",
            '<link href="/css/detail.css" rel="stylesheet" type="text/css">',
            "</head>",
            f"<body{ident}>{body}",
            "</body>",
            "</html>\n",
        )
    )


def site_metas() -> str:
    return (
        f'<meta name="SiteName" content="{SITE_TITLE}">\n'
        f'<meta name="SiteDomain" content="{SITE_DOMAIN}">\n'
        f'<meta name="SiteIDCode" content="{SITE_ID}">'
    )


def header(prefix: str) -> str:
    """The top bar with the logo row and the channel navigation."""
    inside = [("首页", columns.HOME), ("政采公告", "cggg/"), ("采购意向", "cgyx/index.htm")]
    links = [f'<li><a href="{prefix}{path}">{name}</a></li>' for name, path in inside]
    links += [f'<li><a href="//{SITE_DOMAIN}/{path}">{name}</a></li>' for name, path in OUTSIDE]
    return (
        '<div class="v4incheadertop">\n<div class="v4incheadertop_tel_block">'
        '<div class="v4incheadertop_tel"><p class="cl">财政部唯一指定政府采购信息网络发布媒体 '
        '国家级政府采购专业网站</p><p class="cr">服务热线：400-810-1996</p></div></div>\n'
        '<div class="v4incheadertop_nav_block"><div class="v4incheadertop_nav">'
        f'<ul class="v4incheadertop_nav_ls">\n{chr(10).join(links)}\n</ul></div></div>\n'
        '<div class="clb"></div>\n</div>'
    )


FOOTER = (
    '<div class="footer mt13"><div class="copyright_bl"><div class="vF_cp">'
    '<div class="cpright"><p>主办单位：中华人民共和国财政部国库司 <br>网站标识码：'
    f"<span>{SITE_ID}</span> &nbsp;|&nbsp; "
    '<a href="https://beian.miit.gov.cn" target="_blank">京<span>ICP</span>备<span>19054529'
    "</span>号<span>-1</span></a> &nbsp;|&nbsp; 京公网安备<span>11010602060068</span>号 <br>"
    '<span id="botm_cpy">&copy; 1999-</span> 中华人民共和国财政部 版权所有</p></div>'
    "</div></div></div>"
)


def bot_stub(key: str) -> str:
    """The bot-shield bootstrap scripts real ccgp pages carry *before* a normal article."""
    page = faults.challenge_page(key)
    return page.split("<body>", 1)[1].rsplit("\n</body>", 1)[0]


def home(prefix: str) -> str:
    """The site's home page: one box per announcement list (no article links)."""
    boxes = "\n".join(
        f'<div class="box"><h3><a href="{prefix}{c.path}">{esc(c.name)}</a></h3></div>'
        for c in columns.COLUMNS
    )
    body = f'\n{header(prefix)}\n<div class="main">\n{boxes}\n</div>\n{FOOTER}'
    return document(SITE_TITLE, site_metas(), body)


def channel(prefix: str, name: str, path: str) -> str:
    """A channel landing page (政采公告, 地方公告): links to the lists below it."""
    below = [c for c in columns.COLUMNS if c.path.startswith(path)]
    items = "\n".join(f'<li><a href="{prefix}{c.path}">{esc(c.name)}</a></li>' for c in below)
    body = (
        f'\n{header(prefix)}\n<div class="main"><h2>{esc(name)}</h2>'
        f'<ul class="c_list_tat">\n{items}\n</ul></div>\n{FOOTER}'
    )
    return document(f"{name}_{SITE_TITLE}", site_metas(), body)


def crumbs(column: Column, page: str) -> str:
    """``当前位置：首页 » 政采公告 » 地方公告 » 中标公告`` with relative CurrChnlCls links."""
    depth = page.count("/")
    trail = [("首页", ""), *column.trail, (column.name, column.dir)]
    links = "&nbsp;»&nbsp;".join(
        f'<a href="{"../" * (depth - path.count("/")) or "./"}" title="{attr(name)}" '
        f'class="CurrChnlCls">{esc(name)}</a>'
        for name, path in trail
    )
    return f'<div class="vF_deail_currentloc mt10">\n<p>当前位置：{links}</p>\n</div>'
