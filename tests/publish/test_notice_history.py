"""Readable history of a notice edited, withdrawn and restored (issue 11, part 3).

Stored by the archive's own writer as crawls would: version 1; version 2 with its first
attachment replaced by a revised file and its 发布机构 changed; gone (410); back with version
2's content (no new version). A second notice is withdrawn and stays gone. The notice page
shows both versions and the diff names the attachment and the metadata field; the canned
queries list the change and only the notice still gone.
"""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest

from pipeline.record import Record
from pipeline.store import Archive, Capture, notice_id
from publish.config import make_datasette

URL = "http://www.zjczj.gov.cn/xxgk/tzgg/202605/t20260522_48921.shtml"
GONE_URL = "http://www.zjczj.gov.cn/xxgk/tzgg/202605/t20260523_48922.shtml"
NID = notice_id(URL)
OLD_FILE = {"name": "2026年部门预算编制工作方案.pdf", "url": "http://www.zjczj.gov.cn/a/P1.pdf"}
NEW_FILE = {
    "name": "2026年部门预算编制工作方案（修订版）.pdf",
    "url": "http://www.zjczj.gov.cn/a/P9.pdf",
}
TABLE = {"name": "统计表.xls", "url": "http://www.zjczj.gov.cn/a/P2.xls"}


def days_ago(days: int) -> str:
    """A capture time ``days`` before now (the canned queries count from the newest crawl)."""
    moment = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


V1, V2, GONE, BACK = days_ago(20), days_ago(3), days_ago(2), days_ago(1)


def notice(url: str = URL, **fields) -> Record:
    base = {
        "url": url,
        "site": "zjczj",
        "kind": "notice",
        "category": "通知公告",
        "title": "关于报送2026年部门预算编制情况的通知",
        "publish_date": "2026-05-22",
        "publisher": "湛江市财政局",
        "doc_number": "湛财库〔2026〕11号",
        "body_text": "各县（市、区）财政局：\n请于5月30日前报送。\n湛江市财政局",
        "attachments": [OLD_FILE, TABLE],
        "charset": "utf-8",
    }
    return Record.from_dict(base | fields)


@pytest.fixture(scope="module")
def ds(tmp_path_factory):
    path = tmp_path_factory.mktemp("history") / "archive.db"
    archive = Archive(str(path))
    run = archive.start_run("zjczj", "zjczj")
    archive.store(notice(), Capture(b"v1", fetched_at=V1), run)
    archive.store(notice(GONE_URL), Capture(b"g1", fetched_at=V1), run)
    archive.flush()
    revised = notice(attachments=[NEW_FILE, TABLE], publisher="湛江市财政局办公室")
    assert archive.store(revised, Capture(b"v2", fetched_at=V2), run) == ("changed")
    archive.fail(run, URL, "HTTP 410", 410, "zjczj", failed_at=GONE)
    archive.fail(run, GONE_URL, "HTTP 404", 404, "zjczj", failed_at=GONE)
    archive.flush()
    back = Capture(b"v2 again", fetched_at=BACK)
    assert archive.store(revised, back, run) == "returned"
    archive.finish_run(run, "finished")
    archive.close()
    return make_datasette(str(path))


async def page(ds, path: str) -> lxml.html.HtmlElement:
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text
    return lxml.html.fromstring(response.text)


async def test_a_returned_notice_is_live_with_its_two_versions(ds):
    doc = await page(ds, f"/archive/notices/{NID}")
    (status,) = doc.xpath('//*[@id="notice-metadata"]//dd[@data-field="status"]')
    assert "gone" not in status.text_content()
    assert not doc.xpath('//*[@id="notice-gone"]')
    versions = doc.xpath('//*[@id="notice-versions"]//li[@class="zwgk-version"]')
    assert [v.get("data-version-id") for v in versions] == [f"{NID}-2", f"{NID}-1"]


async def test_the_diff_names_the_replaced_attachment_and_the_metadata(ds):
    doc = await page(ds, f"/-/notice/{NID}/diff/{NID}-2")
    changed = [s.get("data-field") for s in doc.xpath("//section[@data-field]")]
    assert changed == ["publisher", "attachments"]
    (files,) = doc.xpath('//*[@data-field="attachments"]/*[@class="zwgk-diff"]')
    assert files.xpath("ins/text()") == ["（修订版）", "P9"]  # the new name, the new file
    assert files.xpath("del/text()") == ["P1"]
    assert TABLE["name"] in files.text_content()  # the unchanged file, as context
    (publisher,) = doc.xpath('//*[@data-field="publisher"]/*[@class="zwgk-diff"]')
    assert publisher.xpath("ins/text()") == ["办公室"]


async def test_canned_queries_list_the_change_and_only_the_notice_still_gone(ds):
    response = await ds.client.get("/archive/withdrawn_notices.json?_shape=objects")
    assert response.status_code == 200, response.text
    gone = response.json()["rows"]
    assert [(row["url"], row["gone_since"]) for row in gone] == [(GONE_URL, GONE)]
    response = await ds.client.get("/archive/changed_this_week.json?_shape=objects")
    assert response.status_code == 200, response.text
    changes = response.json()["rows"]
    assert [(row["url"], row["version"], row["status"]) for row in changes] == [(URL, 2, "live")]
