"""Site profiles of the Guangdong government site group: one entry per site, no code.

A profile names the site (the archive's ``site``), its real base URL (host and any path prefix),
its gkmlpt site id (SID), its NFCMS columns and its gkmlpt categories. ``gdsite`` crawls one
profile (``zwgk crawl gdsite:zs-czj``; the default is ``zhanjiang``). docs/sites.md explains how to
find these values for another site. On the bundled replica a profile's site lives under
``/gd/<host><path>``.

Real: hosts, SIDs, the 湛江 budget paths, 中山's 政务动态 path (../shared/REAL-SITES.md and the
saved pages). Inferred (not seen live): the other column paths, and that category 0 (every
category) of a site's gkmlpt is the right scope; on a portal shared by many departments, list
the bureau's own category ids instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class GdProfile:
    """One site of the Guangdong site group."""

    name: str
    title: str
    base_url: str
    sid: str
    columns: tuple[tuple[str, str], ...]  # (name, path relative to base_url)
    gkmlpt_categories: tuple[int, ...] = (0,)
    notes: str = ""

    @property
    def replica_path(self) -> str:
        """Where the bundled replica serves this site: ``gd/<host><path>``."""
        parts = urlsplit(self.base_url)
        return f"gd/{parts.hostname}{parts.path}"


PROFILES: dict[str, GdProfile] = {
    profile.name: profile
    for profile in (
        GdProfile(
            name="zhanjiang",
            title="湛江市人民政府门户网站（湛江市财政局栏目）",
            base_url="https://www.zhanjiang.gov.cn/",
            sid="759001",
            columns=(
                ("财政预算", "zdlyxxgk/czyjshsg/czyjs/czys/index.html"),
                ("财政决算", "zdlyxxgk/czyjshsg/czyjs/czjs/index.html"),
                ("通知公告", "zjsczj/tzgg/index.html"),
                ("政策文件", "zjsczj/zcwj/index.html"),
                ("工作动态", "zjsczj/gzdt/index.html"),
            ),
            notes="the finance bureau's budgets and accounts on the city portal",
        ),
        GdProfile(
            name="zs-czj",
            title="中山市财政局",
            base_url="https://czj.zs.gov.cn/",
            sid="760011",
            columns=(
                ("通知公告", "sy/tzgg/index.html"),
                ("政务动态", "sy/gzdt/zwdt/index.html"),
                ("政策法规", "sy/zcfg/index.html"),
                ("部门预决算", "sy/zssyjsjsgjfxxgkzl/bmyjs/index.html"),
            ),
            notes="the bureau's own site, another theme",
        ),
        GdProfile(
            name="jiangmen",
            title="江门市财政局",
            base_url="https://www.jiangmen.gov.cn/bmpd/jmsczj/",
            sid="750001",
            columns=(
                ("通知公告", "zwgk/tzgg/index.html"),
                ("工作动态", "zwgk/gzdt/index.html"),
                ("政策文件", "zwgk/zcwj/index.html"),
                ("市级政府预算", "zwgk/jmsjyjsgkpt/sjzfys/index.html"),
                ("部门预决算", "zwgk/jmsjyjsgkpt/bmyjs/index.html"),
            ),
            notes="the bureau's section of the Jiangmen portal, a third theme",
        ),
    )
}
DEFAULT = "zhanjiang"
