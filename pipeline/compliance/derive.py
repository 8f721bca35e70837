"""Dates and facts a rule needs that no archive column holds, read from a notice's text.

Each function takes the cleaned text the archive stores (``notices.title`` or ``body_text``)
and returns None when the text does not state the fact: a checker then reports the subject
``undeterminable`` or uses the rule's proxy, never a guess. Patterns follow the real pages in
the shared real-page set (ccgp 中标/成交公告 "成交日期：2019年02月13日", the 广东省政府采购网
"获取招标文件 时间：…至…" block) and docs/procurement-fields.md.
"""

from __future__ import annotations

import datetime as dt
import re

from pipeline.normalize.dates import parse_date

# A Chinese date as printed: 2024年09月03日, 2024年9月3日, 2024-09-03, 二〇二四年九月三日.
_DATE = (
    r"(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}[-./]\d{1,2}[-./]\d{1,2}"
    r"|[〇零○一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
)
_REPORT = re.compile(r"(\d{4})\s*年(?:度)?.{0,30}?政府信息公开(?:工作)?年度报告")
_REPORT_TITLE = re.compile(r"政府信息公开(?:工作)?年度报告")
_DOC_PERIOD = re.compile(
    rf"(?:获取(?:招标|磋商|谈判|询价|采购|资格预审)?文件|(?:招标|采购|磋商|谈判)文件的获取)"
    rf"[\s\S]{{0,40}}?时间\s*[:：]\s*({_DATE})"
    rf"\s*(?:至|到|—|－|-|~|～)\s*({_DATE})"
)
_DETERMINED = re.compile(rf"(?:中标|成交)(?:结果确定)?日期\s*[:：]\s*({_DATE})")
_EVALUATED = re.compile(rf"(?:评审|评标)(?:日期|时间)\s*[:：]\s*({_DATE})")
_APPROVED = re.compile(
    rf"({_DATE})[^。；;\n]{{0,60}}?(?:人民代表大会|人大常委会|人大)[^。；;\n]{{0,40}}?批准"
    rf"|({_DATE})[^。；;\n]{{0,60}}?财政(?:局|厅|部门)?[^。；;\n]{{0,20}}?批复"
)
_CENTRAL = re.compile(r"^(?:中华人民共和国|国家|中国|中央|全国)")
_PROVINCE = re.compile(r"^(?:[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,5}自治区)")
_LOCAL = re.compile(r"[市县区州盟旗]")


def report_year(title: str | None) -> int | None:
    """The year an annual disclosure report is about: '…2023年政府信息公开工作年度报告' -> 2023."""
    match = _REPORT.search(title or "")
    return int(match.group(1)) if match else None


def is_annual_report(title: str | None) -> bool:
    return bool(_REPORT_TITLE.search(title or ""))


def unit_level(purchaser: str | None) -> str | None:
    """``central``, ``provincial`` or ``below_provincial`` from a budget unit's name.

    '广东省财政厅' is provincial, '广东省湛江市…' and '湛江市第一中学' are below the province,
    '国家税务总局湛江市税务局' is central (a vertically managed office). None when unnamed.
    """
    name = re.sub(r"\s+", "", purchaser or "")
    if not name:
        return None
    if _CENTRAL.match(name):
        return "central"
    province = _PROVINCE.match(name)
    if province and not _LOCAL.search(name[province.end() : province.end() + 4]):
        return "provincial"
    return "below_provincial"


def tender_doc_period(text: str | None) -> tuple[dt.date | None, dt.date | None]:
    """The 获取招标文件 period of a tender notice: (first day, last day), else (None, None)."""
    match = _DOC_PERIOD.search(text or "")
    if not match:
        return None, None
    return parse_date(match.group(1)), parse_date(match.group(2))


def determined_date(text: str | None) -> dt.date | None:
    """The date an award notice says the winner was determined (中标日期 / 成交日期)."""
    match = _DETERMINED.search(text or "")
    return parse_date(match.group(1)) if match else None


def evaluation_date(text: str | None) -> dt.date | None:
    """The evaluation date an award notice prints (评审日期 / 评标日期), if any."""
    match = _EVALUATED.search(text or "")
    return parse_date(match.group(1)) if match else None


def approval_date(text: str | None) -> dt.date | None:
    """The date a budget or final account was approved by the 人大 (or replied to by the
    finance department), when one sentence of the text states both."""
    match = _APPROVED.search(text or "")
    return parse_date(match.group(1) or match.group(2)) if match else None
