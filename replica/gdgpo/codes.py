"""广东省政府采购网's identifiers: site, channels, API paths, noticeType codes and region codes.

From REAL-SITES.md (public crawlers of the real API): the siteId, the two channel ids, the API
paths, the parameter names and the documented noticeType prefixes with their names.
INFERRED: the extra digits real codes carry beyond those prefixes (which code each kind of
announcement gets here), which channel holds which announcements, the district region codes
and names, and the error answers.
"""

from __future__ import annotations

from dataclasses import dataclass

SITE = "gdgpo"
PREFIX = "/gdgpo/"
FAMILY = "gdgpo"
API = "gpcms/rest/web/v2/info/"
LIST_PATH = API + "selectInfoForIndex"
DETAIL_PATH = API + "getInfoById"
FILE_DIR = "gpx-bid-file/"

SITE_ID = "cd64e06a-21a7-4620-aebc-0576bab7e07a"
NOTICE_CHANNEL = "fca71be5-fc0c-45db-96af-f513e9abda9d"  # INFERRED: 采购公告 and results
PLAN_CHANNEL = "95ff31f3-a1af-4bc4-b1a2-54c894476193"  # INFERRED: 意向, 计划, 需求
CHANNELS = (NOTICE_CHANNEL, PLAN_CHANNEL)
PLAN_KINDS = frozenset({"intent", "plan", "demand"})


@dataclass(frozen=True)
class NoticeType:
    """A documented noticeType prefix: its 名称 and the record's announcement_type."""

    prefix: str
    name: str
    announcement_type: str


# docs/sites.md "Procurement platform (gdgpo)", in its order.
NOTICE_TYPES = (
    NoticeType("59", "采购意向公开", "intent"),
    NoticeType("00101", "采购公告", "tender"),
    NoticeType("001051", "单一来源公示", "tender"),
    NoticeType("001052", "资格预审", "tender"),
    NoticeType("001053", "资格预审", "tender"),
    NoticeType("00102", "中标（成交）结果公告", "award"),
    NoticeType("00103", "更正公告", "correction"),
    NoticeType("00105B", "更正公告", "correction"),
    NoticeType("001004", "终止公告", "termination"),
    NoticeType("001006", "终止公告", "termination"),
    NoticeType("001054", "合同公告", "contract"),
    NoticeType("001009", "验收公告", "other"),
    NoticeType("00105A", "验收公告", "other"),
    NoticeType("001101", "采购计划", "other"),
    NoticeType("001059", "采购需求", "other"),
)
BY_PREFIX = {t.prefix: t for t in NOTICE_TYPES}

# INFERRED: the code each announcement carries. Tenders and awards add a digit per method;
# corrections, terminations and acceptances use both documented codes (see ``code``).
TENDER_CODES = {
    "公开招标": "001011",
    "竞争性谈判": "001013",
    "询价": "001014",
    "竞争性磋商": "001015",
}
AWARD_CODES = {"公开招标": "001021"}  # other methods: "00102" exactly


def notice_type(code: str) -> NoticeType:
    """The documented type of a code: the longest prefix it starts with."""
    matches = [t for t in NOTICE_TYPES if code.startswith(t.prefix)]
    if not matches:
        raise KeyError(code)
    return max(matches, key=lambda t: len(t.prefix))


def code(kind: str, method: str, variant: int) -> str:
    """The noticeType code of an announcement; ``variant`` picks between two codes of a kind
    (corrections 00103 / 00105B, prequalification 001052 / 001053, acceptance 001009 /
    00105A, termination 001004 (终止) / 001006 (废标))."""
    if kind == "tender":
        return "001051" if method == "单一来源" else TENDER_CODES[method]
    if kind == "award":
        return AWARD_CODES.get(method, "00102")
    fixed = {"intent": "59", "contract": "001054", "plan": "001101", "demand": "001059"}
    if kind in fixed:
        return fixed[kind]
    pairs = {
        "prequal": ("001052", "001053"),
        "correction": ("00103", "00105B"),
        "termination": ("001004", "001006"),
        "acceptance": ("001009", "00105A"),
    }
    return pairs[kind][variant % 2]


def channel(kind: str) -> str:
    return PLAN_CHANNEL if kind in PLAN_KINDS else NOTICE_CHANNEL


# Region codes (GB/T 2260) of the regions the replica's purchasers belong to.
REGIONS = {
    "湛江市": "440800",
    "赤坎区": "440802",
    "霞山区": "440803",
    "坡头区": "440804",
    "麻章区": "440811",
    "遂溪县": "440823",
    "廉江市": "440881",
    "广州市": "440100",
    "佛山市": "440600",
    "茂名市": "440900",
}
ZHANJIANG = "440800"


def in_region(row_code: str, wanted: str) -> bool:
    """INFERRED: a city's code covers its districts (440800 → 4408xx), 440000 the province."""
    prefix = wanted
    while prefix.endswith("00") and len(prefix) > 2:
        prefix = prefix[:-2]
    return row_code.startswith(prefix)
