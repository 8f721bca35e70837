"""Link procurement announcements into projects.

A project is keyed by its canonical 项目编号. An announcement without a number (and every 采购意向
item, which never carries one) joins the project with the same purchaser and project name; when
no numbered announcement has that pair, the pair itself becomes the project's key. The link
method is recorded: ``number`` when every announcement of the project carried the number,
``purchaser+name`` when any joined by name. ``procurement_projects`` is derived data: it is
rebuilt from ``procurement`` after every crawl, so it can never drift from the announcements.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlite_utils

from pipeline.record import Procurement, column_fields

STAGES = ("intent", "tender", "correction", "award", "contract", "termination")
#: The rule that makes an intent due (财库〔2020〕10号): its start depends on the unit's level.
INTENT_RULE = "GP-01"
_SPACES = re.compile(r"\s+")

#: The columns a project is made of (of the record contract's; not the long ones, such as the
#: experts and conflicts JSON): the rebuild holds every announcement of the archive at once.
_USED = (
    "announcement_type", "procurement_method", "project_number", "project_name", "purchaser",
    "agency", "region", "budget_amount", "award_amount", "award_suppliers", "contract_date",
)  # fmt: skip
assert set(_USED) <= set(column_fields(Procurement))
# Column names from the record contract, no user input:
_QUERY = f"select notice_id, url, publish_date, {', '.join(_USED)} from procurement"  # noqa: S608
_QUERY += " order by publish_date, url"
_INTENTS = (
    "select id, notice_id, purchaser, project_name, budget_amount from procurement_intents"
    " order by notice_id"
)


def name_key(purchaser: str | None, project_name: str | None) -> str | None:
    """Fallback key: purchaser + project name without whitespace; None if either is absent."""
    if not purchaser or not project_name:
        return None
    return _SPACES.sub("", purchaser) + "|" + _SPACES.sub("", project_name)


def project_id(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Project:
    key: str
    by_name: bool = False
    rows: list[sqlite3.Row] = field(default_factory=list)
    #: ``(intent item, the row of the notice that listed it, or None)``
    intents: list[tuple[sqlite3.Row, sqlite3.Row | None]] = field(default_factory=list)


def link_projects(db: sqlite_utils.Database) -> int:
    """Rebuild ``procurement_projects`` and the project links; returns the number of projects.

    Rows are read as ``sqlite3.Row`` (a tuple, not a dict per row) with only the columns used,
    and projects are written as they are made: at scale 20,000 (43,000 announcements) the
    rebuild with a dict of every column per row was the writer's peak memory (+100 MB)."""
    notices = _rows(db, _QUERY)
    projects = _group(notices, _rows(db, _INTENTS))
    with db.conn:
        db.execute("delete from procurement_projects")
        if projects:
            made = (_project_row(p) for p in projects.values())
            db["procurement_projects"].insert_all(made, pk="id")
        _write_links(db, projects)
    return len(projects)


def _rows(db: sqlite_utils.Database, sql: str) -> list[sqlite3.Row]:
    cursor = db.conn.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor.execute(sql).fetchall()


def _group(notices: list[sqlite3.Row], intents: list[sqlite3.Row]) -> dict[str, Project]:
    projects: dict[str, Project] = {}
    by_name: dict[str, str] = {}
    for row in notices:
        number = row["project_number"]
        if row["announcement_type"] != "intent" and number:
            key = "no:" + number
            projects.setdefault(key, Project(key)).rows.append(row)
            pair = name_key(row["purchaser"], row["project_name"])
            if pair:
                by_name.setdefault(pair, key)
    for row in notices:
        if row["announcement_type"] == "intent" or row["project_number"]:
            continue
        pair = name_key(row["purchaser"], row["project_name"])
        key = by_name.get(pair) if pair else None
        key = key or "name:" + (pair or row["notice_id"])
        project = projects.setdefault(key, Project(key))
        project.rows.append(row)
        project.by_name = True
        if pair:
            by_name.setdefault(pair, key)
    notice_dates = {r["notice_id"]: r for r in notices}
    for item in intents:
        pair = name_key(item["purchaser"], item["project_name"])
        key = (by_name.get(pair) if pair else None) or "name:" + (pair or item["id"])
        project = projects.setdefault(key, Project(key, by_name=key.startswith("name:")))
        project.intents.append((item, notice_dates.get(item["notice_id"])))
    return projects


def _project_row(project: Project) -> dict[str, Any]:
    stages: dict[str, list[str]] = defaultdict(list)
    dates: dict[str, list[str]] = defaultdict(list)
    for row in project.rows:
        stage = row["announcement_type"] if row["announcement_type"] in STAGES else "other"
        stages[stage].append(row["url"])
        if row["publish_date"]:
            dates[stage].append(row["publish_date"])
    for _, notice in project.intents:
        url = notice["url"] if notice is not None else None
        if url and url not in stages["intent"]:
            stages["intent"].append(url)
            if notice["publish_date"]:
                dates["intent"].append(notice["publish_date"])
    first = _first_rows(project)
    tender_date = min(dates["tender"], default=None)
    return {
        "id": project_id(project.key),
        "project_number": project.key[3:] if project.key.startswith("no:") else None,
        "project_name": first("project_name") or _intent_value(project, "project_name"),
        "purchaser": first("purchaser") or _intent_value(project, "purchaser"),
        "agency": first("agency"),
        "region": first("region"),
        "procurement_method": first("procurement_method"),
        "budget_amount": first("budget_amount") or _intent_value(project, "budget_amount"),
        "award_amount": first("award_amount", ("award",)),
        "award_suppliers": first("award_suppliers", ("award",)),
        "link": "purchaser+name" if project.by_name else "number",
        "intent_date": min(dates["intent"], default=None),
        "tender_date": tender_date,
        "correction_count": len(stages.get("correction", [])),
        "last_correction_date": max(dates["correction"], default=None),
        "award_date": min(dates["award"], default=None),
        "contract_date": min(dates["contract"], default=None),
        "contract_signed_date": first("contract_date", ("contract",)),
        "termination_date": min(dates["termination"], default=None),
        "stages": json.dumps({s: stages[s] for s in STAGES if stages.get(s)}, ensure_ascii=False),
        "missing_stages": json.dumps(
            missing_stages(
                stages, tender_date, first("purchaser") or _intent_value(project, "purchaser")
            )
        ),
        "status": project_status(stages),
        "announcement_count": sum(len(v) for v in stages.values()),
    }


def missing_stages(
    stages: dict[str, list[str]], tender_date: str | None, purchaser: str | None = None
) -> list[str]:
    """Stages a project should have published by its later stages and did not.

    A tender needs a prior intent once rule GP-01 is in force for the purchaser's level
    (central and provincial units from 2021, units below the province from 2022: the rule
    catalog decides, so this column and ``zwgk check`` agree); a tender needs a result (award
    or termination) only once one is out, so an ongoing project misses nothing; an award needs
    a contract. A project known only from an intent is planned, not missing anything.
    """
    missing = []
    if stages.get("tender") and tender_date and intent_required(tender_date, purchaser):
        if not stages.get("intent"):
            missing.append("intent")
    if (stages.get("award") or stages.get("contract")) and not stages.get("tender"):
        missing.append("tender")
    if stages.get("contract") and not stages.get("award"):
        missing.append("award")
    if stages.get("award") and not stages.get("contract"):
        missing.append("contract")
    return missing


def intent_required(tender_date: str, purchaser: str | None) -> bool:
    """Whether a tender of ``purchaser`` on ``tender_date`` needs a prior intent (GP-01)."""
    from pipeline.compliance.derive import unit_level

    rule = _intent_rule()
    day = date.fromisoformat(tender_date[:10])
    return rule.effective.covers(day, unit_level(purchaser) or "below_provincial")


@functools.cache
def _intent_rule():
    from pipeline.compliance.loading import load_rules

    return load_rules().rule(INTENT_RULE)


def project_status(stages: dict[str, list[str]]) -> str:
    """planned (intent only), open (tendered), terminated, awarded or contracted."""
    for stage, status in (
        ("termination", "terminated"),
        ("contract", "contracted"),
        ("award", "awarded"),
        ("tender", "open"),
    ):
        if stages.get(stage):
            return status
    return "planned"


def _first_rows(project: Project):
    def first(column: str, types: tuple[str, ...] | None = None):
        for row in project.rows:
            if (types is None or row["announcement_type"] in types) and row[column] is not None:
                return row[column]
        return None

    return first


def _intent_value(project: Project, column: str):
    return next((i[column] for i, _ in project.intents if i[column] is not None), None)


def _write_links(db: sqlite_utils.Database, projects: dict[str, Project]) -> None:
    updates, intent_updates = [], []
    for project in projects.values():
        pid = project_id(project.key)
        for row in project.rows:
            link = "number" if row["project_number"] else "purchaser+name"
            updates.append((pid, link, row["notice_id"]))
        intent_updates.extend((pid, item["id"]) for item, _ in project.intents)
    db.conn.executemany(
        "update procurement set project_id = ?, link = ? where notice_id = ?", updates
    )
    db.conn.executemany(
        "update procurement_awards set project_id = ? where notice_id = ?",
        [(pid, nid) for pid, _, nid in updates],
    )
    db.conn.executemany(
        "update procurement_intents set project_id = ? where id = ?", intent_updates
    )
