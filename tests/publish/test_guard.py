"""Bounded requests, shortened cells and safe links (publish/plugins/zwgk_guard.py, zwgk_render.py).

In-process tests use `make_datasette`; `test_hostile_queries_against_a_real_server` starts
`python -m datasette` exactly as `zwgk serve` configures it and reads the server's peak RSS.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from datasette.utils import CustomJSONEncoder
from hypothesis import given
from hypothesis import strategies as st

from pipeline.store.schema import open_db
from publish.config import make_datasette, serve_args, write_metadata
from publish.plugins.zwgk_guard import MIB, ResultTooLarge, budget_row_factory, json_cost
from publish.plugins.zwgk_render import http_url

BIG_BODIES = 4
BIG_BODY = 8 * MIB
LONG_TEXT = "\n".join(f"第{i}段，财政预算执行情况。" for i in range(3000)) + "\n最后一段结束。"
URLS = {
    "plain": "http://www.zjczj.gov.cn/a/t1.shtml",
    "js": "javascript:alert(1)",
    "jstab": "java\tscript:alert(2)",
    "padded": " \x01HTTPS://www.zjczj.gov.cn/b\n/t2.shtml ",
}


def notice(nid: str, url: str, body_html: str = "<p>正文</p>", body_text: str = "正文") -> dict:
    return {
        "id": nid,
        "url": url,
        "site": "zjczj",
        "kind": "notice",
        "category": "通知公告",
        "title": f"标题 {nid}",
        "publish_date": "2024-05-01",
        "body_text": body_text,
        "body_html": body_html,
        "version_count": 1,
        "status": "live",
    }


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("guard") / "archive.db"
    db = open_db(str(path))
    db["sites"].insert({"name": "zjczj", "title": "湛江市财政局"})
    rows = [notice(nid, url) for nid, url in URLS.items()]
    rows.append(notice("long", "http://www.zjczj.gov.cn/a/long.shtml", body_text=LONG_TEXT))
    for i in range(BIG_BODIES):
        body = "<p>开头一段：预算公开。</p><p>" + "x" * BIG_BODY + "</p><p>BODY-END-MARKER</p>"
        rows.append(notice(f"big{i}", f"http://www.zjczj.gov.cn/a/big{i}.shtml", body_html=body))
    with db.conn:
        for row in rows:
            db["notices"].insert(row)
    db.close()
    return str(path)


@pytest.fixture
def ds(db_path):
    return make_datasette(db_path)


def sql_path(sql: str, fmt: str = ".json", **extra: str) -> str:
    return f"/archive{fmt}?" + urllib.parse.urlencode({"sql": sql, **extra})


# -- SQLite bounds, in process ------------------------------------------------------------


@pytest.mark.parametrize("function", ["zeroblob", "randomblob", "ZeroBlob"])
async def test_blob_making_functions_are_refused(ds, function):
    response = await ds.client.get(sql_path(f"select {function}(1000)"))
    assert response.status_code == 400
    assert response.json()["error"] == f"not authorized to use function: {function}"
    page = await ds.client.get(sql_path(f"select {function}(1000)", fmt=""))
    assert page.status_code == 400
    assert f"not authorized to use function: {function}" in page.text


async def test_a_value_longer_than_the_limit_is_refused(ds):
    # 100 MB made by replace() from a 1 MB string: over the 64 MiB value limit.
    sql = "select length(replace(printf('%.*c', 1000000, 'x'), 'x', printf('%.*c', 100, 'y')))"
    response = await ds.client.get(sql_path(sql))
    assert response.status_code == 400
    assert response.json()["error"] == "string or blob too big"
    ok = await ds.client.get(sql_path(sql.replace("1000000", "100000") + " as n"))
    assert ok.json()["rows"] == [[10_000_000]]


async def test_connections_carry_the_limits(ds):
    def limits(conn):
        return conn.getlimit(sqlite3.SQLITE_LIMIT_LENGTH), conn.execute(
            "pragma hard_heap_limit"
        ).fetchone()[0]

    assert await ds.get_database("archive").execute_fn(limits) == (64 * MIB, 256 * MIB)


def test_row_factory_stops_a_cursor_past_its_budget():
    conn = sqlite3.connect(":memory:")
    conn.row_factory = budget_row_factory(row_limit=2_000, result_limit=10_000)
    sql = (
        "with recursive r(i) as (select 1 union all select i + 1 from r limit 100) "
        "select printf('%.*c', 500, 'x') as x from r"
    )
    with pytest.raises(ResultTooLarge, match="Query result over"):
        conn.execute(sql).fetchall()
    rows = conn.execute(
        sql.replace("limit 100", "limit 10")
    ).fetchall()  # fresh cursor, fresh budget
    assert [row.keys() for row in rows] == [["x"]] * 10
    with pytest.raises(ResultTooLarge, match="A row over"):
        conn.execute("select printf('%.*c', 1000, 'x'), printf('%.*c', 1000, 'y')").fetchall()


@given(st.lists(st.text() | st.binary() | st.integers() | st.floats() | st.none(), max_size=5))
def test_json_cost_bounds_what_datasette_writes(values):
    written = len(json.dumps(values, cls=CustomJSONEncoder))
    assert sum(json_cost(v) for v in values) + 2 >= written


async def test_json_parsing_is_bounded(ds):
    sql = (
        "with recursive r(i) as (select 1 union all select i + 1 from r where i < 5000) "
        "select json_group_array(printf('%.*c', 1000, 'x')) as j from r"
    )
    response = await ds.client.get(sql_path(sql, _json="j"))
    assert response.status_code == 400
    assert "?_json= parses at most 4 MiB" in response.json()["error"]
    small = await ds.client.get(sql_path(sql.replace("5000", "5"), _json="j"))
    assert small.status_code == 200
    assert len(small.json()["rows"][0][0]) == 5


# -- Long cells ---------------------------------------------------------------------------


async def test_table_page_shortens_long_bodies(ds):
    # the body columns, hidden by default, named (publish/plugins/zwgk_columns.py)
    response = await ds.client.get("/archive/notices?_size=20&_col=body_html&_col=body_text")
    assert response.status_code == 200
    page = response.text
    assert len(page) < 200_000  # four 8 MiB bodies on the page
    assert "开头一段：预算公开。" in page
    assert "BODY-END-MARKER" not in page
    assert "x" * 300 not in page
    assert "第2999段" not in page  # body_text: Datasette's own truncation


async def test_query_page_shortens_long_cells(ds):
    response = await ds.client.get(sql_path("select body_html from notices", fmt=""))
    assert response.status_code == 200
    assert len(response.text) < 200_000
    assert "BODY-END-MARKER" not in response.text


async def test_notice_page_still_shows_the_whole_body(ds):
    page = (await ds.client.get("/archive/notices/long")).text
    assert "<p>最后一段结束。</p>" in page
    assert page.count("财政预算执行情况") == 3000


# -- Links --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://a.gov.cn/x", "http://a.gov.cn/x"),
        ("HTTPS://a.gov.cn/x", "HTTPS://a.gov.cn/x"),
        (" \x00\x1fhttps://a.gov.cn/\tx\n ", "https://a.gov.cn/x"),
        ("ht\ntp://a.gov.cn/", "http://a.gov.cn/"),
        ("javascript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        (" \njavascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("vbscript:msgbox", None),
        ("//evil.example/x", None),
        ("/archive/notices", None),
        ("http//a.gov.cn", None),
        ("\u3000http://a.gov.cn/", None),  # not a C0 control or space: no scheme
        ("", None),
        (None, None),
    ],
)
def test_http_url(value, expected):
    assert http_url(value) == expected


@pytest.mark.parametrize("nid", ["js", "jstab"])
async def test_script_urls_are_text_not_links(ds, nid):
    page = (await ds.client.get(f"/archive/notices/{nid}")).text
    assert 'class="zwgk-notice"' in page
    assert "script:alert" in page  # shown as text
    assert 'href="java' not in page.replace("\t", "")
    table = (await ds.client.get("/archive/notices")).text
    assert 'href="java' not in table.replace("\t", "")


async def test_http_urls_are_links(ds):
    page = (await ds.client.get("/archive/notices/plain")).text
    assert f'<a href="{URLS["plain"]}" rel="nofollow noopener">' in page
    padded = (await ds.client.get("/archive/notices/padded")).text
    assert '<a href="HTTPS://www.zjczj.gov.cn/b/t2.shtml" rel="nofollow noopener">' in padded


# -- Legitimate use keeps working ----------------------------------------------------------


async def test_csv_export_and_facets_still_work(ds):
    ids = sorted(["long", *URLS, *(f"big{i}" for i in range(BIG_BODIES))])
    stream = await ds.client.get("/archive/notices.csv?_stream=on&_nocol=body_html")
    assert stream.status_code == 200
    assert sorted(row["id"] for row in csv.DictReader(io.StringIO(stream.text))) == ids
    query = await ds.client.get(sql_path("select id from notices order by id", fmt=".csv"))
    assert query.text.split() == ["id", *ids]
    facet = (await ds.client.get("/archive/notices.json?_facet=category")).json()
    assert facet["facet_results"]["category"]["results"][0]["count"] == len(ids)
    row = (await ds.client.get("/archive/notices/big0.json?_shape=objects")).json()["rows"][0]
    assert len(row["body_html"]) > BIG_BODY


# -- A real server over HTTP ----------------------------------------------------------------

RSS_CEILING_KB = 1024 * 1024  # 1 GiB
WATCHDOG_KB = 3 * 1024 * 1024  # kill a runaway server well before it hurts the machine
HEAP_MESSAGE = "SQLite heap limit 256 MiB"
TOO_BIG = "string or blob too big"
# (name, sql, text of the 400 error, in JSON and in HTML)
HOSTILE = [
    ("zeroblob", "select zeroblob(400000000)", "not authorized to use function: zeroblob"),
    ("randomblob", "select randomblob(400000000)", "not authorized to use function: randomblob"),
    (
        "replace",
        "select replace(printf('%.*c', 4000000, 'x'), 'x', printf('%.*c', 100, 'y'))",
        TOO_BIG,
    ),
    ("hex", "select hex(hex(hex(printf('%.*c', 50000000, 'x'))))", TOO_BIG),
    (
        "group_concat",
        "with recursive r(i) as (select 1 union all select i + 1 from r where i < 400000) "
        "select group_concat(printf('%.*c', 1000, 'x')) from r",
        TOO_BIG,
    ),
    (
        "many computed columns",
        "select " + ", ".join(f"printf('%.*c', 40000000, 'x') as c{i}" for i in range(10)),
        HEAP_MESSAGE,
    ),
    (
        "many stored columns",
        "select " + ", ".join(f"body_html as c{i}" for i in range(5)) + " from notices",
        "A row over the 32 MiB limit",
    ),
    (
        "many stored rows",
        "with b as (select body_html as h from notices where id like 'big%') "
        "select x.h from b x, b y, b z",
        "Query result over the 256 MiB limit",
    ),
]


def _rss_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


def _get(url: str, killed: list[int]) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except OSError as error:
        died = f"killed at {killed[0] // 1024} MB RSS" if killed else "no watchdog kill"
        raise AssertionError(f"{url[:120]}: {error!r} ({died})") from error


def _expect(response: tuple[int, bytes], status: int, text: str | None = None) -> bytes:
    """The body of ``response`` after checking its status and, if given, a text in it."""
    got, body = response
    assert got == status, (got, body[:2000])
    if text is not None:
        assert text in body.decode(), (text, body[:2000])
    return body


def test_hostile_queries_against_a_real_server(db_path, tmp_path):
    metadata = write_metadata(db_path, tmp_path / "metadata.json")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "server.log").open("w")
    args = serve_args(db_path, port, "127.0.0.1", str(metadata))
    server = subprocess.Popen(
        [sys.executable, "-m", "datasette", *args],
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    killed: list[int] = []
    done = threading.Event()

    def watchdog() -> None:
        while not done.wait(0.05):
            try:
                rss = _rss_kb(server.pid, "VmRSS")
            except (OSError, AssertionError):
                return
            if rss > WATCHDOG_KB:
                killed.append(rss)
                os.killpg(server.pid, signal.SIGKILL)
                return

    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, (tmp_path / "server.log").read_text()
            try:
                urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "datasette did not start"
                time.sleep(0.2)
        threading.Thread(target=watchdog, daemon=True).start()

        def get(path: str) -> tuple[int, bytes]:
            return _get(base + path, killed)

        for name, sql, message in HOSTILE:
            body = _expect(get(sql_path(sql)), 400)
            assert message in json.loads(body)["error"], name
            _expect(get(sql_path(sql, fmt="")), 400, message)

        # Bounded: printf() past the value limit is NULL; 30 MB of control characters would be
        # 180 MB of JSON, but is a short HTML page; four 8 MiB cells are fine, shortened in HTML.
        body = _expect(get(sql_path("select printf('%.*c', 400000000, 'x') as p")), 200)
        assert json.loads(body)["rows"] == [[None]]
        control = "select printf('%.*c', 30000000, char(1)) as p"
        body = _expect(get(sql_path(control)), 400)
        assert "JSON result over the 128 MiB limit" in json.loads(body)["error"]
        assert len(_expect(get(sql_path(control, fmt="")), 200)) < 100_000
        assert len(_expect(get(sql_path("select body_html from notices")), 200)) > 4 * BIG_BODY
        page = get("/archive/notices?_col=body_html&_col=body_text")
        assert len(_expect(page, 200, "开头一段")) < 200_000

        # The server still answers, and stayed small.
        body = _expect(get("/archive/notices.json?_facet=site&_nocol=body_html"), 200)
        assert json.loads(body)["facet_results"]["site"]["results"]
        peak = _rss_kb(server.pid, "VmHWM")
        assert not killed
        assert peak < RSS_CEILING_KB, f"server peak RSS {peak // 1024} MB"
    finally:
        done.set()
        try:
            os.killpg(server.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.wait()
        log.close()


def test_importing_the_plugin_first_keeps_datasettes_error_pages(tmp_path):
    """A fresh process (import order is per process) that imports the guard before Datasette
    loads its plugins still answers a missing page with Datasette's 404."""
    import textwrap

    db = tmp_path / "a.db"
    sqlite3.connect(db).execute("create table t (id integer primary key)").connection.close()
    script = textwrap.dedent(f"""
        import asyncio
        import publish.plugins.zwgk_guard
        from publish.config import make_datasette
        response = asyncio.run(make_datasette({str(db)!r}).client.get("/a/nope"))
        print(response.status_code)
    """)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.stdout.strip() == "404", done.stderr[-2000:]
