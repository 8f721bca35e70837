"""The site-group replicas over HTTP: column lists, the gkmlpt list API and its paging quirks."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urljoin

import pytest

from tests.replica.test_gdsite_support import SITES, Client, group_truth

ITEM = re.compile(
    r'<li><a href="([^"]+)" target="_blank" title="[^"]*">[^<]*</a>'
    r'<span(?: class="time")?>(\d{4}-\d\d-\d\d)</span></li>'
)
LAST = re.compile(r'<a class="last" href="index(?:_(\d+))?\.html">尾页</a>')
CST = dt.timezone(dt.timedelta(hours=8))


@pytest.fixture(scope="module")
def gd(full_truth: dict) -> dict:
    return group_truth(full_truth)


@pytest.fixture(scope="module")
def client(server):
    client = Client(server.base_url)
    yield client
    client.close()


def entry(gd: dict, name: str) -> dict:
    return next(s for s in gd["sites"] if s["name"] == name)


def records(gd: dict, name: str) -> list[dict]:
    return [n for n in gd["notices"] if n["site"] == name]


def walk_column(client: Client, start: str) -> list[tuple[str, str]]:
    """(article URL, date shown) of every item, following the pager to its last page."""
    status, _, body = client.get(start)
    assert status == 200, start
    text = body.decode()
    last = int(LAST.search(text).group(1) or 1)
    items = ITEM.findall(text)
    for number in range(2, last + 1):
        status, _, body = client.get(urljoin(start, f"index_{number}.html"))
        assert status == 200
        items += ITEM.findall(body.decode())
    return [(urljoin(start, href), day) for href, day in items]


def walk_category(client: Client, api: str, served_pages: int) -> list[dict]:
    """Every article a category's list API serves, page 1 on until empty or 404."""
    articles = []
    for page in range(1, served_pages + 2):
        status, data = client.json(f"{api}&page={page}")
        if status == 404:
            assert page > 1
            break
        assert status == 200
        if not data["articles"]:
            break
        articles += data["articles"]
    return articles


def api_url(site: dict, cat_id: int) -> str:
    return site["base_url"] + f"gkmlpt/api/all/{cat_id}?sid={site['sid']}"


@pytest.mark.parametrize("name", SITES)
def test_every_list_page_lists_what_the_truth_says(gd, client, name):
    site = entry(gd, name)
    for column in site["columns"]:
        start = urljoin(site["base_url"], column["path"])
        directory = start.removesuffix("index.html")
        expected = [
            (n["url"], n["publish_date"])
            for n in records(gd, name)
            if n["url"].startswith(directory + "content/post_")
        ]
        assert walk_column(client, start) == expected, column["name"]
        assert all(n["category"] == column["name"] for n in records(gd, name)
                   if n["url"].startswith(directory))  # fmt: skip


@pytest.mark.parametrize("name", SITES)
def test_the_catalogue_serves_what_the_truth_says(gd, client, name):
    site = entry(gd, name)
    pages = site["gkmlpt"]["served_pages"]
    listed = {n["post_id"] for n in records(gd, name) if "gkmlpt" in n["sources"]}
    everything = walk_category(client, api_url(site, 0), pages)
    assert {a["id"] for a in everything} == listed
    assert len(everything) == site["gkmlpt"]["served"] <= pages * 100
    moments = [a.get("created_at") or "" for a in everything]
    assert [m for m in moments if m] == sorted((m for m in moments if m), reverse=True)
    union: set[int] = set()
    for category in site["categories"]:
        served = walk_category(client, api_url(site, category["id"]), pages)
        assert len(served) == category["served"] < category["post_count"], category
        if category["leaf"]:
            assert {a["classify_main"] for a in served} <= {category["id"]}
            union |= {a["id"] for a in served}
    assert union == listed


def test_jiangmen_serves_one_page_and_hides_older_documents(gd):
    site = entry(gd, "jiangmen")
    assert site["gkmlpt"]["served_pages"] == 1
    assert site["gkmlpt"]["served"] == 100
    column_only = [n for n in records(gd, "jiangmen") if n["sources"] == ["column"]]
    assert len(column_only) > 50
    assert all(n["doc_date"] is None and n["index_number"] is None for n in column_only)


@pytest.mark.parametrize("name", SITES)
def test_page_zero_answers_like_page_one(gd, client, name):
    site = entry(gd, name)
    first = client.get(api_url(site, 0) + "&page=1")
    assert client.get(api_url(site, 0) + "&page=0")[2] == first[2]
    assert client.get(api_url(site, 0))[2] == first[2]


@pytest.mark.parametrize("name", SITES)
def test_past_the_served_slice_is_a_404(gd, client, name):
    site = entry(gd, name)
    past = site["gkmlpt"]["served_pages"] + 1
    leaf = next(c for c in site["categories"] if c["leaf"])
    for cat_id in (0, leaf["id"]):
        assert client.get(api_url(site, cat_id) + f"&page={past}")[0] == 404


def test_a_page_within_the_slice_past_the_documents_is_empty(gd, client):
    site = entry(gd, "zhanjiang")
    small = next(c for c in site["categories"] if c["leaf"] and c["served"] < 100)
    status, data = client.json(api_url(site, small["id"]) + "&page=2")
    assert status == 200
    assert data["articles"] == []
    assert data["classify"]["post_count"] == small["post_count"]


def test_wrong_or_missing_sid_answers_an_error_object(gd, client):
    site = entry(gd, "zs-czj")
    base = site["base_url"] + "gkmlpt/api/all/0?page=1"
    for url in (base + "&sid=759001", base):
        status, data = client.json(url)
        assert status == 200
        assert "articles" not in data
        assert data["code"] != 0
    assert client.json(site["base_url"] + "gkmlpt/api/all/99999?page=1&sid=760011")[0] == 404


@pytest.mark.parametrize("name", SITES)
def test_api_fields_give_the_truth_as_the_contract_merges_them(gd, client, name):
    site = entry(gd, name)
    truth = {n["post_id"]: n for n in records(gd, name)}
    articles = walk_category(client, api_url(site, 0), site["gkmlpt"]["served_pages"])
    for article in articles:
        record = truth[article["id"]]
        target = article.get("post_url") or article["url"]
        assert record["url"] == urljoin(site["base_url"], target)
        assert record["title"] == article["title"]
        day = dt.datetime.fromtimestamp(article["date"], CST)
        assert (day.time(), record["doc_date"]) == (dt.time(), day.date().isoformat())
        if article.get("created_at"):
            assert record["publish_date"] == article["created_at"][:10]
            assert record["publish_time"] == article["created_at"][11:16]
        if article.get("identifier"):
            assert record["index_number"] == article["identifier"]
        if article.get("publisher"):
            assert record["publisher"] == article["publisher"]
        number = article.get("document_number") or None
        canonical = number and re.sub(r"[\[（](\d{4})[\]）]", r"〔\1〕", number)
        assert record["doc_number"] == canonical
        assert [a["url"] for a in record["attachments"]] == [
            urljoin(site["base_url"], a["url"]) for a in article["attachment"]
        ]
        names = [a["name"] for a in article["attachment"]]
        assert [a["name"] for a in record["attachments"]] == names
        assert ("column" in record["sources"]) == bool(article.get("post_url"))


def test_some_articles_leave_optional_fields_out(gd, client):
    seen: dict[str, int] = {}
    for name in SITES:
        site = entry(gd, name)
        for article in walk_category(client, api_url(site, 0), site["gkmlpt"]["served_pages"]):
            assert {"id", "title", "date", "classify_main", "url", "attachment"} <= set(article)
            for field in ("identifier", "created_at", "publisher", "keywords", "post_url"):
                seen[field] = seen.get(field, 0) + (not article.get(field))
    assert all(seen[f] > 0 for f in seen), seen
