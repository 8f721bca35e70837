"""The notice page: metadata, safe body, attachments, procurement, versions with diffs, raw captures.

A notice is stored by the archive's own writer, changed (title, body, 文号 edited), then marked
gone by a 404, as a crawl would; pages come from Datasette configured as `zwgk serve` runs it.
"""

from __future__ import annotations

import os

import lxml.html
import pytest

from pipeline.record import Record
from pipeline.store import Archive, Capture, notice_id
from publish.config import make_datasette

URL = "http://www.zjczj.gov.cn/xxgk/tzgg/202605/t20260522_48921.shtml"
PROC_URL = "http://www.zjczj.gov.cn/zfcg/202606/t20260617_1.shtml"
NID = notice_id(URL)
PROC_NID = notice_id(PROC_URL)
FILLER = "为落实上级关于部门预算编制的工作部署，现就有关事项通知如下。" * 10
BODY_V1 = f"各县（市、区）财政局：\n{FILLER}\n请于5月30日前报送预算编制情况。\n湛江市财政局"
BODY_V2 = f"各县（市、区）财政局：\n{FILLER}\n请于6月15日前报送决算编制情况。\n湛江市财政局"
HOSTILE_HTML = (
    "<p>各县（市、区）财政局：</p>"
    '<p onclick="alert(1)" id="notice-versions" style="color:red">请按时报送。</p>'
    "<script>alert('body')</script>"
    '<p><a href="javascript:alert(2)">点我</a> <a href="java\tscript:alert(3)">再点</a>'
    ' <a href="/archive/notices">站内</a>'
    ' <a href="http://www.zjczj.gov.cn/a/P1.pdf">方案</a></p>'
    '<img src="x" onerror="alert(4)"><iframe src="http://evil.example/"></iframe>'
    '<form action="http://evil.example/"><input name="q"></form>'
)
RAW_V1 = "<html><head><meta charset=utf-8></head><body>预算 v1</body></html>".encode()
RAW_V2 = "<html><body>决算 v2 页面</body></html>".encode("gb18030")
TWO_MIB = 2 << 20


def notice(**fields) -> Record:
    base = {
        "url": URL,
        "site": "zjczj",
        "kind": "notice",
        "category": "通知公告",
        "title": "关于报送2026年部门预算编制情况的通知",
        "publish_date": "2026-05-22",
        "publish_time": "12:05",
        "publisher": "湛江市财政局",
        "doc_number": "湛财库〔2026〕11号",
        "index_number": "11440800MB2C86912P/2026-00030",
        "doc_date": "2026-05-20",
        "body_text": BODY_V1,
        "body_html": HOSTILE_HTML,
        "attachments": [
            {"name": "2026年部门预算编制工作方案.pdf", "url": "http://www.zjczj.gov.cn/a/P1.pdf"},
            {"name": "统计表", "url": "http://www.zjczj.gov.cn/a/P2.XLS?x=1"},
            {"name": "恶意附件", "url": "javascript:alert(5)"},
        ],
        "charset": "utf-8",
    }
    return Record.from_dict({**base, **fields})


def procurement_notice() -> Record:
    return Record.from_dict(
        {
            "url": PROC_URL,
            "site": "zjczj",
            "kind": "procurement",
            "title": "物业管理服务采购项目中标结果公告",
            "publish_date": "2026-06-17",
            "body_text": "一、项目编号：ZJDL2026-0019",
            "body_html": None,
            "procurement": {
                "announcement_type": "award",
                "procurement_method": "公开招标",
                "project_number": "ZJDL2026-0019",
                "project_name": "2026年湛江市教育局物业管理服务采购项目",
                "purchaser": "湛江市教育局",
                "agency": "广东华伦招标有限公司",
                "budget_amount": 3486500.0,
                "award_amount": 3388878.5,
                "award_suppliers": ["湛江华信物业服务有限公司", "乙公司"],
                "awards": [
                    {"lot": "1", "supplier": "湛江华信物业服务有限公司", "amount": 3388878.5},
                    {"lot": "2", "supplier": "乙公司", "rate": 12.5},
                ],
                "experts": ["谢军", "王强"],
            },
        }
    )


@pytest.fixture(scope="module")
def db_path(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("notice") / "archive.db"
    archive = Archive(str(path))
    archive.register_site("zjczj", title="湛江市财政局")
    run = archive.start_run("zjczj", "zjczj")
    v1 = Capture(RAW_V1, content_type="text/html; charset=utf-8", fetched_at="2026-05-22T04:10:00Z")
    assert archive.store(notice(), v1, run) == "new"
    archive.store(procurement_notice(), Capture(b'{"id": 1}', content_type="application/json"), run)
    archive.flush()  # as between two crawls
    edited = notice(
        title="关于报送2026年部门决算编制情况的通知",
        doc_number="湛财库〔2026〕12号",
        body_text=BODY_V2,
        charset="gb18030",
    )
    v2 = Capture(RAW_V2, content_type="text/html", fetched_at="2026-06-01T04:10:00Z")
    assert archive.store(edited, v2, run) == "changed"
    archive.flush()
    archive.fail(run, URL, "HTTP 404", status=404)
    archive.finish_run(run, "finished")
    archive.close()
    return str(path)


@pytest.fixture
def ds(db_path):
    return make_datasette(db_path)


async def page(ds, path: str) -> lxml.html.HtmlElement:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text
    return lxml.html.fromstring(response.text)


def field(doc, section: str, name: str) -> str:
    (dd,) = doc.xpath(f'//*[@id="{section}"]//dd[@data-field="{name}"]')
    return dd.text_content().strip()


def test_plugin_is_installed():
    import asyncio

    ds = make_datasette(":memory:")
    names = {p["name"] for p in asyncio.run(ds.client.get("/-/plugins.json")).json()}
    assert "zwgk_notice.py" in names


# -- the page --------------------------------------------------------------------------------


async def test_metadata_table(ds):
    doc = await page(ds, f"/archive/notices/{NID}")
    assert doc.xpath("//h1")[0].text_content() == "关于报送2026年部门决算编制情况的通知"
    assert field(doc, "notice-metadata", "site") == "湛江市财政局 (zjczj)"
    assert field(doc, "notice-metadata", "category") == "通知公告"
    assert field(doc, "notice-metadata", "publish_date") == "2026-05-22 12:05"
    assert field(doc, "notice-metadata", "publisher") == "湛江市财政局"
    assert field(doc, "notice-metadata", "doc_number") == "湛财库〔2026〕12号"
    assert field(doc, "notice-metadata", "index_number") == "11440800MB2C86912P/2026-00030"
    assert field(doc, "notice-metadata", "doc_date") == "2026-05-20"
    assert field(doc, "notice-metadata", "first_seen") == "2026-05-22T04:10:00Z"
    assert field(doc, "notice-metadata", "last_changed") == "2026-06-01T04:10:00Z"
    assert field(doc, "notice-metadata", "version_count") == "2"
    (link,) = doc.xpath('//*[@id="notice-metadata"]//dd[@data-field="url"]/a')
    assert link.get("href") == URL


async def test_a_gone_notice_says_so(ds):
    doc = await page(ds, f"/archive/notices/{NID}")
    status = field(doc, "notice-metadata", "status")
    assert status.startswith("已消失 · gone")
    assert "T" in status  # gone_since, a UTC time
    assert "Gone from the source site" in doc.get_element_by_id("notice-gone").text_content()


async def test_body_html_is_rendered_and_nothing_in_it_runs(ds):
    doc = await page(ds, f"/archive/notices/{NID}")
    body = doc.get_element_by_id("notice-body")
    assert "请按时报送。" in body.text_content()
    assert body.xpath(".//a[@href='http://www.zjczj.gov.cn/a/P1.pdf']")
    assert not body.xpath(".//script | .//iframe | .//form | .//input | .//style")
    for element in body.iter():
        assert not [a for a in element.attrib if a.startswith("on")], element.tag
        assert "id" not in element.attrib or element is body
        assert "style" not in element.attrib
    hrefs = [a.get("href") for a in body.iter("a") if a.get("href") is not None]
    assert hrefs == ["http://www.zjczj.gov.cn/a/P1.pdf"]  # javascript: and relative links dropped
    assert len(doc.xpath('//*[@id="notice-versions"]')) == 1  # the body cannot clobber page ids


async def test_body_text_is_there_as_plain_text(ds):
    doc = await page(ds, f"/archive/notices/{NID}")
    text = doc.get_element_by_id("notice-text")
    assert "请于6月15日前报送决算编制情况。" in text.text_content()


async def test_without_body_html_the_text_is_the_body(ds):
    doc = await page(ds, f"/archive/notices/{PROC_NID}")
    paragraphs = doc.xpath('//*[@id="notice-body"]/p')
    assert [p.text_content() for p in paragraphs] == ["一、项目编号：ZJDL2026-0019"]
    assert not doc.xpath('//*[@id="notice-text"]')


async def test_attachments_link_only_http(ds):
    doc = await page(ds, f"/archive/notices/{NID}")
    items = doc.xpath('//*[@id="notice-attachments"]//li')
    assert [li.text_content().split()[0] for li in items] == [
        "2026年部门预算编制工作方案.pdf",
        "统计表",
        "恶意附件",
    ]
    links = doc.xpath('//*[@id="notice-attachments"]//a')
    assert [a.get("href") for a in links] == [
        "http://www.zjczj.gov.cn/a/P1.pdf",
        "http://www.zjczj.gov.cn/a/P2.XLS?x=1",
    ]
    assert [e.text for e in doc.xpath('//*[@id="notice-attachments"]//*[@class="zwgk-ext"]')] == [
        "pdf",
        "xls",
    ]
    assert "javascript:alert(5)" in items[2].text_content()  # shown, not linked


async def test_procurement_fields(ds):
    doc = await page(ds, f"/archive/notices/{PROC_NID}")
    assert field(doc, "notice-procurement", "announcement_type") == "中标（成交）结果 · Award"
    assert field(doc, "notice-procurement", "purchaser") == "湛江市教育局"
    assert field(doc, "notice-procurement", "budget_amount") == "3,486,500.00 元"
    assert field(doc, "notice-procurement", "award_amount") == "3,388,878.50 元"
    assert field(doc, "notice-procurement", "experts") == "谢军、王强"
    (number,) = doc.xpath('//*[@id="notice-procurement"]//dd[@data-field="project_number"]/a')
    assert number.get("href") == "/archive/project_timeline?project=ZJDL2026-0019"
    rows = [
        [td.text_content() for td in tr.xpath("td")]
        for tr in doc.xpath('//*[@id="notice-awards"]/tbody/tr')
    ]
    assert rows == [
        ["1", "湛江华信物业服务有限公司", "3,388,878.50 元"],
        ["2", "乙公司", "费率 · rate 12.5%"],
    ]


async def test_an_ordinary_notice_has_no_procurement_section(ds):
    doc = await page(ds, f"/archive/notices/{NID}")
    assert not doc.xpath('//*[@id="notice-procurement"]')


# -- versions and diffs ----------------------------------------------------------------------


async def test_versions_newest_first_with_raw_links(ds):
    doc = await page(ds, f"/archive/notices/{NID}")
    versions = doc.xpath('//*[@id="notice-versions"]//li[@class="zwgk-version"]')
    assert [v.get("data-version-id") for v in versions] == [f"{NID}-2", f"{NID}-1"]
    assert "2026-06-01T04:10:00Z" in versions[0].text_content()
    raw = [a.get("href") for a in doc.xpath('//*[@id="notice-versions"]//a[@class="zwgk-raw"]')]
    assert raw == [f"/-/raw/{NID}-2", f"/-/raw/{NID}-1"]
    downloads = doc.xpath('//*[@id="notice-versions"]//a[@class="zwgk-raw-download"]/@href')
    assert downloads == [f"/-/raw/{NID}-2?download=1", f"/-/raw/{NID}-1?download=1"]
    assert "首次存档 · First archived" in versions[1].text_content()


async def test_the_latest_change_shows_its_diff(ds):
    doc = await page(ds, f"/archive/notices/{NID}")
    (latest,) = doc.xpath(f'//li[@data-version-id="{NID}-2"]')
    changed = [s.get("data-field") for s in latest.xpath('.//*[@class="zwgk-field"]')]
    assert changed == ["title", "doc_number", "body_text"]
    diffs = {
        div.get("data-field"): div.xpath('.//*[@class="zwgk-diff"]')[0]
        for div in latest.xpath('.//*[contains(@class, "zwgk-change ")]')
    }
    assert diffs["title"].xpath("del/text()") == ["预"]
    assert diffs["title"].xpath("ins/text()") == ["决"]
    assert diffs["doc_number"].xpath("del/text()") == ["11"]
    assert diffs["doc_number"].xpath("ins/text()") == ["12"]
    assert diffs["body_text"].xpath("del/text()") == ["5月30", "预"]
    assert diffs["body_text"].xpath("ins/text()") == ["6月15", "决"]
    # the unchanged paragraphs are folded on the page
    assert diffs["body_text"].xpath('*[@class="zwgk-skip"]')
    assert FILLER not in diffs["body_text"].text_content()


async def test_the_diff_route_shows_the_whole_text(ds):
    doc = await page(ds, f"/-/notice/{NID}/diff/{NID}-2")
    assert "Version 2 against version 1" in doc.xpath("//h1")[0].text_content()
    (body,) = doc.xpath('//*[@data-field="body_text"]/*[@class="zwgk-diff"]')
    assert FILLER in body.text_content()
    assert body.xpath("del/text()") == ["5月30", "预"]
    assert not body.xpath('*[@class="zwgk-skip"]')
    assert doc.xpath('//a[@class="zwgk-raw"]/@href') == [f"/-/raw/{NID}-2"]


async def test_the_diff_route_of_a_first_version_shows_it_as_added(ds):
    doc = await page(ds, f"/-/notice/{NID}/diff/{NID}-1")
    assert "first archived" in doc.xpath("//h1")[0].text_content()
    (title,) = doc.xpath('//*[@data-field="title"]/*[@class="zwgk-diff"]')
    assert title.xpath("ins/text()") == ["关于报送2026年部门预算编制情况的通知"]


@pytest.mark.parametrize(
    "path",
    [
        f"/-/notice/{NID}/diff/{NID}-3",
        f"/-/notice/{NID}/diff/{PROC_NID}-1",  # another notice's version
        f"/-/notice/0000000000000000/diff/{NID}-1",
        f"/-/raw/{NID}-3",
        "/-/raw/nothing",
    ],
)
async def test_a_missing_version_is_404(ds, path):
    response = await ds.client.get(path)
    assert response.status_code == 404


# -- raw captures ----------------------------------------------------------------------------


async def test_raw_capture_is_served_byte_for_byte(ds):
    response = await ds.client.get(f"/-/raw/{NID}-2")
    assert response.status_code == 200
    assert response.content == RAW_V2
    # the header said no charset; the page was read as gb18030
    assert response.headers["content-type"] == "text/html; charset=gb18030"
    assert response.headers["content-security-policy"] == "sandbox"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["content-length"] == str(len(RAW_V2))
    assert response.headers["content-disposition"] == f'inline; filename="{NID}-2.html"'


async def test_raw_capture_keeps_the_recorded_content_type(ds):
    response = await ds.client.get(f"/-/raw/{NID}-1")
    assert response.content == RAW_V1
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    json_capture = await ds.client.get(f"/-/raw/{PROC_NID}-1")
    assert json_capture.content == b'{"id": 1}'
    assert json_capture.headers["content-type"] == "application/json"


async def test_raw_capture_download(ds):
    response = await ds.client.get(f"/-/raw/{NID}-1?download=1")
    assert response.content == RAW_V1
    assert response.headers["content-disposition"] == f'attachment; filename="{NID}-1.html"'
    assert response.headers["content-security-policy"] == "sandbox"


def store_raw(db_path: str, url: str, raw: bytes) -> str:
    archive = Archive(db_path)
    record = notice(url=url, title="大页面", attachments=[])
    archive.store(record, Capture(raw, content_type="text/html; charset=utf-8"))
    archive.close()
    return f"{notice_id(url)}-1"


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        ("compressed", os.urandom(TWO_MIB)),  # incompressible: 2 MiB stored
        ("inflated", b"0" * TWO_MIB),  # a few KiB stored, 2 MiB served
    ],
)
async def test_a_capture_over_the_guard_limits_is_refused(tmp_path, name, raw):
    path = str(tmp_path / "archive.db")
    version_id = store_raw(path, f"http://www.zjczj.gov.cn/big/{name}.shtml", raw)
    ds = make_datasette(path)
    ok = await ds.client.get(f"/-/raw/{version_id}")
    assert ok.content == raw  # within the configured limits
    ds._metadata_local["plugins"]["zwgk_guard"]["max_row_mib"] = 1
    refused = await ds.client.get(f"/-/raw/{version_id}")
    assert refused.status_code == 413
    assert "over the 1 MiB limit" in refused.text
    assert len(refused.content) < 10_000


async def test_a_crawled_notice_shows_its_body_html_derived_from_its_capture(tmp_path):
    """The archive stores no body_html: the page extracts it again from the WARC record."""
    import sqlite3

    from pipeline.ingest import ingest_page
    from tests.extract.test_fixtures import TRS_URL, load

    body, charset = load("trs_replica")
    path = str(tmp_path / "archive.db")
    archive = Archive(path)
    run = archive.start_run("zjczj", site="zjczj")
    page_ = {"url": TRS_URL, "site": "zjczj", "status": 200, "body": body, "encoding": charset}
    assert ingest_page(archive, {**page_, "content_type": "text/html"}, run) == "new"
    archive.finish_run(run, "finished")
    archive.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("select body_html from notices").fetchone() == (None,)
    doc = await page(make_datasette(path), f"/archive/notices/{notice_id(TRS_URL)}")
    section = doc.get_element_by_id("notice-body")
    assert "zwgk-body-html" in section.get("class")
    assert section.xpath(".//table//td[text()='基本支出']")  # the table kept as a table
    assert "隐藏段落" not in section.text_content()
