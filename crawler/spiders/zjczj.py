"""Spider for the Zhanjiang Municipal Finance Bureau (湛江市财政局)."""

from __future__ import annotations

from crawler.families import HANWEB
from crawler.spiders.base import Column, ColumnSpider


class ZjczjSpider(ColumnSpider):
    """湛江市财政局 (Zhanjiang Municipal Finance Bureau).

    Publisher: 湛江市财政局. Source: http://www.zjczj.gov.cn/ (the bureau's 2006-era site; today the
    bureau publishes on czj.zhanjiang.gov.cn within Guangdong's site group and on the provincial
    gkmlpt platform). Caveats: the column paths and the Hanweb 政务公开目录 layout are inferred from
    the CMS families' real detail pages and public documentation, not seen on this site; the bundled
    replica (``replica/``, prefix ``czj/``) serves exactly these paths.
    """

    name = "zjczj"
    site_title = "湛江市财政局"
    base_url = "http://www.zjczj.gov.cn/"
    replica_path = "czj/"
    cms = "TRS WCM + Hanweb jcms"
    columns = (
        Column("通知公告", "xxgk/tzgg/index.shtml"),
        Column("政策解读", "zcfg/zcjd/index.shtml"),
        Column("财政要闻", "czyw/index.shtml"),
        Column("工作动态", "gzdt/index.shtml"),
        Column("办事指南", "bsfw/bszn/index.shtml"),
        Column("部门预决算", "yjsgk/bmys/index.shtml"),
        Column("政府信息公开年报", "xxgk/ndbg/index.shtml"),
        Column("机构职能", "col/col2801/index.html", HANWEB),
        Column("规范性文件", "col/col2802/index.html", HANWEB),
        Column("行政许可", "col/col2803/index.html", HANWEB),
        Column("便民服务", "col/col2804/index.html", HANWEB),
    )
