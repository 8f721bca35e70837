"""List pages of the nine announcement categories, newest first, 20 a page.

INFERRED (no real ccgp list page was available): items as ``<ul class="c_list_bid">`` entries
(link with the full title in ``title``, then publish time, region and purchaser in ``<em>``),
then the ccgp pager ``Pager({size:N, current:I, prefix:'index', suffix:'htm'})`` announcing
``index.htm``, ``index_1.htm`` … ``index_{N-1}.htm``.
"""

from __future__ import annotations

from replica import chrome, dirty
from replica.model import Column
from replica.procurement import catalog, columns, layout
from replica.procurement.model import Announcement

PER_PAGE = 20
TITLE_CHARS = 40
PAGER_JS = (
    "<script>function Pager(o){var h='';for(var i=0;i<o.size;i++){var n=i?o.prefix+'_'+i:"
    "o.prefix;h+=i==o.current?'<span>'+(i+1)+'</span>':'<a href=\"'+n+'.'+o.suffix+'\">'+"
    "(i+1)+'</a>';}document.write(h);}</script>"
)


def page_count(items: int) -> int:
    return max(1, -(-items // PER_PAGE))


def list_page(
    column: Column, items: list[Announcement], index: int, count: int, prefix: str
) -> str:
    """Page ``index`` (0-based) of ``count`` of a category's list."""
    here = column.dir + columns.page_name(index)
    lines = "\n".join(_item(a, here) for a in items)
    pager = f"Pager({{size:{count}, current:{index}, prefix:'index', suffix:'htm'}});"
    body = "\n".join(
        (
            "",
            layout.header(prefix),
            '<div class="main">\n<div class="main_container">',
            layout.crumbs(column, here),
            f'<div class="vF_list_title"><h2>{dirty.esc(column.name)}</h2></div>',
            f'<div class="vF_detail_relcontent_lst">\n<ul class="c_list_bid">\n{lines}\n</ul>',
            f'<p class="pager"><script>{pager}</script></p>\n</div>',
            "</div>\n</div>",
            layout.FOOTER,
        )
    )
    head = f"{layout.site_metas()}\n{PAGER_JS}"
    return layout.document(f"{column.name}_{layout.SITE_TITLE}", head, body)


def region(purchaser: catalog.Purchaser) -> str:
    """The list's region column: ``湛江市`` or ``湛江市赤坎区``."""
    city = catalog.CITY
    return city if purchaser.region == city else city + purchaser.region


def _item(announcement: Announcement, here: str) -> str:
    notice = announcement.notice
    shown = dirty.title(notice.title, notice.key)
    label = shown if len(shown) <= TITLE_CHARS else shown[: TITLE_CHARS - 1] + "…"
    purchaser = _purchaser(announcement)
    link = (
        f'<a href="{chrome.rel(notice.path, here)}" title="{dirty.attr(shown)}" '
        f'target="_blank">{dirty.esc(label)}</a>'
    )
    moment = f"{notice.publish_date} {notice.publish_time}"
    return (
        f"<li>{link}<em>{moment}</em><em>{region(purchaser)}</em>"
        f"<em>{dirty.esc(purchaser.name)}</em></li>"
    )


def _purchaser(announcement: Announcement) -> catalog.Purchaser:
    name = announcement.draft.fields["purchaser"]
    return next(p for p in catalog.PURCHASERS if p.name == name)
