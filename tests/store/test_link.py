import contextlib
import json

import pytest
import sqlite_utils

from pipeline.record import Record
from pipeline.store import Archive, Capture

PURCHASER = "湛江市教育局"


def proc(kind, number, name="校园安防工程", purchaser=PURCHASER, **fields):
    base = {
        "announcement_type": kind,
        "procurement_method": "公开招标",
        "project_number": number,
        "project_name": name,
        "purchaser": purchaser,
        "agency": "广东省机电设备招标中心有限公司",
        "region": "湛江市",
        "budget_amount": 1200000.0,
        "award_amount": None,
        "award_suppliers": [],
        "awards": [],
        "experts": [],
        "intent_items": [],
        "conflicts": [],
        "contract_date": None,
    }
    base.update(fields)
    return base


def record(n, date, procurement):
    return {
        "url": f"http://www.ccgp.gov.cn/cggg/dfgg/t{n}.htm",
        "site": "ccgp",
        "kind": "procurement",
        "title": f"公告{n}",
        "publish_date": date,
        "attachments": [],
        "procurement": procurement,
    }


@pytest.fixture
def linked(tmp_path):
    archive = Archive(str(tmp_path / "a.db"))
    run = archive.start_run("ccgp", "ccgp")
    items = [
        {"project_name": "校园 安防工程", "budget_amount": 1200000.0, "expected_month": "2025-03"},
        {"project_name": "物业管理服务", "budget_amount": 500000.0, "expected_month": "2025-05"},
    ]
    records = [
        record(1, "2025-01-10", proc("intent", None, name=None, intent_items=items)),
        record(2, "2025-03-01", proc("tender", "ZJCG2025-0123")),
        record(3, "2025-03-05", proc("correction", "ZJCG2025-0123")),
        record(
            4,
            "2025-03-30",
            proc(
                "award",
                None,
                award_amount=1150000.0,
                award_suppliers=["广东安科技有限公司"],
                awards=[
                    {
                        "lot": "A",
                        "supplier": "广东安科技有限公司",
                        "amount": 1150000.0,
                        "rate": None,
                    }
                ],
            ),
        ),
        record(5, "2025-04-10", proc("contract", "ZJCG2025-0123", contract_date="2025-04-08")),
        record(
            6,
            "2025-06-01",
            proc("tender", "ZJCG2025-0200", name="医疗设备", purchaser="湛江中心人民医院"),
        ),
        record(
            7,
            "2025-06-20",
            proc("termination", "ZJCG2025-0200", name="医疗设备", purchaser="湛江中心人民医院"),
        ),
    ]
    for r in records:
        archive.store(Record.from_dict(r), Capture(b"x"), run)
    archive.finish_run(run, "finished")
    yield archive.db
    archive.close()


def projects(db):
    return {p["project_name"]: p for p in db["procurement_projects"].rows}


def test_one_project_per_number_with_all_stages(linked):
    p = projects(linked)["校园安防工程"]
    stages = json.loads(p["stages"])
    assert p["project_number"] == "ZJCG2025-0123"
    assert {k: len(v) for k, v in stages.items()} == {
        "intent": 1,
        "tender": 1,
        "correction": 1,
        "award": 1,
        "contract": 1,
    }
    assert (p["intent_date"], p["tender_date"], p["award_date"], p["contract_date"]) == (
        "2025-01-10",
        "2025-03-01",
        "2025-03-30",
        "2025-04-10",
    )
    assert p["contract_signed_date"] == "2025-04-08"
    assert json.loads(p["missing_stages"]) == []


def test_announcement_without_number_links_by_purchaser_and_name(linked):
    p = projects(linked)["校园安防工程"]
    assert p["link"] == "purchaser+name"
    award = next(linked["procurement"].rows_where("announcement_type = 'award'"))
    assert award["project_id"] == p["id"]
    assert award["link"] == "purchaser+name"
    assert next(linked["procurement_awards"].rows)["project_id"] == p["id"]


def test_intent_only_project_is_planned_and_misses_nothing(linked):
    p = projects(linked)["物业管理服务"]
    assert p["project_number"] is None
    assert p["status"] == "planned"
    assert json.loads(p["missing_stages"]) == []
    assert p["budget_amount"] == 500000.0


def test_terminated_project_does_not_expect_award(linked):
    p = projects(linked)["医疗设备"]
    assert p["link"] == "number"
    assert p["termination_date"] == "2025-06-20"
    assert json.loads(p["missing_stages"]) == ["intent"]  # tendered in 2025 with no intent
    assert p["status"] == "terminated"


def test_every_announcement_is_linked(linked):
    unlinked = "select count(*) from procurement where project_id is null and announcement_type != 'intent'"
    assert linked.execute(unlinked).fetchone()[0] == 0
    # an intent notice lists several projects: its items carry the links
    assert (
        linked.execute(
            "select count(*) from procurement_intents where project_id is null"
        ).fetchone()[0]
        == 0
    )
    assert linked["procurement_projects"].count == 3


def test_relinking_is_stable(linked):
    from pipeline.store.link import link_projects

    before = sorted(linked["procurement_projects"].rows, key=lambda r: r["id"])
    link_projects(linked)
    assert sorted(linked["procurement_projects"].rows, key=lambda r: r["id"]) == before


@pytest.mark.parametrize(
    ("stages", "tender_date", "missing"),
    [
        ({"tender": ["t"]}, "2020-12-31", []),
        ({"tender": ["t"]}, "2021-12-31", []),  # a city unit: intents due from 2022 (GP-01)
        ({"tender": ["t"]}, "2022-01-01", ["intent"]),
        ({"intent": ["i"], "tender": ["t"], "award": ["a"]}, "2024-05-01", ["contract"]),
        ({"intent": ["i"], "tender": ["t"], "termination": ["x"]}, "2024-05-01", []),
        ({"award": ["a"], "contract": ["c"]}, None, ["tender"]),
        ({"intent": ["i"], "tender": ["t"], "contract": ["c"]}, "2024-05-01", ["award"]),
        ({"intent": ["i"]}, None, []),
    ],
)
def test_missing_stages_rules(stages, tender_date, missing):
    from pipeline.store.link import missing_stages

    assert missing_stages(stages, tender_date, "湛江市图书馆") == missing


def test_intents_are_due_from_2021_for_provincial_units():
    from pipeline.store.link import missing_stages

    assert missing_stages({"tender": ["t"]}, "2021-06-01", "广东省财政厅") == ["intent"]
    assert missing_stages({"tender": ["t"]}, "2021-06-01", "湛江市财政局") == []


TENDER = {"announcement_type": "tender", "project_number": "ZJ-1", "purchaser": "湛江市财政局"}


@pytest.fixture
def link_calls(monkeypatch) -> list[int]:
    """One entry per rebuild of the projects by an Archive (the rebuild itself still runs)."""
    from pipeline.store import archive as archive_module

    calls: list[int] = []
    real = archive_module.link_projects
    monkeypatch.setattr(
        archive_module, "link_projects", lambda db, **kw: calls.append(1) or real(db, **kw)
    )
    return calls


def test_projects_are_linked_again_only_after_procurement_changed(tmp_path, link_calls):
    from tests.store.test_archive import record

    calls = link_calls
    archive = Archive(str(tmp_path / "a.db"))

    def run(*records) -> None:
        run_id = archive.start_run("ccgp", "ccgp")
        for made in records:
            archive.store(made, Capture(made.url.encode()), run_id)
        archive.finish_run(run_id, "finished")

    run()  # an archive no run has marked yet is linked once (an older writer may not have)
    run(record(url="http://x/page"))  # no procurement row written
    assert len(calls) == 1
    run(record(url="http://x/t", kind="procurement", procurement=TENDER))
    assert len(calls) == 2
    assert archive.db["procurement_projects"].count == 1
    run(record(url="http://x/t", kind="procurement", procurement=TENDER))  # unchanged
    assert len(calls) == 2
    archive.close()


def test_a_later_writer_links_only_what_an_earlier_one_left_unlinked(tmp_path, link_calls):
    """The mark in ``crawl_runs.projects_linked`` carries over writers: a re-crawl that changes
    no announcement rebuilds nothing; one that stopped between writing announcements and
    linking them leaves the rebuild to the next writer; an archive without the mark (older
    writers) is rebuilt once."""
    from tests.store.test_archive import record

    calls = link_calls
    db = str(tmp_path / "a.db")
    tender = record(url="http://x/t", kind="procurement", procurement=TENDER)
    second = {**TENDER, "project_number": "ZJ-2"}

    def crawl(*records, finish: bool = True) -> None:
        archive = Archive(db)
        run_id = archive.start_run("ccgp", "ccgp")
        for made in records:
            archive.store(made, Capture(made.url.encode()), run_id)
        if finish:
            archive.finish_run(run_id, "finished")
            archive.close()
        else:  # the writer stops after its batch is written, before the run ends
            archive.flush()
            archive.abandon()

    crawl(tender)
    assert len(calls) == 1
    crawl(tender)  # the same announcement again: nothing to link
    crawl()
    assert len(calls) == 1
    crawl(record(url="http://x/t2", kind="procurement", procurement=second), finish=False)
    assert len(calls) == 1
    with sqlite_utils.Database(db) as conn:
        assert conn["procurement_projects"].count == 1  # ZJ-2 written, not linked
    crawl()  # a run that brings nothing links what the stopped one left
    assert len(calls) == 2
    with sqlite_utils.Database(db) as conn:
        assert conn["procurement_projects"].count == 2
        assert (
            conn.execute("select count(*) from crawl_runs where projects_linked = 0").fetchone()[0]
            == 0
        )
        conn.execute("update crawl_runs set projects_linked = null")  # as an older writer left it
        conn.conn.commit()
    crawl()
    assert len(calls) == 3
    crawl()
    assert len(calls) == 3


def test_a_run_that_others_outlive_leaves_the_linking_to_the_last(tmp_path, link_calls):
    """Runs sharing a writer: projects are rebuilt once, when the last one finishes (or when
    the writer closes, should that run never finish), not after each run."""
    from tests.store.test_archive import record

    calls = link_calls
    made = record(url="http://x/t", kind="procurement", procurement=TENDER)

    archive = Archive(str(tmp_path / "a.db"))
    first, last = archive.start_run("ccgp", "ccgp"), archive.start_run("gdgpo", "gdgpo")
    archive.store(made, Capture(b"t"), first)
    archive.finish_run(first, "finished", link=False)
    assert calls == []
    assert archive.db["procurement_projects"].count == 0
    archive.finish_run(last, "finished", link=True)
    assert calls == [1]
    assert archive.db["procurement_projects"].count == 1
    archive.close()
    assert calls == [1]  # nothing left to link

    archive = Archive(str(tmp_path / "b.db"))
    first = archive.start_run("ccgp", "ccgp")
    archive.start_run("gdgpo", "gdgpo")
    archive.store(made, Capture(b"t"), first)
    archive.finish_run(first, "finished", link=False)  # the other run never finishes
    assert calls == [1]
    archive.close()
    assert calls == [1, 1]
    with sqlite_utils.Database(str(tmp_path / "b.db")) as db:
        assert db["procurement_projects"].count == 1


def test_prepare_loads_the_rule_catalog_ahead_of_the_first_link(monkeypatch):
    from pipeline.compliance import loading
    from pipeline.store import link

    link._intent_rule.cache_clear()
    link.prepare()
    assert link._intent_rule.cache_info().currsize == 1  # the first link reads it from memory
    assert link.intent_required("2023-05-01", "湛江市财政局") is True

    link._intent_rule.cache_clear()

    def broken(*args, **kwargs):
        raise OSError("rules.yml: unreadable")

    monkeypatch.setattr(loading, "load_rules", broken)
    link.prepare()  # no error at the writer's start: the link that needs the catalog reports it
    with pytest.raises(OSError, match="unreadable"):
        link.intent_required("2023-05-01", "湛江市财政局")
    link._intent_rule.cache_clear()


def test_the_linking_sorts_in_a_file_while_journals_stay_in_memory(linked, monkeypatch):
    """Its temporary table and sort hold every announcement (100 MiB at scale 100,000): on
    disk, even on the writer's connection, whose statement journals stay in memory."""
    from pipeline.store import link

    conn = linked.conn
    seen: list[int] = []
    real = link._assign_keys

    def assign(conn):
        seen.append(conn.execute("pragma temp_store").fetchone()[0])
        return real(conn)

    monkeypatch.setattr(link, "_assign_keys", assign)
    conn.execute("pragma temp_store = MEMORY")  # as the writer's connection (Archive)
    link.link_projects(linked)
    assert seen == [1]  # FILE
    assert conn.execute("pragma temp_store").fetchone()[0] == 2
    assert projects(linked)  # linked as before


def test_the_linking_inside_a_transaction_keeps_the_temporary_storage(linked):
    """SQLite refuses to change it inside a transaction once the connection has temporary
    storage: the linking then sorts where it is."""
    from pipeline.store import link

    conn = linked.conn
    conn.execute("pragma temp_store = MEMORY")
    conn.execute("create temp table held (x)")  # the connection has temporary storage
    conn.execute("update procurement set link = link")  # a transaction is open
    assert conn.in_transaction
    assert link.link_projects(linked) == len(projects(linked))
    assert conn.execute("pragma temp_store").fetchone()[0] == 2


def test_the_linking_holds_the_write_lock_from_its_first_read(linked, monkeypatch):
    """No other connection commits between the linking's reads and its writes: another that
    tries waits for the linking (here it gives up after its 0.2 s). The linking had run in a
    deferred transaction, and in a crawl of three ``gdsite`` profiles in one process under
    load it failed at its first write with ``database is locked`` in 2 of 12 crawls (a
    transaction whose snapshot another connection has committed past fails at once, without
    waiting); as ``BEGIN IMMEDIATE``, 20 of 20 passed."""
    import sqlite3

    from pipeline.store import link

    path = linked.conn.execute("pragma database_list").fetchone()[2]
    other = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    tried: list[str] = []
    real = link._assign_keys

    def assign(conn):
        keys = real(conn)  # the linking has read the archive
        try:
            other.execute("update crawl_runs set pid = pid")  # the crawl process commits
            tried.append("committed")
        except sqlite3.OperationalError as exc:
            tried.append(str(exc))
        return keys

    monkeypatch.setattr(link, "_assign_keys", assign)
    with contextlib.closing(other):
        assert link.link_projects(linked) == len(projects(linked))
        assert tried == ["database is locked"]  # it waited for the linking (here: gave up)
        other.execute("update crawl_runs set pid = pid")  # and may write once it is done


def _linking(db) -> dict:
    """Everything linking writes: the projects, and each row's project (and link method)."""
    return {
        "projects": [dict(r) for r in db.query("select * from procurement_projects order by id")],
        "announcements": db.execute(
            "select notice_id, project_id, link from procurement order by notice_id"
        ).fetchall(),
        "awards": db.execute(
            "select id, project_id from procurement_awards order by id"
        ).fetchall(),
        "intents": db.execute(
            "select id, project_id from procurement_intents order by id"
        ).fetchall(),
    }


def _random_announcement(rng, n: int):
    """One of a small world's announcements, so that crawls keep editing the same projects:
    numbers that come and go, purchaser+name pairs shared by numbered and unnumbered
    announcements and intent items, dates that put a new announcement before older ones."""
    pair = rng.choice([("湛江市教育局", "校园安防工程"), ("湛江市教育局", "物业管理服务"),
                       ("湛江中心人民医院", "医疗设备"), ("湛江市财政局", None)])  # fmt: skip
    date = f"2025-{rng.randint(1, 9):02d}-{rng.randint(10, 28)}"
    if rng.random() < 0.25:
        items = [
            {"project_name": rng.choice(["校园 安防工程", "物业管理服务", "医疗设备", "食堂"]),
             "budget_amount": float(rng.randint(1, 9) * 100000), "expected_month": "2025-10"}
            for _ in range(rng.randint(0, 3))
        ]  # fmt: skip
        made = proc("intent", None, name=None, purchaser=pair[0], intent_items=items)
    else:
        kind = rng.choice(["tender", "correction", "award", "contract", "termination"])
        number = rng.choice(["ZJ-1", "ZJ-2", "ZJ-3", None, None])
        supplier = rng.choice(["广东安科技有限公司", "湛江建设有限公司"])
        awards = [{"lot": None, "supplier": supplier, "amount": 1.0, "rate": None}]
        made = proc(kind, number, name=pair[1], purchaser=pair[0],
                    awards=awards if kind == "award" else [],
                    award_suppliers=[supplier] if kind == "award" else [])  # fmt: skip
    return Record.from_dict(record(n, date, made))


@pytest.mark.parametrize("partial", [None, 2.0])
@pytest.mark.parametrize("seed", range(6))
def test_the_writer_rebuilds_the_projects_a_whole_rebuild_would_change(
    tmp_path, monkeypatch, seed, partial
):
    """After each crawl of random edits (new announcements, changed numbers, purchasers, names
    and dates, intent items added and taken away), the projects and links the writer leaves by
    rebuilding only what changed are exactly those of a rebuild of every project (``partial``
    2.0: a partial rebuild even where most projects changed, as in this small world)."""
    import random
    import shutil

    from pipeline.store import link
    from pipeline.store.link import link_projects

    if partial is not None:
        monkeypatch.setattr(link, "PARTIAL", partial)
    rng = random.Random(seed)
    db = str(tmp_path / "a.db")
    for crawl in range(8):
        archive = Archive(db)
        run = archive.start_run("ccgp", "ccgp")
        for _ in range(rng.randint(1, 5)):
            made = _random_announcement(rng, rng.randint(1, 10))
            archive.store(made, Capture(made.url.encode()), run)
        archive.finish_run(run, "finished")
        archive.close()
        shutil.copy(db, tmp_path / "whole.db")
        with (
            sqlite_utils.Database(db) as kept,
            sqlite_utils.Database(tmp_path / "whole.db") as whole,
        ):
            link_projects(whole)
            assert _linking(kept) == _linking(whole), f"crawl {crawl}"
            assert kept.execute("select count(*) from procurement_relink").fetchone()[0] == 0


def test_a_changed_announcement_rebuilds_its_project_only(tmp_path, monkeypatch):
    from pipeline.store import archive as archive_module
    from pipeline.store import link

    built: list[int] = []
    real = archive_module.link_projects
    monkeypatch.setattr(
        archive_module, "link_projects", lambda db, **kw: built.append(real(db, **kw))
    )
    db = str(tmp_path / "a.db")

    def crawl(*records) -> None:
        archive = Archive(db)
        run_id = archive.start_run("ccgp", "ccgp")
        for made in records:
            archive.store(Record.from_dict(made), Capture(made["url"].encode()), run_id)
        archive.finish_run(run_id, "finished")
        archive.close()

    tenders = [record(n, "2025-03-01", proc("tender", f"ZJ-{n}")) for n in range(1, 6)]
    crawl(*tenders)
    crawl({**tenders[2], "procurement": proc("tender", "ZJ-3", budget_amount=99.0)})
    crawl(record(9, "2025-04-01", proc("award", "ZJ-4")))
    crawl({**tenders[0], "procurement": proc("tender", "ZJ-9")})  # its number corrected
    assert built == [5, 1, 1, 1]  # the old project ZJ-1 is deleted, not built
    with sqlite_utils.Database(db) as done:
        assert {p["project_number"] for p in done["procurement_projects"].rows} == {
            "ZJ-2", "ZJ-3", "ZJ-4", "ZJ-5", "ZJ-9"}  # fmt: skip
        assert done["procurement_projects"].get(link.project_id("no:ZJ-3"))["budget_amount"] == 99.0


def test_an_archive_a_writer_left_unlinked_before_it_noted_changes_is_rebuilt_whole(tmp_path):
    """Archives written before the writer noted the projects it replaces: rebuilt whole once
    when their projects may lag (a run left them unlinked), then changes only."""
    from pipeline.store.link import EVERY, link_projects

    db = str(tmp_path / "a.db")
    archive = Archive(db)
    run = archive.start_run("ccgp", "ccgp")
    made = record(1, "2025-03-01", proc("tender", "ZJ-1"))
    archive.store(Record.from_dict(made), Capture(b"t"), run)
    archive.finish_run(run, "finished")
    archive.close()
    with sqlite_utils.Database(db) as older:  # as a writer before the notes left it
        older.execute("drop table procurement_relink")
        older.execute("update procurement set budget_amount = 5.0")  # not linked since
        older.execute("update crawl_runs set projects_linked = 0")
        older.conn.commit()
    Archive(db).close()  # a writer that notes changes opens it
    with sqlite_utils.Database(db) as opened:
        assert opened.execute("select project_id from procurement_relink").fetchall() == [(EVERY,)]
        assert link_projects(opened, changed_only=True) == 1
        assert next(opened["procurement_projects"].rows)["budget_amount"] == 5.0
        assert opened["procurement_relink"].count == 0
