"""Where the documents are in the JSON list APIs: pure functions over one API answer.

gkmlpt (政府信息公开目录, Guangdong site group): ``…/gkmlpt/api/all/<cat>?page=N&sid=<SID>``
answers ``{"classify": {id, name, post_count}, "articles": [{id, url, post_url, …}]}``. Real:
the answer's shape and article fields (../shared/realpages/api/gkmlpt_api_all__zhaoqing.json).
Inferred from public crawlers (not seen): ``post_url`` (the column page of a document that sits
in a column), 100 articles a page, ``page=0`` answering like ``page=1``, and 404 past the served
slice.

gdgpo (广东省政府采购网): ``…/selectInfoForIndex?currPage=N&pageSize=M&…`` answers
``{"code": "200", "data": {"total": T, "rows": [{id, noticeTime, …}]}}``; each row's detail is
``…/getInfoById?id=<uuid>``. Field names and parameters from public crawlers (not seen live).

Every function takes the answer's text and URL and never raises on a malformed answer: it finds
nothing instead (the caller records the page as listing nothing).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from pipeline.normalize.urls import web_url

GKMLPT_PAGE_SIZE = 100


def _json(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _with_query(url: str, **changes: Any) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update({k: str(v) for k, v in changes.items()})
    return urlunsplit(parts._replace(query=urlencode(query)))


def _page(url: str, name: str, default: int) -> int:
    value = dict(parse_qsl(urlsplit(url).query)).get(name, "")
    return int(value) if value.isdigit() else default


# -- gkmlpt -----------------------------------------------------------------------------
def gkmlpt_articles(text: str) -> list[dict[str, Any]]:
    """The articles of one gkmlpt list answer (dicts with at least an ``id``)."""
    articles = _json(text).get("articles")
    if not isinstance(articles, list):
        return []
    return [a for a in articles if isinstance(a, dict) and a.get("id") is not None]


def gkmlpt_document_url(article: dict[str, Any], url: str) -> str | None:
    """Where a document is fetched: its column page (``post_url``) when it sits in a column,
    else its gkmlpt content page (``url``); http(s) only."""
    return web_url(url, article.get("post_url") or None) or web_url(url, article.get("url"))


def gkmlpt_items(text: str, url: str) -> dict[str, dict[str, Any]]:
    """``{document URL: article}`` of one answer, in list order."""
    items: dict[str, dict[str, Any]] = {}
    for article in gkmlpt_articles(text):
        target = gkmlpt_document_url(article, url)
        if target:
            items.setdefault(target, article)
    return items


def gkmlpt_next_page(text: str, url: str) -> str | None:
    """The next page of the list, or None when this one was short or empty (the last).

    ``page=0`` and ``page=1`` are the same page, so the walk goes 1, 2, 3 …"""
    if len(gkmlpt_articles(text)) < GKMLPT_PAGE_SIZE:
        return None
    return _with_query(url, page=max(_page(url, "page", 1), 1) + 1)


def gkmlpt_post_count(text: str) -> int | None:
    """What the category says it holds (``classify.post_count``): an upper bound."""
    classify = _json(text).get("classify")
    count = classify.get("post_count") if isinstance(classify, dict) else None
    return count if isinstance(count, int) else None


def gkmlpt_dates(text: str, url: str) -> dict[str, dt.date]:
    """The 发布日期 (``created_at``) of each document, by document URL."""
    dates = {}
    for target, article in gkmlpt_items(text, url).items():
        created = str(article.get("created_at") or "")[:10]
        try:
            dates[target] = dt.date.fromisoformat(created)
        except ValueError:
            continue
    return dates


def gkmlpt_list_path(sid: str, category: int = 0) -> str:
    """The first page of a category's list (0: every category), relative to the site base."""
    return f"gkmlpt/api/all/{category}?page=1&sid={sid}"


# -- gdgpo ------------------------------------------------------------------------------
def gdgpo_rows(text: str) -> list[dict[str, Any]]:
    """The rows of one selectInfoForIndex answer (each with an ``id``)."""
    data = _json(text).get("data")
    rows = data.get("rows") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        return []
    return [r for r in rows if isinstance(r, dict) and r.get("id")]


def gdgpo_total(text: str) -> int:
    data = _json(text).get("data")
    total = data.get("total") if isinstance(data, dict) else None
    return int(total) if isinstance(total, int | str) and str(total).isdigit() else 0


def gdgpo_detail_url(list_url: str, row_id: str) -> str:
    """``getInfoById?id=…`` beside the list endpoint."""
    return urljoin(list_url, f"getInfoById?{urlencode({'id': row_id})}")


def gdgpo_items(text: str, url: str) -> list[str]:
    return list(dict.fromkeys(gdgpo_detail_url(url, str(r["id"])) for r in gdgpo_rows(text)))


def gdgpo_next_page(text: str, url: str) -> str | None:
    """The next ``currPage`` until ``total`` rows were listed."""
    page = _page(url, "currPage", 1)
    size = _page(url, "pageSize", len(gdgpo_rows(text)) or 1)
    if not gdgpo_rows(text) or page * size >= gdgpo_total(text):
        return None
    return _with_query(url, currPage=page + 1)


def gdgpo_dates(text: str, url: str) -> dict[str, dt.date]:
    dates = {}
    for row in gdgpo_rows(text):
        try:
            dates[gdgpo_detail_url(url, str(row["id"]))] = dt.date.fromisoformat(
                str(row.get("noticeTime") or "")[:10]
            )
        except ValueError:
            continue
    return dates
