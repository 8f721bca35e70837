"""Acceptance: crawl the procurement replica; every announcement and project equals the truth."""

from __future__ import annotations

import json

import pytest
import sqlite_utils

from tests.integration.conftest import crawl, notices_by_url, running_replica, site_truth

pytestmark = pytest.mark.integration

PROCUREMENT_FIELDS = (
    "announcement_type",
    "procurement_method",
    "project_number",
    "project_name",
    "purchaser",
    "agency",
    "region",
    "budget_amount",
    "bid_deadline",
    "bid_opening",
    "award_amount",
    "award_suppliers",
    "awards",
    "contract_date",
    "contract_amount",
    "experts",
    "intent_items",
    "conflicts",
)
JSON_COLUMNS = ("award_suppliers", "experts", "conflicts")


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    db = tmp_path_factory.mktemp("proc") / "archive.db"
    with running_replica() as url:
        truth = site_truth(url, "ccgp")
        result = crawl(db, url, spiders=("ccgp",))
    database = sqlite_utils.Database(db)
    return {
        "truth": truth,
        "result": result,
        "db": database,
        "path": db,
        "stored": stored_procurement(database),
    }


def stored_procurement(db) -> dict[str, dict]:
    """The procurement object of every stored announcement, rebuilt from the tables."""
    objects = {}
    for row in db["procurement"].rows:
        obj = {f: row.get(f) for f in PROCUREMENT_FIELDS if f in row}
        for column in JSON_COLUMNS:
            obj[column] = json.loads(row[column] or "[]")
        obj["awards"] = [
            {"lot": a["lot"], "supplier": a["supplier"], "amount": a["amount"], "rate": a["rate"]}
            for a in db["procurement_awards"].rows_where(
                "notice_id = ?", [row["notice_id"]], order_by="position"
            )
        ]
        obj["intent_items"] = [
            {k: i[k] for k in ("project_name", "budget_amount", "expected_month")}
            for i in db["procurement_intents"].rows_where(
                "notice_id = ?", [row["notice_id"]], order_by="position"
            )
        ]
        objects[row["url"]] = obj
    return objects


def test_crawl_finishes(crawled):
    assert crawled["result"].returncode == 0, crawled["result"].stderr[-3000:]


def test_every_announcement_is_stored(crawled):
    expected = {n["url"] for n in crawled["truth"]["notices"]}
    assert len(expected) >= 150
    assert set(crawled["stored"]) == expected


@pytest.mark.parametrize("field", PROCUREMENT_FIELDS)
def test_every_procurement_field_equals_truth(crawled, field):
    wrong = {}
    for notice in crawled["truth"]["notices"]:
        got = crawled["stored"].get(notice["url"], {}).get(field)
        if got != notice["procurement"][field]:
            wrong[notice["url"]] = (notice["procurement"][field], got)
    assert not wrong, f"{len(wrong)} differ in {field}; first: {next(iter(wrong.items()))}"


@pytest.mark.parametrize(
    "field", ["title", "publish_date", "publish_time", "category", "body_text"]
)
def test_notice_fields_equal_truth(crawled, field):
    stored = notices_by_url(crawled["path"])
    wrong = [n["url"] for n in crawled["truth"]["notices"] if stored[n["url"]][field] != n[field]]
    assert not wrong, f"{len(wrong)} differ in {field}: {wrong[:3]}"


def _project_rows(db):
    rows = list(db["procurement_projects"].rows)
    by_number = {r["project_number"]: r for r in rows if r["project_number"]}
    by_name = {(r["purchaser"], r["project_name"]): r for r in rows}
    return rows, by_number, by_name


def _matching_row(project, by_number, by_name):
    number = project["project_number"]
    if number:
        return by_number.get(number)
    return by_name.get((project["purchaser"], project["project_name"]))


def test_every_project_is_one_row_with_all_stages_linked(crawled):
    rows, by_number, by_name = _project_rows(crawled["db"])
    projects = crawled["truth"]["procurement_projects"]
    matched = set()
    for project in projects:
        number = project["project_number"]
        row = (
            by_number.get(number)
            if number
            else by_name.get((project["purchaser"], project["project_name"]))
        )
        assert row is not None, f"no project row for {number or project['project_name']}"
        stages = json.loads(row["stages"])
        for stage, urls in project["stages"].items():
            assert sorted(stages.get(stage, [])) == sorted(urls), (number, stage)
        assert row["link"] == project["link"], number
        assert json.loads(row["missing_stages"]) == project["missing"], number
        matched.add(row["id"])
    assert len(matched) == len(projects)
    # Every other row is a planned project, known only from a 采购意向 item that never went to
    # tender (the truth lists those items in its intent notices, not as projects).
    others = [r for r in rows if r["id"] not in matched]
    assert all(
        r["status"] == "planned" and list(json.loads(r["stages"])) == ["intent"] for r in others
    )
    intent_pairs = {
        (n["procurement"]["purchaser"], item["project_name"])
        for n in crawled["truth"]["notices"]
        for item in n["procurement"]["intent_items"]
    }
    project_pairs = {(p["purchaser"], p["project_name"]) for p in projects}
    assert len(others) == len(intent_pairs - project_pairs)


def test_no_announcement_unlinked(crawled):
    db = crawled["db"]
    unlinked = db.execute(
        "select count(*) from procurement where project_id is null and announcement_type != 'intent'"
    ).fetchone()[0]
    assert unlinked == 0
    assert (
        db.execute("select count(*) from procurement_intents where project_id is null").fetchone()[
            0
        ]
        == 0
    )


def test_rates_are_never_yuan(crawled):
    db = crawled["db"]
    rate_lots = list(db["procurement_awards"].rows_where("rate is not null"))
    assert rate_lots, "the replica has rate awards"
    assert all(lot["amount"] is None for lot in rate_lots)
