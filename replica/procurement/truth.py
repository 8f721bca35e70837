"""The procurement site's ground truth: announcement records and ``procurement_projects``.

Records are the bureau's record (``replica.truth.notice_record``) with ``kind`` procurement and
the ``procurement`` object the builders computed from clean data (never from the HTML).
A project lists the URLs of its visible announcements per stage, the dates those pages state,
and what the replica made late or left out (only where the stage it concerns is visible). It is
linked by ``number`` when every visible tender-to-contract page shows its 项目编号, else by
``purchaser+name`` (also when only an intent, which carries no number, is visible yet).
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any

from replica import truth
from replica.procurement.columns import SITE
from replica.procurement.model import Announcement, Project

STAGES = ("intent", "tender", "correction", "award", "contract", "termination")


def record(announcement: Announcement, site_base: str) -> dict[str, Any]:
    """The clean record an extractor should produce for the announcement's page."""
    result = truth.notice_record(announcement.notice, SITE, site_base)
    result["kind"] = "procurement"
    result["procurement"] = copy.deepcopy(announcement.draft.fields)
    return result


def projects(
    everything: list[Project], visible: list[Announcement], site_base: str
) -> list[dict[str, Any]]:
    """One entry per project with at least one visible announcement, in tender order."""
    pages: dict[int, list[Announcement]] = defaultdict(list)
    for announcement in visible:
        for serial in announcement.draft.projects:
            pages[serial].append(announcement)
    return [_project(p, pages[p.serial], site_base) for p in everything if pages[p.serial]]


def _project(project: Project, pages: list[Announcement], site_base: str) -> dict[str, Any]:
    stages: dict[str, list[str]] = {stage: [] for stage in STAGES}
    for page in pages:
        stages[page.kind].append(site_base + page.notice.path)
    shown = {page.kind for page in pages}
    own = [page for page in pages if page.kind != "intent"]
    numbers = {page.draft.fields["project_number"] for page in own}
    return {
        "project_number": project.number if project.number in numbers else None,
        "project_name": project.name,
        "purchaser": project.purchaser.name,
        "link": "number" if own and None not in numbers else "purchaser+name",
        "stages": stages,
        "dates": _dates(project, pages, shown),
        "missing": missing_stages(project, shown),
        "late": [s for s in ("intent", "award", "contract") if is_late(project, s, shown)],
    }


def _dates(project: Project, pages: list[Announcement], shown: set[str]) -> dict[str, Any]:
    first = {}
    for page in pages:
        first.setdefault(page.kind, page.notice.publish_date.isoformat())
    dates: dict[str, Any] = {stage: first.get(stage) for stage in STAGES}
    determined = project.determined if "award" in shown else None
    deals = [project.contracts[page.draft.index] for page in pages if page.kind == "contract"]
    signed = deals[0].signed if deals else None
    dates["bid_opening"] = project.opening.date().isoformat() if "tender" in shown else None
    dates["award_determined"] = determined.isoformat() if determined else None
    dates["contract_signed"] = signed.isoformat() if signed else None
    return dates


def missing_stages(project: Project, shown: set[str]) -> list[str]:
    """Stages the project lacks that a supervisor would look for, among those it shows."""
    from replica.findings import GP01_FROM, unit_level  # GP-01: from 2022 below the province

    missing = []
    intent_due = project.tender_date >= GP01_FROM[unit_level(project.purchaser.name)]
    if "no-intent" in project.traits and "tender" in shown and intent_due:
        missing.append("intent")
    if "no-contract" in project.traits and "award" in shown:
        missing.append("contract")
    return missing


def is_late(project: Project, stage: str, shown: set[str]) -> bool:
    """Whether the shown ``stage`` was published late (intents: only beside a tender)."""
    if f"late-{stage}" not in project.traits or stage not in shown:
        return False
    return stage != "intent" or "tender" in shown
