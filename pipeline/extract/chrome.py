"""Page chrome inside the article container: never body text.

Templates often close the article container late, so it ends with the page's own controls:
the QR prompt ``扫一扫在手机打开当前页``, ``【打印本页】【关闭窗口】`` / ``【TOP】【打印页面】``
buttons, ``责任编辑：…`` lines (realpages: jiangmen_gov__budget__1 and gz_gov__notice__1 carry
them right after the container). The paragraphs at the end of the body that are nothing but such
chrome are left out of ``body_text``, and the elements holding chrome are left out of
``body_html``; a paragraph that merely mentions printing is text.
"""

from __future__ import annotations

import re

from lxml import etree

from pipeline.extract.dom import flat_text, is_skipped
from pipeline.extract.text import line_text

_CONTROL = (
    r"(?:打印(?:本页|页面|此页|文章|本文)?|关闭(?:窗口|页面|本页|本文)?|返回(?:顶部|首页|列表)?"
    r"|TOP|top|Top|顶部|(?:加入)?收藏(?:本页)?|(?:内容)?纠错|分享(?:到)?[:：]?"
    r"|字[体号]\s*[:：]?\s*(?:[大中小]\s*)*)"
)
CHROME_LINE = re.compile(
    r"^(?:"
    r"扫一扫\s*(?:在)?手机(?:上)?(?:打开|浏览|查看|阅读)\s*(?:当前页面?|本页|此页|本文)?"
    r"|[（(]?\s*责任编辑\s*[:：]\s*[^\s，。；,;]{0,12}(?:\s+[^\s，。；,;]{1,12}){0,2}\s*[)）]?"
    rf"|(?:[【\[［]?\s*{_CONTROL}\s*[】\]］]?[\s|｜]*)+"
    r")$"
)

Chrome = frozenset[etree._Element]


def is_chrome(text: str) -> bool:
    """True for a paragraph that is only page chrome (normalized text, see docs/record.md)."""
    return CHROME_LINE.match(text) is not None


def without_chrome(paragraphs: list[str]) -> tuple[list[str], bool]:
    """The paragraphs without the chrome that ends them, and whether there was any."""
    end = len(paragraphs)
    while end and CHROME_LINE.match(paragraphs[end - 1]) is not None:
        end -= 1
    return (paragraphs[:end], True) if end < len(paragraphs) else (paragraphs, False)


def chrome_elements(body: etree._Element) -> Chrome:
    """The outermost elements of ``body`` whose whole visible text is chrome."""
    found: list[etree._Element] = []
    walker = etree.iterwalk(body, events=("start",))
    for _, el in walker:
        if el is body:
            continue
        if is_skipped(el):
            walker.skip_subtree()
            continue
        text = line_text(flat_text(el))
        if text and is_chrome(text):
            found.append(el)
            walker.skip_subtree()
    return frozenset(found)
