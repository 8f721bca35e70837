"""The bigram full-text index: tokens, queries, the writer keeping it in step, the migration."""

from __future__ import annotations

import random
import re
import sqlite3

import pytest
import sqlite_utils
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.record import Record
from pipeline.store import Archive, Capture, fts_index
from pipeline.store.fts import (
    MATCH_NOTHING,
    NON_WORD,
    index_text,
    match_pattern,
    match_query,
    query_terms,
)
from pipeline.store.fts_chars import RANGES, TOKENIZE, all_code_points, sqlite_token_chars
from pipeline.store.schema import open_db

WORD_CHARS = {cp for first, last in RANGES for cp in range(first, last + 1)}


def fts_tokens(text: str) -> list[str]:
    """What FTS5 indexes for ``index_text(text)``, in order."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"create virtual table t using fts5(a, tokenize='{TOKENIZE}')")
    conn.execute("create virtual table v using fts5vocab(t, instance)")
    conn.execute("insert into t(a) values (?)", [index_text(text)])
    return [term for (term,) in conn.execute("select term from v order by offset")]


# -- which characters are word characters ----------------------------------------------------
def test_word_characters_are_sqlites_in_the_whole_bmp():
    bmp = [cp for cp in all_code_points() if cp <= 0xFFFF]
    with sqlite3.connect(":memory:") as conn:
        assert sqlite_token_chars(conn, bmp) == {cp for cp in bmp if cp in WORD_CHARS}


def test_word_characters_are_sqlites_at_every_range_edge_and_a_sample_beyond_the_bmp():
    valid = set(all_code_points())
    edges = {cp for first, last in RANGES for cp in (first - 1, first, last, last + 1)}
    sample = random.Random(7).sample(sorted(cp for cp in valid if cp > 0xFFFF), 20000)
    points = sorted((edges & valid) | set(sample))
    with sqlite3.connect(":memory:") as conn:
        assert sqlite_token_chars(conn, points) == {cp for cp in points if cp in WORD_CHARS}


@pytest.mark.parametrize(
    ("char", "word"),
    [("预", True), ("a", True), ("7", True), ("①", True), ("，", False), ("《", False),
     ("_", False), ("-", False), ("\u3000", False), ("¥", False), ("%", False)],
)  # fmt: skip
def test_word_characters_by_example(char, word):
    assert (ord(char) in WORD_CHARS) is word


# -- index tokens ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("财政预算", ["财政", "政预", "预算", "算"]),
        ("2024年预算", ["20", "02", "24", "4年", "年预", "预算", "算"]),
        ("预算，编制", ["预算", "算", "编", "编制", "制"]),
        ("《通知》", ["通", "通知", "知"]),
        ("Ab", ["ab", "b"]),
        ("预", ["预"]),
        ("，。", []),
    ],
)
def test_index_tokens(text, tokens):
    assert fts_tokens(text) == tokens


def test_index_text_is_the_windows_of_the_text():
    assert index_text("财政预算") == "财政 政预 预算 算"
    assert index_text("2024年预算") == "20 02 24 4年 年预 预算 算"
    assert index_text(None) is None
    assert index_text("") == ""


# -- queries ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("预", '"预"*'),
        ("预算", '"预算"'),
        ("预算编制", '"预算 算编 编制"'),
        ("2024年 预算", '"20 02 24 4年" AND "预算"'),
        ("2024年，预算。", '"20 02 24 4年" AND "预算"'),
        ('"预算 编制"', '"预算 算   编 编制"'),
        ('"预算', '"预算"'),
        ("预算 预算", '"预算"'),
        ("OR NOT", '"OR" AND "NO OT"'),
        ("", MATCH_NOTHING),
        ("，。  ", MATCH_NOTHING),
        ('""', MATCH_NOTHING),
    ],
)
def test_match_query(query, expression):
    assert match_query(query) == expression


def test_query_terms():
    assert query_terms('2024年 "部门 预算" 编制') == [["2024年"], ["部门", "预算"], ["编制"]]


# -- matching is substring search: a property over texts of a small alphabet ------------------
ALPHABET = "预算编制aA1，《 "
texts = st.text(alphabet=ALPHABET, max_size=12)


def truth(query: str, text: str) -> bool:
    pattern = match_pattern(query)
    terms = query_terms(query)
    if pattern is None:
        return False
    return all(re.search(_term_regex(words), text, re.IGNORECASE) for words in terms)


def _term_regex(words: list[str]) -> str:
    return f"{NON_WORD}+".join(map(re.escape, words))


@settings(max_examples=300, deadline=None)
@given(
    docs=st.lists(texts, min_size=1, max_size=6),
    query=st.one_of(texts, texts.map(lambda t: f'"{t}"')),
)
def test_a_query_matches_exactly_the_texts_that_contain_it(docs, query):
    conn = sqlite3.connect(":memory:")
    conn.execute(fts_index.CREATE)
    for rowid, doc in enumerate(docs, 1):
        conn.execute(
            "insert into notices_fts(rowid, title, body_text) values (?, ?, ?)",
            (rowid, index_text(doc), None),
        )
    found = {r for (r,) in conn.execute(fts_index.SEARCH_ROWIDS, [match_query(query)])}
    assert found == {i for i, doc in enumerate(docs, 1) if truth(query, doc)}


@given(st.text(max_size=40))
def test_any_query_is_a_valid_expression(query):
    conn = sqlite3.connect(":memory:")
    conn.execute(fts_index.CREATE)
    conn.execute(fts_index.SEARCH_ROWIDS, [match_query(query)]).fetchall()


def test_match_pattern_finds_what_the_query_matches():
    pattern = match_pattern('预算 "财政 资金"')
    assert [m.group() for m in pattern.finditer("财政：资金和预算")] == ["财政：资金", "预算"]
    assert match_pattern("，") is None


# -- the writer keeps the index in step -------------------------------------------------------
def record(n: int, title: str, body: str, **extra) -> Record:
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
            **extra,
        }
    )


def search(db_path, query: str) -> set[str]:
    conn = sqlite3.connect(db_path)
    sql = f"select id from notices where rowid in ({fts_index.SEARCH_ROWIDS})"
    return {nid for (nid,) in conn.execute(sql, [match_query(query)])}


@pytest.fixture
def archive(tmp_path):
    path = str(tmp_path / "archive.db")
    archive = Archive(path, batch_size=2)
    yield archive, path
    archive.close()


def test_a_changed_notice_is_found_by_its_new_text_only(archive):
    archive, path = archive
    archive.store(record(1, "关于预算编制的通知", "各单位：请报送预算。"), Capture(b"1"))
    archive.store(record(2, "其他", "无关内容"), Capture(b"2"))
    archive.flush()
    conn = sqlite3.connect(path)
    rowid = conn.execute("select rowid from notices where title like '关于%'").fetchone()[0]
    nid = conn.execute("select id from notices where rowid = ?", [rowid]).fetchone()[0]
    assert search(path, "预算编制") == {nid}
    archive.store(record(1, "关于决算审核的通知", "各单位：请报送决算。"), Capture(b"1b"))
    archive.flush()
    assert search(path, "预算编制") == set()
    assert search(path, "预算") == set()
    assert search(path, "决算审核") == {nid}
    assert conn.execute("select rowid from notices where id = ?", [nid]).fetchone()[0] == rowid
    assert _integrity(conn)


def test_a_notice_changed_twice_in_one_batch_is_indexed_once(archive):
    archive, path = archive
    archive.batch_size = 100
    archive.store(record(1, "第一稿", "预算"), Capture(b"1"))
    archive.store(record(1, "第二稿", "决算"), Capture(b"2"))
    archive.flush()
    assert search(path, "预算") == set()
    assert len(search(path, "决算")) == 1
    assert _integrity(sqlite3.connect(path))


def test_a_gone_notice_stays_searchable(archive):
    archive, path = archive
    archive.store(record(1, "已撤下的公告", "采购结果"), Capture(b"1"))
    archive.flush()
    archive.fail(None, record(1, "", "").url, "HTTP 404", status=404)
    archive.flush()
    conn = sqlite3.connect(path)
    nid, status = conn.execute("select id, status from notices").fetchone()
    assert status == "gone"
    assert search(path, "撤下") == {nid}


def test_an_unchanged_notice_costs_the_index_nothing(archive):
    archive, path = archive
    archive.store(record(1, "标题", "正文预算"), Capture(b"1"))
    archive.flush()
    conn = sqlite3.connect(path)
    before = conn.execute("select count(*) from notices_fts_data").fetchone()[0]
    for _ in range(5):
        assert archive.store(record(1, "标题", "正文预算"), Capture(b"1")) == "unchanged"
    archive.flush()
    assert conn.execute("select count(*) from notices_fts_data").fetchone()[0] == before


def test_purchaser_and_supplier_names_are_searchable(archive):
    archive, path = archive
    procurement = {
        "announcement_type": "award",
        "purchaser": "湛江市第一中学",
        "award_suppliers": ["广东中科信息技术有限公司"],
        "awards": [{"lot": "1", "supplier": "湛江国信设备有限公司", "amount": 1.0}],
    }
    archive.store(
        record(1, "中标公告", "详见附件", kind="procurement", procurement=procurement),
        Capture(b"1"),
    )
    archive.flush()
    conn = sqlite3.connect(path)
    nid = conn.execute("select id from notices").fetchone()[0]
    for name in ("第一中学", "中科信息", "国信设备"):
        assert search(path, name) == {nid}, name
    assert search(path, "中学广东") == set()  # names are kept apart


# -- the migration -----------------------------------------------------------------------------
def old_style_archive(path: str) -> None:
    """An archive as the schema before the bigram index made it: unicode61, external content,
    triggers (``enable_fts(["title", "body_text"], create_triggers=True)``), user_version 0."""
    archive = Archive(path)
    archive.store(
        record(1, "关于2024年部门预算编制的通知", "各预算单位：请按时报送。"), Capture(b"1")
    )
    archive.store(record(2, "政府采购公告", "采购人：湛江市财政局"), Capture(b"2"))
    archive.close()
    db = sqlite_utils.Database(path)
    db.execute("drop table notices_fts")
    db.execute("pragma user_version = 0")
    db["notices"].enable_fts(["title", "body_text"], create_triggers=True)
    db["notices"].populate_fts(["title", "body_text"])
    db.conn.commit()
    db.close()


def test_an_old_archive_gets_the_bigram_index_once(tmp_path):
    path = str(tmp_path / "old.db")
    old_style_archive(path)
    assert search(path, "预算") == set()  # the old index: 预算 is inside a longer "word"
    db = open_db(path)
    conn = db.conn
    fts_triggers = "select name from sqlite_master where type = 'trigger' and sql like '%_fts%'"
    assert conn.execute(fts_triggers).fetchall() == []
    assert conn.execute("pragma user_version").fetchone()[0] >= fts_index.VERSION
    assert fts_index.is_current(conn)
    assert len(search(path, "预算")) == 1
    assert len(search(path, "湛江市财政局")) == 1
    # Once: a second open does not rebuild (a marker row put into the index survives).
    conn.execute("insert into notices_fts(rowid, title) values (999, 'zz')")
    conn.commit()
    db.close()
    open_db(path).close()
    marker = sqlite3.connect(path).execute(fts_index.SEARCH_ROWIDS, ['"zz"']).fetchall()
    assert marker == [(999,)]


def test_the_writer_keeps_a_migrated_index_in_step(tmp_path):
    path = str(tmp_path / "old.db")
    old_style_archive(path)
    archive = Archive(path)
    archive.store(record(1, "关于2025年部门决算的通知", "各单位"), Capture(b"1b"))
    archive.close()
    assert search(path, "预算编制") == set()
    assert len(search(path, "部门决算")) == 1
    assert _integrity(sqlite3.connect(path))


def _integrity(conn: sqlite3.Connection) -> bool:
    """The index kept by the writer equals one built afresh from the stored rows (every term,
    document and position count), and FTS5's own check passes."""
    conn.execute("insert into notices_fts(notices_fts, rank) values ('integrity-check', 0)")
    conn.execute(fts_index.CREATE.replace("notices_fts", "temp.fresh_fts", 1))
    ids = [nid for (nid,) in conn.execute("select id from notices")]
    rows = list(fts_index.entries(conn, ids))
    conn.executemany(
        "insert into fresh_fts(rowid, title, body_text, names, attachments) values (?,?,?,?,?)",
        rows,
    )
    for table in ("notices_fts", "fresh_fts"):
        schema = "main" if table == "notices_fts" else "temp"
        conn.execute(f"create virtual table temp.{table}_v using fts5vocab({schema}, {table}, col)")
    kept, fresh = (
        conn.execute(f"select term, col, doc, cnt from temp.{t}_v order by 1, 2").fetchall()
        for t in ("notices_fts", "fresh_fts")
    )
    assert kept == fresh
    return True


def test_the_index_merges_eight_segments_a_level_new_or_old(tmp_path):
    def automerge(path) -> int | None:
        with sqlite3.connect(path) as conn:
            row = conn.execute("select v from notices_fts_config where k = 'automerge'").fetchone()
        return row[0] if row else None

    path = str(tmp_path / "a.db")
    open_db(path).close()
    assert automerge(path) == fts_index.AUTOMERGE == 8
    with sqlite3.connect(path) as conn:  # as an index made before the setting was
        conn.execute("delete from notices_fts_config where k = 'automerge'")
    assert automerge(path) is None
    open_db(path).close()
    assert automerge(path) == 8
