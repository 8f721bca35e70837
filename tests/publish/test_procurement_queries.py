"""Canned procurement queries and facets, through the in-process Datasette client."""

from __future__ import annotations

import pytest

from pipeline.record import Record
from pipeline.store import Archive, Capture
from publish.config import make_datasette
from tests.store.test_link import proc, record


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    path = tmp_path_factory.mktemp("proc") / "archive.db"
    archive = Archive(str(path))
    run = archive.start_run("ccgp", "ccgp")
    awards = [
        {"lot": "A", "supplier": "广东安科技有限公司", "amount": 700000.0, "rate": None},
        {"lot": "B", "supplier": "湛江信息有限公司", "amount": None, "rate": 5.0},
    ]
    for r in [
        record(1, "2024-03-01", proc("tender", "ZJCG2024-0001")),
        record(
            2,
            "2024-03-30",
            proc(
                "award",
                "ZJCG2024-0001",
                award_amount=700000.0,
                award_suppliers=["广东安科技有限公司", "湛江信息有限公司"],
                awards=awards,
            ),
        ),
        record(3, "2025-05-01", proc("tender", "ZJCG2025-0002", name="物业管理服务")),
        record(
            4,
            "2025-05-30",
            proc(
                "award",
                "ZJCG2025-0002",
                name="物业管理服务",
                award_amount=300000.0,
                award_suppliers=["广东安科技有限公司"],
                awards=[
                    {
                        "lot": None,
                        "supplier": "广东安科技有限公司",
                        "amount": 300000.0,
                        "rate": None,
                    }
                ],
            ),
        ),
    ]:
        archive.store(Record.from_dict(r), Capture(b"x"), run)
    archive.finish_run(run, "finished")
    archive.close()
    return make_datasette(str(path))


async def rows(ds, path):
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text[:500]
    return response.json()["rows"]


async def test_project_timeline(ds):
    got = await rows(ds, "/archive/project_timeline.json?project=ZJCG2024-0001&_shape=objects")
    assert [(r["stage"], r["publish_date"]) for r in got] == [
        ("tender", "2024-03-01"),
        ("award", "2024-03-30"),
    ]


async def test_awards_by_supplier_counts_rate_lots_without_amount(ds):
    got = await rows(ds, "/archive/awards_by_supplier.json?supplier=&_shape=objects")
    by = {r["supplier"]: r for r in got}
    assert by["广东安科技有限公司"]["lots"] == 2
    assert by["广东安科技有限公司"]["total_yuan"] == 1000000.0
    assert by["湛江信息有限公司"]["total_yuan"] is None


async def test_purchaser_spending_by_year(ds):
    got = await rows(ds, "/archive/purchaser_spending_by_year.json?purchaser=教育局&_shape=objects")
    assert [(r["year"], r["total_yuan"]) for r in got] == [("2024", 700000.0), ("2025", 300000.0)]


async def test_projects_missing_a_stage(ds):
    got = await rows(ds, "/archive/projects_missing_a_stage.json?stage=contract&_shape=objects")
    assert sorted(r["project_number"] for r in got) == ["ZJCG2024-0001", "ZJCG2025-0002"]
    none = await rows(ds, "/archive/projects_missing_a_stage.json?stage=tender&_shape=objects")
    assert none == []


async def test_procurement_facets(ds):
    data = (await ds.client.get("/archive/procurement.json")).json()
    assert {"announcement_type", "region", "purchaser"} <= set(data["facet_results"])


async def test_canned_queries_have_descriptions(ds):
    data = (await ds.client.get("/archive.json")).json()
    queries = {q["name"]: q for q in data["queries"]}
    assert set(queries) >= {
        "project_timeline",
        "awards_by_supplier",
        "purchaser_spending_by_year",
        "projects_missing_a_stage",
    }
    assert all(q.get("description") for q in queries.values())
