"""The site-group replicas' data and truth without a socket: determinism, records, time travel,
scale, the ``sites`` entries a crawler profile is built from."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from replica.faults import FAULTS
from replica.gdsite import make_sites
from replica.gdsite.model import gkmlpt_path, post_path
from tests.replica.test_gdsite_support import SITES

BASE = "http://127.0.0.1:8800"
FIELDS = (
    "url", "site", "kind", "category", "title", "publish_date", "publish_time", "publisher",
    "author", "doc_number", "index_number", "doc_date", "body_text", "attachments", "procurement",
    "fault", "expect", "post_id", "sources",
)  # fmt: skip


@pytest.fixture(scope="module")
def sites():
    return make_sites()


@pytest.fixture(scope="module")
def truth(sites) -> dict:
    entries, notices = [], []
    for site in sites:
        entry, records = site.truth(BASE)
        entries.append(entry)
        notices += records
    return {"sites": entries, "notices": notices}


def sample_paths(site) -> list[str]:
    """Lists, articles, mobile twins, gkmlpt pages and files of a site."""
    paths = ["", "gkmlpt/index", *(c.list_path for c in site.spec.columns)]
    for doc in site.docs[::9]:
        if doc.column:
            paths += [post_path(doc.column, doc.post_id), post_path(doc.column, doc.post_id, True)]
        if doc.leaf:
            paths.append(gkmlpt_path(doc.post_id))
        paths += [p for p in site.routes if p.startswith("attachment/")][:3]
    return paths


def test_same_arguments_give_the_same_bytes(sites, truth):
    again = make_sites()
    for first, second in zip(sites, again, strict=True):
        for path in sample_paths(first):
            assert first.handle(path, {}).body == second.handle(path, {}).body, path
        query = {"page": "1", "sid": str(first.spec.sid)}
        assert first.handle("gkmlpt/api/all/0", query) == second.handle("gkmlpt/api/all/0", query)
        assert json.dumps(first.truth(BASE)) == json.dumps(second.truth(BASE))
    other = make_sites(seed=7)
    assert json.dumps(other[0].truth(BASE)) != json.dumps(sites[0].truth(BASE))


def test_records_have_every_contract_field(truth):
    assert [s["name"] for s in truth["sites"]] == list(SITES)
    for record in truth["notices"]:
        assert tuple(record) == FIELDS
        assert record["kind"] == "notice"
        assert record["procurement"] is None
        assert record["author"] is None
        assert record["title"]
        assert record["body_text"]
        assert record["sources"] in (["column"], ["gkmlpt"], ["column", "gkmlpt"])
        assert record["publisher"]
        dt.date.fromisoformat(record["publish_date"])
        if record["doc_number"]:
            assert "〔" in record["doc_number"]
            assert record["doc_number"].endswith("号")


def test_records_follow_the_merge_rules(truth):
    for record in truth["notices"]:
        listed = "gkmlpt" in record["sources"]
        if "column" in record["sources"]:
            assert "/content/post_" in record["url"]
        else:
            assert "/gkmlpt/content/" in record["url"]
        if not listed:
            assert (record["doc_date"], record["index_number"], record["doc_number"]) == (
                None,
                None,
                None,
            )
        if not listed and record["site"] == "zs-czj":
            assert record["publish_time"] is None  # the 中山 theme shows a date only
    by_sources = {tuple(n["sources"]) for n in truth["notices"] if n["site"] == "zhanjiang"}
    assert by_sources == {("column",), ("gkmlpt",), ("column", "gkmlpt")}
    dates = sorted(n["publish_date"] for n in truth["notices"])
    assert dates[0] >= "2019-01-01"
    assert dates[-1] <= "2026-09-30"


def test_budget_columns_hold_one_document_per_unit_and_year(sites):
    zhanjiang = sites[0]
    budgets = zhanjiang.by_column["zdlyxxgk/czyjshsg/czyjs/czys/"]
    titles = [d.title for d in budgets]
    assert len(titles) == len(set(titles))
    years = {d.title.split("年部门预算")[0][-4:] for d in budgets if "部门预算" in d.title}
    assert years == {str(y) for y in range(2019, 2027)}
    finals = zhanjiang.by_column["zdlyxxgk/czyjshsg/czyjs/czjs/"]
    assert all("决算" in d.title for d in finals)


def test_post_ids_grow_with_time_in_the_sites_range(sites):
    for site in sites:
        ids = [d.post_id for d in site.docs]
        assert ids == sorted(ids)
        assert len(set(ids)) == len(ids)
        low, high = site.spec.posts
        assert low <= ids[0] < ids[-1] <= high
    recent = [d.post_id for d in sites[0].docs if d.publish_date.year == 2026]
    assert 2_100_000 <= recent[0] < recent[-1] <= 2_200_000


def test_site_entries_carry_what_a_profile_needs(truth):
    for entry in truth["sites"]:
        assert entry["sid"].isdigit()
        assert entry["base_url"].startswith(BASE + "/gd/")
        assert entry["real_base_url"].startswith("https://")
        assert all(c["family"] == "nfcms" for c in entry["columns"])
        assert all(c["path"].endswith("/index.html") for c in entry["columns"])
        assert {"id", "name", "parent", "post_count", "served", "leaf"} <= set(
            entry["categories"][0]
        )
        assert entry["jump_nodes"]
        assert entry["documents"] == sum(n["site"] == entry["name"] for n in truth["notices"])
    zhanjiang = truth["sites"][0]
    assert zhanjiang["sid"] == "759001"
    assert [c["path"] for c in zhanjiang["columns"]][:2] == [
        "zdlyxxgk/czyjshsg/czyjs/czys/index.html",
        "zdlyxxgk/czyjshsg/czyjs/czjs/index.html",
    ]


def test_as_of_only_hides_documents(sites):
    today = {r["post_id"]: r for s in sites for r in s.truth(BASE)[1]}
    then = make_sites(as_of=dt.date(2022, 6, 30))
    past = [r for s in then for r in s.truth(BASE)[1]]
    assert 100 < len(past) < len(today)
    for record in past:
        assert record["publish_date"] <= "2022-06-30"
        now = today.get(record["post_id"])
        if now is not None:
            assert (now["title"], now["body_text"], now["url"]) == (
                record["title"],
                record["body_text"],
                record["url"],
            )
    # 江门 serves one page of 100: back then every catalogued document still fitted in it
    jiangmen = then[2]
    served = [r for r in past if r["site"] == "jiangmen" and "gkmlpt" in r["sources"]]
    assert len(served) == sum(d.in_gkmlpt for d in jiangmen.docs) < 100


def test_scale_grows_the_sites_proportionally():
    default = sum(len(s.notices) for s in make_sites())
    double = sum(len(s.notices) for s in make_sites(scale=890))
    assert 1.6 * default < double < 2.4 * default


def test_faults_leave_the_site_group_alone(truth):
    faulty = make_sites(faults=FAULTS)
    records = [r for site in faulty for r in site.truth(BASE)[1]]
    assert records == truth["notices"]
    assert all(r["fault"] is None for r in records)
