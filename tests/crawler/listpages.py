"""A small list page of each CMS family (crawler.families says which of its markup is real and
which inferred), shared by the listing and the family tests."""

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

HANWEB = """<div id="2801"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/czj/module/jpage/dataproxy.jsp?page=1&appid=1&webid=1&columnid=2801&unitid=5501"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/czj/art/2006/9/7/art_2801_4567.html" title="甲">甲</a><span>2006-09-07</span></li>]]></record>
<record><![CDATA[<li><a href='/czj/art/2006/9/6/art_2801_4566.html'>乙</a></li>]]></record>
</recordset></datastore></script>
<script>var jpage = {perpage: 1, totalrecord: 0}</script><totalrecord>7</totalrecord></div>"""

HANWEB_URL = "http://127.0.0.1:8800/czj/col/col2801/index.html"

CCGP_PAGE = """<ul class="c_list_bid">
<li><a href="./202106/t20210610_16412345.htm" title="某项目中标公告" target="_blank">某项目中标公告</a><em>2021-06-10 17:35</em><em>湛江市赤坎区</em><em>湛江市教育局</em></li>
</ul><p class="pager"><script>Pager({size:3, current:0, prefix:'index', suffix:'htm'});</script></p>"""
CCGP_URL = "http://127.0.0.1:8800/ccgp/cggg/dfgg/zbgg/index.htm"
