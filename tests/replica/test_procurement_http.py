"""The procurement site over HTTP: every list walked by its pager, links, files, stats."""

from __future__ import annotations

import http.client
import re
from collections import Counter
from urllib.parse import urljoin

import pytest

from replica import ReplicaServer
from tests.replica.conftest import fetch, get_json

PAGER = re.compile(r"Pager\(\{size:(\d+), current:(\d+), prefix:'index', suffix:'htm'\}\);")
ITEM = re.compile(
    r'<li><a href="([^"]+)" title="([^"]+)" target="_blank">([^<]+)</a>'
    r"<em>(\d{4}-\d\d-\d\d \d\d:\d\d)</em><em>(湛江市\w*)</em><em>(\w+)</em></li>"
)


def walk_list(start: str):
    """Each page of a list, following the pager: (url, items, page count, current)."""
    url, index = start, 0
    while True:
        status, headers, body = fetch(url)
        assert status == 200, url
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        text = body.decode()
        count, current = map(int, PAGER.search(text).groups())
        assert current == index
        yield url, ITEM.findall(text), count
        index += 1
        if index >= count:
            return
        url = urljoin(start, f"index_{index}.htm")


@pytest.fixture(scope="module")
def walked(server, ccgp_truth) -> dict[str, dict]:
    """Per category: links found (counted), pages walked, page count, items per page."""
    base = server.site_base("ccgp")
    result = {}
    for column in ccgp_truth["sites"][0]["columns"]:
        links: Counter[str] = Counter()
        sizes, times, count = [], [], 0
        for url, items, announced in walk_list(urljoin(base, column["path"])):
            links.update(urljoin(url, item[0]) for item in items)
            sizes.append(len(items))
            times += [item[3] for item in items]
            count = announced
        result[column["name"]] = {"links": links, "sizes": sizes, "count": count, "times": times}
    return result


def test_sites_entry_lists_the_nine_lists(ccgp_truth, server):
    (site,) = ccgp_truth["sites"]
    assert site["name"] == "ccgp"
    assert site["kind"] == "procurement"
    assert site["base_url"] == server.site_base("ccgp") == server.base_url + "/ccgp/"
    assert [c["path"] for c in site["columns"]] == [
        "cgyx/index.htm",
        "cggg/dfgg/gkzb/index.htm",
        "cggg/dfgg/jzxcs/index.htm",
        "cggg/dfgg/xjgg/index.htm",
        "cggg/dfgg/dylygg/index.htm",
        "cggg/dfgg/gzgg/index.htm",
        "cggg/dfgg/zbgg/index.htm",
        "cggg/dfgg/htgg/index.htm",
        "cggg/dfgg/zzgg/index.htm",
    ]


def test_each_list_links_every_url_of_its_category_exactly_once(walked, ccgp_truth):
    for name, found in walked.items():
        urls = [n["url"] for n in ccgp_truth["notices"] if n["category"] == name]
        assert urls, name
        assert dict(found["links"]) == dict.fromkeys(urls, 1), name


def test_lists_have_20_items_a_page_and_the_pager_counts_the_pages(walked):
    assert max(found["count"] for found in walked.values()) >= 5
    for name, found in walked.items():
        sizes = found["sizes"]
        assert len(sizes) == found["count"], name
        assert all(size == 20 for size in sizes[:-1]), name
        assert 1 <= sizes[-1] <= 20, name


def test_lists_are_newest_first(walked):
    for name, found in walked.items():
        assert found["times"] == sorted(found["times"], reverse=True), name


def test_pagination_ends_where_the_pager_says(server, walked):
    base = server.site_base("ccgp") + "cggg/dfgg/zbgg/"
    count = walked["中标公告"]["count"]
    assert fetch(f"{base}index_{count - 1}.htm")[0] == 200
    assert fetch(f"{base}index_{count}.htm")[0] == 404


def test_list_items_show_time_region_and_purchaser(server, ccgp_truth):
    _, _, body = fetch(server.site_base("ccgp") + "cggg/dfgg/zbgg/index.htm")
    items = ITEM.findall(body.decode())
    truth = {n["url"]: n for n in ccgp_truth["notices"]}
    base = server.site_base("ccgp") + "cggg/dfgg/zbgg/index.htm"
    for href, title, shown, moment, region, purchaser in items:
        notice = truth[urljoin(base, href)]
        assert moment == f"{notice['publish_date']} {notice['publish_time']}"
        assert purchaser == notice["procurement"]["purchaser"]
        assert region.startswith("湛江市")
        assert shown == title or (shown.endswith("…") and title.startswith(shown[:-1]))


def test_every_detail_page_and_attachment_answers(ccgp_truth):
    for notice in ccgp_truth["notices"]:
        status, headers, _ = fetch(notice["url"])
        assert status == 200, notice["url"]
        assert headers["Content-Type"].startswith("text/html")
        assert "Last-Modified" in headers
    attachments = [a for n in ccgp_truth["notices"] for a in n["attachments"]]
    assert len(attachments) >= 100
    for attachment in attachments:
        status, headers, body = fetch(attachment["url"])
        assert status == 200, attachment["url"]
        assert (headers["Content-Type"], body[:5]) == ("application/pdf", b"%PDF-")
        assert re.search(r"/P0\d{14}\.pdf$", attachment["url"])


def test_detail_urls_follow_the_ccgp_pattern(ccgp_truth, server):
    pattern = re.compile(
        re.escape(server.site_base("ccgp")) + r"[a-z/]+/(\d{6})/t(\d{8})_\d{8}\.htm$"
    )
    for notice in ccgp_truth["notices"]:
        match = pattern.match(notice["url"])
        assert match, notice["url"]
        assert match.group(2) == notice["publish_date"].replace("-", "")
        assert match.group(1) == match.group(2)[:6]


def test_channel_pages_and_directories(server):
    base = server.site_base("ccgp")
    for path in ("", "index.htm", "cggg/", "cggg/dfgg/"):
        assert fetch(base + path)[0] == 200, path
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("GET", "/ccgp/cggg/dfgg/zbgg/")
    response = connection.getresponse()
    response.read()
    connection.close()
    assert response.status == 301
    assert response.headers["Location"] == "/ccgp/cggg/dfgg/zbgg/index.htm"
    assert fetch(base + "nowhere.htm")[0] == 404


def test_robots_is_unchanged_by_the_procurement_site(server):
    _, _, body = fetch(server.base_url + "/robots.txt")
    assert "ccgp" not in body.decode()


def test_stats_count_procurement_pages_by_kind():
    with ReplicaServer() as server:
        base = server.site_base("ccgp")
        notice = next(
            n for n in server.truth()["notices"] if n["site"] == "ccgp" and n["attachments"]
        )
        fetch(base + "cggg/dfgg/zbgg/index.htm")
        fetch(base + "cggg/dfgg/zbgg/index_1.htm")
        fetch(base + "cgyx/index.htm")
        fetch(notice["url"])
        fetch(notice["attachments"][0]["url"])
        fetch(base + "missing.htm")
        fetch(base + "index.htm")
        stats = get_json(server.base_url + "/__stats.json")
    assert stats["requests"] == 7
    assert stats["by_path_kind"] == {
        "list": 3,
        "detail": 1,
        "attachment": 1,
        "robots": 0,
        "other": 2,
    }
    assert stats["by_status"] == {"200": 6, "404": 1}
