"""What the API says of each announcement beside what its content shows, and the record's
``procurement`` object made of both.

The API's ``openTenderCode``, ``purchaser``, ``agency`` and ``budget`` take the place ccgp's
公告概要 table takes (docs/sites.md): the record keeps the API's value, the content's where the
API gives none, and where both are given and differ, ``conflicts`` holds both (``summary`` =
the API's). The content has no 行政区域 and no summary table, so ``region`` is null and an
award's ``award_amount`` is the body's (ccgp's summary-total conflict does not exist here).

INFERRED (dealt by quota, so each exists at every scale; chosen before ``as_of``):

| quirk | rows | the API says |
|---|---|---|
| ``budget-slip`` | tenders | the budget in 万元 as if yuan (``294.8000`` for 2,948,000元) |
| ``budget-empty`` | tenders | ``""``: the content's 预算金额 is the record's, no conflict |
| ``purchaser`` | awards | the purchaser's parent department (``湛江市教育局`` for a school) |
| ``agency`` | corrections | the agency's name before it became a company (no ``有限公司``) |

Also inferred: which rows carry a budget (``BUDGET_KINDS``), ``openTenderCode`` empty on
intents and on the projects that never show a number, ``<font>`` highlighting on some titles.
"""

from __future__ import annotations

import copy
import random
from decimal import Decimal
from typing import Any

from replica.gdgpo import codes
from replica.gdgpo.model import API_FIELDS, Entry
from replica.gdgpo.projects import sub_seed
from replica.procurement import money
from replica.procurement.catalog import Purchaser

BUDGET_KINDS = frozenset(
    {"tender", "prequal", "plan", "demand", "award", "correction", "termination"}
)
BODY_BUDGET_KINDS = frozenset({"tender", "prequal", "plan", "demand"})  # show 预算金额
QUOTAS = (  # (quirk, share of its pool)
    ("budget-slip", 0.03),
    ("budget-empty", 0.04),
    ("purchaser", 0.03),
    ("agency", 0.05),
)
PARENT = {"school": "教育局", "hospital": "卫生健康局", "police": "公安局"}
HIGHLIGHT_SHARE = 0.15
HIGHLIGHT_WORDS = ("采购", "公告", "湛江")


def settle(entries: list[Entry], seed: int) -> None:
    """Fill each entry's ``shown``, ``row`` and ``procurement``."""
    quirks = _deal(entries, random.Random(sub_seed(seed, "quirks")))
    for entry in entries:
        entry.shown = shown(entry)
        entry.row = row(entry, quirks.get(entry.uid), seed)
        entry.procurement = procurement(entry)


def shown(entry: Entry) -> dict[str, Any]:
    """The API fields' record values as the content shows them (None: not shown)."""
    project = entry.project
    values: dict[str, Any] = dict.fromkeys(API_FIELDS.values())
    if project is None:  # an intent names its unit in a heading, under no label
        return values
    agency = project.agency is not None and entry.kind not in ("contract", "plan")
    values["project_number"] = entry.draft.number
    values["purchaser"] = project.purchaser.name
    values["agency"] = project.agency.name if agency and project.agency else None
    if entry.kind in BODY_BUDGET_KINDS:
        values["budget_amount"] = money.to_yuan(project.budget)
    return values


def row(entry: Entry, quirk: str | None, seed: int) -> dict[str, str]:
    """The list row, as served (every value a string)."""
    return {
        "id": entry.uid,
        "title": highlighted(entry.notice.title, random.Random(f"{seed}:gdgpo:{entry.uid}")),
        "noticeTime": entry.moment,
        "noticeType": entry.code,
        "noticeTypeName": codes.notice_type(entry.code).name,
        **_api_values(entry, quirk),
        "regionCode": codes.REGIONS[entry.region],
        "regionName": entry.region,
        "channel": codes.channel(entry.kind),
    }


def procurement(entry: Entry) -> dict[str, Any]:
    """The record's object: the draft's, with the API's fields merged in."""
    result = copy.deepcopy(entry.draft.fields)
    result["region"] = None
    if entry.kind == "award" and entry.project is not None:
        result["award_amount"] = money.to_yuan(entry.project.award_total)
    conflicts = []
    for key, name in API_FIELDS.items():
        api, body = _record_value(name, entry.row[key]), entry.shown[name]
        result[name] = api if api is not None else body
        if api is not None and body is not None and api != body:
            conflicts.append({"field": name, "summary": api, "body": body})
    result["conflicts"] = conflicts
    return result


def highlighted(title: str, rng: random.Random) -> str:
    """Some titles keep the search's ``<font color="red">`` around a word."""
    if rng.random() >= HIGHLIGHT_SHARE:
        return title
    word = next((w for w in HIGHLIGHT_WORDS if w in title), None)
    return title.replace(word, f'<font color="red">{word}</font>', 1) if word else title


def yuan_text(fen: int) -> str:
    """``7000000.0000``: the API's budget form."""
    return f"{fen // 100}.{fen % 100:02d}00"


def parent(purchaser: Purchaser) -> str:
    """The department a school, hospital or police unit reports to (police: the city's)."""
    region = purchaser.region
    if purchaser.tag == "police" or not region.endswith(("市", "县")):
        city = codes.REGIONS[region][:4] + "00"
        region = next(name for name, code in codes.REGIONS.items() if code == city)
    return region + PARENT[purchaser.tag]


def _api_values(entry: Entry, quirk: str | None) -> dict[str, str]:
    project = entry.project
    if project is None:
        unit = entry.draft.fields["purchaser"]
        return {"openTenderCode": "", "purchaser": unit, "agency": "", "budget": ""}
    agency = project.agency.name if project.agency else ""
    budget = ""
    if entry.kind in BUDGET_KINDS and quirk != "budget-empty":
        budget = yuan_text(project.budget)
        if quirk == "budget-slip":
            budget = f"{Decimal(project.budget) / 1_000_000:.4f}"
    return {
        "openTenderCode": "" if "no-number" in project.traits else project.number,
        "purchaser": parent(project.purchaser) if quirk == "purchaser" else project.purchaser.name,
        "agency": agency.removesuffix("有限公司") if quirk == "agency" else agency,
        "budget": budget,
    }


def _record_value(name: str, text: str) -> Any:
    if not text:
        return None
    return float(Decimal(text)) if name == "budget_amount" else text


def _deal(entries: list[Entry], rng: random.Random) -> dict[str, str]:
    """uid → quirk, a few of each, no entry twice."""
    quirks: dict[str, str] = {}
    for quirk, share in QUOTAS:
        pool = [e for e in entries if e.uid not in quirks and _eligible(e, quirk)]
        count = min(len(pool), max(1, round(share * len(pool))))
        for entry in rng.sample(pool, count):
            quirks[entry.uid] = quirk
    return quirks


def _eligible(entry: Entry, quirk: str) -> bool:
    project = entry.project
    if project is None:
        return False
    if quirk.startswith("budget"):
        return entry.kind in ("tender", "prequal")
    if quirk == "purchaser":  # a later page of a numbered project: links stay by number
        numbered = "no-number" not in project.traits
        return entry.kind == "award" and numbered and project.purchaser.tag in PARENT
    company = project.agency is not None and project.agency.name.endswith("有限公司")
    return entry.kind == "correction" and company
