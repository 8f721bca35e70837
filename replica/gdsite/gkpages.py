"""The gkmlpt app's HTML pages: ``gkmlpt/index`` and ``gkmlpt/content/…/post_<N>.html``.

Real (../shared/realpages/api/gkmlpt_content__zhaoqing.html): a content page embeds
``window._CONFIG = {ACTION: 'content', DETAIL: {…}, TREE: […]}`` with the article's HTML in
``DETAIL.content`` and, in ``TREE``, the category's ancestors as ``{id, name, parent}``.
Inferred (REAL-SITES.md describes them, no sample shows them): the index page's
``_CONFIG = {SID, TREE}`` with nested ``children`` and ``jump_url``, and the content page as
rendered: ``div.classify`` (索引号, 分类, 发布机构, 成文日期, 名称, 文号, 发布日期, 主题词 in
``td.td-value span`` / ``td.td-value-xl span``), ``h1.title``, ``div.article-content``.
"""

from __future__ import annotations

import json
from typing import Any

from replica.dirty import esc
from replica.gdsite.catalog import Catalog
from replica.gdsite.model import Doc
from replica.gdsite.spec import SiteSpec


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).replace("</script", "<\\/script")


def index(spec: SiteSpec, catalog: Catalog) -> str:
    """The single-page app's shell with the site id and the category tree."""
    return f"""<!doctype html>
<html lang="zh">
<head>
<meta charset="UTF-8">
<title>{esc(spec.org)}政府信息公开目录</title>
<link rel="stylesheet" href="{spec.prefix}gkmlpt/static/css/app.css">
</head>
<body>
<div id="app"></div>
<noscript>请开启浏览器的JavaScript功能。</noscript>
<script>
    window._CONFIG = {{
        SID: '{spec.sid}',
        ACTION: 'index',
        SITE_NAME: {_js(spec.site_name)},
        TREE: {_js(catalog.tree())}
    }};
</script>
<script src="{spec.prefix}gkmlpt/static/js/app.js"></script>
</body>
</html>
"""


def content(spec: SiteSpec, catalog: Catalog, doc: Doc, body: str) -> str:
    """A document's catalogue page: ``_CONFIG`` with ``DETAIL``, then the rendered page."""
    assert doc.leaf is not None
    detail = catalog.detail(doc, body)
    ancestors = [c for c in spec.categories if c.id in (doc.leaf.id, doc.leaf.parent)]
    tree = [{"id": c.id, "name": c.name, "parent": c.parent} for c in ancestors]
    return f"""<!doctype html>
<html lang="zh">
<head>
<meta charset="UTF-8">
<title>{esc(doc.title)}</title>
</head>
<body>
<script>
    window._CONFIG = {{
        SID: '{spec.sid}',
        ACTION: 'content',
        DETAIL: {_js(detail)},
        TREE: {_js(tree)}
    }};
</script>
<div class="gkml-content">
{classify(doc, detail)}
<div class="content-container">
<h1 class="title">{esc(doc.title)}</h1>
<div class="article-content">{body}</div>
</div>
</div>
</body>
</html>
"""


def classify(doc: Doc, detail: dict[str, Any]) -> str:
    """The metadata table, from what ``DETAIL`` holds (an absent field: an empty cell)."""
    assert doc.leaf is not None
    kind = detail.get("classify_theme_name") or doc.leaf.name
    made = doc.doc_date.isoformat()

    def cell(label: str, value: str, wide: bool = False) -> str:
        extra = ' class="td-value-xl" colspan="3"' if wide else ' class="td-value"'
        return f'<td class="td-label">{label}：</td><td{extra}><span>{esc(value)}</span></td>'

    rows = (
        cell("索引号", detail.get("identifier", "")) + cell("分类", kind),
        cell("发布机构", detail.get("publisher", "")) + cell("成文日期", made),
        cell("名称", doc.title, wide=True),
        cell("文号", detail.get("document_number", "")) + cell("发布日期", doc.created_at[:10]),
        cell("主题词", detail.get("keywords", ""), wide=True),
    )
    return (
        '<div class="classify"><table>' + "".join(f"<tr>{r}</tr>" for r in rows) + "</table></div>"
    )
