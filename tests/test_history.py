"""What changed between two versions of a record, and how (pipeline/history.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.history import (
    DELETE,
    EQUAL,
    INSERT,
    SKIP,
    FieldChange,
    as_text,
    compared_fields,
    diff_html,
    diff_records,
    folded,
    has_changes,
    inline_diff,
    label,
)

OLD = {
    "url": "http://www.zjczj.gov.cn/a/t1.shtml",
    "site": "zjczj",
    "kind": "notice",
    "title": "关于报送2026年部门预算编制情况的通知",
    "doc_number": "湛财库〔2026〕11号",
    "publish_date": "2026-05-22",
    "body_text": "各预算单位：\n请于5月30日前报送。\n湛江市财政局",
    "attachments": [{"name": "方案.pdf", "url": "http://www.zjczj.gov.cn/a/P1.pdf"}],
    "procurement": None,
    "charset": "utf-8",
}


def old_and(**changes):
    return {**OLD, **changes}


def sides(ops):
    """The two texts a diff joins: what was (equal + delete) and what is (equal + insert)."""
    before = "".join(text for op, text in ops if op in (EQUAL, DELETE, SKIP))
    after = "".join(text for op, text in ops if op in (EQUAL, INSERT, SKIP))
    return before, after


# -- diff_records ---------------------------------------------------------------------------


def test_identical_records_have_no_changes():
    assert diff_records(OLD, dict(OLD)) == []


def test_changed_fields_in_record_order():
    new = old_and(title="关于报送2026年部门决算编制情况的通知", doc_number="湛财库〔2026〕12号")
    changes = diff_records(OLD, new)
    assert [c.field for c in changes] == ["title", "doc_number"]
    assert changes[1] == FieldChange("doc_number", "湛财库〔2026〕11号", "湛财库〔2026〕12号")
    assert changes[1].kind == "changed"
    assert changes[1].label == "文号 · Doc. number"


def test_fields_outside_the_content_hash_are_not_changes():
    new = old_and(charset="gb18030", url="http://www.zjczj.gov.cn/a/t1.html", site="other")
    assert diff_records(OLD, new) == []


def test_added_and_removed_fields():
    changes = {c.field: c for c in diff_records(OLD, old_and(author="办公室", doc_number=None))}
    assert changes["author"].kind == "added"
    assert changes["doc_number"].kind == "removed"
    assert changes["doc_number"].new is None


def test_absent_and_empty_values_are_the_same():
    older = {k: v for k, v in OLD.items() if k != "attachments"}
    assert diff_records(older, old_and(attachments=[])) == []
    assert diff_records(old_and(author=""), old_and(author=None)) == []


def test_attachments_one_per_line():
    new = old_and(attachments=[*OLD["attachments"], {"name": "表.xls", "url": "http://x/P2.xls"}])
    (change,) = diff_records(OLD, new)
    assert change.field == "attachments"
    assert change.new.splitlines() == [
        "方案.pdf · http://www.zjczj.gov.cn/a/P1.pdf",
        "表.xls · http://x/P2.xls",
    ]


def test_procurement_fields_are_flattened():
    old = old_and(procurement={"budget_amount": 3486500.0, "award_suppliers": ["甲公司"]})
    new = old_and(procurement={"budget_amount": 3500000.0, "award_suppliers": ["甲公司", "乙公司"]})
    changes = diff_records(old, new)
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("procurement.budget_amount", "3486500", "3500000"),
        ("procurement.award_suppliers", "甲公司", "甲公司\n乙公司"),
    ]
    assert label("procurement.budget_amount") == "预算金额 · Budget (yuan)"


def test_a_first_version_compares_against_nothing():
    changes = diff_records(None, OLD)
    assert {c.kind for c in changes} == {"added"}
    assert {"title", "body_text", "attachments"} <= {c.field for c in changes}


def test_every_compared_field_has_a_bilingual_label():
    for field in compared_fields():
        assert " · " in label(field), field


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, None), ("", None), ([], None), (3.0, "3"), (2.5, "2.5"), (True, "true"), (7, "7")],
)
def test_as_text(value, text):
    assert as_text(value) == text


# -- inline_diff ----------------------------------------------------------------------------


def test_characters_of_chinese_and_words_of_digits():
    ops = inline_diff("关于报送2026年部门预算的通知", "关于报送2027年部门决算的通知")
    assert ops == [
        (EQUAL, "关于报送"),
        (DELETE, "2026"),
        (INSERT, "2027"),
        (EQUAL, "年部门"),
        (DELETE, "预"),
        (INSERT, "决"),
        (EQUAL, "算的通知"),
    ]


def test_paragraphs_are_matched_first():
    ops = inline_diff("第一段\n第二段原文\n第三段", "第一段\n第二段改文\n新增一段\n第三段")
    assert ops == [
        (EQUAL, "第一段\n第二段"),
        (DELETE, "原"),
        (INSERT, "改"),
        (EQUAL, "文"),
        (INSERT, "\n新增一段"),
        (EQUAL, "\n第三段"),
    ]


def test_a_lone_unchanged_character_joins_the_changes_around_it():
    ops = inline_diff("预算编制", "决算编报")
    assert ops == [(DELETE, "预"), (INSERT, "决"), (EQUAL, "算编"), (DELETE, "制"), (INSERT, "报")]
    assert inline_diff("甲乙丙", "丁乙戊") == [(DELETE, "甲乙丙"), (INSERT, "丁乙戊")]


def test_none_and_empty():
    assert inline_diff(None, "新") == [(INSERT, "新")]
    assert inline_diff("旧", None) == [(DELETE, "旧")]
    assert inline_diff(None, None) == []
    assert not has_changes(inline_diff("同", "同"))


def test_a_small_edit_in_a_huge_paragraph_stays_small():
    text = "甲" * 30000 + "乙" + "丙" * 30000
    ops = inline_diff(text, text.replace("乙", "丁"), max_tokens=100)
    assert [(op, len(t)) for op, t in ops] == [
        (EQUAL, 30000),
        (DELETE, 1),
        (INSERT, 1),
        (EQUAL, 30000),
    ]


def test_a_block_over_the_token_bound_is_replaced_whole():
    ops = inline_diff("甲乙丙丁戊", "子丑寅卯辰", max_tokens=4)
    assert ops == [(DELETE, "甲乙丙丁戊"), (INSERT, "子丑寅卯辰")]


texts = st.text(alphabet=st.sampled_from("预算决编制年月日 \n2026abcAB，。"), max_size=80)


@given(texts, texts)
def test_a_diff_joins_exactly_its_two_texts(a, b):
    ops = inline_diff(a, b)
    assert sides(ops) == (a, b)
    assert all(text for _, text in ops)
    assert has_changes(ops) == (a != b)


@given(texts, texts, st.integers(min_value=0, max_value=10))
def test_folding_keeps_every_character(a, b, context):
    ops = folded(inline_diff(a, b), context)
    assert sides(ops) == (a, b)


# -- folded and diff_html -------------------------------------------------------------------


def test_long_unchanged_stretches_fold_around_a_change():
    before = "前" * 500 + "旧" + "后" * 500
    ops = folded(inline_diff(before, before.replace("旧", "新")), context=10)
    assert ops == [
        (SKIP, "前" * 490),
        (EQUAL, "前" * 10),
        (DELETE, "旧"),
        (INSERT, "新"),
        (EQUAL, "后" * 10),
        (SKIP, "后" * 490),
    ]


def test_short_stretches_are_not_folded():
    ops = inline_diff("前" * 20 + "旧", "前" * 20 + "新")
    assert folded(ops, context=10) == ops


def test_diff_html_marks_changes_and_escapes_everything():
    ops = inline_diff('<b>旧</b> & "x"', '<b>新</b> & "x"')
    markup = diff_html(ops)
    assert markup == "&lt;b&gt;<del>旧</del><ins>新</ins>&lt;/b&gt; &amp; &quot;x&quot;"


def test_diff_html_of_a_script_is_text():
    markup = diff_html(inline_diff("", "<script>alert(1)</script>"))
    assert markup == "<ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins>"


def test_diff_html_says_how_much_is_skipped():
    markup = diff_html([(SKIP, "字" * 1234), (DELETE, "旧")])
    assert "1,234 字" in markup
    assert "1,234 characters unchanged" in markup
    assert "字字" not in markup
