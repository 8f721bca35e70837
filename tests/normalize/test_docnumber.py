"""文号: canonical brackets, cleaning, and finding one in running text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize.docnumber import find_doc_number, normalize_doc_number

PROPERTY = settings(database=None, max_examples=300)
DOC_ALPHABET = "湛财预府办函发号第〔〕[]［］（）()【】 　0123456789０１２-/无"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("湛财预[2006]7号", "湛财预〔2006〕7号"),
        ("湛府办函［2006］43号", "湛府办函〔2006〕43号"),
        ("财预（2006）７号", "财预〔2006〕7号"),
        ("财预(2006)7号", "财预〔2006〕7号"),
        ("财预【2006】7号", "财预〔2006〕7号"),
        ("财预｛2006｝7号", "财预〔2006〕7号"),
        ("财预﹝2006﹞7号", "财预〔2006〕7号"),
        ("财预〖2006〗7号", "财预〔2006〕7号"),
        ("财预[2006〕7号", "财预〔2006〕7号"),
        ("国办公开办函〔2021〕30号", "国办公开办函〔2021〕30号"),
        ("财办库〔2020〕50号", "财办库〔2020〕50号"),
        ("粤财法〔2019〕 12号", "粤财法〔2019〕12号"),
        ("粤财法 〔 2019 〕 12 号", "粤财法〔2019〕12号"),
        ("\u3000湛财预［２００６］７号\xa0", "湛财预〔2006〕7号"),
        ("湛财\u200b预[2006]7号", "湛财预〔2006〕7号"),
        ("国发〔2006〕第7号", "国发〔2006〕第7号"),
        ("沪卫基层〔2024〕5号", "沪卫基层〔2024〕5号"),
        ("浙金罚决字〔2024〕52号", "浙金罚决字〔2024〕52号"),
        ("国务院令第711号", "国务院令第711号"),
        ("财预2006-7", "财预2006-7"),
        ("ＸＸ财[2006]1号", "XX财〔2006〕1号"),
        ("计价格[2002]1980号", "计价格〔2002〕1980号"),
        # Placeholders and empty values.
        (None, None),
        ("", None),
        ("   ", None),
        ("无", None),
        ("暂无", None),
        ("-", None),
        ("－", None),
        ("--", None),
        ("/", None),
        ("—", None),
    ],
)
def test_normalize_doc_number(raw: str | None, expected: str | None) -> None:
    assert normalize_doc_number(raw) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("关于印发《办法》的通知（湛财预[2006]7号）", "湛财预〔2006〕7号"),
        ("文号：湛府办函［2006］43号 发布机构：湛江市人民政府办公室", "湛府办函〔2006〕43号"),
        ("根据湛财预〔2006〕7号文件精神", "湛财预〔2006〕7号"),
        ("按照国办公开办函（2021）30号要求", "国办公开办函〔2021〕30号"),
        ("依据 粤财法〔2019〕 12号", "粤财法〔2019〕12号"),
        ("格式：国办公开办函〔2021〕30号。", "国办公开办函〔2021〕30号"),
        ("沪卫基层〔2024〕5号", "沪卫基层〔2024〕5号"),
        ("行政处罚决定书文号金罚决字〔2024〕36号被处罚当事人", "金罚决字〔2024〕36号"),
        ("经研究并根据湛财预[2006]7号", "湛财预〔2006〕7号"),
        ("财预（２００６）第７号的附件", "财预〔2006〕第7号"),
        ("先是湛财预[2006]7号，后是湛财预[2006]8号", "先是湛财预〔2006〕7号"),
        (None, None),
        ("", None),
        ("本通知自发布之日起施行", None),
        ("2006年9月7日", None),
        ("〔2006〕7号", None),
        ("根据〔2006〕7号", None),
        ("湛财预[06]7号", None),
        ("湛财预[2006]7", None),
    ],
)
def test_find_doc_number(text: str | None, expected: str | None) -> None:
    assert find_doc_number(text) == expected


def test_find_keeps_the_last_twelve_characters_of_a_long_prefix() -> None:
    found = find_doc_number("中国银保监会浙江监管局行政监管措施决定书〔2021〕2号")
    assert found == "监管局行政监管措施决定书〔2021〕2号"


@PROPERTY
@given(st.one_of(st.text(), st.text(alphabet=DOC_ALPHABET)))
def test_normalize_doc_number_is_stable(text: str) -> None:
    once = normalize_doc_number(text)
    assert once is None or (once and not any(c.isspace() for c in once))
    assert once is None or normalize_doc_number(once) == once


@PROPERTY
@given(st.one_of(st.text(), st.text(alphabet=DOC_ALPHABET)))
def test_find_doc_number_is_canonical(text: str) -> None:
    found = find_doc_number(text)
    assert found is None or ("〔" in found and found.endswith("号"))
