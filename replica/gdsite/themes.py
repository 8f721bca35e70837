"""The article page of a column document in each site's theme, and the mobile twin.

Real (modelled on the sample pages; text is the replica's own):
- ``zhanjiang`` (zhanjiang_gov__budget__1; 肇庆 uses it too): ``div.pos`` breadcrumb,
  ``div.cont > h3`` title, ``div.art-info`` with ``span.time`` "时间：YYYY-MM-DD HH:MM:SS" and
  ``span.ly`` "来源：…", body ``div.article#article``, ``div.info_xgxw``, empty ``div.fj``,
  ``div.mar`` print / close, a hidden ``div#ces`` excerpt; ``PubDate`` a date.
- ``zs`` (czj_zs_gov__notice__1): the ``<title>`` is the site name only, ``div.location``
  ending in the column as text, ``div.main > div.title``, ``div.sub-info`` with 信息来源 and
  发布日期 (a date only), body ``div.article-content``; an ``ArticleId`` meta.
- ``jiangmen`` (jiangmen_gov__budget__1): ``div.list_title`` (``#sideTitle`` and the
  ``div.list_wz`` breadcrumb), ``div.content-wrap > h1`` (title between newlines),
  ``li.article-time`` "发布时间：YYYY-MM-DD HH:MM:SS", ``li.article-source``, body
  ``#zoomcon`` (a video-player script first), ``div.rel_news`` 附件下载 list, QR code and
  print / close below; ``PubDate`` with the time; NFCMS variables in the body.
Inferred: the mobile twin (``mpost_<N>.html``), its markup is the replica's own.
"""

from __future__ import annotations

from replica.dirty import attr, esc
from replica.gdsite import chrome
from replica.gdsite.body import INNER_CHROME
from replica.gdsite.model import Doc, attachment_path, post_path
from replica.gdsite.spec import SiteSpec

#: Whether a theme shows the time of day with the publication date.
SHOWS_TIME = {"zhanjiang": True, "zs": False, "jiangmen": True}


def article(spec: SiteSpec, doc: Doc, body: str) -> str:
    """The desktop article page of a column document."""
    inner = body + (INNER_CHROME if doc.chrome else "")
    theme = {"zs": _zs, "jiangmen": _jiangmen}.get(spec.theme, _zhanjiang)
    return theme(spec, doc, inner)


def _url(spec: SiteSpec, doc: Doc) -> str:
    assert doc.column is not None
    return chrome.href(spec, post_path(doc.column, doc.post_id))


def _zhanjiang(spec: SiteSpec, doc: Doc, inner: str) -> str:
    column, title, source = doc.column, doc.title, doc.source
    assert column is not None
    when = f"时间：{doc.created_at}"
    excerpt = esc(doc.body_text.replace("\n", "")[:90]) + "..."
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
{chrome.meta("SiteName", spec.site_name)}
{chrome.meta("SiteDomain", spec.host)}
{chrome.meta("SiteIDCode", spec.site_code)}
<title>{esc(title)}_{spec.site_name}</title>
{chrome.column_metas(column)}
{chrome.meta("ArticleTitle", title)}
{chrome.meta("PubDate", doc.publish_date.isoformat())}
{chrome.meta("ContentSource", source)}
{chrome.meta("Url", _url(spec, doc))}
{chrome.nfcms_script(spec, doc)}
{chrome.mobile_script(spec, doc)}
<base target="_blank">
</head>
<body>
{chrome.header(spec)}
<div class="main">
<div class="pos"><img src="images/pos.png" alt="当前位置">&nbsp;&nbsp;{chrome.trail(spec, column, "&nbsp;&gt;&nbsp;")}</div>
<div class="content"><div class="cont">
<h3 wzades="{attr(title)}">{esc(title)}</h3>
<h5 wzades=""></h5>
<div class="art-info"> <span class="time" wzades="{when}">{when}</span> <span class="ly" wzades="来源：{attr(source)}">来源：{esc(source)}</span>
<div class="right"><span class="print" onclick="javascript:window.print()">【打印】</span> <span class="font">【字体：<span id="lFont">大</span> <span id="mFont">中</span> <span id="sFont">小</span>】</span></div>
</div>
<div class="article" wzades="正文" id="article">{inner}</div>
<div class="info_xgxw"><div class="info_xgxw_title">相关文章</div><ul id="ul_xggj"></ul></div>
<div class="fj">
</div>
<div class="mar"><a id="btn_print" class="article_bot_btn" onclick="javascript:window.print()">【打印本页】</a><a id="btn_close" class="article_bot_btn" onclick="javascript:window.close()">【关闭窗口】</a></div>
</div></div>
</div>
{chrome.footer(spec)}
<div id="ces" style="display:none;">{excerpt}</div>
</body>
</html>
"""  # noqa: E501


def _zs(spec: SiteSpec, doc: Doc, inner: str) -> str:
    column, title, source = doc.column, doc.title, doc.source
    assert column is not None
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" dir="ltr" lang="zh-CN">
<head>
<meta http-equiv="X-UA-Compatible" content="IE=edge,chrome=1">
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<base target="_blank">
<!-- 站点标签 -->
{chrome.meta("SiteName", spec.site_name)}
{chrome.meta("SiteDomain", spec.host)}
{chrome.meta("SiteIDCode", spec.site_code)}
{chrome.nfcms_script(spec, doc)}
{chrome.mobile_script(spec, doc)}
<!-- 栏目标签 -->
{chrome.column_metas(column)}
<!-- 细览标签 -->
{chrome.meta("ContentSource", source)}
{chrome.meta("ArticleTitle", title)}
{chrome.meta("PubDate", doc.publish_date.isoformat())}
{chrome.meta("Url", _url(spec, doc))}
{chrome.meta("ArticleId", str(doc.post_id))}
<title>{spec.site_name} - {spec.site_name}</title>
</head>
<body>
{chrome.header(spec)}
<div class="w-fix">
<div class="location">当前位置：{chrome.trail(spec, column, " &gt; ", leaf_link=False)}</div>
<div class="main">
<div class="title">{esc(title)}</div>
<div class="sub-info"><span style="margin-right: 4em;">信息来源：{esc(source)}</span><span>发布日期：{doc.publish_date.isoformat()}</span></div>
<div class="article-content clearfix mh">
{inner}
</div>
<div>
</div>
</div>
{chrome.footer(spec)}
</div>
</body>
</html>
"""  # noqa: E501


def _jiangmen(spec: SiteSpec, doc: Doc, inner: str) -> str:
    column, title, source = doc.column, doc.title, doc.source
    assert column is not None
    when = doc.created_at
    files = "".join(
        f'<li><a href="{chrome.href(spec, attachment_path(a.aid, doc.post_id, a.ext))}" '
        f'title="{attr(a.name)}" target="_blank">{esc(a.name)}</a></li>'
        for a in doc.attachments
    )
    return f"""<!doctype html>
<html lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
{chrome.meta("SiteName", spec.site_name)}
{chrome.meta("SiteDomain", spec.host)}
{chrome.column_metas(column)}
{chrome.meta("SiteIDCode", spec.site_code)}
{chrome.meta("ArticleTitle", title, "/")}
{chrome.meta("PubDate", when, "/")}
{chrome.meta("ContentSource", source, "/")}
{chrome.meta("Url", _url(spec, doc), "/")}
<title>{esc(title)}_{esc(column.name)}_{spec.org}</title>
{chrome.mobile_script(spec, doc)}
</head>
<body>
{chrome.nfcms_script(spec, doc)}
{chrome.header(spec)}
<div class="container"><div class="contentpage-wrap">
<div class="list_title"><div class="list_first" id="sideTitle">{esc(column.name)}</div><div class="list_wz" style="font-size:16px">当前位置:{chrome.trail(spec, column, "&ensp;&gt;&ensp;")}</div><div class="clear"></div></div>
<div class="print-class content-wrap" style="text-indent：0em;">
<h1>
   {esc(title)}
</h1>
<ul class="fix1 tit-info">
<li class="article-time">发布时间：{when}</li>
<li class="article-source">来源：{esc(source)}</li>
<li class="article-size">字体【&nbsp;<a>大</a>&nbsp;&nbsp;<a>中</a>&nbsp;&nbsp;<a>小</a>&nbsp;】</li>
</ul>
<div class="clear"></div>
<div class="content" id="zhengwen">
<div id="zoomcon">
<script type="text/javascript">var vurl = ""; if(vurl !== '') {{ document.write('<div id="video"></div>'); }}</script>
{inner}
</div>
<div class="rel_news" id="rel"><h5>附件下载：</h5><ul class="infoList" id="rel_v">{files}</ul></div>
</div>
<div style="width:160px; margin:auto"><div class="info_ewm"><div id="div_div"><div id="qr_container">扫一扫在手机打开当前页</div><canvas id="Canvas" width="160" height="160"></canvas></div></div></div>
<div class="dy"><div class="fr" style="font-size:16px"><a href="#">【TOP】</a>【<a href="#" onClick="window.print();">打印页面</a>】【<a href="#" onClick="window.close();">关闭页面</a>】</div></div>
</div>
</div></div>
{chrome.footer(spec)}
</body>
</html>
"""  # noqa: E501


def mobile(spec: SiteSpec, doc: Doc, body: str) -> str:
    """The ``mpost_<N>.html`` twin (inferred markup): same metas, a narrow layout."""
    column = doc.column
    assert column is not None
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0, user-scalable=no">
{chrome.meta("SiteName", spec.site_name)}
{chrome.column_metas(column)}
{chrome.meta("ArticleTitle", doc.title)}
{chrome.meta("PubDate", doc.publish_date.isoformat())}
{chrome.meta("ContentSource", doc.source)}
{chrome.meta("Url", _url(spec, doc))}
{chrome.nfcms_script(spec, doc)}
<title>{esc(doc.title)}</title>
</head>
<body class="m-body">
<header class="m-header"><a class="m-back" href="javascript:history.back()">返回</a><span>{esc(column.name)}</span></header>
<div class="m-article">
<h1 class="m-title">{esc(doc.title)}</h1>
<div class="m-info"><span class="m-time">{doc.created_at[:16]}</span> <span class="m-source">来源：{esc(doc.source)}</span></div>
<div class="m-content" id="m-content">{body}</div>
<p class="m-pc"><a href="{_url(spec, doc)}">电脑版</a></p>
</div>
</body>
</html>
"""  # noqa: E501
