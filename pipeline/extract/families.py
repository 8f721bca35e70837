"""CMS-family profiles: where a family keeps its article body and title.

A page belongs to the first family whose host pattern matches its URL, else to the first
family whose ``marker`` selector matches the page, else to ``generic``. Selectors are CSS,
parsed once at import and resolved through the page index (``index.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

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
GENERIC = Family("generic", body=GENERIC_BODY)

FAMILIES: tuple[Family, ...] = (
    CCGP,
    CCGP_HEBEI,
    GGZY,
    EPOINT,
    HANWEB,
    TRS,
    VSB,
    IVS,
    GONGBAO,
    NFRA,
    GZ,
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
        if any(select(index, sel) for sel in family.marker):
            return family
    return GENERIC
