"""Spider for 广东省政府采购网 (gdgpo.czt.gd.gov.cn): the city's procurement, from its JSON API."""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlencode

from crawler.families import GDGPO
from crawler.spiders.base import Column, ColumnSpider

LIST_PATH = "gpcms/rest/web/v2/info/selectInfoForIndex"
SITE_ID = "cd64e06a-21a7-4620-aebc-0576bab7e07a"
CHANNELS = "fca71be5-fc0c-45db-96af-f513e9abda9d,95ff31f3-a1af-4bc4-b1a2-54c894476193"
PAGE_SIZE = 50


def list_path(region: str, notice_type: str = "", start: str = "", end: str = "") -> str:
    """The first page of the announcement list of a region (and type, and date window)."""
    query = {
        "siteId": SITE_ID,
        "channel": CHANNELS,
        "currPage": 1,
        "pageSize": PAGE_SIZE,
        "noticeType": notice_type,
        "regionCode": region,
        "operationStartTime": start,
        "operationEndTime": end,
        "purchaser": "",
        "agency": "",
        "openTenderCode": "",
        "verifyCode": "",
        "subChannel": "false",
    }
    return f"{LIST_PATH}?{urlencode(query)}"


class GdgpoSpider(ColumnSpider):
    """广东省政府采购网: every procurement announcement of the city's purchasers.

    Publisher: 广东省财政厅 (广东省政府采购网), announcements of purchasers in 湛江市 (regionCode
    440800). Source: https://gdgpo.czt.gd.gov.cn/gpcms/rest/web/v2/info/selectInfoForIndex
    (pages by ``currPage`` until ``total``), each announcement's JSON from ``getInfoById?id=…``,
    whose URL is the notice's URL and whose JSON is its raw capture (the platform's page routes
    answer 403 when opened directly). ``zwgk crawl --since DATE`` sets the API's
    ``operationStartTime``, ``--until DATE`` its ``operationEndTime``. Caveats: the API was not
    seen live; field names and codes come from public crawlers (docs/sites.md); a captcha or a
    403 burst is recorded as failures, never solved.
    """

    recheck_unlisted = False  # its detail requests carry the list's fields or format

    name = "gdgpo"
    site_title = "广东省政府采购网（湛江）"
    base_url = "https://gdgpo.czt.gd.gov.cn/"
    replica_path = "gdgpo/"
    cms = "gpcms JSON API"
    site_kind = "procurement"
    region: ClassVar[str] = "440800"
    columns = (Column("全部公告", list_path(region), GDGPO),)

    def __init__(self, *args: Any, region: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if region:
            self.region = region
            self.columns = (Column("全部公告", list_path(region), GDGPO),)

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        if spider.since or spider.until:  # the API filters by date itself: ask for the window
            start = f"{spider.since.isoformat()} 00:00:00" if spider.since else ""
            end = f"{spider.until.isoformat()} 23:59:59" if spider.until else ""
            path = list_path(spider.region, start=start, end=end)
            spider.columns = (Column("全部公告", path, GDGPO),)
        return spider
