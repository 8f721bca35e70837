"""The checker on small archives written through the real store: each rule's verdicts, the
evidence they carry, as-of, precedence between rules, the calendar's edge; and `zwgk check`
(summary, JSON against the documented schema, CSV, --fail-on exit codes)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
import sqlite_utils

from pipeline.compliance import checker, derive
from pipeline.record import Record
from pipeline.store import Archive, Capture
from zwgk.cli import main

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "compliance-findings.schema.json"
AS_OF = dt.date(2026, 11, 30)
BUREAU = "http://www.zjczj.gov.cn/"
CCGP = "http://www.ccgp.gov.cn/"


def notice(path: str, title: str, publish: str, doc_date: str | None = None, **extra) -> dict:
    return {
        "url": BUREAU + path,
        "site": "zjczj",
        "kind": "notice",
        "category": extra.pop("category", "通知公告"),
        "title": title,
        "publish_date": publish,
        "doc_date": doc_date,
        "body_text": extra.pop("body_text", "正文。"),
        "body_html": "<p>正文</p>",
        "attachments": [],
        **extra,
    }


def announcement(path: str, kind: str, publish: str, body: str = "", **fields) -> dict:
    procurement = {
        "announcement_type": kind,
        "procurement_method": fields.pop("method", "公开招标"),
        "project_number": fields.pop("number", "440800-2024-00001"),
        "project_name": "湛江市图书馆2024年办公设备采购项目",
        "purchaser": "湛江市图书馆",
        "award_suppliers": [],
        "awards": [],
        "experts": [],
        "intent_items": fields.pop("intent_items", []),
        "conflicts": [],
        **fields,
    }
    return {
        "url": CCGP + path,
        "site": "ccgp",
        "kind": "procurement",
        "category": kind,
        "title": f"{kind} {path}",
        "publish_date": publish,
        "body_text": body or "正文。",
        "body_html": "<p>正文</p>",
        "attachments": [],
        "procurement": procurement,
    }


def build(path: Path, records: list[dict]) -> sqlite_utils.Database:
    archive = Archive(str(path))
    archive.register_site("zjczj", kind="bureau", base_url=BUREAU)
    archive.register_site("ccgp", kind="procurement", base_url=CCGP)
    run = archive.start_run("test", "zjczj")
    for record in records:
        archive.store(Record.from_dict(record), Capture(b"<html>raw</html>"), run)
    archive.finish_run(run, "finished")
    archive.close()
    return sqlite_utils.Database(path)


def by_rule(result, rule_id: str) -> dict[str, dict]:
    return {r["subject"]: r for r in result.rows if r["rule_id"] == rule_id}


@pytest.fixture
def documents(tmp_path: Path) -> sqlite_utils.Database:
    return build(
        tmp_path / "docs.db",
        [
            # 2024-03-01 (Fri) + 20 working days = 2024-03-29
            notice("a.shtml", "关于开展检查的通知", "2024-03-29", "2024-03-01"),
            notice("b.shtml", "关于开展调研的通知", "2024-04-02", "2024-03-01"),
            notice("c.shtml", "工作动态", "2024-05-06"),
            notice("d.shtml", "2010年的通知", "2010-06-01", "2010-05-04"),
            notice("e.shtml", "2006年的通知", "2006-09-07", "2006-09-01"),
            notice(
                "f.shtml",
                "2024年部门预算",
                "2024-02-20",
                "2024-02-10",
                category="部门预决算",
                body_text="2024年1月25日，湛江市第十五届人民代表大会第四次会议审查批准了预算。",
            ),
            notice("g.shtml", "2023年部门预算", "2023-02-20", "2023-02-10", category="部门预决算"),
        ],
    )


def test_document_rules_judge_each_notice_once(documents: sqlite_utils.Database) -> None:
    result = checker.check(documents, as_of=AS_OF)
    gi01 = by_rule(result, "GI-01")
    on_time, late = gi01[BUREAU + "a.shtml"], gi01[BUREAU + "b.shtml"]
    assert (on_time["verdict"], on_time["due_date"]) == ("on_time", "2024-03-29")
    assert (late["verdict"], late["days_late"]) == ("late", 2)  # Mon 04-01, Tue 04-02
    no_date = gi01[BUREAU + "c.shtml"]
    assert no_date["verdict"] == "undeterminable"
    assert "doc_date unknown" in no_date["explanation"]
    # the 2007 regulations judge 2010, nothing judges 2006
    assert by_rule(result, "HX-01")[BUREAU + "d.shtml"]["verdict"] == "on_time"
    assert not [r for r in result.rows if r["subject"] == BUREAU + "e.shtml"]
    # budgets: the budget law instead of GI-01 (yields_to), approval date read from the text
    bu01 = by_rule(result, "BU-01")
    assert BUREAU + "f.shtml" not in gi01
    # 01-25 + 20 days = 02-14, inside 春节 (02-10..02-17): moved to Sunday 02-18, a 调休
    # working day (民法典 第二百零三条); published 02-20, 2 days late
    approved = bu01[BUREAU + "f.shtml"]
    assert (approved["verdict"], approved["due_date"], approved["days_late"]) == (
        "late",
        "2024-02-18",
        2,
    )
    dates = {d["field"]: d for d in json.loads(approved["dates"])}
    assert dates["approval_date"]["value"] == "2024-01-25"
    assert dates["approval_date"]["source"].startswith("批准/批复")
    assert bu01[BUREAU + "g.shtml"]["verdict"] == "undeterminable"


def test_every_finding_carries_its_legal_basis_and_evidence(documents) -> None:
    result = checker.check(documents, as_of=AS_OF)
    late = by_rule(result, "GI-01")[BUREAU + "b.shtml"]
    assert late["legal_basis"] == "《中华人民共和国政府信息公开条例》（国务院令第711号）第二十六条"
    assert "20个工作日内" in late["quote"]
    assert late["url"] == BUREAU + "b.shtml"
    version = documents.execute(
        "select id from notice_versions where notice_id = ?", [late["notice_id"]]
    ).fetchone()[0]
    assert late["capture"] == version
    used = {d["field"]: (d["value"], d["source"]) for d in json.loads(late["dates"])}
    assert used["doc_date"] == ("2024-03-01", "成文日期 on the page")
    assert used["publish_date"] == ("2024-04-02", "发布日期 on the page")


def test_as_of_hides_later_publications(documents: sqlite_utils.Database) -> None:
    early = checker.check(documents, as_of=dt.date(2024, 3, 30))
    assert BUREAU + "b.shtml" not in by_rule(early, "GI-01")  # published 04-02: not yet there
    assert by_rule(early, "GI-01")[BUREAU + "a.shtml"]["verdict"] == "on_time"


def test_first_capture_proves_on_time_never_late(tmp_path: Path) -> None:
    db = build(tmp_path / "seen.db", [notice("s.shtml", "通知", None, "2024-03-01")])
    db.execute("update notices set first_seen = '2024-03-20T08:00:00Z'")
    db.conn.commit()
    finding = by_rule(checker.check(db, as_of=AS_OF), "GI-01")[BUREAU + "s.shtml"]
    assert finding["verdict"] == "on_time"  # public by 03-20, due 03-29
    source = {d["field"]: d["source"] for d in json.loads(finding["dates"])}["publish_date"]
    assert source.startswith("proxy: first_seen")
    db.execute("update notices set first_seen = '2026-12-01T08:00:00Z'")
    db.conn.commit()
    later = by_rule(checker.check(db, as_of=dt.date(2026, 12, 31)), "GI-01")[BUREAU + "s.shtml"]
    assert later["verdict"] == "undeterminable"
    assert "proves no delay" in later["explanation"]


def test_a_date_beyond_the_calendar_is_undeterminable(tmp_path: Path) -> None:
    db = build(tmp_path / "future.db", [notice("z.shtml", "通知", "2031-01-20", "2030-12-20")])
    result = checker.check(db, as_of=dt.date(2031, 6, 1))
    finding = by_rule(result, "GI-01")[BUREAU + "z.shtml"]
    assert finding["verdict"] == "undeterminable"
    assert "outside the working-day calendar" in finding["explanation"]
    assert any("beyond the working-day calendar" in w for w in result.warnings)


def test_annual_reports_on_time_late_missing_and_not_yet_due(tmp_path: Path) -> None:
    reports = [
        notice("r19.shtml", "湛江市财政局2019年政府信息公开工作年度报告", "2020-01-20"),
        notice("r20.shtml", "湛江市财政局2020年政府信息公开工作年度报告", "2021-03-10"),
        notice("r22.shtml", "湛江市财政局2022年政府信息公开工作年度报告", "2023-01-09"),
        notice("old.shtml", "2018年的通知", "2018-05-01"),
    ]
    db = build(tmp_path / "reports.db", reports)
    result = checker.check(db, as_of=dt.date(2024, 1, 15))
    gi02 = by_rule(result, "GI-02")
    verdicts = {year: (r["verdict"], r["days_late"]) for year, r in gi02.items()}
    assert verdicts == {
        "2019": ("on_time", None),
        "2020": ("late", 38),  # 03-10 is 38 days after 01-31
        "2021": ("missing", None),
        "2022": ("on_time", None),
        "2023": ("not_yet_due", None),  # due 2024-01-31
    }  # 2018: the 2019 regulations were not in force on 2019-01-01
    assert gi02["2021"]["due_date"] == "2022-01-31"


def test_catalogue_columns_present(documents: sqlite_utils.Database) -> None:
    hx02 = by_rule(checker.check(documents, as_of=AS_OF), "HX-02")
    assert {k: v["verdict"] for k, v in hx02.items()} == {
        "机构职能": "missing",
        "规范性文件": "missing",
        "行政许可": "missing",
        "便民服务": "missing",
        "工作动态": "missing",
    }


TENDER = (
    "三、获取招标文件\n时间：2024年05月06日至2024年05月09日，每天上午09:00至12:00\n"
    "四、提交投标文件截止时间：2024年05月20日 10点00分"
)


@pytest.fixture
def procurement(tmp_path: Path) -> sqlite_utils.Database:
    intent = {"project_name": "湛江市图书馆2024年办公设备采购项目", "budget_amount": 1.0}
    return build(
        tmp_path / "gp.db",
        [
            announcement(
                "yx.htm", "intent", "2024-04-22", number=None, method=None, intent_items=[intent]
            ),
            announcement(
                "zb.htm",
                "tender",
                "2024-05-04",
                TENDER,
                bid_deadline="2024-05-20 10:00",
                bid_opening="2024-05-20 10:00",
            ),
            announcement("jg.htm", "award", "2024-05-30", "中标日期：2024年05月24日\n"),
            announcement("ht.htm", "contract", "2024-06-20", contract_date="2024-06-14"),
            announcement(
                "zb2.htm",
                "tender",
                "2024-07-01",
                number="440800-2024-00002",
                bid_deadline="2024-07-25 10:00",
                bid_opening="2024-07-25 10:00",
            ),
            announcement("jg2.htm", "award", "2024-08-01", number="440800-2024-00002"),
        ],
    )


def test_procurement_rules(procurement: sqlite_utils.Database) -> None:
    result = checker.check(procurement, as_of=AS_OF)
    first, second = "440800-2024-00001", "440800-2024-00002"
    gp01 = by_rule(result, "GP-01")
    assert (gp01[first]["verdict"], gp01[first]["days_late"]) == ("late", 18)  # 12 days ahead
    assert gp01[first]["url"] == CCGP + "yx.htm"
    assert gp01[second]["verdict"] == "missing"
    assert gp01[second]["url"] == CCGP + "zb2.htm"  # the tender is the evidence
    gp02 = by_rule(result, "GP-02")  # documents from 05-06: the deadline 05-20 is 6 days short
    assert (gp02[CCGP + "zb.htm"]["verdict"], gp02[CCGP + "zb.htm"]["days_late"]) == ("late", 6)
    gp03 = by_rule(result, "GP-03")  # Mon 05-06 to Thu 05-09: 4 working days of 5
    assert (gp03[CCGP + "zb.htm"]["verdict"], gp03[CCGP + "zb.htm"]["days_late"]) == ("late", 1)
    assert gp03[CCGP + "zb2.htm"]["verdict"] == "undeterminable"  # no period printed
    gp08 = by_rule(result, "GP-08")  # determined Fri 05-24 (printed): due Tue 05-28
    assert (gp08[CCGP + "jg.htm"]["verdict"], gp08[CCGP + "jg.htm"]["days_late"]) == ("late", 2)
    # no date printed: the bid opening 07-25 + 7 working days = 08-05, + 2 = 08-07
    proxied = gp08[CCGP + "jg2.htm"]
    assert (proxied["verdict"], proxied["due_date"]) == ("on_time", "2024-08-07")
    sources = {d["field"]: d["source"] for d in json.loads(proxied["dates"])}
    assert sources["award_determined_date"].startswith("proxy: evaluation_date + 7 working days")
    assert "bid opening" in sources["evaluation_date"]
    gp10 = by_rule(result, "GP-10")  # signed Fri 06-14: due Tue 06-18 (端午 06-10 is before)
    assert (gp10[CCGP + "ht.htm"]["verdict"], gp10[CCGP + "ht.htm"]["days_late"]) == ("late", 2)
    gp11 = by_rule(result, "GP-11")
    assert gp11[first]["verdict"] == "on_time"
    assert (gp11[second]["verdict"], gp11[second]["due_date"]) == ("missing", "2024-09-04")
    # as of the day before the contract was due, the second project is not yet due
    before = by_rule(checker.check(procurement, as_of=dt.date(2024, 9, 4)), "GP-11")
    assert before[second]["verdict"] == "not_yet_due"


def test_derived_facts() -> None:
    assert derive.unit_level("湛江市第一中学") == "below_provincial"
    assert derive.unit_level("广东省财政厅") == "provincial"
    assert derive.unit_level("广东省湛江市第一中学") == "below_provincial"
    assert derive.unit_level("国家税务总局湛江市税务局") == "central"
    assert derive.report_year("湛江市财政局2023年度政府信息公开工作年度报告") == 2023
    assert derive.determined_date("成交日期：2019年02月13日") == dt.date(2019, 2, 13)
    assert derive.approval_date("二〇二四年一月二十日经市人大批准") == dt.date(2024, 1, 20)
    assert derive.approval_date("经市人大批准") is None


def test_intent_rule_starts_2022_below_the_province(tmp_path: Path) -> None:
    db = build(
        tmp_path / "2021.db",
        [announcement("zb.htm", "tender", "2021-06-01", number="440800-2021-00001")],
    )
    assert by_rule(checker.check(db, as_of=AS_OF), "GP-01") == {}  # a city unit in 2021


# -- zwgk check ------------------------------------------------------------------------------
def test_check_json_validates_and_fail_on(procurement, capsys) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    path = procurement.conn.execute("pragma database_list").fetchone()[2]
    code = main(["check", "--db", path, "--as-of", "2026-11-30", "--format", "json"])
    out, err = capsys.readouterr()
    assert code == 0
    document = json.loads(out)
    jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).validate(document)
    assert document["summary"]["by_verdict"]["missing"] == 2  # GP-01 and GP-11 of the second
    assert "findings as of 2026-11-30" in err  # the summary, off stdout
    stored = procurement.execute("select count(*) from compliance_findings").fetchone()[0]
    assert stored == document["summary"]["total"]
    assert main(["check", "--db", path, "--as-of", "2026-11-30", "--fail-on", "missing"]) == 1
    assert "2 missing (--fail-on missing)" in capsys.readouterr().err
    assert main(["check", "--db", path, "--as-of", "2026-11-30", "--fail-on", "not_yet_due"]) == 0


def test_check_on_a_clean_archive_exits_0(tmp_path: Path, capsys) -> None:
    columns = ["机构职能", "规范性文件", "行政许可", "便民服务", "工作动态"]
    records = [notice("a.shtml", "通知", "2024-03-29", "2024-03-01")]
    records += [notice(f"c{i}.shtml", c, "2024-03-29", "2024-03-01", category=c)
                for i, c in enumerate(columns)]  # fmt: skip
    db = build(tmp_path / "clean.db", records)
    path = str(tmp_path / "clean.db")
    options = ["--as-of", "2024-12-31", "--fail-on", "late,missing", "--format", "csv"]
    assert main(["check", "--db", path, *options]) == 0  # the 2024 report is not yet due
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    verdicts = sorted({(r["rule_id"], r["verdict"]) for r in rows})
    assert verdicts == [("GI-01", "on_time"), ("HX-02", "on_time")]
    assert db["compliance_findings"].count == len(rows) == 11


def test_check_usage_errors(tmp_path: Path, capsys) -> None:
    assert main(["check", "--db", str(tmp_path / "none.db")]) == 1
    assert "zwgk check" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["check", "--fail-on", "late,soon"])
    assert exit_.value.code == 2
    assert "unknown verdict 'soon'" in capsys.readouterr().err
