"""Announcement type and procurement method: from the title, the breadcrumb leaf, the summary.

The title decides first (an award's correction is titled ``…中标结果更正公告`` and filed under
更正公告 or 中标公告 alike), read after the project name when the title starts with it; then
the breadcrumb leaf (the list category); then the summary table's labels (总中标金额 only on
awards, 开标时间 only on tenders, 合同金额 only on contracts). Nothing matched: ``other``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

TYPES = ("intent", "tender", "correction", "award", "contract", "termination", "other")
# Checked in this order: a correction or termination names the stage it corrects or ends.
_TITLE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("correction", re.compile(r"更正|变更|澄清|补充公告|延期公告")),
    ("termination", re.compile(r"终止|废标|流标|取消公告")),
    ("intent", re.compile(r"采购意向")),
    ("contract", re.compile(r"合同(?:公告|公示|$)")),  # 全国公共资源交易平台: …采购项目合同
    ("award", re.compile(r"中标|成交|结果(?:公告|公示)|中选")),
    (
        "tender",
        re.compile(r"招标公告|磋商公告|谈判公告|询价公告|询价通知|单一来源|采购公告|资格预审|邀请"),
    ),
)
_CATEGORIES: dict[str, str] = {
    "采购意向": "intent",
    "意向公开": "intent",
    "公开招标": "tender",
    "邀请招标": "tender",
    "竞争性谈判": "tender",
    "竞争性磋商": "tender",
    "询价公告": "tender",
    "询价": "tender",
    "单一来源": "tender",
    "招标公告": "tender",
    "采购公告": "tender",
    "更正公告": "correction",
    "中标公告": "award",
    "成交公告": "award",
    "结果公告": "award",
    "中标成交公告": "award",
    "合同公告": "contract",
    "终止公告": "termination",
    "废标公告": "termination",
}
_SUMMARY_HINTS = (
    ("award_amount", "award"),
    ("contract_amount", "contract"),
    ("contract_date", "contract"),
    ("bid_opening", "tender"),
)
METHODS = ("公开招标", "邀请招标", "竞争性谈判", "竞争性磋商", "询价", "单一来源", "框架协议")
_METHOD = re.compile("|".join(METHODS))
_PARENS = re.compile(r"[（(][^（）()]*[)）]")


def announcement_type(
    title: str | None, category: str | None, summary_fields: Iterable[str], project: str | None
) -> str:
    """One of ``TYPES``."""
    tail = _title_tail(title, project)
    for kind, pattern in _TITLE_RULES:
        if tail and pattern.search(tail):
            return kind
    for leaf in _PARENS.sub("", category or "").split("/"):  # 招标公告/资审公告
        if leaf.strip() in _CATEGORIES:
            return _CATEGORIES[leaf.strip()]
    present = set(summary_fields)
    return next((kind for name, kind in _SUMMARY_HINTS if name in present), "other")


def _title_tail(title: str | None, project: str | None) -> str:
    """The title after the project name (which may itself hold words like 合同 or 结果)."""
    if not title:
        return ""
    if project and project in title:
        return title.split(project, 1)[1] or title
    return title


def procurement_method(*texts: str | None) -> str | None:
    """The first method named in ``texts`` (labelled 采购方式, title, category), as shown."""
    for text in texts:
        match = _METHOD.search(text or "")
        if match:
            return match.group()
    return None
