from crawler import listing
from tests.crawler.listpages import BASE, CCGP_PAGE, CCGP_URL, HANWEB, HANWEB_URL, TRS_PAGE


def test_trs_pager_reads_the_call_not_the_definition():
    assert listing.trs_pager(TRS_PAGE) == (4, 0, "index", "shtml")


def test_trs_page_urls_from_first_page():
    assert listing.trs_page_urls(TRS_PAGE, BASE) == [
        "http://127.0.0.1:8800/czj/xxgk/tzgg/index_1.shtml",
        "http://127.0.0.1:8800/czj/xxgk/tzgg/index_2.shtml",
        "http://127.0.0.1:8800/czj/xxgk/tzgg/index_3.shtml",
    ]


def test_trs_page_urls_only_from_index_zero_and_bounded():
    later = TRS_PAGE.replace("createPageHTML(4, 0,", "createPageHTML(4, 2,")
    assert listing.trs_page_urls(later, BASE) == []
    assert len(listing.trs_page_urls(TRS_PAGE, BASE, limit=2)) == 1


def test_trs_item_urls_are_absolute_unique_and_in_the_list_only():
    assert listing.trs_item_urls(TRS_PAGE, BASE) == [
        "http://127.0.0.1:8800/czj/xxgk/tzgg/200609/t20060907_10234.shtml",
        "http://127.0.0.1:8800/czj/xxgk/tzgg/200608/t20060801_10111.shtml",
    ]


def test_no_pager_means_one_page():
    assert listing.trs_page_urls("<ul class='list'></ul>", BASE) == []


def test_hanweb_records_in_cdata():
    assert listing.hanweb_item_urls(HANWEB, HANWEB_URL) == [
        "http://127.0.0.1:8800/czj/art/2006/9/7/art_2801_4567.html",
        "http://127.0.0.1:8800/czj/art/2006/9/6/art_2801_4566.html",
    ]


def test_hanweb_more_urls_cover_the_rest_in_groups_of_three_pages():
    urls = listing.hanweb_more_urls(HANWEB, HANWEB_URL)
    assert urls == [
        "http://127.0.0.1:8800/czj/module/jpage/dataproxy.jsp?startrecord=3&endrecord=5"
        "&perpage=1&appid=1&webid=1&columnid=2801&unitid=5501",
        "http://127.0.0.1:8800/czj/module/jpage/dataproxy.jsp?startrecord=6&endrecord=7"
        "&perpage=1&appid=1&webid=1&columnid=2801&unitid=5501",
    ]


def test_hanweb_all_inline_means_no_more():
    assert listing.hanweb_more_urls(HANWEB.replace(">7<", ">2<"), HANWEB_URL) == []


def test_ccgp_pager_and_items():
    assert listing.trs_pager(CCGP_PAGE) == (3, 0, "index", "htm")
    assert listing.trs_page_urls(CCGP_PAGE, CCGP_URL) == [
        "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/index_1.htm",
        "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/index_2.htm",
    ]
    assert listing.trs_item_urls(CCGP_PAGE, CCGP_URL) == [
        "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/202106/t20210610_16412345.htm"
    ]


def test_item_dates_beside_the_links():
    import datetime as dt

    assert listing.trs_item_dates(TRS_PAGE, BASE) == {
        "http://127.0.0.1:8800/czj/xxgk/tzgg/200609/t20060907_10234.shtml": dt.date(2006, 9, 7),
        "http://127.0.0.1:8800/czj/xxgk/tzgg/200608/t20060801_10111.shtml": dt.date(2006, 8, 1),
    }
    assert listing.trs_item_dates(CCGP_PAGE, CCGP_URL) == {
        "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/202106/t20210610_16412345.htm": dt.date(
            2021, 6, 10
        )
    }
    assert listing.hanweb_item_dates(HANWEB, HANWEB_URL) == {
        "http://127.0.0.1:8800/czj/art/2006/9/7/art_2801_4567.html": dt.date(2006, 9, 7)
    }
