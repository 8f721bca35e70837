"""The procurement platform's JSON: notice types, titles, API fields against the content."""

from __future__ import annotations

import json

import pytest

from pipeline.sources import gdgpo

URL = "https://gdgpo.czt.gd.gov.cn/gpcms/rest/web/v2/info/getInfoById?id=0f1e"


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("59", "intent"), ("5901", "intent"), ("00101", "tender"), ("001011", "tender"),
        ("001051", "tender"), ("001052", "tender"), ("001053", "tender"), ("00102", "award"),
        ("001021", "award"), ("00103", "correction"), ("00105B", "correction"),
        ("001004", "termination"), ("001006", "termination"), ("001054", "contract"),
        ("001009", "other"), ("00105A", "other"), ("001101", "other"), ("001059", "other"),
        ("", "other"), (None, "other"), ("77", "other"),
    ],
)  # fmt: skip
def test_every_notice_type_maps_to_an_announcement_type(code, kind):
    assert gdgpo.announcement_type(code) == kind


def test_the_longest_prefix_decides():
    """001051 (单一来源公示) begins like 00105B/00105A would not, and like 0010 would."""
    assert gdgpo.announcement_type("0010541") == "contract"
    assert gdgpo.announcement_type("001051") == "tender"


def test_titles_lose_their_highlighting():
    title = '湛江市第一中学<font color="red">空调</font>采购项目中标结果公告'
    assert gdgpo.plain_title(title) == "湛江市第一中学空调采购项目中标结果公告"


CONTENT = (
    "<p>项目编号：ZJCG2025-0123</p><p>项目名称：空调采购项目</p>"
    "<p>采购人：湛江市第一中学</p><p>采购代理机构：湛江诚信招标代理有限公司</p>"
    "<p>预算金额：324万元</p><p>一、采购需求</p><p>空调若干台。</p>"
    '<p><a href="/gpx-bid-file/x.pdf">招标文件</a></p>'
)


def answer(**fields) -> bytes:
    data = {
        "title": '空调采购项目<font color="red">公开招标</font>公告',
        "noticeTime": "2025-03-01 09:30:00",
        "noticeType": "001011",
        "noticeTypeName": "采购公告",
        "openTenderCode": "ZJCG2025-0123",
        "purchaser": "湛江市第一中学",
        "agency": "湛江诚信招标代理有限公司",
        "budget": "3240000.0000",
        "content": CONTENT,
        "attchList": [{"fileName": "招标文件.pdf", "fileUrl": "/gpx-bid-file/x.pdf"}],
        **fields,
    }
    return json.dumps({"code": "200", "data": data}, ensure_ascii=False).encode()


def test_an_announcement_from_its_json():
    record = gdgpo.read(answer(), URL, "gdgpo")
    assert (record.kind, record.title, record.publish_date, record.publish_time) == (
        "procurement", "空调采购项目公开招标公告", "2025-03-01", "09:30",
    )  # fmt: skip
    assert record.category == "采购公告"
    proc = record.procurement
    assert (proc.announcement_type, proc.project_number, proc.budget_amount) == (
        "tender", "ZJCG2025-0123", 3240000.0,
    )  # fmt: skip
    assert proc.conflicts == ()
    assert [(a.name, a.url) for a in record.attachments] == [
        ("招标文件.pdf", "https://gdgpo.czt.gd.gov.cn/gpx-bid-file/x.pdf")
    ]
    assert proc.sources["budget_amount"] == "gdgpo api budget"


def test_the_api_wins_and_a_disagreement_is_kept():
    record = gdgpo.read(answer(budget="324.0000", purchaser="湛江市教育局"), URL)
    proc = record.procurement
    assert (proc.budget_amount, proc.purchaser) == (324.0, "湛江市教育局")
    assert [(c.field, c.summary, c.body) for c in proc.conflicts] == [
        ("purchaser", "湛江市教育局", "湛江市第一中学"),
        ("budget_amount", 324.0, 3240000.0),
    ]


def test_an_empty_api_budget_leaves_the_contents():
    assert gdgpo.read(answer(budget=""), URL).procurement.budget_amount == 3240000.0


@pytest.mark.parametrize(
    "raw", [b"<html>403</html>", b'{"code": "404", "data": null}', b'{"code": "200"}']
)
def test_an_answer_without_an_announcement_is_an_error(raw):
    with pytest.raises(gdgpo.NotAnAnnouncement):
        gdgpo.read(raw, URL)
