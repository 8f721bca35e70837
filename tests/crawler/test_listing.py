from crawler import listing

TRS_PAGE = """<html><head><script>
function createPageHTML(_nPageCount, _nCurrIndex, _sPageName, _sPageExt){ /* pager */ }
</script></head><body>
<ul class="list">
 <li><a href="./200609/t20060907_10234.shtml" title="关于…">关于…</a><span class="date">2006-09-07</span></li>
 <li><a href="../tzgg/200608/t20060801_10111.shtml">二</a><span class="date">2006-08-01</span></li>
 <li><a href="./200609/t20060907_10234.shtml">dup</a></li>
 <li><a href="javascript:void(0)">x</a></li>
</ul>
<ul class="nav"><li><a href="/czj/other/">导航</a></li></ul>
<div class="page"><script>createPageHTML(4, 0, "index", "shtml");</script></div>
</body></html>"""

BASE = "http://127.0.0.1:8800/czj/xxgk/tzgg/index.shtml"


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


HANWEB = """<div id="2801"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/czj/module/jpage/dataproxy.jsp?page=1&appid=1&webid=1&columnid=2801&unitid=5501"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/czj/art/2006/9/7/art_2801_4567.html" title="甲">甲</a><span>2006-09-07</span></li>]]></record>
<record><![CDATA[<li><a href='/czj/art/2006/9/6/art_2801_4566.html'>乙</a></li>]]></record>
</recordset></datastore></script>
<script>var jpage = {perpage: 1, totalrecord: 0}</script><totalrecord>7</totalrecord></div>"""

HANWEB_URL = "http://127.0.0.1:8800/czj/col/col2801/index.html"


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


CCGP_PAGE = """<ul class="c_list_bid">
<li><a href="./202106/t20210610_16412345.htm" title="某项目中标公告" target="_blank">某项目中标公告</a><em>2021-06-10 17:35</em><em>湛江市赤坎区</em><em>湛江市教育局</em></li>
</ul><p class="pager"><script>Pager({size:3, current:0, prefix:'index', suffix:'htm'});</script></p>"""
CCGP_URL = "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/index.htm"


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
