"""CMS families: how each family's list pages show their items and their further pages.

A family is one object with a ``name`` and three methods over a list-page response:

- ``item_urls(response)``: the detail links it lists, absolute, in list order, no duplicates;
- ``more_urls(response, limit)``: the column's further list pages, at most ``limit``, read from
  its first page (an empty list on every later page);
- ``item_dates(response)``: the date shown beside each item, by item URL (for ``ZWGK_SINCE``).

Optional, for JSON list APIs walked page after page: ``next_url(response)`` (the next page or
None; a 404 on a later page then ends the walk instead of failing), ``item_fields(response)``
(``{item URL: the list's own fields}``, handed to the detail page's item), ``announced(response)``
(how many items the list says it holds), ``item_texts(response)`` (each item's whole text, for a
spider's ``keep_words`` filter) and ``detail_format`` (how the writer reads the detail:
``html``, or ``gdgpo`` for the procurement platform's JSON).

A ``crawler.spiders.base.Column`` holds its family and ``ColumnSpider.parse_list`` only calls
these methods, so the spider knows no family by name. The pure functions over page text stay in
``crawler.listing`` (tested there); a family puts together the ones its markup needs.

Adding a family (NFCMS, gkmlpt's JSON API, gdgpo …) is one new object:

1. write its pure functions over page text (in ``crawler.listing`` or a module of their own)
   and test them on a list page of that family;
2. add a frozen dataclass here with the three methods and a ``name``, its docstring saying
   which real markup it reads and what is inferred; site-specific parameters (an API base, a
   column id) are its fields;
3. give a site's columns an instance: ``Column("政策文件", "gkmlpt/index", Gkmlpt(site_id=…))``.

Nothing in the spider changes. Families are plain module-level classes, so a ``Column`` (in a
request's ``cb_kwargs``) pickles for disk and Redis request queues.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar, Protocol

from scrapy.http import TextResponse

from crawler import apis, listing


class ListFamily(Protocol):
    """What the spider asks of a CMS family's list pages."""

    name: ClassVar[str]

    def item_urls(self, response: TextResponse) -> list[str]:
        """Detail links of this list page, absolute, in order, without duplicates."""
        ...

    def more_urls(self, response: TextResponse, limit: int) -> list[str]:
        """The column's further list pages announced by its first page (at most ``limit``)."""
        ...

    def item_dates(self, response: TextResponse) -> dict[str, dt.date]:
        """The date shown beside each item of this list page, by item URL."""
        ...


@dataclass(frozen=True)
class Trs:
    """TRS WCM columns, and ccgp.gov.cn's TRS-generated lists.

    Reads the inline pager call ``createPageHTML(pageCount, currentIndex, "index", "shtml")``
    (pages ``index.shtml``, ``index_1.shtml`` …) or ccgp's ``Pager({size: n, current: i,
    prefix: 'index', suffix: 'htm'})``, links under ``li`` of ``ul.list`` / ``ul.c_list_bid``
    and the date in the item outside its link. Real: the ``createPageHTML(_nPageCount,
    _nCurrIndex, _sPageName, _sPageExt)`` definition, seen inline on real TRS detail pages
    (../shared/realpages, shanxi_gov), which fixes the argument order. Inferred (no real list
    page was found): the call on list pages, the list classes, the date beside the link, and
    ccgp's ``Pager`` and ``c_list_bid`` list (from the national 2020 format).
    """

    def __reduce__(self) -> str:
        return "TRS"  # pickled by name: one instance per family, also across processes

    name: ClassVar[str] = "trs"

    def item_urls(self, response: TextResponse) -> list[str]:
        return listing.trs_item_urls(response.selector, response.url)

    def more_urls(self, response: TextResponse, limit: int) -> list[str]:
        return listing.trs_page_urls(response.text, response.url, limit)

    def item_dates(self, response: TextResponse) -> dict[str, dt.date]:
        return listing.trs_item_dates(response.selector, response.url)

    def item_texts(self, response: TextResponse) -> dict[str, str]:
        return listing.trs_item_texts(response.selector, response.url)


@dataclass(frozen=True)
class Hanweb:
    """Hanweb 大汉 jcms columns (``col/colNNNN/index.html``).

    Reads the ``<record><![CDATA[…]]></record>`` items of the page's ``<datastore>`` script
    (items are in CDATA, not in the DOM), its ``<totalrecord>``, the jpage ``perpage`` and the
    ``<nextgroup>`` link to ``module/jpage/dataproxy.jsp``; records beyond those inline are
    fetched from ``dataproxy.jsp?startrecord=…&endrecord=…&perpage=…``, three pages a request.
    Real: Hanweb detail pages (fgw_zj_gov, jyt_zj_gov in ../shared/realpages) confirm the family
    and its URLs; no real list page was found, so the datastore layout, the dataproxy.jsp
    parameters, the three-page grouping and the date beside the link are inferred from public
    documentation of jcms's jpage pager.
    """

    def __reduce__(self) -> str:
        return "HANWEB"  # pickled by name: one instance per family, also across processes

    name: ClassVar[str] = "hanweb"

    def item_urls(self, response: TextResponse) -> list[str]:
        return listing.hanweb_item_urls(response.text, response.url)

    def more_urls(self, response: TextResponse, limit: int) -> list[str]:
        return listing.hanweb_more_urls(response.text, response.url, limit)

    def item_dates(self, response: TextResponse) -> dict[str, dt.date]:
        return listing.hanweb_item_dates(response.text, response.url)


@dataclass(frozen=True)
class Nfcms:
    """NFCMS column pages of the Guangdong government site group (``…/index.html``,
    ``index_2.html`` …; articles at ``content/post_<ID>.html``).

    Real: the article template's shared markup (three themes in ../shared/realpages:
    zhanjiang_gov, czj_zs_gov, jiangmen_gov) and the ``content/post_<ID>.html`` URLs. Inferred
    (no real NFCMS list page was found): items as links under ``ul.list li`` with the date
    beside the link, and a pager that links the further pages ``index_N.html``.
    """

    def __reduce__(self) -> str:
        return "NFCMS"  # pickled by name: one instance per family, also across processes

    name: ClassVar[str] = "nfcms"

    def item_urls(self, response: TextResponse) -> list[str]:
        return listing.trs_item_urls(response.selector, response.url)

    def more_urls(self, response: TextResponse, limit: int) -> list[str]:
        return listing.nfcms_page_urls(response.selector, response.url, limit)

    def item_dates(self, response: TextResponse) -> dict[str, dt.date]:
        return listing.trs_item_dates(response.selector, response.url)


@dataclass(frozen=True)
class Gkmlpt:
    """The gkmlpt list API (政府信息公开目录): JSON pages walked one after another.

    A *sequential* family: ``next_url`` gives the page after this one, or None; a 404 on a
    later page ends the walk (only a recent slice is served). ``item_fields`` hands each
    document's catalogue fields (文号, 索引号, 发布机构, 成文日期 …) to its detail request;
    ``announced`` reports the category's ``post_count`` (an upper bound). See crawler.apis.
    """

    def __reduce__(self) -> str:
        return "GKMLPT"  # pickled by name: one instance per family, also across processes

    name: ClassVar[str] = "gkmlpt"
    detail_format: ClassVar[str] = "html"

    def item_urls(self, response: TextResponse) -> list[str]:
        return list(apis.gkmlpt_items(response.text, response.url))

    def more_urls(self, response: TextResponse, limit: int) -> list[str]:
        return []

    def next_url(self, response: TextResponse) -> str | None:
        return apis.gkmlpt_next_page(response.text, response.url)

    def item_dates(self, response: TextResponse) -> dict[str, dt.date]:
        return apis.gkmlpt_dates(response.text, response.url)

    def item_fields(self, response: TextResponse) -> dict[str, dict]:
        return apis.gkmlpt_items(response.text, response.url)

    def announced(self, response: TextResponse) -> int | None:
        return apis.gkmlpt_post_count(response.text)


@dataclass(frozen=True)
class Gdgpo:
    """广东省政府采购网's list API (``selectInfoForIndex``): JSON pages by ``currPage`` until
    ``total``; each row's detail is the JSON of ``getInfoById`` (``detail_format`` "gdgpo"),
    whose ``content`` is the announcement's HTML. See crawler.apis."""

    def __reduce__(self) -> str:
        return "GDGPO"  # pickled by name: one instance per family, also across processes

    name: ClassVar[str] = "gdgpo"
    detail_format: ClassVar[str] = "gdgpo"

    def item_urls(self, response: TextResponse) -> list[str]:
        return apis.gdgpo_items(response.text, response.url)

    def more_urls(self, response: TextResponse, limit: int) -> list[str]:
        return []

    def next_url(self, response: TextResponse) -> str | None:
        return apis.gdgpo_next_page(response.text, response.url)

    def item_dates(self, response: TextResponse) -> dict[str, dt.date]:
        return apis.gdgpo_dates(response.text, response.url)

    def announced(self, response: TextResponse) -> int | None:
        return apis.gdgpo_total(response.text)


TRS = Trs()
HANWEB = Hanweb()
NFCMS = Nfcms()
GKMLPT = Gkmlpt()
GDGPO = Gdgpo()
