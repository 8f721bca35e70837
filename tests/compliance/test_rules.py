"""The rule catalog: it loads, every rule is complete and consistent, mistakes are named by
rule and field, and docs/rules.md is the catalog's current page."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from pipeline.compliance.loading import load_rules
from pipeline.compliance.rules import DOCS_PATH, KINDS, RULES_PATH, CatalogError, Deadline
from pipeline.compliance.rules_page import main, render_docs
from pipeline.extract.procurement.kinds import TYPES
from pipeline.store.schema import TABLES

CATALOG = load_rules()
RULES = {rule.id: rule for rule in CATALOG.rules}
REQUIRED = (
    "id",
    "title",
    "legal_basis",
    "effective",
    "covers",
    "subject",
    "deadline",
    "severity",
    "needs_verification",
    "note",
)
CJK = re.compile(r"[\u4e00-\u9fff]")


def test_the_catalog_loads_with_the_issue_rules() -> None:
    expected = {"GI-01", "GI-02", "HX-01", "HX-02", "GP-01", "GP-02", "GP-03", "GP-04"}
    expected |= {"GP-08", "GP-10", "GP-11", "BU-01", "BU-02"}
    assert expected <= set(RULES)


def test_every_rule_has_every_required_field_in_the_file() -> None:
    raw = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    for rule in raw["rules"]:
        missing = [key for key in REQUIRED if key not in rule]
        assert not missing, (rule.get("id"), missing)
        for key in ("law", "year", "article", "quote"):
            assert rule["legal_basis"].get(key), (rule["id"], key)


@pytest.mark.parametrize("rule", CATALOG.rules, ids=lambda r: r.id)
def test_rule_is_complete(rule) -> None:
    assert re.fullmatch(r"[A-Z]{2}-\d{2}", rule.id)
    assert CJK.search(rule.title.zh)
    assert rule.title.en.isascii()
    basis = rule.legal_basis
    assert basis.law.startswith("《")
    assert basis.law.endswith("》")
    assert re.fullmatch(r"第[一二三四五六七八九十百]+条", basis.article)
    assert len(CJK.findall(basis.quote)) >= 8, "the key phrase, in Chinese"
    assert rule.deadline.kind in KINDS
    assert rule.severity in ("high", "medium", "low")
    assert isinstance(rule.needs_verification, bool)
    if rule.needs_verification:
        assert rule.note, "an unverified rule says what is unverified"


def test_ids_are_unique() -> None:
    raw = yaml.safe_load(RULES_PATH.read_text(encoding="utf-8"))
    ids = [rule["id"] for rule in raw["rules"]]
    assert len(ids) == len(set(ids))


def test_deadline_fields_are_declared_and_archive_columns_exist() -> None:
    for rule in CATALOG.rules:
        for name in rule.deadline.date_fields():
            assert name in CATALOG.fields, (rule.id, name)
    for f in CATALOG.fields.values():
        if f.source != "derived":
            table, column = f.source.split(".")
            assert column in TABLES[table][0], f.source


def test_covered_announcement_types_are_the_archives() -> None:
    used = {t for rule in CATALOG.rules for t in rule.covers.announcement_types}
    assert used
    assert used <= set(TYPES)
    assert {"intent", "tender", "correction", "award", "contract"} <= used


def test_effective_ranges_are_ordered() -> None:
    for rule in CATALOG.rules:
        start, end = rule.effective.start, rule.effective.end
        assert start is None or end is None or start <= end, rule.id
        for level, day in rule.effective.by_unit_level.items():
            assert start is None or day >= start, (rule.id, level)


def test_the_2007_and_2019_versions_do_not_overlap_and_leave_no_gap() -> None:
    old, new = RULES["HX-01"].effective, RULES["GI-01"].effective
    assert old.end is not None
    assert new.start is not None
    assert old.end < new.start
    assert old.end + timedelta(days=1) == new.start == date(2019, 5, 15)
    assert old.start == date(2008, 5, 1)
    assert old.covers(date(2019, 5, 14))
    assert not new.covers(date(2019, 5, 14))
    assert new.covers(date(2019, 5, 15))
    assert not old.covers(date(2019, 5, 15))


def test_intent_rule_starts_by_unit_level() -> None:
    effective = RULES["GP-01"].effective
    assert effective.by_unit_level["provincial"] == date(2021, 1, 1)
    assert effective.by_unit_level["below_provincial"] == date(2022, 1, 1)
    assert effective.covers(date(2021, 6, 1), "provincial")
    assert not effective.covers(date(2021, 6, 1), "below_provincial")
    assert RULES["GP-01"].legal_basis.doc_number == "财库〔2020〕10号"


class Calendar:
    """Working days = Monday to Friday (enough to test the expressions; holidays elsewhere)."""

    def add_calendar_days(self, day: date, n: int) -> date:
        return day + timedelta(days=n)

    def add_working_days(self, day: date, n: int) -> date:
        while n > 0:
            day += timedelta(days=1)
            if day.weekday() < 5:
                n -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        days = (a + timedelta(days=n) for n in range(1, (b - a).days + 1))
        return sum(1 for d in days if d.weekday() < 5)


TODAY = date(2030, 1, 1)


def test_deadline_expressions_evaluate() -> None:
    cal = Calendar()
    gi01 = RULES["GI-01"].deadline  # 2024-03-01 is a Friday: +20 working days = 2024-03-29
    assert gi01.limit({"doc_date": date(2024, 3, 1)}, cal) == date(2024, 3, 29)
    formed = {"doc_date": date(2024, 3, 1)}
    judged = gi01.judge({**formed, "publish_date": date(2024, 3, 29)}, cal, TODAY)
    assert (judged.verdict, judged.due, judged.days_late) == ("on_time", date(2024, 3, 29), None)
    judged = gi01.judge({**formed, "publish_date": date(2024, 4, 2)}, cal, TODAY)
    assert (judged.verdict, judged.days_late) == ("late", 2)  # Mon 04-01, Tue 04-02
    gi02 = RULES["GI-02"].deadline
    assert gi02.limit({"report_year": 2023}, cal) == date(2024, 1, 31)
    gp02 = RULES["GP-02"].deadline
    values = {"tender_doc_from": date(2024, 5, 1), "bid_deadline": date(2024, 5, 16)}
    judged = gp02.judge(values, cal, TODAY)
    assert (judged.verdict, judged.due, judged.days_late) == ("late", date(2024, 5, 21), 5)
    assert (
        gp02.judge({**values, "bid_deadline": date(2024, 5, 21)}, cal, TODAY).verdict == "on_time"
    )
    gp03 = RULES["GP-03"].deadline  # inclusive: Mon 05-06 to Fri 05-10 is 5 working days
    period = {"tender_doc_from": date(2024, 5, 6), "tender_doc_to": date(2024, 5, 10)}
    assert gp03.judge(period, cal, TODAY).verdict == "on_time"
    judged = gp03.judge({**period, "tender_doc_to": date(2024, 5, 9)}, cal, TODAY)
    assert (judged.verdict, judged.due, judged.days_late) == ("late", date(2024, 5, 10), 1)
    gp01 = RULES["GP-01"].deadline
    assert gp01.limit({"tender_date": date(2024, 5, 31)}, cal) == date(2024, 5, 1)
    assert gp01.judge({"tender_date": date(2024, 5, 31)}, cal, TODAY).verdict == "missing"
    late_intent = {"tender_date": date(2024, 5, 31), "intent_date": date(2024, 5, 19)}
    assert gp01.judge(late_intent, cal, TODAY).days_late == 18  # 12 days ahead, not 30
    gp11 = RULES["GP-11"].deadline  # 2024-05-02 + 30 days = Sat 06-01, + 2 working days = 06-04
    assert gp11.limit({"award_date": date(2024, 5, 2)}, cal) == date(2024, 6, 4)
    awarded = {"award_date": date(2024, 5, 2)}
    assert gp11.judge(awarded, cal, date(2024, 6, 4)).verdict == "not_yet_due"
    assert gp11.judge(awarded, cal, date(2024, 6, 5)).verdict == "missing"
    judged = RULES["GI-01"].deadline.judge({"publish_date": date(2024, 3, 1)}, cal, TODAY)
    assert (judged.verdict, judged.reason) == ("undeterminable", "doc_date unknown")
    judged = gi01.judge(formed, cal, TODAY)  # formed, never published, limit passed
    assert (judged.verdict, judged.reason) == ("undeterminable", "publish_date unknown")
    assert gi01.judge(formed, cal, date(2024, 3, 20)).verdict == "not_yet_due"
    assert RULES["HX-02"].deadline.limit({}, cal) is None


def test_award_rule_documents_its_proxy() -> None:
    (proxy,) = RULES["GP-08"].proxies
    assert proxy.for_field == "award_determined_date"
    assert proxy.use == "evaluation_date"
    assert proxy.plus_working_days == 7
    assert "落款" in proxy.why
    cal = Calendar()  # evaluated Friday 2024-03-01: determined by Tuesday 03-12, due Thursday 03-14
    values = RULES["GP-08"].resolve({"evaluation_date": date(2024, 3, 1)}, cal)
    assert values["award_determined_date"] == date(2024, 3, 12)
    assert RULES["GP-08"].deadline.limit(values, cal) == date(2024, 3, 14)
    printed = {"award_determined_date": date(2024, 3, 4), "evaluation_date": date(2024, 3, 1)}
    assert RULES["GP-08"].resolve(printed, cal)["award_determined_date"] == date(2024, 3, 4)


def test_words_for_every_kind() -> None:
    presence = Deadline(kind="presence", field="category", values=("机构职能",))
    assert presence.words().startswith("each category")
    for rule in CATALOG.rules:
        assert rule.deadline.words(), rule.id


# --- mistakes are named by rule and field -----------------------------------------------------

GOOD = RULES_PATH.read_text(encoding="utf-8")


def _broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    assert GOOD.count(old) >= 1, old
    path = tmp_path / "rules.yml"
    path.write_text(GOOD.replace(old, new, count), encoding="utf-8")
    return path


def _problems(path: Path) -> list[str]:
    with pytest.raises(CatalogError) as caught:
        load_rules(path)
    return [str(p) for p in caught.value.problems]


def test_missing_field_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, "    severity: high\n", "", 1)  # GP-02 is the first high rule
    assert _problems(path) == ["GP-02: severity: missing"]


def test_missing_quote_is_named(tmp_path: Path) -> None:
    old = "      quote: 原则上不得晚于采购活动开始前30日公开采购意向\n"
    problems = _problems(_broken(tmp_path, old, ""))
    assert problems == ["GP-01: legal_basis.quote: missing"]


def test_unknown_deadline_kind_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, "kind: calendar_days_before", "kind: days_before_ish")
    (problem,) = _problems(path)
    assert problem.startswith("GP-01: deadline.kind: unknown deadline kind 'days_before_ish'")
    assert "calendar_days_before" in problem  # the known kinds are listed


def test_unknown_date_field_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, "anchor: contract_signed_date", "anchor: signed_on")
    (problem,) = _problems(path)
    assert problem.startswith("GP-10: deadline.anchor: unknown date field 'signed_on'")


def test_bad_date_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, "from: 2008-05-01", "from: 2008-02-30")
    assert _problems(path) == ["HX-01: effective.from: not a date (YYYY-MM-DD): '2008-02-30'"]


def test_reversed_effective_range_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, "to: 2019-05-14", "to: 2007-05-14")
    (problem,) = _problems(path)
    assert problem.startswith("HX-01: effective: from 2008-05-01 is after to 2007-05-14")


@pytest.mark.parametrize(
    "wrong", ["财库[2020]10号", "财库(2020)10号", "财库（2020）10号", "财库【2020】10号"]
)
def test_doc_number_with_wrong_brackets_is_named(tmp_path: Path, wrong: str) -> None:
    (problem,) = _problems(_broken(tmp_path, "财库〔2020〕10号", wrong))
    assert problem.startswith(f"GP-01: legal_basis.doc_number: '{wrong}'")
    assert problem.endswith("财库〔2020〕10号")  # the correction is suggested


def test_law_without_book_title_marks_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, "law: 《中华人民共和国预算法》", "law: 中华人民共和国预算法")
    assert _problems(path)[0].startswith("BU-01: legal_basis.law:")


def test_article_not_in_the_form_di_n_tiao_is_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, "article: 第五十条", "article: Art. 50")
    assert _problems(path)[0].startswith("GP-10: legal_basis.article:")


def test_bad_id_and_duplicate_id_are_named(tmp_path: Path) -> None:
    assert _problems(_broken(tmp_path, "id: GP-03", "id: GP-3"))[0].startswith("GP-3: id:")
    assert _problems(_broken(tmp_path, "id: GP-03", "id: GP-02")) == ["GP-02: id: duplicate id"]


def test_unknown_announcement_type_and_unknown_key_are_named(tmp_path: Path) -> None:
    path = _broken(tmp_path, "announcement_types: [contract]", "announcement_types: [contracts]")
    assert _problems(path)[0].startswith("GP-10: covers.announcement_types: unknown value")
    path = _broken(tmp_path, "    severity: high\n", "    severity: high\n    severty: low\n")
    assert _problems(path) == ["GP-02: severty: unknown field"]


def test_every_mistake_is_reported_at_once(tmp_path: Path) -> None:
    path = tmp_path / "rules.yml"
    text = GOOD.replace("财库〔2020〕10号", "财库[2020]10号").replace(
        "from: 2008-05-01", "from: 2008-13-01"
    )
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_rules(path)
    assert {(p.rule, p.field) for p in caught.value.problems} == {
        ("GP-01", "legal_basis.doc_number"),
        ("HX-01", "effective.from"),
    }
    assert "GP-01: legal_basis.doc_number" in str(caught.value)


# --- docs/rules.md ------------------------------------------------------------------------------


def test_docs_are_up_to_date() -> None:
    assert main(["--docs", str(DOCS_PATH), "--check"]) == 0, (
        "docs/rules.md is stale: python -m pipeline.compliance.rules_page --docs docs/rules.md"
    )
    assert DOCS_PATH.read_text(encoding="utf-8") == render_docs(CATALOG)


def test_check_fails_on_a_stale_page(tmp_path: Path) -> None:
    page = tmp_path / "rules.md"
    assert main(["--docs", str(page), "--check"]) == 1  # absent
    assert main(["--docs", str(page)]) == 0
    assert main(["--docs", str(page), "--check"]) == 0
    page.write_text(page.read_text(encoding="utf-8").replace("GP-11", "GP-12"), encoding="utf-8")
    assert main(["--docs", str(page), "--check"]) == 1


def test_a_broken_catalog_fails_the_command(tmp_path: Path, capsys) -> None:
    path = _broken(tmp_path, "财库〔2020〕10号", "财库[2020]10号")
    assert main(["--rules", str(path)]) == 2
    assert "GP-01: legal_basis.doc_number" in capsys.readouterr().err


def test_docs_show_every_rule_and_the_language() -> None:
    page = render_docs(CATALOG)
    assert "python -m pipeline.compliance.rules_page --docs docs/rules.md" in page.split("\n## ")[0]
    for rule in CATALOG.rules:
        assert f"| [{rule.id}](#{rule.id.lower()}) |" in page
        assert f"### {rule.id}" in page
        assert rule.legal_basis.quote in page
    for kind in KINDS:
        assert f"`{kind}`" in page
    assert page.count("| unverified |") == sum(r.needs_verification for r in CATALOG.rules)
