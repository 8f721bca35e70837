"""Markup every page of a site shares: links, the NFCMS metas and scripts, headers, footers.

Real (the sample pages): the meta names, ``window.NFCMS_*`` variables, the mobile-redirect
script, the search form's ``search.gd.gov.cn/search/…/<SID>`` action, 网站标识码 in the footer.
The headers and footers are cut down to their navigation (inferred from the same pages); the
redirect compares ``location.pathname`` where the real one compares the absolute ``href``.
"""

from __future__ import annotations

from replica.dirty import attr, esc
from replica.gdsite.model import Doc, post_path
from replica.gdsite.spec import GdColumn, SiteSpec


def href(spec: SiteSpec, path: str) -> str:
    """A root-relative link: ``path`` is relative to the site base, or to the host when it
    starts with ``/`` (江门's portal levels above the bureau's section)."""
    if path.startswith("/"):
        return f"/gd/{spec.host}{path}"
    return spec.prefix + path


def meta(name: str, content: str, close: str = "") -> str:
    return f'<meta name="{name}" content="{attr(content)}"{close}>'


def column_metas(column: GdColumn, close: str = "") -> str:
    return "\n".join(
        (
            meta("ColumnName", column.name, close),
            meta("ColumnDescription", column.name, close),
            meta("ColumnKeywords", column.name, close),
            meta("ColumnType", "信息公开-其他" if column.genre == "budget" else "其他", close),
        )
    )


def nfcms_script(spec: SiteSpec, doc: Doc) -> str:
    cat = doc.column.cat_id if doc.column else 0
    return (
        f'<script>window.NFCMS_SITE_ID={spec.sid};window.NFCMS_PUB_TYPE="post";'
        f'window.NFCMS_POST_ID="{doc.post_id}";window.NFCMS_CAT_ID="{cat}";</script>'
    )


def mobile_script(spec: SiteSpec, doc: Doc) -> str:
    """Mobile user agents go to the ``mpost_<N>.html`` twin."""
    assert doc.column is not None
    target = href(spec, post_path(doc.column, doc.post_id, mobile=True))
    return (
        '<script>(function(u){if((u.indexOf("iP")>-1||u.indexOf("Android")>-1)'
        f'&&document.location.pathname!="{target}"){{document.location.href="{target}"}}}})'
        "(window.navigator.userAgent);</script>"
    )


def search_form(spec: SiteSpec, local: bool = False) -> str:
    scope = "local" if local else "all"
    return (
        f'<form class="search" action="https://search.gd.gov.cn/search/{scope}/{spec.sid}" '
        'method="get"><input type="text" name="keywords" placeholder="请输入关键字">'
        '<button type="submit">搜索</button></form>'
    )


def nav(spec: SiteSpec) -> str:
    """Links to the home page, every column and the gkmlpt catalogue."""
    items = [f'<li class="index"><a href="{href(spec, "index.html")}">首页</a></li>']
    items += [
        f'<li><a href="{href(spec, c.list_path)}">{esc(c.name)}</a></li>' for c in spec.columns
    ]
    items.append(f'<li><a href="{href(spec, "gkmlpt/index")}">政府信息公开</a></li>')
    return '<ul class="nav clearfix">' + "".join(items) + "</ul>"


def trail(spec: SiteSpec, column: GdColumn, sep: str, leaf_link: bool = True) -> str:
    """The breadcrumb: the column's levels, then the column (a link, or plain text)."""
    links = [f'<a href="{href(spec, path)}">{esc(name)}</a>' for name, path in column.trail]
    leaf = esc(column.name)
    links.append(f'<a href="{href(spec, column.list_path)}">{leaf}</a>' if leaf_link else leaf)
    return sep.join(links)


def header(spec: SiteSpec) -> str:
    """The site's header: logo, search form and navigation (class names per theme)."""
    if spec.theme == "zs":
        logo = href(spec, "globalImages/logo.png")
        return (
            f'<div class="header w-fix"><div class="logo"><img src="{logo}">'
            f'<div class="search">{search_form(spec)}</div></div></div>\n'
            f'<div class="w-fix"><div class="menu">{nav(spec)}</div></div>'
        )
    if spec.theme == "jiangmen":
        return (
            '<div class="bmheader"><div class="mar"><div class="bmlogo">'
            f'<a href="{href(spec, "index.html")}" title="{spec.org}">{spec.org}</a></div>'
            f'<div class="bmsearch">{search_form(spec, local=True)}</div></div></div>\n'
            f'<div class="mar"><div class="bmnav">{nav(spec)}</div></div>'
        )
    return (
        f'<div class="header"><div class="inner clearfix"><div class="headerLogo left" '
        f'wzades="{spec.site_name}"><img src="{href(spec, "public/logo.png")}" '
        f'alt="{spec.site_name}"></div><div class="search right">{search_form(spec)}</div></div>'
        f'<div class="headerNav">{nav(spec)}</div></div>'
    )


def footer(spec: SiteSpec) -> str:
    host = spec.city + "人民政府办公室" if spec.theme == "zhanjiang" else spec.org
    return (
        f'<div class="footer"><div class="footerCon"><p>主办单位：{esc(host)}</p>'
        f"<p><span>网站标识码：{spec.site_code}</span> <span>粤ICP备05000000号</span></p>"
        f'<p><a href="{href(spec, "gkmlpt/index")}">政府信息公开</a></p></div></div>'
    )
