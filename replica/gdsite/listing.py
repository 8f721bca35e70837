"""Column list pages, the home page and the channel pages of a site.

Inferred (no real NFCMS list page among the samples): ``<column>/index.html``, ``index_2.html``
… newest first; items ``ul.list li`` with a link (full title in ``title``, long titles cut
with …) and the date beside it in a ``span`` (湛江 theme) or, department style, in
``.newsList ul.list li`` with ``span.time`` (中山 and 江门 themes); a pager linking the first,
previous, next and last pages (``index_<last>.html``) with 共N页. Home and channel pages list
the columns (and link the gkmlpt catalogue).
"""

from __future__ import annotations

from replica.dirty import attr, esc
from replica.gdsite import chrome
from replica.gdsite.model import Doc, post_path
from replica.gdsite.spec import GdColumn, SiteSpec

SHORT = 32  # longer titles are cut in the list's link text


def page_name(index: int) -> str:
    """``index.html``, ``index_2.html`` … for the 1-based page ``index``."""
    return "index.html" if index == 1 else f"index_{index}.html"


def list_page(spec: SiteSpec, column: GdColumn, docs: list[Doc], index: int, count: int) -> str:
    """Page ``index`` (1-based) of ``count`` of a column, holding ``docs``."""
    items = "\n".join(_item(spec, column, d) for d in docs)
    listing = f'<ul class="list">\n{items}\n</ul>'
    if spec.theme != "zhanjiang":
        listing = f'<div class="newsList">{listing}</div>'
    crumbs = chrome.trail(spec, column, " &gt; ")
    return _shell(
        spec,
        f"{column.name}_{spec.site_name}",
        f'<div class="pos">当前位置：{crumbs}</div>\n'
        f'<div class="list-box"><h3 class="list-title">{esc(column.name)}</h3>\n{listing}\n'
        f"{pager(index, count)}</div>",
    )


def _item(spec: SiteSpec, column: GdColumn, doc: Doc) -> str:
    link = chrome.href(spec, post_path(column, doc.post_id))
    title = doc.title if len(doc.title) <= SHORT else doc.title[: SHORT - 1] + "…"
    day = doc.publish_date.isoformat()
    date = (
        f"<span>{day}</span>" if spec.theme == "zhanjiang" else f'<span class="time">{day}</span>'
    )
    anchor = f'<a href="{link}" target="_blank" title="{attr(doc.title)}">{esc(title)}</a>'
    return f"<li>{anchor}{date}</li>"


def pager(index: int, count: int) -> str:
    """首页 上一页 [numbers] 下一页 尾页 共N页 (links relative to the column directory)."""
    parts = [f'<a href="{page_name(1)}">首页</a>']
    if index > 1:
        parts.append(f'<a class="prev" href="{page_name(index - 1)}">上一页</a>')
    for number in range(max(1, index - 2), min(count, index + 2) + 1):
        if number == index:
            parts.append(f'<span class="current">{number}</span>')
        else:
            parts.append(f'<a href="{page_name(number)}">{number}</a>')
    if index < count:
        parts.append(f'<a class="next" href="{page_name(index + 1)}">下一页</a>')
    parts.append(f'<a class="last" href="{page_name(count)}">尾页</a>')
    parts.append(f"<span>共{count}页</span>")
    return '<div class="page">' + " ".join(parts) + "</div>"


def home(spec: SiteSpec) -> str:
    """The site's home page: every column and the catalogue."""
    links = "".join(
        f'<li><a href="{chrome.href(spec, c.list_path)}">{esc(c.name)}</a></li>'
        for c in spec.columns
    )
    catalogue = chrome.href(spec, "gkmlpt/index")
    body = (
        f'<div class="home"><h2>{esc(spec.org)}</h2><ul class="columns">{links}</ul>'
        f'<p><a href="{catalogue}">政府信息公开目录</a></p></div>'
    )
    return _shell(spec, spec.site_name, body)


def channel(spec: SiteSpec, name: str, path: str) -> str:
    """A breadcrumb level's landing page: the columns below it."""
    below = [c for c in spec.columns if any(p == path for _, p in c.trail)]
    links = "".join(
        f'<li><a href="{chrome.href(spec, c.list_path)}">{esc(c.name)}</a></li>' for c in below
    )
    main = f'<h3>{esc(name)}</h3><ul class="columns">{links}</ul>'
    return _shell(spec, f"{name}_{spec.site_name}", main)


def _shell(spec: SiteSpec, title: str, main: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="UTF-8">\n'
        f"{chrome.meta('SiteName', spec.site_name)}\n{chrome.meta('SiteIDCode', spec.site_code)}\n"
        f"<title>{esc(title)}</title>\n</head>\n<body>\n{chrome.header(spec)}\n"
        f'<div class="main">\n{main}\n</div>\n{chrome.footer(spec)}\n</body>\n</html>\n'
    )
