"""Search through Datasette, as `zwgk serve` runs it, over an archive of the replica's real pages.

Truth is Python's ``in`` (ASCII case-folded) over each notice's title, body text, the names of
its procurement announcement (purchaser, suppliers) and the text read from its attachments.
"""

from __future__ import annotations

import json
import random
import re
import sqlite3
from urllib.parse import quote, urlsplit

import pytest
import sqlite_utils

from pipeline.record import Record
from pipeline.store import Archive, Capture
from pipeline.store.fts import NON_WORD, WORD_RUN
from publish.config import make_datasette
from tests.integration.conftest import crawl, running_replica

pytestmark = pytest.mark.integration

SPIDERS = ("zjczj", "gdgpo", "ccgp")  # a bureau (notices) and two procurement platforms
QUERIES = 50
SEED = 20261202


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("search") / "archive.db"
    with running_replica() as url:
        result = crawl(db, url, spiders=SPIDERS)
    assert result.returncode == 0, result.stderr[-3000:]
    return db


@pytest.fixture(scope="module")
def notices(crawled) -> dict[str, dict]:
    """Every notice by id: title, body and names, ASCII case-folded."""
    db = sqlite_utils.Database(crawled)
    rows = {
        r["id"]: {**r, "names": []} for r in db.query("select id, title, body_text from notices")
    }
    for nid, purchaser, suppliers in db.execute(
        "select notice_id, purchaser, award_suppliers from procurement"
    ).fetchall():
        rows[nid]["names"] += [purchaser or "", *json.loads(suppliers or "[]")]
    for nid, supplier in db.execute("select notice_id, supplier from procurement_awards"):
        rows[nid]["names"].append(supplier or "")
    for nid, text in db.execute(
        "select notice_id, text from attachments where text is not null order by position"
    ):
        rows[nid]["names"].append(text)
    for row in rows.values():
        row["fields"] = [fold(row["title"]), fold(row["body_text"]), *map(fold, row["names"])]
    return rows


def fold(text: str | None) -> str:
    return re.sub("[A-Z]+", lambda m: m.group().lower(), text or "")


def containing(notices: dict[str, dict], *terms: str) -> set[str]:
    return {
        nid
        for nid, row in notices.items()
        if all(any(fold(t) in field for field in row["fields"]) for t in terms)
    }


async def searched(ds, query: str, extra: str = "") -> set[str]:
    """Ids of every notice ``?_search=query`` lists, all pages."""
    url = f"/archive/notices.json?_search={quote(query)}&_col=id&_size=1000&_shape=objects{extra}"
    url += "&_sort=id"  # pages by a unique key: Datasette 0.65 breaks ties on later pages only
    found: set[str] = set()
    while url:
        response = await ds.client.get(url)
        assert response.status_code == 200, (query, response.text[:500])
        data = response.json()
        found |= {row["id"] for row in data["rows"]}
        url = data.get("next_url")
        if url:
            parts = urlsplit(url)
            url = f"{parts.path}?{parts.query}"
    return found


@pytest.fixture(scope="module")
def ds(crawled):
    return make_datasette(str(crawled))


def random_terms(notices: dict[str, dict], n: int, seed: int) -> list[str]:
    """``n`` substrings of 1–4 word characters of the archive's own text."""
    rng = random.Random(seed)
    texts = sorted(t for row in notices.values() for t in (row["title"], row["body_text"]) if t)
    terms = []
    while len(terms) < n:
        runs = WORD_RUN.findall(rng.choice(texts))
        if not runs:
            continue
        run = rng.choice(runs)
        size = rng.randint(1, min(4, len(run)))
        start = rng.randrange(len(run) - size + 1)
        terms.append(run[start : start + size])
    return terms


async def test_random_terms_find_exactly_the_notices_that_contain_them(ds, notices):
    wrong = []
    for term in random_terms(notices, QUERIES, SEED):
        expected, found = containing(notices, term), await searched(ds, term)
        if found != expected:
            wrong.append((term, len(expected), len(found), sorted(expected ^ found)[:3]))
    assert not wrong, f"seed {SEED}: (term, expected, found, differing ids): {wrong}"


async def test_terms_of_every_length_are_found(ds, notices):
    for term in ("预", "预算", "采购人", "预算编制", "2024年"):
        expected = containing(notices, term)
        assert expected, term
        assert await searched(ds, term) == expected, term


async def test_mixed_terms_are_anded(ds, notices):
    expected = containing(notices, "2024年", "预算")
    assert expected
    assert expected < containing(notices, "预算")
    assert await searched(ds, "2024年 预算") == expected


async def test_a_quoted_phrase_needs_its_words_in_order(ds, notices):
    text = next(
        row["body_text"] for row in notices.values() if "采购人：" in (row["body_text"] or "")
    )
    words = re.search(f"(采购人){NON_WORD}+([^\\W_]{{2}})", text).groups()
    phrase = re.compile(f"{words[0]}{NON_WORD}+{words[1]}")
    expected = {nid for nid, row in notices.items() if any(phrase.search(f) for f in row["fields"])}
    found = await searched(ds, f'"{words[0]} {words[1]}"')
    assert found == expected
    assert found <= await searched(ds, f"{words[0]} {words[1]}")


async def test_names_are_searched(ds, notices, crawled):
    db = sqlite_utils.Database(crawled)
    supplier = db.execute("select supplier from procurement_awards limit 1").fetchone()[0]
    expected = containing(notices, supplier)
    assert expected
    assert await searched(ds, supplier) == expected


async def test_a_blank_search_is_no_search_and_punctuation_finds_nothing(ds, notices):
    assert await searched(ds, "") == set(notices)
    assert await searched(ds, "，。") == set()


async def test_search_with_a_filter_and_a_column(ds, notices):
    by_site = await searched(ds, "预算", "&site=zjczj")
    assert by_site == containing(notices, "预算") & _site(ds, "zjczj")
    in_titles = await searched(ds, "", "&_search_title=" + quote("预算"))
    assert in_titles == {n for n, row in notices.items() if "预算" in (row["title"] or "")}


def _site(ds, site: str) -> set[str]:
    db = sqlite_utils.Database(ds.databases["archive"].path)
    return {r[0] for r in db.execute("select id from notices where site = ?", [site])}


async def test_the_page_keeps_the_query_and_marks_the_matches(ds):
    html = (await ds.client.get("/archive/notices?_search=" + quote("预算 编制"))).text
    assert 'value="预算 编制"' in html
    assert "<mark>预算</mark>" in html
    assert "<mark>编制</mark>" in html


async def test_the_canned_query_ranks_matches_by_relevance(ds, notices):
    response = await ds.client.get(
        "/archive/search.json?q=" + quote("预算编制") + "&_shape=objects"
    )
    rows = response.json()["rows"]
    expected = containing(notices, "预算编制")
    assert 0 < len(expected) <= 100
    assert {r["id"] for r in rows} == expected
    html = (await ds.client.get("/archive/search?q=" + quote("预算编制"))).text
    assert "<mark>预算编制</mark>" in html


async def test_each_plan_finds_the_same_notices(ds, notices):
    """A common word newest first walks the date index; ordered otherwise it scans an index;
    a rare word looks its rows up (publish/search_plan.py). Same notices, same count."""
    for term, extra, clause in (
        ("预算", "", "where exists (select 1 from notices_fts"),
        ("预算", "&_sort=title", "where +rowid in"),
        ("的", "", "where +rowid in"),  # one character: a prefix, never walked
        ("预算编制", "", "where +rowid in"),
        ("张丽", "", "where rowid in"),
    ):
        url = f"/archive/notices.json?_search={quote(term)}&_size=1&_col=id{extra}"
        data = (await ds.client.get(url)).json()
        assert clause in data["query"]["sql"], (term, extra)
        assert data["filtered_table_rows_count"] == len(containing(notices, term))
        assert await searched(ds, term) == containing(notices, term)


async def test_escape_fts_is_ours_on_every_connection(ds):
    response = await ds.client.get(
        "/archive.json?_shape=array&sql=" + quote("select escape_fts('预算编制') as e")
    )
    assert response.json() == [{"e": '"预算 算编 编制"'}]


# -- a small archive of our own: updates, gone notices, escaping ------------------------------
def record(n: int, title: str, body: str) -> Record:
    return Record.from_dict(
        {
            "url": f"http://www.zjczj.gov.cn/xxgk/t20240101_{n}.shtml",
            "site": "zjczj",
            "kind": "notice",
            "category": "通知公告",
            "title": title,
            "publish_date": "2024-01-01",
            "body_text": body,
            "attachments": [],
        }
    )


@pytest.fixture
def small(tmp_path):
    path = tmp_path / "archive.db"
    archive = Archive(str(path))
    archive.store(record(1, "关于预算编制的通知", "各单位：请报送部门预算。"), Capture(b"1"))
    archive.store(
        record(2, "测试<b>标题</b>", "开头<script>alert(1)</script>中间预算&amp;结尾" + "长" * 500),
        Capture(b"2"),
    )
    archive.flush()
    return archive, path


async def test_plugin_is_installed(small):
    plugins = (await make_datasette(str(small[1])).client.get("/-/plugins.json")).json()
    assert "zwgk_search.py" in {p["name"] for p in plugins}


async def test_an_updated_notice_is_found_by_its_new_text_only(small):
    archive, path = small
    ds = make_datasette(str(path))
    assert len(await searched(ds, "预算编制")) == 1
    archive.store(record(1, "关于决算审核的通知", "各单位：请报送部门决算。"), Capture(b"1b"))
    archive.flush()
    assert await searched(ds, "预算编制") == set()
    assert len(await searched(ds, "决算审核")) == 1
    archive.close()


async def test_a_gone_notice_is_still_found(small):
    archive, path = small
    archive.fail(None, record(1, "", "").url, "HTTP 404", status=404)
    archive.close()
    ds = make_datasette(str(path))
    url = "/archive/notices.json?_shape=objects&_search=" + quote("预算编制")
    rows = (await ds.client.get(url)).json()
    assert [r["status"] for r in rows["rows"]] == ["gone"]


async def test_the_snippet_escapes_the_text_around_the_marks(small):
    archive, path = small
    archive.close()
    ds = make_datasette(str(path))
    html = (await ds.client.get("/archive/notices?_search=" + quote("预算 标题"))).text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;中间<mark>预算</mark>&amp;amp;结尾" in html
    assert "<script>alert(1)" not in html
    assert "测试&lt;b&gt;<mark>标题</mark>&lt;/b&gt;" in html
    assert "长" * 300 not in html  # the body is an excerpt


async def test_the_crawled_archive_made_old_is_migrated_on_open(crawled, notices, tmp_path):
    """The crawled archive with the schema before the bigram index, opened: searchable."""
    from pipeline.store.schema import open_db

    path = tmp_path / "archive.db"
    with sqlite3.connect(crawled) as source, sqlite3.connect(path) as target:
        source.backup(target)
    db = sqlite_utils.Database(path)
    db.execute("drop table notices_fts")
    db.execute("pragma user_version = 0")
    db["notices"].enable_fts(["title", "body_text"], create_triggers=True)
    db["notices"].populate_fts(["title", "body_text"])
    db.conn.commit()
    db.close()
    open_db(str(path)).close()
    triggers = sqlite3.connect(path).execute(
        "select name from sqlite_master where type = 'trigger' and sql like '%notices_fts%'"
    )
    assert triggers.fetchall() == []
    assert await searched(make_datasette(str(path)), "预算") == containing(notices, "预算")


def test_zwgk_search_prints_the_best_matches(small):
    import subprocess
    import sys

    archive, path = small
    archive.close()
    command = [sys.executable, "-m", "zwgk", "search", "预算编制", "--db", str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "关于预算编制的通知" in result.stdout
    assert "测试" not in result.stdout
    assert "1 notices match '预算编制'" in result.stderr
