"""The four Guangdong site-group replicas as data: hosts, SIDs, themes, columns, gkmlpt trees.

Real (../shared/REAL-SITES.md and the sample pages): hosts, SIDs, the 湛江 budget column paths
and NFCMS_CAT_ID 42107, 中山's 政务动态 path ``sy/gzdt/zwdt/`` (NFCMS_CAT_ID 13616) and its
通知公告 under ``sy/tzgg/``, 江门's ``zwgk/tzgg``, ``zwgk/gzdt``, ``zwgk/zcwj`` and
``zwgk/jmsjyjsgkpt/sjzfys/`` (市级政府预算, NFCMS_CAT_ID 19558), site names and 网站标识码.
Inferred: 湛江's 通知公告 / 政策文件 / 工作动态 paths (``zjsczj/…``), the 部门预决算 columns of
中山, 江门 and 肇庆, every other column id, the gkmlpt category trees and ids, id ranges.
"""

from __future__ import annotations

from dataclasses import dataclass

GDZWFW = "http://www.gdzwfw.gov.cn/portal/branch-hall?orgCode="
GDGPO = "https://gdgpo.czt.gd.gov.cn/"


@dataclass(frozen=True)
class GdColumn:
    """An NFCMS column: name, directory relative to the site base, NFCMS_CAT_ID, what it holds."""

    name: str
    path: str  # directory with a trailing slash: the list is ``index.html`` in it
    cat_id: int
    genre: str  # notice, policy, news or budget (one document per unit and year)
    leaf: str  # key of the gkmlpt category of its documents ("": decided per document)
    trail: tuple[tuple[str, str], ...]  # breadcrumb levels above the column: (name, path)
    count: int = 0  # documents at the default scale (not budget columns)
    listed: float = 0.85  # share of its documents gkmlpt lists too
    scope: str = ""  # budget columns: "city" (市级 only), "depts" (部门 only) or "all"
    budgets: bool = True  # a budget column holds 预算 …
    finals: bool = True  # … and 决算

    @property
    def list_path(self) -> str:
        return self.path + "index.html"


@dataclass(frozen=True)
class Category:
    """A gkmlpt category (a node of ``_CONFIG.TREE``); ``jump_url`` nodes hold no posts."""

    key: str
    id: int
    name: str
    parent: int
    jump_url: str = ""


@dataclass(frozen=True)
class SiteSpec:
    """One site of the group and everything that differs between sites."""

    name: str  # the record's ``site``
    host: str
    path: str  # path prefix on the host ("" or "bmpd/jmsczj/")
    sid: int
    theme: str  # zhanjiang, zs or jiangmen
    site_name: str
    site_code: str  # 网站标识码
    org: str  # the finance bureau
    city: str
    area_code: str
    doc_prefix: str  # 文号 prefix of the bureau (湛财 → 湛财预, 湛财库 …)
    credit_code: str  # the bureau's 统一社会信用代码, head of its 索引号
    places: tuple[str, ...]  # counties / towns the news visits
    audience: str  # who a notice is addressed to
    columns: tuple[GdColumn, ...]
    categories: tuple[Category, ...]
    units: int  # budget units (the city itself, then departments) at the default scale
    only_gkmlpt: tuple[tuple[str, int], ...]  # (category key, count) of gkmlpt-only documents
    portal: bool  # the catalogue also holds other departments' documents
    posts: tuple[int, int]  # post ids from 2019 to the end of 2026-09
    attachment_ids: tuple[int, int]
    image_ids: tuple[int, int]
    served_pages: int = 3  # gkmlpt serves this many pages of 100, newest first
    per_page: int = 20  # items per column list page

    @property
    def prefix(self) -> str:
        """Where the replica serves the site: ``/gd/<host>/<path>``."""
        return f"/gd/{self.host}/{self.path}"

    @property
    def real_base(self) -> str:
        return f"https://{self.host}/{self.path}"

    def category(self, key: str) -> Category:
        return next(c for c in self.categories if c.key == key)


def tree(base: int, org_code: str) -> tuple[Category, ...]:
    """The gkmlpt catalogue of a bureau (inferred): ids ``base`` upwards, two jump nodes."""
    nodes = (
        ("duty", "机构职能", None, ""),
        ("policy", "政策文件", None, ""),
        ("regulation", "规范性文件", "policy", ""),
        ("other-file", "其他文件", "policy", ""),
        ("notice", "通知公告", None, ""),
        ("news", "工作动态", None, ""),
        ("finance", "财政预决算", None, ""),
        ("ys", "财政预算", "finance", ""),
        ("js", "财政决算", "finance", ""),
        ("annual", "政府信息公开年报", None, ""),
        ("personnel", "人事信息", None, ""),
        ("service", "办事服务", None, GDZWFW + org_code),
        ("procurement", "政府采购", None, GDGPO),
    )
    ids = {key: base + i for i, (key, *_) in enumerate(nodes)}
    return tuple(
        Category(key, ids[key], name, ids[parent] if parent else 0, jump)
        for key, name, parent, jump in nodes
    )


def _budget(
    name: str, path: str, cat_id: int, trail: tuple, scope: str = "all", kinds: str = "ys+js"
) -> GdColumn:
    """A budget column: 预算 (``ys``) and / or 决算 (``js``) of the city and / or departments."""
    return GdColumn(
        name, path, cat_id, "budget", "", trail, listed=0.92, scope=scope,
        budgets="ys" in kinds, finals="js" in kinds,
    )  # fmt: skip


ZJ_BUDGET_TRAIL = (
    ("首页", ""),
    ("政务公开", "zwgk/"),
    ("重点领域信息公开", "zdlyxxgk/"),
    ("财政预算决算和“三公”经费公开", "zdlyxxgk/czyjshsg/"),
    ("财政预决算", "zdlyxxgk/czyjshsg/czyjs/"),
)
ZJ_BUREAU_TRAIL = (("首页", ""), ("湛江市财政局", "zjsczj/"))

ZHANJIANG = SiteSpec(
    name="zhanjiang", host="www.zhanjiang.gov.cn", path="", sid=759001, theme="zhanjiang",
    site_name="湛江市人民政府门户网站", site_code="4408000026", org="湛江市财政局",
    city="湛江市", area_code="0759", doc_prefix="湛财", credit_code="11440800007049868X",
    places=("赤坎区", "霞山区", "坡头区", "麻章区", "遂溪县", "徐闻县", "廉江市", "雷州市"),
    audience="各县（市、区）财政局，市直各预算单位：",
    columns=(
        _budget("财政预算", "zdlyxxgk/czyjshsg/czyjs/czys/", 42107, ZJ_BUDGET_TRAIL, kinds="ys"),
        _budget("财政决算", "zdlyxxgk/czyjshsg/czyjs/czjs/", 42108, ZJ_BUDGET_TRAIL, kinds="js"),
        GdColumn("通知公告", "zjsczj/tzgg/", 42201, "notice", "notice", ZJ_BUREAU_TRAIL, 40),
        GdColumn("政策文件", "zjsczj/zcwj/", 42202, "policy", "", ZJ_BUREAU_TRAIL, 30, 0.95),
        GdColumn("工作动态", "zjsczj/gzdt/", 42203, "news", "news", ZJ_BUREAU_TRAIL, 45, 0.5),
    ),
    categories=tree(2841, "007049868"), units=6,
    only_gkmlpt=(("duty", 3), ("personnel", 6), ("other-file", 5), ("notice", 14)),
    portal=True, posts=(1_200_000, 2_200_000), attachment_ids=(60_000, 280_000),
    image_ids=(300_000, 820_000),
)  # fmt: skip

ZS_TRAIL = (("首页", ""),)
ZS_BUDGET_TRAIL = (("首页", ""), ("重点领域信息公开（财政数据）", "sy/zssyjsjsgjfxxgkzl/"))

ZHONGSHAN = SiteSpec(
    name="zs-czj", host="czj.zs.gov.cn", path="", sid=760011, theme="zs",
    site_name="中山市财政局政务网站", site_code="4420000040", org="中山市财政局",
    city="中山市", area_code="0760", doc_prefix="中财", credit_code="114420000071332107",
    places=("石岐街道", "东区街道", "火炬开发区", "小榄镇", "古镇镇", "三乡镇", "坦洲镇"),
    audience="各镇街财政分局，市直各预算单位：",
    columns=(
        GdColumn("通知公告", "sy/tzgg/", 13611, "notice", "notice", ZS_TRAIL, 35),
        GdColumn("政务动态", "sy/gzdt/zwdt/", 13616, "news", "news", ZS_TRAIL, 40, 0.45),
        GdColumn("政策法规", "sy/zcfg/", 13620, "policy", "", ZS_TRAIL, 20, 0.95),
        _budget("部门预决算", "sy/zssyjsjsgjfxxgkzl/bmyjs/", 13630, ZS_BUDGET_TRAIL, "depts"),
    ),
    categories=tree(452, "007133210"), units=5,
    only_gkmlpt=(("duty", 3), ("personnel", 5), ("other-file", 4), ("notice", 4)),
    portal=False, posts=(1_600_000, 2_620_000), attachment_ids=(120_000, 330_000),
    image_ids=(400_000, 900_000), per_page=15,
)  # fmt: skip

JM_TRAIL = (
    ("首页", "/"),
    ("部门频道", "/bmpd/"),
    ("江门市财政局", ""),
    ("政务公开", "zwgk/"),
)
JM_BUDGET_TRAIL = (*JM_TRAIL, ("江门市级预决算公开平台", "zwgk/jmsjyjsgkpt/"))

JIANGMEN = SiteSpec(
    name="jiangmen", host="www.jiangmen.gov.cn", path="bmpd/jmsczj/", sid=750001,
    theme="jiangmen", site_name="江门市人民政府门户网站", site_code="4407000007",
    org="江门市财政局", city="江门市", area_code="0750", doc_prefix="江财",
    credit_code="11440700007062511E",
    places=("蓬江区", "江海区", "新会区", "台山市", "开平市", "鹤山市", "恩平市"),
    audience="各市（区）财政局，市直各预算单位：",
    columns=(
        GdColumn("通知公告", "zwgk/tzgg/", 19551, "notice", "notice", JM_TRAIL, 40),
        GdColumn("工作动态", "zwgk/gzdt/", 19550, "news", "news", JM_TRAIL, 35, 0.5),
        GdColumn("政策文件", "zwgk/zcwj/", 19552, "policy", "", JM_TRAIL, 20, 0.95),
        _budget("市级政府预算", "zwgk/jmsjyjsgkpt/sjzfys/", 19558, JM_BUDGET_TRAIL, "city"),
        _budget("部门预决算", "zwgk/jmsjyjsgkpt/bmyjs/", 19559, JM_BUDGET_TRAIL, "depts"),
    ),
    categories=tree(3301, "007062511"), units=7,
    only_gkmlpt=(("duty", 3), ("personnel", 5), ("other-file", 4)),
    portal=False, posts=(2_300_000, 3_400_000), attachment_ids=(150_000, 352_000),
    image_ids=(500_000, 990_000), served_pages=1, per_page=15,
)  # fmt: skip

ZQ_TRAIL = (("首页", ""), ("政务公开", "zwgk/"))
ZQ_BUDGET_TRAIL = (*ZQ_TRAIL, ("重点领域信息公开", "zwgk/zdlyxxgk/"))

ZHAOQING = SiteSpec(
    name="zhaoqing", host="www.zhaoqing.gov.cn", path="", sid=758001, theme="zhanjiang",
    site_name="肇庆市人民政府网站", site_code="4412000015", org="肇庆市财政局",
    city="肇庆市", area_code="0758", doc_prefix="肇财", credit_code="114412000070138546",
    places=("端州区", "鼎湖区", "高要区", "四会市", "广宁县", "怀集县", "封开县", "德庆县"),
    audience="各县（市、区）财政局，市直各单位：",
    columns=(
        GdColumn("通知公告", "zwgk/tzgg/", 21101, "notice", "notice", ZQ_TRAIL, 30),
        GdColumn("政策文件", "zwgk/zcwj/", 21102, "policy", "", ZQ_TRAIL, 25, 0.95),
        _budget("财政预决算", "zwgk/zdlyxxgk/czyjs/", 21103, ZQ_BUDGET_TRAIL),
    ),
    categories=tree(21001, "007013854"), units=4,
    only_gkmlpt=(("duty", 2), ("personnel", 4), ("other-file", 4), ("notice", 10)),
    portal=True, posts=(2_200_000, 3_260_000), attachment_ids=(150_000, 307_000),
    image_ids=(420_000, 930_000),
)  # fmt: skip

SITES = (ZHANJIANG, ZHONGSHAN, JIANGMEN, ZHAOQING)
