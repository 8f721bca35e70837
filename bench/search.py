"""Full-text search at scale: a synthetic archive of a million notices served by `zwgk serve`.

    python -m bench.search --db /path/to/search-bench.db [--notices 1000000] [--requests 40]

Builds the archive once (reused when ``--db`` already holds as many notices): notices of ~1.5 KB
of text made of the replica's own sentences (its ground truth: every site's titles, bodies,
categories and procurement names; digits redrawn), publish dates spread over 2005–2026, then the
full-text index built from them as an upgraded archive builds it (``fts_index.rebuild``). Serves
it with ``zwgk serve`` and times pages over HTTP, one request at a time (p50 / p95): a search's
first page, the table page, a facet + sort page. The baseline is the same search done with
``LIKE '%q%'``: the SQL of a search page's rows and its count, against the same SQL with the
index (as publish/plugins/zwgk_search.py writes it), in one SQLite connection, for a common, a
1 % and a 0.1 % word. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

from pipeline.store import fts_index
from pipeline.store.fts import match_query
from pipeline.store.ids import notice_id
from pipeline.store.schema import open_db
from publish import search_plan

ROOT = Path(__file__).resolve().parents[1]
BODY_CHARS = 500  # ~1.5 KB of UTF-8
GONE = 0.02
FIRST_DAY = 12784  # 2005-01-01 as days since 1970
LAST_DAY = 20787  # 2026-11-30
SEARCH = "预算"  # the two-character query of the targets and of the LIKE baseline
SEARCHES = ("预算", "专项", "调研", "办结", "报账", "张丽", "预", "预算编制")
COLUMNS = (
    "id", "url", "site", "kind", "category", "title", "publish_date", "publish_time",
    "publish_year", "publisher", "doc_number", "body_text", "body_html", "attachment_count",
    "charset", "content_sha256", "version_count", "first_seen", "last_seen", "last_changed",
    "status", "gone_since",
)  # fmt: skip
PAGE_SQL = (
    "select * from notices where {where} order by publish_date desc limit 51",
    "select count(*) from notices where {where}",
)
#: The columns of the home page's search box (publish/templates/index.html).
READING = ("title", "publish_date", "site", "category", "publisher", "doc_number", "body_text")
LIKE_WHERE = "(title like :like or body_text like :like)"


# -- the synthetic archive ---------------------------------------------------------------------
def corpus() -> list[dict]:
    """The replica's notices as its ground truth gives them (all sites, default scale)."""
    from replica.server import build_truth

    return [n for n in build_truth("http://127.0.0.1:1")["notices"] if n.get("body_text")]


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。！？；\n])", text) if s.strip()]


class Generator:
    """Notices drawn from the corpus: a template notice's site, category and kind, its title
    with digits redrawn, and ~BODY_CHARS of sentences (its own first, then any)."""

    def __init__(self, notices: list[dict], seed: int = 7) -> None:
        self.rng = random.Random(seed)
        self.notices = notices
        self.pool = [s for n in notices for s in sentences(n["body_text"])]

    def digits(self, text: str) -> str:
        return re.sub(r"\d", lambda _: str(self.rng.randrange(10)), text)

    def body(self, template: dict) -> str:
        parts, size = [], 0
        own = sentences(template["body_text"])
        while size < BODY_CHARS:
            part = own.pop(0) if own else self.rng.choice(self.pool)
            parts.append(self.digits(part))
            size += len(part)
        return "".join(parts)

    def notice(self, i: int) -> tuple[dict, dict | None]:
        t = self.rng.choice(self.notices)
        day = self.rng.randint(FIRST_DAY, LAST_DAY)
        date = time.strftime("%Y-%m-%d", time.gmtime(day * 86400))
        body = self.body(t)
        url = f"{t['url'].rsplit('/', 1)[0]}/bench_{i}.html"
        gone = self.rng.random() < GONE
        row = {
            "id": notice_id(url), "url": url, "site": t["site"], "kind": t["kind"],
            "category": t["category"], "title": self.digits(t["title"] or ""),
            "publish_date": date, "publish_time": t["publish_time"], "publish_year": int(date[:4]),
            "publisher": t["publisher"], "doc_number": t["doc_number"], "body_text": body,
            "body_html": "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n")),
            "attachment_count": 0, "charset": "utf-8", "content_sha256": f"{i:064x}",
            "version_count": 1, "first_seen": f"{date}T00:00:00Z", "last_seen": f"{date}T00:00:00Z",
            "last_changed": f"{date}T00:00:00Z", "status": "gone" if gone else "live",
            "gone_since": f"{date}T00:00:00Z" if gone else None,
        }  # fmt: skip
        proc = t.get("procurement")
        if not proc:
            return row, None
        suppliers = json.dumps(proc.get("award_suppliers") or [], ensure_ascii=False)
        return row, {
            "notice_id": row["id"], "url": url, "publish_date": date,
            "announcement_type": proc.get("announcement_type"), "purchaser": proc.get("purchaser"),
            "award_suppliers": suppliers,
        }  # fmt: skip


def build(path: Path, count: int, notices: list[dict]) -> dict:
    """The synthetic archive at ``path`` (kept when it already holds ``count`` notices)."""
    if path.exists():
        conn = sqlite3.connect(path)
        held = conn.execute("select count(*) from notices").fetchone()[0]
        if held != count:
            raise SystemExit(f"{path} holds {held} notices, not {count}: give another --db")
        built = json.loads(Path(f"{path}.build.json").read_text())
        if not fts_index.is_current(conn):  # the index changed since: build it again
            built["index_s"] = _index(conn)
            Path(f"{path}.build.json").write_text(json.dumps(built))
        conn.close()
        open_db(str(path)).close()  # indexes and tables a newer writer adds, as its next open does
        return built
    db = open_db(str(path))
    conn = db.conn
    sites = {n["site"] for n in notices}
    conn.executemany("insert into sites(name) values (?)", [(s,) for s in sorted(sites)])
    conn.commit()
    started = time.monotonic()
    generator = Generator(notices)
    marks = ", ".join(f":{c}" for c in COLUMNS)
    insert = f"insert into notices({', '.join(COLUMNS)}) values ({marks})"
    proc_insert = (
        "insert into procurement(notice_id, url, publish_date, announcement_type, purchaser,"
        " award_suppliers) values (:notice_id, :url, :publish_date, :announcement_type,"
        " :purchaser, :award_suppliers)"
    )
    for chunk in _chunks(range(count), 20_000):
        rows = [generator.notice(i) for i in chunk]
        with conn:
            conn.executemany(insert, [r for r, _ in rows])
            conn.executemany(proc_insert, [p for _, p in rows if p])
        print(f"  {chunk[-1] + 1:,} notices", file=sys.stderr, flush=True)
    rows_s = time.monotonic() - started
    index_s = _index(conn)
    conn.execute("analyze")
    conn.commit()
    db.close()
    built = {"notices": count, "rows_s": round(rows_s, 1), "index_s": index_s}
    Path(f"{path}.build.json").write_text(json.dumps(built))
    return built


def _index(conn: sqlite3.Connection) -> float:
    """Seconds to build the full-text index from the stored notices, as an upgrade does."""
    started = time.monotonic()
    fts_index.rebuild(conn)
    return round(time.monotonic() - started, 1)


def _chunks(items: range, size: int) -> Iterator[range]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def sizes(path: Path) -> dict[str, float]:
    """MB on disk: the whole file, the FTS tables (the index and its shadow tables), notices."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    by_name = dict(conn.execute("select name, sum(pgsize) from dbstat group by name"))
    fts = sum(size for name, size in by_name.items() if name.startswith("notices_fts"))
    text = conn.execute("select sum(length(cast(body_text as blob))) from notices").fetchone()[0]
    return {
        "file_mb": round(sum(by_name.values()) / 1e6),
        "fts_mb": round(fts / 1e6),
        "notices_table_mb": round(by_name.get("notices", 0) / 1e6),
        "body_text_mb": round(text / 1e6),
    }


# -- timing ------------------------------------------------------------------------------------
def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": round(p95 * 1000, 1)}


def timed(func: Callable[[], bool], requests: int, warmup: int = 3) -> dict[str, float]:
    """p50 and p95 of ``requests`` calls after ``warmup``, and how many failed (``func`` says)."""
    for _ in range(warmup):
        func()
    samples, failed = [], 0
    for _ in range(requests):
        started = time.perf_counter()
        failed += not func()
        samples.append(time.perf_counter() - started)
    return {**percentiles(samples), **({"failed": failed} if failed else {})}


def fetch(url: str) -> Callable[[], bool]:
    """A GET of ``url``: True when it answers 200 (Datasette answers 400 to a query that ran
    past its time limit)."""

    def get() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=120) as response:
                response.read()
                return response.status == 200
        except urllib.error.HTTPError as error:
            error.read()
            return False

    return get


def serve(path: Path, port: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "zwgk", "serve", "--db", str(path), "--port", str(port)]
    proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json", timeout=2).close()
            return proc
        except OSError:
            if time.monotonic() > deadline or proc.poll() is not None:
                proc.kill()
                raise
            time.sleep(0.3)


def next_key(base: str, url: str) -> str:
    """The ``_next`` key of the first page of ``url``."""
    with urllib.request.urlopen(url.replace("/notices?", "/notices.json?"), timeout=120) as r:
        return quote(json.load(r)["next"])


def pages(base: str, requests: int) -> dict[str, dict]:
    table = f"{base}/notices"
    urls = {"table page": table, "table page, no facets": f"{table}?_nofacet=1"}
    # every column, as the page showed before publish/plugins/zwgk_columns.py (a URL that names
    # columns gets them; url is the one left out)
    urls["table page, all columns"] = f"{table}?_nocol=url"
    urls["facet + sort"] = f"{table}?_facet=site&_facet=category&_sort_desc=publish_date"
    for term in SEARCHES:
        urls[f"search {term}"] = f"{table}?_search={quote(term)}"
    search = f"{table}?_search={quote(SEARCH)}"
    urls[f"search {SEARCH}, no count, no facets"] = f"{search}&_nocount=1&_nofacet=1"
    urls[f"search {SEARCH}, .json"] = f"{table}.json?_search={quote(SEARCH)}"
    urls["search 报账, no facets"] = f"{table}?_search={quote('报账')}&_nofacet=1"
    reading = "".join(f"&_col={c}" for c in READING)
    urls[f"search {SEARCH}, home page box"] = f"{search}{reading}"
    # a common word narrowed by a facet, ordered otherwise, and its second page
    urls[f"search {SEARCH} + category"] = f"{search}&category={quote('通知公告')}"
    urls[f"search {SEARCH}, by title"] = f"{search}&_sort=title"
    urls[f"search {SEARCH}, page 2"] = f"{search}&_next={next_key(base, search)}"
    return {name: timed(fetch(url), requests) for name, url in urls.items()}


def matches(path: Path) -> dict[str, int]:
    """How many notices each searched term is in."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    count = "select count(*) from notices_fts where notices_fts match ?"
    return {t: conn.execute(count, [match_query(t)]).fetchone()[0] for t in SEARCHES}


def baseline(path: Path, term: str, requests: int) -> dict[str, dict]:
    """A search page's SQL (its rows, newest first, and their count) as the search plugin writes
    it for this term (publish/search_plan.py), and with LIKE, in one connection."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    params = {"q": match_query(term), "like": f"%{term}%"}
    max_rowid = conn.execute("select max(rowid) from notices").fetchone()[0]
    probe = search_plan.PROBE_SQL.replace("escape_fts(:search)", ":q")
    matched = conn.execute(probe, {**params, "cap": search_plan.cap(max_rowid)}).fetchone()[0]
    plan = search_plan.Plan(
        search_plan.choose(matched, max_rowid, {"_search": [term]}, "publish_date"), term
    )
    count = search_plan.COUNT_SQL  # a plain search page counts from the index (zwgk_search)
    index = [PAGE_SQL[0].format(where=plan.clause), count]
    like = [sql.format(where=LIKE_WHERE) for sql in PAGE_SQL]
    results = {}
    for name, sqls in (("index", index), ("LIKE", like)):
        sqls = [sql.replace("escape_fts(:search)", ":q") for sql in sqls]
        run = lambda sqls=sqls: bool([conn.execute(s, params).fetchall() for s in sqls])  # noqa: E731
        slow = name == "LIKE"
        timing = timed(run, max(3, requests // 8) if slow else requests, 1 if slow else 3)
        results[name] = {**timing, "plan": plan.kind if name == "index" else "LIKE"}
    results["matches"] = conn.execute(PAGE_SQL[1].format(where=LIKE_WHERE), params).fetchone()[0]
    return results


def estimates(path: Path, terms: tuple[str, ...] = (SEARCH, "专项", "调研", "办结")) -> dict:
    """How far a plain search page's estimated facets (publish/search_plan.py) are from the exact
    figures: per term, the largest relative error among facet values holding at least 1% of
    the matches, and the share of such values listed."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.create_function("escape_fts", 1, match_query, deterministic=True)
    max_rowid = conn.execute("select max(rowid) from notices").fetchone()[0]
    columns = ("site", "category", "publish_year", "status")
    report = {}
    for term in terms:
        params = {"search": term}
        total = conn.execute(search_plan.COUNT_SQL, params).fetchone()[0]
        ranges = search_plan.windows(total, max_rowid)
        sql, extra = search_plan.sample_sql(columns, ranges)
        started = time.perf_counter()
        sample = conn.execute(sql, {**params, **extra}).fetchall()
        sample_ms = round((time.perf_counter() - started) * 1000, 1)
        exact_sql, _ = search_plan.sample_sql(columns, [(0, max_rowid)])
        exact = conn.execute(exact_sql, {**params, "lo0": 0, "hi0": max_rowid}).fetchall()
        errors, listed, held = [], 0, 0
        for i in range(len(columns)):
            guessed = dict(search_plan.estimate(sample, i, total))
            for value, n in search_plan.estimate(exact, i, total):
                if n >= total / 100:
                    held += 1
                    listed += value in guessed
                    errors.append(abs(guessed.get(value, 0) - n) / n)
        report[term] = {
            "matches": total,
            "sampled": sum(row[-1] for row in sample),
            "sample_ms": sample_ms,
            "max_error": round(max(errors), 3),
            "median_error": round(statistics.median(errors), 3),
            "values_listed": f"{listed}/{held}",
        }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="synthetic archive (reused)")
    parser.add_argument("--notices", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per page")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--http-only",
        action="store_true",
        help="only the pages over HTTP (skip the LIKE baseline and the facet estimates)",
    )
    args = parser.parse_args(argv)
    built = build(args.db, args.notices, corpus())
    report = {"build": built, "sizes": sizes(args.db)}
    if not args.http_only:
        report["matches"] = matches(args.db)
        report["sql"] = {t: baseline(args.db, t, args.requests) for t in (SEARCH, "报账", "张丽")}
        report["facet_estimates"] = estimates(args.db)
    proc = serve(args.db, args.port)
    try:
        report["http"] = pages(f"http://127.0.0.1:{args.port}/{args.db.stem}", args.requests)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
