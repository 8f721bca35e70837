"""normalize_text: the record contract's text rule, case by case and as properties."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract.text import line_text
from pipeline.normalize.text import fold_width, normalize_text

PROPERTY = settings(database=None, max_examples=300)
TRICKY = st.text(alphabet="ＡａＺ０９＃％～．／－　\xa0\t\n\r\u200b\u200d\ufeff，。（）［］ a1")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        # Empty input and input with nothing left.
        (None, None),
        ("", None),
        ("   ", None),
        ("\u3000\u3000", None),
        ("\u200b\ufeff", None),
        ("\xa0\t\n", None),
        # Full-width digits, Latin letters and the listed symbols become ASCII.
        ("２００６年９月７日", "2006年9月7日"),
        ("ＡＢＣａｂｃ", "ABCabc"),
        ("ＰＤＦ文件", "PDF文件"),
        ("＃＄％＆＊＋－．／", "#$%&*+-./"),
        ("＜＝＞＠＼＾＿｜～", "<=>@\\^_|~"),
        ("下浮率：５％", "下浮率：5%"),
        ("第１０／２０页", "第10/20页"),
        # CJK punctuation and the kept full-width punctuation stay as they are.
        (
            "关于印发《办法》的通知（湛财预〔2006〕7号）",
            "关于印发《办法》的通知（湛财预〔2006〕7号）",
        ),
        ("一、总体情况；二、主动公开！", "一、总体情况；二、主动公开！"),
        ("“规章”‘文件’…—·【附件】", "“规章”‘文件’…—·【附件】"),
        ("！，：；？（）［］｛｝＂＇｀", "！，：；？（）［］｛｝＂＇｀"),
        ("￥120万元", "￥120万元"),
        # Spaces: U+3000, NBSP, tabs and newlines become one space; runs collapse; trimmed.
        ("\u3000\u3000为进一步加强", "为进一步加强"),
        ("发布时间:\xa02006-09-07\xa0\xa011:00", "发布时间: 2006-09-07 11:00"),
        ("第一段\n第二段", "第一段 第二段"),
        ("a\t\tb\r\nc", "a b c"),
        ("来源：  本网   ", "来源： 本网"),
        ("首页 \u3000>\xa0 通知公告", "首页 > 通知公告"),
        # Zero-width characters disappear, also between spaces.
        ("湛江\u200b市\u200c财政\u200d局\ufeff", "湛江市财政局"),
        ("a \u200b b", "a b"),
        ("\ufeff标题", "标题"),
        # Other characters are untouched.
        ("Hello, World.", "Hello, World."),
        ("ｶﾀｶﾅ", "ｶﾀｶﾅ"),
    ],
)
def test_normalize_text(raw: str | None, expected: str | None) -> None:
    assert normalize_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１２：３０", "12：30"),
        ("\u3000ＡＢ\u200b", "\u3000AB"),
        ("no change", "no change"),
    ],
)
def test_fold_width_leaves_spaces_and_punctuation(raw: str, expected: str) -> None:
    assert fold_width(raw) == expected


@PROPERTY
@given(st.one_of(st.text(), TRICKY))
def test_normalize_text_is_idempotent(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once


@PROPERTY
@given(st.one_of(st.text(), TRICKY))
def test_normalize_text_output_shape(raw: str) -> None:
    result = normalize_text(raw)
    if result is not None:
        assert result == result.strip(" ")
        assert "  " not in result
        assert not any(c in result for c in "\t\n\r\u3000\xa0\u200b\ufeffＡ０＃")


SPACED = st.text(
    alphabet="ＡａＺ０９＃．　\xa0\t\n\u200b\ufeff\u2002\u2003\u200a\u202f\u205f，（ a1"
)


@PROPERTY
@given(st.one_of(st.text(), TRICKY, SPACED))
def test_normalize_text_is_fold_collapse_trim(raw: str) -> None:
    """The quick path (nothing to change) agrees with the rule written out: fold, collapse
    every run of spaces into one, trim."""
    spaces = re.compile(r"[ \t\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u3000\xa0]+")
    assert normalize_text(raw) == (spaces.sub(" ", fold_width(raw)).strip(" ") or None)


@PROPERTY
@given(st.one_of(st.text(), TRICKY, SPACED))
def test_line_text_maps_other_spaces_first(raw: str) -> None:
    assert line_text(raw) == normalize_text(re.sub("[\u2000-\u200a\u202f\u205f]", " ", raw))
