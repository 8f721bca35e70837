"""CMS-family profiles: where a family keeps its article body and title.

A page belongs to the first family whose host pattern matches its URL, else to the first
family whose ``marker`` selector matches the page (and whose ``platform`` script mark the page
carries, when it names one), else to ``generic``. Selectors are CSS, parsed once at import and
resolved through the page index (``index.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pipeline.extract.found import Embedded
from pipeline.extract.gkmlpt import read_embedded
from pipeline.extract.index import PageIndex, Selector, select, selector


def _css(*selectors: str) -> tuple[Selector, ...]:
    return tuple(selector(s) for s in selectors)


@dataclass(frozen=True)
class Family:
    """One CMS family (or one site template) and the selectors that find its parts."""

    name: str
    body: tuple[Selector, ...]
    title: tuple[Selector, ...] = ()
    drop: tuple[Selector, ...] = ()  # metadata blocks inside the body, not body text
    marker: tuple[Selector, ...] = ()  # presence means "this family" when the host is unknown
    host: re.Pattern[str] | None = None
    kind: str = "notice"
    title_excludes: tuple[str, ...] = field(default=())  # child tags left out of a title element
    header: tuple[Selector, ...] = ()  # labelled lines outside the body (项目编号：… above it)
    fallback_body: bool = True  # no body selector matched: look for a common or dense one
    platform: str | None = None  # a script mark (index.SCRIPT_MARKS) the page must carry too
    attachments: tuple[Selector, ...] = ()  # the family's attachment blocks outside the body
    # Data the page embeds (values, body, attachments) that win over its markup's.
    embedded: Callable[[PageIndex, str], Embedded | None] | None = None


# Shared by every family as the last resort, most specific first.
GENERIC_BODY = _css(
    "div.TRS_Editor", ".TRS_UEDITOR", ".trs_editor_view", "#zoom", "#zoomcon",
    ".vF_detail_content", "#vsb_content", "#ivs_content", "#UCAP-CONTENT", "#wenzhang-content",
    "#BodyLabel", "#con_con", "#div_article_content", ".j-fontContent", "#fcontent",
    ".m-txt-article", "#article", ".article-content", ".article_content", ".content_article",
    ".news_content", ".newscontent", ".detail-content", ".pages_content", ".main-txt",
    "div.text#content", ".TRS_PreAppend", "#content",
)  # fmt: skip

CCGP = Family(
    "ccgp",
    body=_css("div.vF_detail_content"),
    title=_css("div.vF_detail_header h2.tc", "h2.tc"),
    marker=_css("div.vF_detail_header", "div.vF_detail_content"),
    host=re.compile(r"(^|\.)ccgp\.gov\.cn$"),
    kind="procurement",
)
CCGP_HEBEI = Family(
    "ccgp_hebei",
    body=_css("span.txt7", "div.wenben#fcontent", "#fcontent"),
    marker=_css("div.wenben#fcontent", "#fujian_2020"),
    host=re.compile(r"(^|\.)ccgp-hebei\.gov\.cn$"),
    kind="procurement",
)
GGZY = Family(  # 全国公共资源交易平台 deal pages: the inner 'b' page and the project 'a' page
    "ggzy",  # the 'a' page loads each notice's text into a tab by script: it has no body
    body=_css("#mycontent"),
    title=_css("h4.h4_o"),
    header=_css("p.p_o"),
    fallback_body=False,
    marker=_css("h4.h4_o", "table.detail_Table"),
    host=re.compile(r"(^|\.)ggzy\.gov\.cn$"),
    kind="procurement",
)
EPOINT = Family(  # Epoint 新点 trading-centre detail pages (江苏省公共资源交易网)
    "epoint",
    body=_css("div.ewb-trade-right"),
    title=_css("h2.ewb-trade-h"),
    marker=_css("h2.ewb-trade-h", "div.ewb-trade-info"),
    kind="procurement",
)
HANWEB = Family(
    "hanweb",
    body=_css("#zoom"),
    title=_css("td.title", "p.con-title"),
    marker=_css("#zoom", "table.xxgk"),
)
TRS = Family(
    "trs",
    body=_css("div.TRS_Editor", ".TRS_UEDITOR", ".trs_editor_view"),
    title=_css("div.title h1", ".detail-article-title h2", ".tit_header h3"),
    marker=_css("div.TRS_Editor", ".TRS_UEDITOR", ".trs_editor_view", "a.CurrChnlCls"),
)
VSB = Family("vsb", body=_css("#vsb_content"), marker=_css("#vsb_content"))
IVS = Family(  # Shanghai government site group (wsjkw.sh.gov.cn, www.shanghai.gov.cn)
    "ivs",
    body=_css("#ivs_content"),
    title=_css("#ivs_title"),
    drop=_css("table.table-article"),
    marker=_css("#ivs_content"),
    title_excludes=("small", "div"),
)
GONGBAO = Family(
    "gov_cn",
    body=_css("#UCAP-CONTENT", "div.pages_content"),
    marker=_css("div.gwy_gb", "#UCAP-CONTENT"),
    host=re.compile(r"(^|\.)www\.gov\.cn$"),
)
NFRA = Family(
    "nfra",
    body=_css("#wenzhang-content", ".wenzhang-content"),
    marker=_css("#wenzhang-content"),
    host=re.compile(r"(^|\.)(nfra|cbirc)\.gov\.cn$"),
)
GZ = Family(
    "gz_gov",
    body=_css("#zoomcon", ".content_article"),
    title=_css("h1.content_title"),
    drop=_css(".info_xgfj"),  # the (empty) 相关附件 box inside the article
    marker=_css("#zoomcon"),
    host=re.compile(r"(^|\.)gz\.gov\.cn$"),
)
# -- Guangdong government site group: NFCMS column pages, gkmlpt, the procurement platform ------
# NFCMS themes share only the spec metas, window.NFCMS_* and nfw-cms-* classes (realpages
# README): each theme is recognized by its own markup on a page carrying the NFCMS mark.
NFCMS_ZHANJIANG = Family(  # 湛江 portal (realpages zhanjiang_gov__budget__1)
    "nfcms_zhanjiang",
    body=_css("div.article#article"),
    title=_css("div.cont h3"),
    attachments=_css("div.fj"),
    marker=_css("div.art-info"),
    platform="nfcms",
)
NFCMS_ZS = Family(  # 中山市财政局 (realpages czj_zs_gov__notice__1)
    "nfcms_zs",
    body=_css("div.article-content"),
    title=_css("div.main div.title"),
    marker=_css("div.sub-info"),
    platform="nfcms",
)
NFCMS_JIANGMEN = Family(  # 江门 portal's bureau sections (realpages jiangmen_gov__budget__1)
    "nfcms_jiangmen",
    body=_css("#zoomcon"),
    title=_css("div.content-wrap h1"),
    attachments=_css("div.rel_news"),  # 附件下载：<ul class="infoList"> after the article
    marker=_css("ul.tit-info", "li.article-time"),
    platform="nfcms",
)
NFCMS = Family(  # another theme of the site group: the three themes' containers, then common ones
    "nfcms",
    body=_css("div.article#article", "div.article-content", "#zoomcon"),
    title=_css("div.cont h3", "div.main div.title", "div.content-wrap h1"),
    attachments=_css("div.fj", "div.rel_news"),
    platform="nfcms",
)
GKMLPT = Family(  # 政府信息公开目录 content pages: the article is window._CONFIG.DETAIL
    "gkmlpt",
    body=_css(".article-content"),
    title=_css("h1.title"),
    platform="gkmlpt",
    embedded=read_embedded,
    fallback_body=False,
)
GDGPO = Family(  # 广东省政府采购网: getInfoById's content, an HTML fragment (docs/sites.md)
    "gdgpo",
    body=_css("body"),
    host=re.compile(r"(^|\.)gdgpo\.czt\.gd\.gov\.cn$"),
    kind="procurement",
    fallback_body=False,
)
GENERIC = Family("generic", body=GENERIC_BODY)

FAMILIES: tuple[Family, ...] = (
    CCGP,
    CCGP_HEBEI,
    GGZY,
    EPOINT,
    GDGPO,
    GKMLPT,
    NFCMS_ZHANJIANG,
    NFCMS_ZS,
    NFCMS_JIANGMEN,
    HANWEB,
    TRS,
    VSB,
    IVS,
    GONGBAO,
    NFRA,
    GZ,  # www.gz.gov.cn: an NFCMS theme too, known by its host
    NFCMS,
)


def url_host(url: str | None) -> str:
    """The URL's lower-case host name, or '' (relative, file: or malformed URLs)."""
    try:
        return (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return ""


def family_named(name: str) -> Family:
    """The family called ``name`` (``ccgp``, ``hanweb`` …); KeyError for an unknown one."""
    for family in (*FAMILIES, GENERIC):
        if family.name == name:
            return family
    raise KeyError(f"no extraction family {name!r}")


def detect_family(index: PageIndex, url: str | None) -> Family:
    """The page's family: by URL host first, then by markup markers, else ``GENERIC``."""
    host = url_host(url)
    for family in FAMILIES:
        if family.host is not None and host and family.host.search(host):
            return family
    for family in FAMILIES:
        if _marked(index, family):
            return family
    return GENERIC


def _marked(index: PageIndex, family: Family) -> bool:
    """The page shows the family's markers (and carries its platform's script mark)."""
    if family.platform is not None:
        if family.platform not in index.marks:
            return False
        if not family.marker:
            return True
    return any(select(index, sel) for sel in family.marker)
