"""The Guangdong site group on the replica: three profiles crawled in one process, compared with
the truth field by field; one notice per post id; gkmlpt's paging; a fourth site added as one
profile entry."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections import Counter

import pytest
import sqlite_utils

from tests.integration.conftest import ROOT, crawl, get_json, notices_by_url, running_replica

pytestmark = pytest.mark.integration

PROFILES = ("zhanjiang", "zs-czj", "jiangmen")
COMPARED = (
    "kind", "category", "title", "publish_date", "publish_time", "publisher", "author",
    "doc_number", "index_number", "doc_date", "body_text", "attachments",
)  # fmt: skip


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("gdsite") / "archive.db"
    with running_replica() as url:
        truth = get_json(f"{url}/__truth.json")
        result = crawl(db, url, spiders=tuple(f"gdsite:{p}" for p in PROFILES))
        again = crawl(db, url, spiders=tuple(f"gdsite:{p}" for p in PROFILES))
    return {"db": db, "truth": truth, "result": result, "again": again}


def site_truth(truth: dict, site: str) -> list[dict]:
    return [n for n in truth["notices"] if n["site"] == site]


def test_the_crawl_exits_cleanly(crawled):
    assert crawled["result"].returncode == 0, crawled["result"].stderr[-3000:]


@pytest.mark.parametrize("site", PROFILES)
def test_every_document_is_stored_once(crawled, site):
    stored = {u for u, r in notices_by_url(crawled["db"]).items() if r["site"] == site}
    assert stored == {n["url"] for n in site_truth(crawled["truth"], site)}


@pytest.mark.parametrize("site", PROFILES)
@pytest.mark.parametrize("field", COMPARED)
def test_fields_equal_the_truth(crawled, site, field):
    rows = notices_by_url(crawled["db"])
    wrong = [
        (n["url"], n[field], rows[n["url"]][field])
        for n in site_truth(crawled["truth"], site)
        if rows[n["url"]][field] != n[field]
    ]
    assert not wrong, wrong[:3]


def test_each_profile_is_a_site_with_its_own_title(crawled):
    from crawler.profiles import PROFILES as KNOWN

    sites = {row["name"]: row for row in sqlite_utils.Database(crawled["db"])["sites"].rows}
    assert set(sites) == set(PROFILES)  # no row for the spider's name
    for name in PROFILES:
        assert sites[name]["title"] == KNOWN[name].title
        assert sites[name]["kind"] == "bureau"


def test_one_notice_per_post_id_whichever_way_it_was_reached(crawled):
    truth = [n for s in PROFILES for n in site_truth(crawled["truth"], s)]
    ways = Counter(tuple(n["sources"]) for n in truth)
    assert min(ways[("column", "gkmlpt")], ways[("column",)], ways[("gkmlpt",)]) > 0
    rows = notices_by_url(crawled["db"])
    by_post = Counter((n["site"], n["post_id"]) for n in truth if n["url"] in rows)
    assert set(by_post.values()) == {1}
    assert len(rows) == len(truth)


def test_gkmlpt_paging_ends_cleanly_and_says_what_was_served(crawled):
    db = sqlite_utils.Database(crawled["db"])
    runs = {}
    for run in db["crawl_runs"].rows_where("finish_reason = 'finished'", order_by="id"):
        runs.setdefault(run["site"], run)  # the first crawl walks every page
    assert set(PROFILES) <= set(runs)
    assert db["fetch_failures"].count == 0  # the 404 past the served slice is no failure
    for site in PROFILES:
        entry = next(s for s in crawled["truth"]["sites"] if s["name"] == site)
        listed = json.loads(runs[site]["listings"])["gkmlpt 0"]
        assert listed == {
            "served": entry["gkmlpt"]["served"],
            "announced": entry["gkmlpt"]["post_count"],
        }
        assert listed["served"] < listed["announced"]


def test_a_recrawl_changes_nothing(crawled):
    assert crawled["again"].returncode == 0, crawled["again"].stderr[-2000:]
    db = sqlite_utils.Database(crawled["db"])
    last = list(db["crawl_runs"].rows)[-len(PROFILES) :]
    assert [(r["new"], r["changed"]) for r in last] == [(0, 0)] * len(PROFILES)


ADD_A_PROFILE = textwrap.dedent(
    """
    import sys
    from crawler.profiles import PROFILES, GdProfile
    from zwgk.crawl import run_crawl

    PROFILES["zhaoqing"] = GdProfile(
        name="zhaoqing",
        title="肇庆市财政局（测试）",
        base_url="https://www.zhaoqing.gov.cn/",
        sid="758001",
        columns=(("通知公告", "zwgk/tzgg/index.html"), ("政策文件", "zwgk/zcwj/index.html"),
                 ("财政预决算", "zwgk/zdlyxxgk/czyjs/index.html")),
    )
    results = run_crawl(["gdsite:zhaoqing"], sys.argv[1], sys.argv[2], "ERROR",
                        ZWGK_PROGRESS_INTERVAL=0)
    sys.exit(0 if all(r.ok for r in results) else 1)
    """
)


def test_a_fourth_site_is_one_profile_entry(tmp_path):
    db = tmp_path / "archive.db"
    with running_replica() as url:
        truth = site_truth(get_json(f"{url}/__truth.json"), "zhaoqing")
        done = subprocess.run(
            [sys.executable, "-c", ADD_A_PROFILE, str(db), url],
            cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    rows = notices_by_url(db)
    assert set(rows) == {n["url"] for n in truth}
    assert all(rows[n["url"]]["title"] == n["title"] for n in truth)
