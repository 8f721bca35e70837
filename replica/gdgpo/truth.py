"""The platform's ground truth: one record per announcement, and its projects.

A record is docs/sites.md's "record of a gdgpo announcement": the bureau's record shape
(``replica.truth.notice_record``) with ``url`` the getInfoById URL, ``category`` the
noticeTypeName, ``publisher`` null (no content shows a 来源), attachments the attchList's
then the content's links (no URL twice, the first name kept), the ``procurement`` object of
``fields.procurement``, ``notice_type`` (the raw code) and ``region_code`` (the row's
regionCode: a city archive keeps its own, 4408xx for 湛江).

Projects have the ccgp truth's shape (``replica.procurement.truth``): ``stages`` per stage of
the record's announcement types, ``dates``, ``missing``, ``late``; the platform's extra kinds
(采购计划, 采购需求, 验收, announcement type ``other``) are listed apart, in ``others``. A
project is linked by ``number`` when every visible announcement but intents carries one.
Differences: a 资格预审 project states no bid opening (``dates.bid_opening`` null), and the
content of an award states no date of determination (``award_determined`` is the replica's).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from replica import truth
from replica.gdgpo import codes
from replica.gdgpo.codes import SITE
from replica.gdgpo.model import Entry
from replica.procurement.model import Project
from replica.procurement.truth import STAGES, is_late, missing_stages


def record(entry: Entry, site_base: str) -> dict[str, Any]:
    """The clean record an extractor should make of the announcement's getInfoById JSON."""
    result = truth.notice_record(entry.notice, SITE, site_base)
    result.update(kind="procurement", publisher=None, procurement=entry.procurement)
    result["notice_type"] = entry.code
    result["region_code"] = codes.REGIONS[entry.region]
    return result


def projects(everything: list[Project], visible: list[Entry], site_base: str) -> list[dict]:
    """One entry per project with at least one visible announcement: 湛江's, then others'."""
    pages: dict[int, list[Entry]] = defaultdict(list)
    for entry in visible:
        for serial in entry.draft.projects:
            pages[serial].append(entry)
    return [_project(p, pages[p.serial], site_base) for p in everything if pages[p.serial]]


def _project(project: Project, pages: list[Entry], site_base: str) -> dict[str, Any]:
    stages: dict[str, list[str]] = {stage: [] for stage in STAGES}
    others = []
    for page in pages:
        stage = page.draft.kind
        (stages[stage] if stage in stages else others).append(site_base + page.notice.path)
    shown = {page.draft.kind for page in pages}
    own = [page for page in pages if page.draft.kind != "intent"]
    numbers = {page.procurement["project_number"] for page in own}
    return {
        "project_number": project.number if project.number in numbers else None,
        "project_name": project.name,
        "purchaser": project.purchaser.name,
        "link": "number" if own and None not in numbers else "purchaser+name",
        "stages": stages,
        "others": others,
        "dates": _dates(project, pages, shown),
        "missing": missing_stages(project, shown),
        "late": [s for s in ("intent", "award", "contract") if is_late(project, s, shown)],
    }


def _dates(project: Project, pages: list[Entry], shown: set[str]) -> dict[str, Any]:
    first: dict[str, str] = {}
    for page in pages:
        first.setdefault(page.draft.kind, page.notice.publish_date.isoformat())
    dates: dict[str, Any] = {stage: first.get(stage) for stage in STAGES}
    opens = "tender" in shown and "prequal" not in project.traits
    signed = [project.contracts[p.draft.index].signed for p in pages if p.kind == "contract"]
    determined = project.determined if "award" in shown else None
    dates["bid_opening"] = project.opening.date().isoformat() if opens else None
    dates["award_determined"] = determined.isoformat() if determined else None
    dates["contract_signed"] = signed[0].isoformat() if signed else None
    return dates
