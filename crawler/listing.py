"""Where the links are on CMS list pages: pure functions over list-page text.

TRS WCM: items in a list, pages ``index.shtml``, ``index_1.shtml`` … announced by a call of the
inline pager ``createPageHTML(pageCount, currentIndex, "index", "shtml")``.
Hanweb jcms: items live in CDATA ``<record>`` blocks of a ``<datastore>`` script, the first few
pages inline, the rest from ``module/jpage/dataproxy.jsp?startrecord=…&endrecord=…&perpage=…``.
NFCMS (Guangdong site group): items in ``ul.list li`` like TRS; pages ``index.html``,
``index_2.html`` … linked from the pager.

``crawler.families`` puts these together per CMS family for the spider.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

from parsel import Selector

from pipeline.normalize import parse_date
from pipeline.normalize.urls import web_url

_CCGP_PAGER = re.compile(
    r"Pager\(\{\s*size\s*:\s*(\d+)\s*,\s*current\s*:\s*(\d+)\s*,\s*"
    r"prefix\s*:\s*[\"']([\w-]+)[\"']\s*,\s*suffix\s*:\s*[\"'](\w+)[\"']"
)
_PAGER_CALL = re.compile(
    r"createPageHTML\(\s*(\d+)\s*,\s*(\d+)\s*,\s*[\"']([\w-]+)[\"']\s*,\s*[\"'](\w+)[\"']\s*\)"
)
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S)
_HREF = re.compile(r"""href\s*=\s*["']([^"']+)["']""", re.I)
_TOTAL = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I)
_PERPAGE = re.compile(r"perpage\s*[:=]\s*['\"]?(\d+)", re.I)
_NEXTGROUP = re.compile(r"<nextgroup>\s*<!\[CDATA\[(.*?)\]\]>", re.S)

_LIST_XPATH = (
    "//ul[contains(concat(' ', normalize-space(@class), ' '), ' list ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' c_list_bid ')]"
)
TRS_ITEM_XPATH = _LIST_XPATH + "//li//a/@href"
_LINK = re.compile(r"<a\b.*?</a\s*>", re.S | re.I)


def trs_pager(text: str) -> tuple[int, int, str, str] | None:
    """The (page count, current index, page name, extension) of a TRS list page, or None.

    Reads TRS's ``createPageHTML(n, i, "index", "shtml")`` and ccgp.gov.cn's
    ``Pager({size: n, current: i, prefix: 'index', suffix: 'htm'})``.
    """
    match = _PAGER_CALL.search(text) or _CCGP_PAGER.search(text)
    if not match:
        return None
    count, current, name, ext = match.groups()
    return int(count), int(current), name, ext


def trs_page_urls(text: str, url: str, limit: int = 2000) -> list[str]:
    """URLs of the other pages of a TRS list, announced on its first page (index 0)."""
    pager = trs_pager(text)
    if not pager or pager[1] != 0:
        return []
    count, _, name, ext = pager
    return [urljoin(url, f"{name}_{i}.{ext}") for i in range(1, min(count, limit))]


def _selector(page: str | Selector) -> Selector:
    return page if isinstance(page, Selector) else Selector(text=page)


def trs_item_urls(page: str | Selector, url: str) -> list[str]:
    """Detail links of a TRS list page (text, or an already parsed Selector), absolute, in order."""
    hrefs = _selector(page).xpath(TRS_ITEM_XPATH).getall()
    return _absolute(hrefs, url)


def hanweb_item_urls(text: str, url: str) -> list[str]:
    """Detail links inside the ``<record>`` CDATA blocks of a Hanweb list or datastore."""
    hrefs = []
    for record in _RECORD.findall(text):
        match = _HREF.search(record)
        if match:
            hrefs.append(match.group(1))
    return _absolute(hrefs, url)


def hanweb_more_urls(text: str, url: str, limit: int = 2000) -> list[str]:
    """dataproxy.jsp URLs for the records a Hanweb column page does not carry inline."""
    total_match = _TOTAL.search(text)
    nextgroup = _NEXTGROUP.search(text)
    if not total_match or not nextgroup:
        return []
    total = int(total_match.group(1))
    inline = len(_RECORD.findall(text))
    perpage_match = _PERPAGE.search(text)
    perpage = int(perpage_match.group(1)) if perpage_match else 15
    href = _HREF.search(nextgroup.group(1))
    if not href or inline >= total:
        return []
    proxy = urlsplit(href.group(1))
    params = [(k, v) for k, v in parse_qsl(proxy.query) if k not in ("page",)]
    step = perpage * 3
    urls = []
    for start in range(inline + 1, total + 1, step):
        query = urlencode(
            [
                ("startrecord", start),
                ("endrecord", min(start + step - 1, total)),
                ("perpage", perpage),
                *params,
            ]
        )
        urls.append(urljoin(url, f"{proxy.path}?{query}"))
        if len(urls) >= limit:
            break
    return urls


def trs_item_dates(page: str | Selector, url: str) -> dict[str, dt.date]:
    """The date shown beside each item of a TRS / ccgp list (outside the link), by item URL."""
    dates: dict[str, dt.date] = {}
    for item in _selector(page).xpath(_LIST_XPATH + "//li"):
        link = web_url(url, item.xpath(".//a/@href").get())
        shown = parse_date(" ".join(item.xpath("./text() | ./*[not(self::a)]//text()").getall()))
        if link and shown:
            dates.setdefault(link, shown)
    return dates


def trs_item_texts(page: str | Selector, url: str) -> dict[str, str]:
    """The whole text of each item of a TRS / ccgp list (title, type, 地域, 采购人 …), by URL."""
    texts: dict[str, str] = {}
    for item in _selector(page).xpath(_LIST_XPATH + "//li"):
        href = item.xpath(".//a/@href").get()
        link = web_url(url, href) if href else None
        if link:
            words = item.xpath(".//text() | .//a/@title").getall()
            texts.setdefault(link, " ".join(w.strip() for w in words if w.strip()))
    return texts


def hanweb_item_dates(text: str, url: str) -> dict[str, dt.date]:
    """The date shown beside each ``<record>`` item of a Hanweb list, by item URL."""
    dates: dict[str, dt.date] = {}
    for record in _RECORD.findall(text):
        href = _HREF.search(record)
        link = web_url(url, href.group(1)) if href else None
        shown = parse_date(_LINK.sub(" ", record))
        if link and shown:
            dates.setdefault(link, shown)
    return dates


_NFCMS_PAGE = re.compile(r"(?:^|/)index_(\d+)\.html$")


def nfcms_page_urls(page: str | Selector, url: str, limit: int = 2000) -> list[str]:
    """The further pages of an NFCMS column (``index_2.html`` … up to the highest the first
    page's pager links to), read on its first page only."""
    if _NFCMS_PAGE.search(urlsplit(url).path):
        return []
    numbers = [
        int(match.group(1))
        for href in _selector(page).xpath("//a/@href").getall()
        if (match := _NFCMS_PAGE.search(urlsplit(href.strip()).path))
    ]
    last = min(max(numbers, default=1), limit)
    return [urljoin(url, f"index_{n}.html") for n in range(2, last + 1)]


def _absolute(hrefs: list[str], url: str) -> list[str]:
    """The http(s) URLs of ``hrefs`` resolved against ``url``, in order, without duplicates
    (``javascript:``, ``mailto:``, fragments and every other scheme left out, see web_url)."""
    links = (web_url(url, href) for href in hrefs)
    return list(dict.fromkeys(link for link in links if link))
