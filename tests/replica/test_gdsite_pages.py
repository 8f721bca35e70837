"""The site-group pages over HTTP: each theme's article page, the mobile twin, gkmlpt content
pages and their DETAIL, attachments and images, all against the truth."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest

from tests.replica.test_gdsite_support import (
    CONTAINERS,
    SITES,
    Client,
    body_text,
    group_truth,
    normalize,
)

THEMES = {"zhanjiang": "zhanjiang", "zs-czj": "zs", "jiangmen": "jiangmen", "zhaoqing": "zhanjiang"}
DETAIL = re.compile(r"DETAIL: (\{.*\}),\n", re.DOTALL)
META = re.compile(r'<meta name="(\w+)" content="([^"]*)"')
MOBILE = re.compile(r'document\.location\.href="([^"]+/content/mpost_(\d+)\.html)"')
MAGIC = {"pdf": b"%PDF-", "docx": b"PK\x03\x04", "xlsx": b"PK\x03\x04", "xls": b"\xd0\xcf\x11\xe0"}


@pytest.fixture(scope="module")
def gd(full_truth: dict) -> dict:
    return group_truth(full_truth)


@pytest.fixture(scope="module")
def client(server):
    client = Client(server.base_url)
    yield client
    client.close()


@pytest.fixture(scope="module")
def pages(gd, client) -> dict[str, str]:
    """Every record's page, by URL."""
    out = {}
    for record in gd["notices"]:
        status, headers, body = client.get(record["url"])
        assert status == 200, record["url"]
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert "Last-Modified" in headers
        out[record["url"]] = body.decode("utf-8")
    return out


def column_records(gd: dict, name: str | None = None) -> list[dict]:
    return [n for n in gd["notices"] if "column" in n["sources"] and name in (None, n["site"])]


def test_every_record_has_one_page_per_post_id(gd):
    for name in SITES:
        ids = [n["post_id"] for n in gd["notices"] if n["site"] == name]
        assert len(ids) == len(set(ids)) > 100
        assert all(re.search(rf"post_{n['post_id']}\.html$", n["url"]) for n in gd["notices"])


@pytest.mark.parametrize("name", SITES)
def test_column_pages_show_the_truth(gd, pages, name):
    container = CONTAINERS[THEMES[name]]
    for record in column_records(gd, name):
        html = pages[record["url"]]
        metas = dict(META.findall(html))
        assert metas["ArticleTitle"] == record["title"]
        assert metas["ColumnName"] == record["category"]
        assert metas["PubDate"][:10] == record["publish_date"]
        assert metas["Url"]
        assert record["url"].endswith(metas["Url"])
        assert f'window.NFCMS_POST_ID="{record["post_id"]}"' in html
        assert "window.NFCMS_SITE_ID=" in html
        assert "window.NFCMS_CAT_ID=" in html
        assert body_text(html, container) == record["body_text"], record["url"]


def test_some_containers_carry_page_chrome_that_is_not_body_text(gd, pages):
    with_chrome = [
        n for n in column_records(gd) if "扫一扫在手机打开当前页" in _container(pages, n)
    ]
    assert len(with_chrome) > 20
    assert all("打印本页" not in n["body_text"] for n in with_chrome)


def _container(pages: dict, record: dict) -> str:
    html = pages[record["url"]]
    start = max(html.find('id="article"'), html.find('class="article-content'),
                html.find('id="zoomcon"'))  # fmt: skip
    return html[start : html.find("</body>")]


def test_mobile_twins_hold_the_same_article(gd, pages, client):
    for record in column_records(gd)[::7]:
        target, post_id = MOBILE.search(pages[record["url"]]).groups()
        assert int(post_id) == record["post_id"]
        status, _, body = client.get(urljoin(record["url"], target))
        assert status == 200
        assert body_text(body.decode(), CONTAINERS["mobile"]) == record["body_text"]


def test_content_pages_embed_detail_matching_the_truth(gd, client):
    bases = {s["name"]: s["base_url"] for s in gd["sites"]}
    listed = [n for n in gd["notices"] if "gkmlpt" in n["sources"]]
    only = [n for n in listed if "column" not in n["sources"]]
    for record in listed[::3] + only:  # every gkmlpt-only one, a third of the others
        post_id = record["post_id"]
        path = f"gkmlpt/content/{post_id // 10**6}/{post_id // 10**3}/post_{post_id}.html"
        status, _, body = client.get(bases[record["site"]] + path)
        html = body.decode()
        assert status == 200
        assert "ACTION: 'content'" in html
        detail = json.loads(DETAIL.search(html).group(1))
        assert (detail["id"], detail["title"]) == (post_id, record["title"])
        content = f'<div class="article-content">{detail["content"]}</div>'
        assert body_text(content, CONTAINERS["gkmlpt"]) == record["body_text"]
        assert body_text(html, CONTAINERS["gkmlpt"]) == record["body_text"]
        assert '<h1 class="title">' in html
        assert '<div class="classify">' in html
        assert re.search(r'<td class="td-value-xl" colspan="3"><span>[^<]+</span>', html)
        if "column" not in record["sources"]:
            assert detail["classify_main_name"] == record["category"]
            assert detail["publisher"] == record["publisher"]
            assert detail["identifier"] == record["index_number"]


def test_gkmlpt_index_embeds_sid_and_tree_with_jump_nodes(gd, client):
    for site in gd["sites"]:
        status, _, body = client.get(site["base_url"] + "gkmlpt/index")
        html = body.decode()
        assert status == 200
        assert f"SID: '{site['sid']}'" in html
        tree = json.loads(re.search(r"TREE: (\[.*\])\n", html).group(1))
        flat = [n for root in tree for n in (root, *root["children"])]
        jumps = [n for n in flat if n["jump_url"]]
        assert jumps
        assert all(n["post_count"] == 0 and "://" in n["jump_url"] for n in jumps)
        counts = {c["id"]: c["post_count"] for c in site["categories"]}
        assert {n["id"]: n["post_count"] for n in flat if not n["jump_url"]} == counts


def test_attachments_resolve_and_some_links_have_no_text(gd, client, pages):
    empty = 0
    for record in gd["notices"]:
        html = pages[record["url"]]
        for attachment in record["attachments"]:
            status, _headers, body = client.get(attachment["url"])
            ext = attachment["url"].rsplit(".", 1)[1]
            assert status == 200
            assert body.startswith(MAGIC[ext]), attachment
            aid = attachment["url"].split("/")[-2]
            link = re.search(rf'<a [^>]*attachment-id="{aid}"[^>]*>([^<]*)</a>', html)
            assert 'class="nfw-cms-attachment"' in link.group(0)
            assert f'alt="{attachment["name"]}"' in link.group(0)
            empty += link.group(1) == ""
    assert empty > 10


def test_images_are_served(gd, client, pages):
    sources = [
        s
        for html in pages.values()
        for s in re.findall(r'class="nfw-cms-img"[^>]*src="([^"]+)"', html)
    ]
    assert len(sources) > 10
    for src in sources[::5]:
        status, headers, body = client.get(urljoin(gd["sites"][0]["base_url"], src))
        assert (status, headers["Content-Type"], body[:4]) == (200, "image/png", b"\x89PNG")


def test_themes_differ_per_site(gd, pages):
    def first(name: str) -> str:
        return pages[column_records(gd, name)[0]["url"]]

    zhanjiang = first("zhanjiang")
    assert re.search(r'<div class="cont">\s*<h3 wzades=', zhanjiang)
    assert re.search(
        r'<span class="time" wzades="[^"]+">时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d</span>', zhanjiang
    )
    assert '<span class="ly" wzades="来源：' in zhanjiang
    assert '<div class="pos">' in zhanjiang
    assert re.search(r'<div class="fj">\s*</div>', zhanjiang)
    assert '<div class="article" wzades="正文" id="article">' in zhanjiang
    zs = first("zs-czj")
    assert '<div class="title">' in zs
    assert '<div class="article-content clearfix mh">' in zs
    assert re.search(
        r'<div class="sub-info"><span[^>]*>信息来源：[^<]+</span><span>发布日期：\d{4}-\d\d-\d\d</span>',
        zs,
    )
    assert "<title>中山市财政局政务网站 - 中山市财政局政务网站</title>" in zs
    jiangmen = first("jiangmen")
    assert re.search(r'<div class="print-class content-wrap"[^>]*>\s*<h1>', jiangmen)
    assert re.search(
        r'<li class="article-time">发布时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d</li>', jiangmen
    )
    assert '<div id="zoomcon">' in jiangmen
    assert 'id="rel_v"' in jiangmen
    assert '<div class="sub-info">' not in zhanjiang + jiangmen
    assert '<div id="zoomcon">' not in zhanjiang + zs
    assert 'class="art-info"' not in zs + jiangmen
    assert first("zhaoqing").count('<div class="article" wzades="正文" id="article">') == 1


def test_list_markup_differs_per_theme(gd, client):
    for site in gd["sites"]:
        _status, _, body = client.get(site["base_url"] + site["columns"][0]["path"])
        html = body.decode()
        department = site["theme"] != "zhanjiang"
        assert ('<div class="newsList"><ul class="list">' in html) == department
        assert ('<span class="time">' in html) == department
        assert re.search(r'<ul class="list">\s*<li><a href="[^"]+/content/post_\d+\.html"', html)


def test_text_normalization_brings_the_dirt_back(gd, pages):
    dirty = [u for u, html in pages.items() if re.search("[０-９]", html)]
    assert dirty
    for record in gd["notices"]:
        lines = record["body_text"].split("\n")
        assert [normalize(line) for line in lines] == lines
