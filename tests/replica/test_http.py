"""The site over HTTP: every list page walked with urllib, links, pagination, files, stats."""

from __future__ import annotations

import http.client
import re
import socket
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest

from replica import ReplicaServer
from tests.replica.conftest import fetch, get_json

PAGER = re.compile(r'createPageHTML\((\d+), (\d+), "index", "shtml"\)')
TRS_ITEM = re.compile(r'<li><a href="([^"]+)" title=')
RECORD = re.compile(r"<record><!\[CDATA\[\s*<li><a href=\"([^\"]+)\"")
TOTAL = re.compile(r"<totalrecord>(\d+)</totalrecord>")
MAGIC = {".pdf": b"%PDF-", ".doc": bytes.fromhex("D0CF11E0A1B11AE1"), ".xls": b"\xd0\xcf\x11\xe0"}


def walk_site(server: ReplicaServer, truth: dict) -> dict:
    """Every list page of every column, followed the way the markup announces them."""
    links: Counter[str] = Counter()
    pages: list[str] = []
    base = server.site_base("zjczj")
    for column in truth["sites"][0]["columns"]:
        start = urljoin(base, column["path"])
        walker = _walk_hanweb if column["family"] == "hanweb" else _walk_trs
        for url, found in walker(start):
            pages.append(url)
            links.update(found)
    return {"links": links, "pages": pages}


def _walk_trs(start: str):
    url, index = start, 0
    while True:
        status, _, body = fetch(url)
        assert status == 200, url
        text = body.decode("gb18030" if b"charset=gb2312" in body[:300] else "utf-8")
        count, current = map(int, PAGER.search(text).groups())
        assert current == index
        yield url, [urljoin(url, href) for href in TRS_ITEM.findall(text)]
        index += 1
        if index >= count:
            return
        url = urljoin(start, f"index_{index}.shtml")


def _walk_hanweb(start: str):
    status, _, body = fetch(start)
    assert status == 200
    text = body.decode()
    total = int(TOTAL.search(text).group(1))
    inline = RECORD.findall(text)
    yield start, [urljoin(start, href) for href in inline]
    column = re.search(r"columnid=(\d+)", text).group(1)
    for first in range(len(inline) + 1, total + 1, 45):
        query = f"startrecord={first}&endrecord={first + 44}&perpage=15&columnid={column}"
        url = urljoin(start, f"/czj/module/jpage/dataproxy.jsp?{query}")
        status, headers, body = fetch(url)
        assert status == 200
        assert headers["Content-Type"].startswith("text/xml")
        yield url, [urljoin(url, href) for href in RECORD.findall(body.decode())]


@pytest.fixture(scope="module")
def walked(server, truth) -> dict:
    return walk_site(server, truth)


def test_every_truth_url_is_linked_from_exactly_one_list_page(walked, truth):
    urls = [n["url"] for n in truth["notices"]]
    assert {u: walked["links"][u] for u in urls} == dict.fromkeys(urls, 1)


def test_list_pages_link_nothing_but_truth_urls(walked, truth):
    assert set(walked["links"]) == {n["url"] for n in truth["notices"]}


def test_list_pages_are_newest_first(server, truth):
    _, _, body = fetch(server.site_base("zjczj") + "czyw/index.shtml")
    dates = re.findall(r'<span class="date">([\d-]+)</span>', body.decode())
    assert len(dates) == 20
    assert dates == sorted(dates, reverse=True)


def test_every_truth_url_answers_200(truth):
    for notice in truth["notices"]:
        status, headers, _ = fetch(notice["url"])
        assert status == 200, notice["url"]
        assert headers["Content-Type"].startswith("text/html")


def test_every_attachment_answers_with_its_magic_bytes(truth):
    for attachment in (a for n in truth["notices"] for a in n["attachments"]):
        status, _, body = fetch(attachment["url"])
        assert status == 200, attachment["url"]
        assert body.startswith(MAGIC[attachment["name"][-4:]]), attachment["name"]


def test_trs_pagination_ends_where_the_pager_says(server, truth):
    base = server.site_base("zjczj")
    _, _, body = fetch(base + "xxgk/tzgg/index.shtml")
    count = int(PAGER.search(body.decode()).group(1))
    assert count >= 2
    assert fetch(f"{base}xxgk/tzgg/index_{count - 1}.shtml")[0] == 200
    assert fetch(f"{base}xxgk/tzgg/index_{count}.shtml")[0] == 404


def test_hanweb_proxy_past_the_end_is_empty(server):
    url = server.site_base("zjczj") + "module/jpage/dataproxy.jsp"
    status, _, body = fetch(f"{url}?startrecord=9001&endrecord=9045&perpage=15&columnid=2802")
    assert status == 200
    assert not RECORD.findall(body.decode())
    assert int(TOTAL.search(body.decode()).group(1)) > 45


def test_hanweb_proxy_answers_post_like_jpage_sends(server):
    url = urlsplit(server.site_base("zjczj"))
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    form = "appid=1&webid=1&path=/&columnid=2802&unitid=5501&permissiontype=0"
    target = "/czj/module/jpage/dataproxy.jsp?startrecord=46&endrecord=90&perpage=15"
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    connection.request("POST", target, body=form, headers=headers)
    response = connection.getresponse()
    assert response.status == 200
    assert RECORD.findall(response.read().decode())
    connection.close()


def test_robots_keeps_crawlers_out_of_search_only(server):
    status, headers, body = fetch(server.base_url + "/robots.txt")
    assert status == 200
    assert headers["Content-Type"].startswith("text/plain")
    assert body.decode().splitlines() == ["User-agent: *", "Disallow: /czj/search/"]


def test_unknown_paths_answer_404(server):
    assert fetch(server.site_base("zjczj") + "no/such/page.shtml")[0] == 404
    assert fetch(server.base_url + "/elsewhere/")[0] == 404


def test_etag_revalidation_answers_304(server, truth):
    url = truth["notices"][0]["url"]
    status, headers, _ = fetch(url)
    assert status == 200
    assert "Last-Modified" in headers
    before = server.stats()["by_status"].get("304", 0)
    again = fetch(url, headers={"If-None-Match": headers["ETag"]})
    assert (again[0], again[2]) == (304, b"")
    since = fetch(url, headers={"If-Modified-Since": headers["Last-Modified"]})
    assert since[0] == 304
    assert server.stats()["by_status"].get("304", 0) == before + 2  # counted as sent


def test_one_connection_serves_many_requests(server, truth):
    url = urlsplit(server.base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    for notice in truth["notices"][:5]:
        connection.request("GET", urlsplit(notice["url"]).path)
        response = connection.getresponse()
        body = response.read()
        assert response.status == 200
        assert len(body) == int(response.headers["Content-Length"])
    connection.request("HEAD", urlsplit(truth["notices"][0]["url"]).path)
    head = connection.getresponse()
    assert head.read() == b""
    assert int(head.headers["Content-Length"]) > 1000
    connection.close()


def test_stats_count_exactly_what_was_fetched():
    with ReplicaServer() as server:
        base = server.site_base("zjczj")
        notice = next(n for n in server.truth()["notices"] if n["attachments"])
        fetch(server.base_url + "/robots.txt")
        fetch(base + "xxgk/tzgg/index.shtml")
        fetch(base + "xxgk/tzgg/index_1.shtml")
        fetch(notice["url"])
        fetch(notice["attachments"][0]["url"])
        fetch(base + "missing.html")
        fetch(base + "index.shtml")
        stats = get_json(server.base_url + "/__stats.json")
        assert stats == server.stats()
    assert stats["requests"] == 7
    assert stats["by_path_kind"] == {
        "list": 2,
        "detail": 1,
        "attachment": 1,
        "robots": 1,
        "other": 2,
    }
    assert stats["by_status"] == {"200": 6, "404": 1}


def test_stats_reset(server):
    fetch(server.base_url + "/robots.txt")
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("POST", "/__stats/reset")
    assert connection.getresponse().status == 200
    connection.close()
    assert get_json(server.base_url + "/__stats.json")["requests"] == 0


def raw_exchange(server: ReplicaServer, data: bytes) -> bytes:
    """Send raw bytes on a fresh connection; everything the server answers until it closes."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_http10_without_keep_alive_gets_one_answer_and_a_close(server):
    answer = raw_exchange(server, b"GET /robots.txt HTTP/1.0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"\r\nConnection: close\r\n" in answer
    assert answer.endswith(b"Disallow: /czj/search/\n")


def test_pipelined_requests_are_answered_in_order(server):
    request = b"GET /robots.txt HTTP/1.1\r\nHost: x\r\n\r\n"
    last = b"GET /nowhere HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    answer = raw_exchange(server, request + b"\r\n" + request + last)
    statuses = re.findall(rb"^HTTP/1\.1 (\d{3}) ", answer, re.M)
    assert statuses == [b"200", b"200", b"404"]


def test_garbage_and_unknown_methods_are_refused(server):
    assert raw_exchange(server, b"HELLO\r\n\r\n").startswith(b"HTTP/1.1 400 ")
    answer = raw_exchange(server, b"DELETE /robots.txt HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 501 ")


def test_connections_wait_in_the_listen_queue_as_at_a_real_server():
    """A client opening its connections at once while the replica's accepting thread waits for a
    core: each is queued, as nginx's backlog of 511 queues them, not dropped (a dropped SYN is
    sent again a second later: the crawl stalled)."""
    from replica.wire import Server

    server = Server(("127.0.0.1", 0), lambda method, target, form: None)  # never accepts here
    clients = []
    try:
        for _ in range(32):
            client = socket.create_connection(server.server_address, timeout=0.5)
            clients.append(client)
        assert len(clients) == 32
    finally:
        for client in clients:
            client.close()
        server.server_close()


def test_a_waiting_answer_does_not_hold_the_other_connections():
    """A page's delay (the ``slow`` fault, a server's latency) waits on the server's loop: the
    other connections are answered meanwhile, as at a real server (replica/wire.py)."""
    import threading

    from replica.pages import Page
    from replica.wire import Server

    def answer(method, target, form, headers=None):
        delay = 60.0 if target == "/wait" else 0.0
        return Page(200, target.encode(), "text/plain", "other", delay=delay)

    server = Server(("127.0.0.1", 0), answer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address
    waiting = socket.create_connection((host, port), timeout=10)
    try:
        waiting.sendall(b"GET /wait HTTP/1.1\r\nHost: x\r\n\r\n")
        for n in range(3):  # answered while /wait waits out its minute (10 s timeout each)
            connection = http.client.HTTPConnection(host, port, timeout=10)
            connection.request("GET", f"/now/{n}")
            response = connection.getresponse()
            assert (response.status, response.read()) == (200, f"/now/{n}".encode())
            connection.close()
    finally:
        waiting.close()
        server.shutdown()
        server.server_close()
    thread.join(10)
    assert not thread.is_alive()
