"""Spider for procurement announcements on 中国政府采购网 (www.ccgp.gov.cn) 地方公告."""

from __future__ import annotations

from typing import Any

from crawler.spiders.base import Column, ColumnSpider


class CcgpSpider(ColumnSpider):
    """中国政府采购网 地方公告: every stage of government procurement for the city.

    Publisher: 财政部国库司 (中国政府采购网) for announcements of purchasers in 湛江市.
    Source: http://www.ccgp.gov.cn/cggg/dfgg/ (one list per announcement category; 采购意向 under
    /cgyx/). Caveats: only award detail pages of this site were seen; the list pages (ccgp's
    ``Pager({size, current, prefix, suffix})`` pager), the other detail types and the 采购意向
    path are inferred from the national 2020 format and public documentation. The real site sits
    behind a bot shield: challenge pages are recorded as failures, never stored. The lists are
    national: ``ZWGK_CCGP_KEEP`` (default 湛江) keeps the items whose title, 地域 or 采购人 names
    the city. The bundled replica (``replica/``, prefix ``ccgp/``) serves exactly these paths.
    """

    name = "ccgp"
    site_title = "中国政府采购网（地方公告）"
    base_url = "http://www.ccgp.gov.cn/"
    replica_path = "ccgp/"
    cms = "TRS WCM (ccgp vF_detail template)"
    site_kind = "procurement"
    columns = (
        Column("采购意向", "cgyx/index.htm"),
        Column("公开招标", "cggg/dfgg/gkzb/index.htm"),
        Column("竞争性磋商", "cggg/dfgg/jzxcs/index.htm"),
        Column("询价公告", "cggg/dfgg/xjgg/index.htm"),
        Column("单一来源", "cggg/dfgg/dylygg/index.htm"),
        Column("更正公告", "cggg/dfgg/gzgg/index.htm"),
        Column("中标公告", "cggg/dfgg/zbgg/index.htm"),
        Column("合同公告", "cggg/dfgg/htgg/index.htm"),
        Column("终止公告", "cggg/dfgg/zzgg/index.htm"),
    )

    @classmethod
    def from_crawler(cls, crawler, *args: Any, **kwargs: Any):
        spider = super().from_crawler(crawler, *args, **kwargs)
        words = crawler.settings.get("ZWGK_CCGP_KEEP") or ""
        spider.keep_words = tuple(w.strip() for w in str(words).split(",") if w.strip())
        return spider
