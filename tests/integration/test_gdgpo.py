"""The procurement platform's API on the replica: the city's announcements, field by field."""

from __future__ import annotations

import json

import pytest
import sqlite_utils

from tests.integration.conftest import crawl, get_json, running_replica

pytestmark = pytest.mark.integration

CITY = "4408"  # 湛江's regionCode prefix (440800 and its districts)
RECORD = (
    "kind", "category", "title", "publish_date", "publish_time", "publisher", "body_text",
    "attachments",
)  # fmt: skip
PROCUREMENT = (
    "announcement_type", "procurement_method", "project_number", "project_name", "purchaser",
    "agency", "region", "budget_amount", "bid_deadline", "bid_opening", "award_amount",
    "award_suppliers", "awards", "contract_date", "contract_amount", "experts", "intent_items",
    "conflicts",
)  # fmt: skip


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("gdgpo") / "archive.db"
    with running_replica() as url:
        truth = [n for n in get_json(f"{url}/__truth.json")["notices"] if n["site"] == "gdgpo"]
        result = crawl(db, url, spiders=("gdgpo",))
    database = sqlite_utils.Database(db)
    records = {
        row["url"]: json.loads(row["record_json"])
        for row in database.query(
            "select n.url, v.record_json from notices n"
            " join notice_versions v on v.id = n.id || '-' || n.version_count"
        )
    }
    return {"db": db, "truth": truth, "result": result, "records": records}


def city(truth: list[dict]) -> list[dict]:
    return [n for n in truth if n["region_code"].startswith(CITY)]


def test_the_crawl_exits_cleanly(crawled):
    assert crawled["result"].returncode == 0, crawled["result"].stderr[-3000:]


def test_exactly_the_citys_announcements_are_stored(crawled):
    assert set(crawled["records"]) == {n["url"] for n in city(crawled["truth"])}
    assert len(city(crawled["truth"])) < len(crawled["truth"])  # other cities were left out


@pytest.mark.parametrize("field", RECORD)
def test_record_fields_equal_the_truth(crawled, field):
    wrong = [
        (n["url"][-36:], n[field], crawled["records"][n["url"]][field])
        for n in city(crawled["truth"])
        if crawled["records"][n["url"]][field] != n[field]
    ]
    assert not wrong, wrong[:3]


@pytest.mark.parametrize("field", PROCUREMENT)
def test_procurement_fields_equal_the_truth(crawled, field):
    wrong = [
        (
            n["url"][-36:],
            n["procurement"][field],
            crawled["records"][n["url"]]["procurement"][field],
        )
        for n in city(crawled["truth"])
        if crawled["records"][n["url"]]["procurement"][field] != n["procurement"][field]
    ]
    assert not wrong, wrong[:3]


def test_no_title_keeps_its_highlighting(crawled):
    db = sqlite_utils.Database(crawled["db"])
    assert db.execute("select count(*) from notices where title like '%<font%'").fetchone() == (0,)


def test_disagreements_between_the_api_and_the_content_are_recorded(crawled):
    db = sqlite_utils.Database(crawled["db"])
    fields = {
        c["field"]
        for (conflicts,) in db.execute("select conflicts from procurement where has_conflict")
        for c in json.loads(conflicts)
    }
    assert {"budget_amount", "purchaser", "agency"} <= fields


def test_every_notice_type_is_an_announcement_type(crawled):
    types = {r["procurement"]["announcement_type"] for r in crawled["records"].values()}
    assert types == {"intent", "tender", "correction", "award", "contract", "termination", "other"}
