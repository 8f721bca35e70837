"""Provenance: each extracted value says where it came from (``zwgk extract --explain``).

Expected sources were read off the pages: the 公开目录 table's labels on the Hanweb and Shanghai
pages, the bare date on the ccgp 来源 line, and for the ccgp award the summary table (公告概要)
for the fields it gives, the body for 项目编号 and the expert panel.
"""

from __future__ import annotations

import subprocess
import sys
from functools import cache

import pytest

from pipeline.extract import extract_page
from pipeline.record import Record
from tests.conftest import REPO, realpage
from tests.extract.test_realpages import page_url


@cache
def extracted(name: str) -> Record:
    return extract_page(realpage(name), page_url(name))


CASES = [
    ("jyt_zj_gov__notice__1.html", "title", "meta ArticleTitle"),
    ("jyt_zj_gov__notice__1.html", "index_number", "label 索引号"),
    ("jyt_zj_gov__notice__1.html", "doc_date", "label 生成日期"),
    ("jyt_zj_gov__notice__1.html", "publisher", "label 发布机构"),
    ("wsjkw_sh_gov__notice__1.html", "index_number", "label 索取号"),
    ("wsjkw_sh_gov__notice__1.html", "publish_date", "meta PubDate"),
    ("wsjkw_sh_gov__notice__1.html", "category", "breadcrumb"),
    ("ccgp_gov__procurement_award__2.html", "publish_date", "label 来源 line (unlabelled date)"),
    ("ccgp_gov__procurement_award__2.html", "kind", "ccgp family"),
]
PROCUREMENT_CASES = [
    ("project_name", "summary 采购项目名称"),
    ("award_amount", "summary 总中标金额"),
    ("project_number", "body 项目编号"),
    ("experts", "body 评审委员会成员名单"),
    ("awards", "award lines of the body (供应商名称 …)"),
]


@pytest.mark.parametrize(("name", "field", "source"), CASES)
def test_record_field_source(name, field, source):
    assert extracted(name).sources[field] == source


@pytest.mark.parametrize(("field", "source"), PROCUREMENT_CASES)
def test_procurement_field_source(field, source):
    assert extracted("ccgp_gov__procurement_award__2.html").procurement.sources[field] == source


def test_a_field_the_page_does_not_give_has_no_source():
    record = extracted("jyt_zj_gov__notice__1.html")
    assert record.doc_number is None
    assert "doc_number" not in record.sources


def test_sources_are_not_part_of_the_record_json():
    assert "sources" not in extracted("jyt_zj_gov__notice__1.html").to_dict()


def test_zwgk_extract_explain_prints_each_field_with_its_source():
    page = REPO / "tests" / "files" / "trs_replica.html"
    result = subprocess.run(
        [sys.executable, "-m", "zwgk", "extract", str(page), "--explain",
         "--url", "http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_1.shtml"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines()}
    assert set(Record.JSON) - {"body_html"} <= set(lines)
    assert lines["doc_number"].endswith("label 文号")
    assert "湛财预〔2006〕7号" in lines["doc_number"]
    assert lines["author"].endswith("-")  # not on the page
