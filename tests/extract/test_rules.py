"""Extraction rules on small inline pages: body text, labels, title, breadcrumb, attachments."""

from __future__ import annotations

import pytest

from tests.conftest import extract_json

URL = "http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_10234.shtml"


def page(body: str, head: str = "", before: str = "") -> str:
    return (
        f"<html><head>{head}</head><body>{before}"
        f'<div class="TRS_Editor">{body}</div><div class="footer">版权所有</div></body></html>'
    )


def body_text(body: str) -> str | None:
    return extract_json(page(body), URL)["body_text"]


# -- body text (docs/record.md "Body text") ---------------------------------------------------------
@pytest.mark.parametrize(
    "hidden",
    [
        '<div style="display:none">藏</div>',
        '<p style="display: none;">藏</p>',
        '<div style="visibility:hidden">藏</div>',
        "<p hidden>藏</p>",
        '<input type="hidden" value="藏">',
        "<script>document.write('藏')</script>",
        "<style>.a{content:'藏'}</style>",
        "<!-- 藏 -->",
        '<span class="ng-hide">藏</span>',
    ],
)
def test_hidden_and_invisible_content_is_left_out(hidden: str) -> None:
    assert body_text(f"<div>甲{hidden}乙</div>") == "甲乙"


def test_blocks_and_br_start_paragraphs_inline_elements_do_not() -> None:
    html = "<p>一<b>二</b><span>三</span></p><div>四<br>五</div><ul><li>六</li><li>七</li></ul>八"
    assert body_text(html) == "一二三\n四\n五\n六\n七\n八"


def test_a_table_row_is_one_paragraph() -> None:
    html = "<table><tr><th>项目</th><th>金额</th></tr><tr><td><p>基本</p><p>支出</p></td>"
    html += "<td>2890.50</td></tr></table>"
    assert body_text(html) == "项目 金额\n基本 支出 2890.50"


def test_paragraphs_are_normalized_and_empty_ones_dropped() -> None:
    html = (
        "<p>　　全角１２３ＡＢＣ，保留。</p><p>&nbsp;</p><p>&nbsp;&nbsp;第二段\u2003</p><p><br></p>"
    )
    assert body_text(html) == "全角123ABC，保留。\n第二段"


def test_empty_body() -> None:
    assert body_text("<p> </p>") is None


# -- labelled fields ---------------------------------------------------------------------------------
def test_info_line_with_empty_author() -> None:
    info = '<div class="info">发布时间:2006-09-07 11:00 作者: 来源: 本网 字体:[<a>大</a>]</div>'
    result = extract_json(page("<p>正文</p>", before=info), URL)
    assert (result["publish_date"], result["publish_time"]) == ("2006-09-07", "11:00")
    assert result["author"] is None
    assert result["publisher"] == "本网"


def test_source_written_by_script() -> None:
    info = (
        '<div class="bar"><span class="tit">日期：</span><span class="con">2021-07-13</span>'
        '<script>if("处"!=""){document.write(\'<span class="tit">来源：</span>'
        '<span class="con">国际交流合作处</span>\');}</script></div>'
    )
    result = extract_json(page("<p>正文</p>", before=info), URL)
    assert result["publisher"] == "国际交流合作处"
    assert result["publish_date"] == "2021-07-13"


def test_labels_inside_the_body_are_not_metadata() -> None:
    result = extract_json(page("<p>图文来源：区委网信办</p><p>发布时间：2001-01-01</p>"), URL)
    assert result["publisher"] is None
    assert result["publish_date"] is None


def test_visible_date_wins_over_pubdate_meta() -> None:
    head = '<meta name="PubDate" content="2023-05-12 23:20">'
    result = extract_json(page("<p>正文</p>", head, "<span>发布时间：2009-09-30</span>"), URL)
    assert (result["publish_date"], result["publish_time"]) == ("2009-09-30", None)


def test_pubdate_meta_when_nothing_is_shown() -> None:
    head = '<meta name="PubDate" content="2023-11-30  14:52">'
    result = extract_json(page("<p>正文</p>", head), URL)
    assert (result["publish_date"], result["publish_time"]) == ("2023-11-30", "14:52")


def test_meta_fields() -> None:
    head = (
        '<meta name="ArticleTitle" content="标题  甲"><meta name="ColumnName" content="通知公告">'
        '<meta name="ContentSource" content="湛江日报"><title>别的标题_湛江市财政局</title>'
    )
    result = extract_json(page("<p>正文</p>", head), URL)
    assert (result["title"], result["category"], result["publisher"]) == (
        "标题 甲",
        "通知公告",
        "湛江日报",
    )


# -- title -------------------------------------------------------------------------------------------
def test_title_suffix_is_cut_by_site_name() -> None:
    head = '<meta name="SiteName" content="湛江市财政局"><title>1-10月收支情况-湛江市财政局</title>'
    assert extract_json(page("<p>正文</p>", head), URL)["title"] == "1-10月收支情况"


def test_title_suffix_is_cut_at_an_underscore() -> None:
    head = "<title>关于预算的通知_湛江市财政局</title>"
    assert extract_json(page("<p>正文</p>", head), URL)["title"] == "关于预算的通知"


def test_old_browser_interstitial_is_never_the_title() -> None:
    html = (
        "<html><head><title>工作动态_重庆市文化和旅游发展委员会</title></head><body>"
        '<div class="i-tit">更换或升级浏览器以获得最佳体验</div>'
        '<div class="TRS_UEDITOR"><p>正文</p></div></body></html>'
    )
    assert extract_json(html, URL)["title"] == "工作动态"


# -- breadcrumb --------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "trail",
    [
        '<div class="position">您当前所在位置: <a class="CurrChnlCls">首页</a> &gt; '
        '<a class="CurrChnlCls">信息公开</a> &gt; <a class="CurrChnlCls">通知公告</a></div>',
        "<table><tr><td>当前位置：<a>首页</a></td><td> &gt; <a>信息公开</a></td>"
        "<td> &gt; <a>通知公告</a></td></tr></table>",
        '<ul class="breadcrumb"><li><a>首页</a></li><li>&gt; <a>信息公开</a></li>'
        "<li>&gt; 通知公告</li></ul>",
        '<div class="bread">您所在的位置：<a>首页</a>&gt;&gt;<a>通知公告</a><span><a>正文</a></span></div>',
    ],
)
def test_breadcrumb_leaf(trail: str) -> None:
    assert extract_json(page("<p>正文</p>", before=trail), URL)["category"] == "通知公告"


def test_hidden_breadcrumb_is_ignored() -> None:
    trail = '<div class="dqwz" style="display:none"><a class="CurrChnlCls">部门动态</a></div>'
    visible = '<div class="position">当前位置：<a>首页</a> &gt; <span>工作动态</span></div>'
    assert extract_json(page("<p>正文</p>", before=visible + trail), URL)["category"] == "工作动态"


# -- attachments -------------------------------------------------------------------------------------
def test_attachments_honour_base_href_and_skip_pages() -> None:
    body = (
        '<p><a href="files/a.pdf">甲.pdf</a> <a href="other.html">另一篇</a>'
        ' <a href="javascript:void(0)">预算.xls</a> <a href="files/a.pdf">again</a></p>'
    )
    head = '<base href="http://files.zjczj.gov.cn/2006/">'
    assert extract_json(page(body, head), URL)["attachments"] == [
        {"name": "甲.pdf", "url": "http://files.zjczj.gov.cn/2006/files/a.pdf"}
    ]


def test_attachment_by_link_text_and_download_handler() -> None:
    after = (
        '<div class="fjdown"><a href="/module/download/downfile.jsp?classid=0&amp;filename=x">'
        "附件一</a> <a href='/getfile?id=7'>明细表.XLSX</a></div>"
    )
    html = page("<p>正文</p>").replace("</body>", after + "</body>")
    assert extract_json(html, URL)["attachments"] == [
        {
            "name": "附件一",
            "url": "http://www.zjczj.gov.cn/module/download/downfile.jsp?classid=0&filename=x",
        },
        {"name": "明细表.XLSX", "url": "http://www.zjczj.gov.cn/getfile?id=7"},
    ]


def test_breadcrumb_ending_in_plain_text_is_not_climbed_out_of() -> None:
    """中山 NFCMS theme: one link, then the column as text; the footer's links stay out."""
    trail = '<div class="location">当前位置：<a href="/">首页</a> &gt; 通知公告</div>'
    html = page("<p>正文</p>", before=trail).replace(
        '<div class="footer">', '<div class="footer"><a href="/gkmlpt/index">政府信息公开</a>'
    )
    html = html.replace("<body>", '<body><div class="w-fix">').replace("</body>", "</div></body>")
    assert extract_json(html, URL)["category"] == "通知公告"
