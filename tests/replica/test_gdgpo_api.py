"""广东省政府采购网's API on the replica (``/gdgpo/``) over HTTP: the list walked by ``currPage``
until ``total``, its filters, the detail JSON against the truth, the 403 page routes, files."""

from __future__ import annotations

import json
import re
import urllib.parse
import urllib.request
from collections import Counter

import lxml.html
import pytest

from replica.gdgpo import GdgpoSite
from tests.replica import reference as ref
from tests.replica.conftest import fetch

SITE_ID = "cd64e06a-21a7-4620-aebc-0576bab7e07a"
CHANNELS = "fca71be5-fc0c-45db-96af-f513e9abda9d,95ff31f3-a1af-4bc4-b1a2-54c894476193"
LIST = "gpcms/rest/web/v2/info/selectInfoForIndex"
ROW_KEYS = {
    "id", "title", "noticeTime", "noticeType", "noticeTypeName", "openTenderCode", "purchaser",
    "agency", "regionCode", "regionName", "budget", "channel",
}  # fmt: skip
PREFIXES = {  # docs/sites.md: prefix → (名称, announcement_type)
    "59": ("采购意向公开", "intent"), "00101": ("采购公告", "tender"),
    "001051": ("单一来源公示", "tender"), "001052": ("资格预审", "tender"),
    "001053": ("资格预审", "tender"), "00102": ("中标（成交）结果公告", "award"),
    "00103": ("更正公告", "correction"), "00105B": ("更正公告", "correction"),
    "001004": ("终止公告", "termination"), "001006": ("终止公告", "termination"),
    "001054": ("合同公告", "contract"), "001009": ("验收公告", "other"),
    "00105A": ("验收公告", "other"), "001101": ("采购计划", "other"),
    "001059": ("采购需求", "other"),
}  # fmt: skip
TAG = re.compile(r"<[^>]*>")
FONT = re.compile(r'<font color="red">[^<]+</font>')
MOMENT = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
HREF = re.compile(r'<a href="([^"]+)" target="_blank">([^<]+)</a>')


def gdgpo_only(document: dict) -> dict:
    """The truth's gdgpo notices and its ``sites`` entry."""
    (site,) = [s for s in document["sites"] if s["name"] == "gdgpo"]
    return {"notices": [n for n in document["notices"] if n["site"] == "gdgpo"], "site": site}


@pytest.fixture(scope="module")
def truth(full_truth) -> dict:
    return gdgpo_only(full_truth)


@pytest.fixture(scope="module")
def base(server) -> str:
    return server.site_base("gdgpo")


def ask(base: str, **params: object) -> dict:
    """A list request with the spider's fixed parameters; the decoded answer."""
    query = {"siteId": SITE_ID, "channel": CHANNELS, "currPage": 1, "pageSize": 50} | params
    status, headers, body = fetch(base + LIST + "?" + urllib.parse.urlencode(query))
    assert status == 200
    assert headers["Content-Type"] == "application/json;charset=UTF-8"
    return json.loads(body)


def walk(base: str, **params: object) -> tuple[list[dict], int]:
    """Every row of a listing, page by page until ``total``; (rows, total)."""
    rows: list[dict] = []
    page = 1
    while True:
        answer = ask(base, currPage=page, **params)
        assert answer["code"] == "200"
        total = answer["data"]["total"]
        rows += answer["data"]["rows"]
        if len(rows) >= total or not answer["data"]["rows"]:
            return rows, total
        page += 1


@pytest.fixture(scope="module")
def everything(base) -> list[dict]:
    rows, total = walk(base)
    assert len(rows) == total
    return rows


# -- the list --------------------------------------------------------------------------------------
def test_walking_until_total_lists_every_announcement_once_newest_first(everything, truth):
    ids = [row["id"] for row in everything]
    assert len(ids) == len(set(ids))
    urls = {n["url"].rsplit("id=", 1)[1] for n in truth["notices"]}
    assert set(ids) == urls
    times = [row["noticeTime"] for row in everything]
    assert times == sorted(times, reverse=True)
    assert all(MOMENT.match(t) for t in times)


def test_rows_have_the_documented_fields_as_strings(everything):
    for row in everything:
        assert set(row) == ROW_KEYS
        assert all(isinstance(value, str) for value in row.values())
        assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", row["id"])


def test_page_size_is_capped_and_pages_past_the_end_are_empty(base, everything):
    answer = ask(base, pageSize=500)
    assert len(answer["data"]["rows"]) == 50
    default = ask(base, pageSize="")
    assert len(default["data"]["rows"]) == 15
    past = ask(base, currPage=1000)
    assert past["data"] == {"total": len(everything), "rows": []}


def test_region_code_filters_and_a_city_covers_its_districts(base, everything):
    zhanjiang, total = walk(base, regionCode="440800")
    assert total == len(zhanjiang) == sum(r["regionCode"].startswith("4408") for r in everything)
    assert 300 <= total <= 600
    assert {r["regionCode"] for r in zhanjiang} > {"440800", "440823"}
    others = {city: walk(base, regionCode=city)[1] for city in ("440100", "440600", "440900")}
    assert all(0 < count < total / 3 for count in others.values())
    assert total + sum(others.values()) == len(everything)
    suixi, _ = walk(base, regionCode="440823")
    assert suixi
    assert {(r["regionCode"], r["regionName"]) for r in suixi} == {("440823", "遂溪县")}
    assert walk(base, regionCode="440000")[1] == len(everything)


def test_notice_type_filters_by_prefix(base, everything):
    for prefix in PREFIXES:
        rows, total = walk(base, noticeType=prefix)
        assert total == sum(r["noticeType"].startswith(prefix) for r in everything) > 0, prefix
        assert all(r["noticeType"].startswith(prefix) for r in rows)
    both = walk(base, noticeType="00103,00105B")[1]
    assert both == walk(base, noticeType="00103")[1] + walk(base, noticeType="00105B")[1]


def test_every_documented_prefix_appears_and_codes_carry_extra_digits(everything):
    codes = Counter(r["noticeType"] for r in everything)
    for prefix, (name, _) in PREFIXES.items():
        mine = [c for c in codes if longest_prefix(c) == prefix]
        assert mine, prefix
        assert {r["noticeTypeName"] for r in everything if r["noticeType"] in mine} == {name}
    assert "001011" in codes
    assert any(longest_prefix(c) != c for c in codes)


def longest_prefix(code: str) -> str:
    return max((p for p in PREFIXES if code.startswith(p)), key=len)


def test_time_window_is_inclusive_on_notice_time(base, everything):
    moment = everything[len(everything) // 2]["noticeTime"]
    exact, _ = walk(base, operationStartTime=moment, operationEndTime=moment)
    assert moment in {r["noticeTime"] for r in exact}
    assert all(r["noticeTime"] == moment for r in exact)
    start, end = "2024-01-01 00:00:00", "2024-03-31 23:59:59"
    _rows, total = walk(base, operationStartTime=start, operationEndTime=end)
    assert total == sum(start <= r["noticeTime"] <= end for r in everything) > 0
    since, _ = walk(base, operationStartTime="2026-01-01")
    assert len(since) == sum(r["noticeTime"] >= "2026-01-01" for r in everything)


def test_other_filters(base, everything):
    number = next(r["openTenderCode"] for r in everything if r["openTenderCode"])
    rows, _ = walk(base, openTenderCode=number)
    assert rows
    assert all(number in r["openTenderCode"] for r in rows)
    assert {r["purchaser"] for r in walk(base, purchaser="第一中学")[0]} >= {"湛江市第一中学"}
    goods, services = walk(base, purchaseNature=1)[1], walk(base, purchaseNature=3)[1]
    works = walk(base, purchaseNature=2)[1]
    intents = sum(r["noticeType"] == "59" for r in everything)
    assert goods
    assert services
    assert works
    assert goods + services + works + intents == len(everything)
    plans = walk(base, channel=CHANNELS.split(",")[1])[0]
    assert {r["noticeType"] for r in plans} == {"59", "001101", "001059"}


def test_post_form_answers_like_get(base):
    query = {"siteId": SITE_ID, "currPage": 2, "pageSize": 10, "regionCode": "440800"}
    data = urllib.parse.urlencode(query).encode()
    with urllib.request.urlopen(base + LIST, data=data, timeout=30) as response:
        posted = json.loads(response.read())
    assert posted == ask(base, **query)


@pytest.mark.parametrize(
    "params",
    [{"siteId": "wrong"}, {"siteId": ""}, {"currPage": 0}, {"pageSize": "x"},
     {"operationStartTime": "2024/01/01"}],
)  # fmt: skip
def test_bad_parameters_answer_an_error(base, params):
    answer = ask(base, **params)
    assert answer["code"] != "200"
    assert answer["data"] is None


def test_font_highlighting_only_in_some_titles(everything, truth):
    titles = {n["url"].rsplit("id=", 1)[1]: n["title"] for n in truth["notices"]}
    marked = [r for r in everything if "<font" in r["title"]]
    assert 0.05 * len(everything) < len(marked) < 0.3 * len(everything)
    for row in everything:
        assert TAG.sub("", row["title"]) == titles[row["id"]]
        assert TAG.sub("", FONT.sub("", row["title"])) == FONT.sub("", row["title"])
        others = [v for k, v in row.items() if k != "title"]
        assert not any("<" in value for value in others)


def test_budgets_are_yuan_strings_or_empty(everything):
    budgets = Counter(r["budget"] for r in everything)
    assert all(b == "" or re.fullmatch(r"\d+\.\d{4}", b) for b in budgets)
    assert budgets[""]
    assert len(budgets) > 50
    tenders = [r for r in everything if r["noticeType"].startswith("00101")]
    assert sum(r["budget"] == "" for r in tenders) < len(tenders) / 5


# -- details ----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def details(truth) -> list[tuple[dict, dict]]:
    """(truth record, getInfoById data) for every announcement."""
    pairs = []
    for notice in truth["notices"]:
        status, headers, body = fetch(notice["url"])
        assert status == 200
        assert headers["Content-Type"] == "application/json;charset=UTF-8"
        answer = json.loads(body)
        assert answer["code"] == "200"
        pairs.append((notice, answer["data"]))
    return pairs


def test_detail_is_the_row_plus_content_files_and_method(details, everything):
    rows = {r["id"]: r for r in everything}
    for _, data in details:
        extra = {"content", "attchList", "purchaseMannerName"}
        assert set(data) == ROW_KEYS | extra
        assert {k: data[k] for k in ROW_KEYS} == rows[data["id"]]
        assert "<html" not in data["content"]
        assert "<body" not in data["content"]


def test_detail_matches_the_truth(details):
    for notice, data in details:
        day, time = data["noticeTime"].split()
        assert (notice["publish_date"], notice["publish_time"]) == (day, time[:5])
        assert notice["title"] == TAG.sub("", data["title"])
        assert notice["category"] == data["noticeTypeName"]
        assert notice["notice_type"] == data["noticeType"]
        assert (
            notice["procurement"]["announcement_type"]
            == PREFIXES[longest_prefix(data["noticeType"])][1]
        )
        assert notice["publisher"] is None
        assert notice["kind"] == "procurement"
        content = lxml.html.fragment_fromstring(data["content"], create_parent="div")
        assert ref.body_text(content) == notice["body_text"], notice["url"]
        assert notice["attachments"] == attachments(notice["url"], data)


def attachments(url: str, data: dict) -> list[dict]:
    """attchList, then the content's links, without a URL twice (the first name kept)."""
    found: dict[str, str] = {}
    for name, href in [(a["fileName"], a["fileUrl"]) for a in data["attchList"]] + [
        (name, href) for href, name in HREF.findall(data["content"])
    ]:
        found.setdefault(urllib.parse.urljoin(url, href), name)
    return [{"name": name, "url": link} for link, name in found.items()]


def test_api_fields_take_the_place_of_the_summary(details):
    for notice, data in details:
        proc = notice["procurement"]
        api = {
            "project_number": data["openTenderCode"] or None,
            "purchaser": data["purchaser"] or None,
            "agency": data["agency"] or None,
            "budget_amount": float(data["budget"]) if data["budget"] else None,
        }
        for field, value in api.items():
            if value is not None:
                assert proc[field] == value, (notice["url"], field)
        for conflict in proc["conflicts"]:
            assert conflict["summary"] == api[conflict["field"]] != conflict["body"]


def test_some_content_links_files_and_duplicates_keep_the_list_name(details):
    linked = [(n, d) for n, d in details if HREF.search(d["content"])]
    assert linked
    listed = {a["fileUrl"] for _, d in linked for a in d["attchList"]}
    both = [href for _, d in linked for href, _ in HREF.findall(d["content"]) if href in listed]
    only = [href for _, d in linked for href, _ in HREF.findall(d["content"]) if href not in listed]
    assert both
    assert only


def test_unknown_ids_and_api_paths_answer_errors(base):
    status, _, body = fetch(base + "gpcms/rest/web/v2/info/getInfoById?id=0000")
    assert status == 200
    assert json.loads(body)["code"] not in ("200", 200)
    assert json.loads(fetch(base + "gpcms/rest/web/v2/info/getInfoById")[2])["data"] is None
    assert fetch(base + "gpcms/rest/web/v2/info/nothing")[0] == 404


@pytest.mark.parametrize(
    "path",
    [
        "",
        "index.html",
        "freecms/site/gd/ggxx/info/2026/8a7e0b9c.html",
        "freecms/site/gd/index.html",
        "gpx-bid-file/",
    ],
)
def test_page_routes_answer_403(base, path):
    status, _, body = fetch(base + path)
    assert status == 403
    assert b"403 Forbidden" in body


def test_attachments_are_small_files_on_the_same_host(truth, base):
    urls = [a["url"] for n in truth["notices"] for a in n["attachments"]]
    assert len(urls) > 50
    for url in urls[::10]:
        assert url.startswith(base + "gpx-bid-file/")
        status, headers, body = fetch(url)
        assert status == 200
        assert headers["Content-Type"] == "application/pdf"
        assert body.startswith(b"%PDF-")
        assert len(body) < 4096


# -- determinism ------------------------------------------------------------------------------------
def test_same_arguments_give_the_same_bytes():
    first, second = GdgpoSite(), GdgpoSite()
    queries = [
        {"siteId": SITE_ID, "currPage": str(page), "pageSize": "50"} for page in range(1, 12)
    ] + [{"siteId": SITE_ID, "regionCode": "440800", "noticeType": "00102"}]
    for query in queries:
        assert first.handle(LIST, query).body == second.handle(LIST, query).body
    assert [e.uid for e in first.entries] == [e.uid for e in second.entries]
    for entry in first.entries:
        path, query = "gpcms/rest/web/v2/info/getInfoById", {"id": entry.uid}
        assert first.handle(path, query).body == second.handle(path, query).body


def test_a_filter_is_matched_once_and_its_pages_are_those_of_a_scan():
    """Paging through a filter reads the rows it matches once (a scan a page made the replica's
    cost grow with the site); every page is the slice a scan of all rows gives."""
    from replica.gdgpo import answers

    site = GdgpoSite()
    scanned = [e for e in site.newest_first if e.code.startswith("00102")]
    assert 50 < len(scanned) < len(site.newest_first)  # the filter matters and spans pages
    pages = []
    for page in range(1, len(scanned) // 15 + 3):
        query = {"siteId": SITE_ID, "noticeType": "00102", "currPage": str(page)}
        answer = json.loads(site.handle(LIST, query).body)["data"]
        assert answer["total"] == len(scanned)
        pages.append([row["id"] for row in answer["rows"]])
    assert [uid for page in pages for uid in page] == [e.uid for e in scanned]
    assert pages[-1] == []  # past the end
    assert site._listing._rows.cache_info().misses == 1
    other = {"siteId": SITE_ID, "noticeType": "00103", "pageSize": "50"}
    assert json.loads(site.handle(LIST, other).body)["data"]["total"] == sum(
        e.code.startswith("00103") for e in site.newest_first
    )
    assert site._listing._rows.cache_info().misses == 2
    assert answers.FILTERS_KEPT >= 16
