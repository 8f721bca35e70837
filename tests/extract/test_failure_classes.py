"""One test per failure class seen on real pages, each on a page of ours (tests/files) built from
the real markup of ../shared/realpages with our own text (each file says which page it follows).

Every test here failed on the extractor before the rule it checks was added.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from pipeline.extract import extract_page
from tests.conftest import FILES

ZHANJIANG = "https://www.zhanjiang.gov.cn/zdlyxxgk/czyjshsg/czyjs/czys/content/post_{}.html"
CCGP = "http://www.ccgp.gov.cn/cggg/dfgg/zbgg/202509/t20250912_{}.htm"


@cache
def extracted(name: str, url: str) -> Any:
    return extract_page((FILES / f"{name}.html").read_bytes(), url)


def record(name: str, url: str) -> dict[str, Any]:
    return extracted(name, url).to_dict()


# -- body ---------------------------------------------------------------------------------------
def test_trailing_page_chrome_inside_the_article_is_not_body_text() -> None:
    result = record("nfcms_chrome_in_article", ZHANJIANG.format(2170001))
    assert result["body_text"] == (
        "一季度，全市一般公共预算收入完成进度与上年同期基本持平。\n"
        "下一步，市财政局将继续加强收入征管，保障重点支出。"
    )
    for chrome in ("扫一扫在手机打开当前页", "责任编辑", "打印本页", "关闭窗口"):
        assert chrome not in result["body_html"]


def test_no_article_container_gives_no_body() -> None:
    """Footer, breadcrumb and 主办/承办 lines are never the body; the null shows in field_nulls."""
    result = record("no_article_container", "http://www.zjczj.gov.cn/xxgk/tzgg/t20260105_2.shtml")
    assert result["body_text"] is None
    assert result["body_html"] is None
    assert result["title"] == "湛江市财政局关于2026年政府采购意向公开的说明"  # the rest still read


# -- attachments --------------------------------------------------------------------------------
def test_attachment_with_empty_link_text_is_named_by_alt_then_title_then_file_name() -> None:
    result = record("nfcms_attachment_names", ZHANJIANG.format(2160002))
    base = "https://www.zhanjiang.gov.cn/attachment/0/276"
    assert result["attachments"] == [
        {"name": "2026年市本级部门预算总表.pdf", "url": f"{base}/276001/2160002.pdf"},  # alt
        {"name": "2026年市本级部门预算明细表.xlsx", "url": f"{base}/276002/2160002.xlsx"},  # title
        {"name": "2160002.docx", "url": f"{base}/276003/2160002.docx"},  # neither: file name
    ]


def test_object_storage_links_after_the_article_are_attachments() -> None:
    result = record("attachments_object_storage", CCGP.format(3))
    bucket = "https://gpx-bid-files.oss-cn-guangzhou.aliyuncs.com/notice/2025/11/20"
    assert result["attachments"] == [
        {
            "name": "采购文件",
            "url": f"{bucket}/5b2e91c4d7a3.pdf?Expires=1795000000&OSSAccessKeyId=LTAI0000"
            "&Signature=abc%3D",
        },
        {"name": "开标一览表", "url": f"{bucket}/9c07f3e18b44"},  # a key without an extension
    ]


# -- procurement --------------------------------------------------------------------------------
def test_purchaser_and_agency_repeated_per_lot_give_one_value() -> None:
    procurement = record("procurement_lot_parties", CCGP.format(1))["procurement"]
    assert procurement["purchaser"] == "湛江市第二中学"
    assert procurement["agency"] == "广东粤西招标代理有限公司"
    assert procurement["conflicts"] == []  # the summary's and the body's lists agree


def test_one_award_table_per_lot_gives_one_row_per_lot() -> None:
    procurement = record("procurement_award_lot_tables", CCGP.format(2))["procurement"]
    supplier = "湛江市鲜丰农产品配送有限公司"
    assert procurement["awards"] == [
        {"lot": "1", "supplier": supplier, "amount": 318000.0, "rate": None},
        {"lot": "2", "supplier": supplier, "amount": 254000.0, "rate": None},
    ]
    assert procurement["award_amount"] == 572000.0


# -- labels ---------------------------------------------------------------------------------------
def test_label_and_value_sharing_a_text_node_with_the_next_label_are_split() -> None:
    found = extracted("labels_glued", "http://czj.zs.gov.cn/tzgg/content/post_2600101.html")
    assert found.publisher == "中山市财政局"  # 信息来源：中山市财政局发布日期：2026-03-02
    assert found.publish_date == "2026-03-02"
    assert found.sources["publish_date"] == "label 发布日期"
    assert found.doc_number == "中财资〔2026〕4号"  # 文号：中财资〔2026〕4号 信息类别：财政资产


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("index_number_variants", ("11440800007049868E/2026-00021", "label 信息索引")),
        ("index_number_theme_table", ("11440800007049868E/2026-00035", "label 索引号")),
    ],
)
def test_index_number_under_its_variant_labels(name: str, expected: tuple[str, str]) -> None:
    found = extracted(name, "http://www.zjczj.gov.cn/xxgk/t20260301_1.shtml")
    assert (found.index_number, found.sources["index_number"]) == expected


# -- title ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("title_site_name", "http://czj.zs.gov.cn/sy/gzdt/zwdt/content/post_2600201.html"),
        ("title_site_name_only", "https://www.zhanjiang.gov.cn/zwgk/content/post_2180001.html"),
    ],
)
def test_title_holding_only_the_site_name_is_no_title(name: str, url: str) -> None:
    assert record(name, url)["title"] is None
