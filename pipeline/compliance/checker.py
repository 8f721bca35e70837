"""The checker: every rule of the catalog against the archive, one verdict per rule × subject.

``check(db, as_of=...)`` reads the subjects (``subjects.Archive``), decides which rules apply
to each (``covers``, ``effective`` by the deadline's first date and the unit level, ``unless``,
``yields_to``), fills unknown dates from the rule's proxies, judges the deadline on the official
calendar (``Deadline.judge``) and returns the findings with their evidence. ``run`` also
stores them in ``compliance_findings``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from pipeline.compliance import findings
from pipeline.compliance.calendar import WorkCalendar
from pipeline.compliance.loading import load_rules
from pipeline.compliance.rules import Catalog, Judgement, Rule
from pipeline.compliance.subjects import Archive, Dated, Subject

SUBJECT_SOURCES = {
    "document": "documents",
    "procurement_notice": "procurement_notices",
    "procurement_project": "projects",
}


@dataclass
class Result:
    """A check's findings (rows of ``compliance_findings``) and what it could not do."""

    as_of: dt.date
    checked_at: str
    rows: list[dict[str, Any]]
    warnings: list[str] = field(default_factory=list)

    def by_verdict(self) -> Counter:
        return Counter(r["verdict"] for r in self.rows)

    def by_rule(self) -> dict[str, Counter]:
        out: dict[str, Counter] = {}
        for row in self.rows:
            out.setdefault(row["rule_id"], Counter())[row["verdict"]] += 1
        return out


def check(
    db: sqlite_utils.Database,
    *,
    as_of: dt.date,
    catalog: Catalog | None = None,
    calendar: WorkCalendar | None = None,
) -> Result:
    """Judge every rule of ``catalog`` against ``db`` as of ``as_of`` (nothing is written)."""
    catalog = catalog or load_rules()
    calendar = calendar or WorkCalendar.default()
    archive = Archive(db, as_of)
    checked_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    judge = _Judge(catalog, calendar, as_of, checked_at, archive)
    loaded: dict[str, list[Subject]] = {}
    for rule in catalog.rules:
        for subject in _subjects(rule, archive, loaded):
            if _applies(rule, subject, calendar) and not _yields(rule, subject, catalog, calendar):
                judge.add(rule, subject)
    if not calendar.covers(as_of):
        judge.warnings.append(
            f"as-of {as_of} is beyond the working-day calendar; deadlines near it are "
            "undeterminable (add a holiday file with --holidays)"
        )
    gaps = sum(1 for r in judge.rows if "outside the working-day calendar" in r["explanation"])
    if gaps:
        judge.warnings.append(
            f"{gaps} finding(s) undeterminable: a date lies outside the working-day calendar "
            "(add the State Council's schedule with --holidays FILE)"
        )
    rows = sorted(judge.rows, key=lambda r: (r["rule_id"], r["site"], r["subject"]))
    return Result(as_of, checked_at, rows, judge.warnings)


def run(db: sqlite_utils.Database, **options: Any) -> Result:
    """``check`` and store the findings in ``compliance_findings`` (replacing the last ones)."""
    result = check(db, **options)
    findings.replace(db, result.rows)
    return result


def _subjects(rule: Rule, archive: Archive, loaded: dict[str, list[Subject]]) -> list[Subject]:
    if rule.subject in SUBJECT_SOURCES:
        name = SUBJECT_SOURCES[rule.subject]
        if name not in loaded:
            loaded[name] = getattr(archive, name)()
        return loaded[name]
    sites = _sites(rule, archive)
    if rule.subject == "report_year":  # years the rule is not in force for are left by _applies
        return archive.report_years(sites, rule.covers.title_regex or ".")
    return archive.columns(sites, rule.deadline.values)


def _sites(rule: Rule, archive: Archive) -> list[str]:
    names = sorted(archive.site_kinds)
    if rule.covers.sites:
        names = [n for n in names if n in rule.covers.sites]
    if rule.covers.site_kinds:
        names = [n for n in names if archive.site_kinds[n] in rule.covers.site_kinds]
    return names


def _covered(rule: Rule, subject: Subject) -> bool:
    covers, facts = rule.covers, subject.facts
    if subject.type in ("report_year", "column"):
        return True  # built from the rule's own selection
    checks = (
        (covers.kinds, facts.get("kind")),
        (covers.site_kinds, facts.get("site_kind")),
        (covers.sites, facts.get("site")),
        (covers.procurement_methods, facts.get("procurement_method")),
    )
    if any(allowed and value not in allowed for allowed, value in checks):
        return False
    if subject.type != "procurement_project":
        if covers.categories and facts.get("category") not in covers.categories:
            return False
        if covers.announcement_types and facts.get("announcement_type") not in (
            covers.announcement_types
        ):
            return False
    return not (covers.title_regex and not re.search(covers.title_regex, facts.get("title", "")))


def _first_date(rule: Rule, values: dict[str, Any]) -> dt.date | None:
    """The date that decides whether the rule is in force for a subject (see LANGUAGE)."""
    deadline = rule.deadline
    if deadline.kind == "annual_date":
        period = values.get(deadline.period or "")
        return dt.date(int(period) + 1, 1, 1) if period is not None else None
    if deadline.kind == "presence":
        return None
    first = deadline.start if deadline.kind == "min_interval" else deadline.anchor
    # unknown: the next best date places the subject in time (judged undeterminable)
    fallback = deadline.target or deadline.end or ""
    return values.get(first or "") or values.get(fallback) or values.get("publish_date")


def _resolved(rule: Rule, subject: Subject, calendar: WorkCalendar) -> dict[str, Any]:
    values: dict[str, Any] = subject.values()
    if subject.type == "report_year":
        values["report_year"] = int(subject.key)
    try:
        return rule.resolve(values, calendar)  # unknown dates from the rule's proxies
    except LookupError:  # a proxy beyond the calendar: the date stays unknown (undeterminable)
        return values


def _applies(rule: Rule, subject: Subject, calendar: WorkCalendar) -> bool:
    if not _covered(rule, subject):
        return False
    values = _resolved(rule, subject, calendar)
    if any(values.get(name) is not None for name in rule.unless):
        return False
    if subject.type == "procurement_project" and values.get(rule.deadline.anchor or "") is None:
        return False  # the project has not reached the stage the rule starts from
    first = _first_date(rule, values)
    if rule.deadline.kind == "presence":
        return True
    if first is None:
        return False
    return rule.effective.covers(first, subject.facts.get("unit_level"))


def _yields(rule: Rule, subject: Subject, catalog: Catalog, calendar: WorkCalendar) -> bool:
    """True when a more specific rule the catalog names judges this subject instead."""
    return any(_applies(catalog.rule(other), subject, calendar) for other in rule.yields_to)


class _Judge:
    def __init__(
        self,
        catalog: Catalog,
        calendar: WorkCalendar,
        as_of: dt.date,
        checked_at: str,
        archive: Archive,
    ) -> None:
        self.catalog = catalog
        self.calendar = calendar
        self.as_of = as_of
        self.checked_at = checked_at
        self.archive = archive
        self.captures = archive.captures()
        self.rows: list[dict[str, Any]] = []
        self.warnings: list[str] = []

    def add(self, rule: Rule, subject: Subject) -> None:
        values = _resolved(rule, subject, self.calendar)
        if rule.deadline.kind == "presence":
            met = (subject.count or 0) >= rule.deadline.min_items
            judged = Judgement("on_time" if met else "missing")
        else:
            judged = rule.deadline.judge(values, self.calendar, self.as_of)
            judged = _bounded(rule, subject, judged)
        notice_id, url = self._evidence(rule, subject)
        first = _first_date(rule, values)
        basis = rule.legal_basis
        self.rows.append(
            {
                "id": findings.finding_id(rule.id, subject.site, subject.key),
                "rule_id": rule.id,
                "rule_title": rule.title.zh,
                "legal_basis": basis.citation(),
                "quote": basis.quote,
                "severity": rule.severity,
                "needs_verification": int(rule.needs_verification),
                "site": subject.site,
                "subject_type": subject.type,
                "subject": subject.key,
                "subject_label": subject.label,
                "year": subject.year or (first.year if first else None),
                "verdict": judged.verdict,
                "days_late": judged.days_late,
                "due_date": judged.due.isoformat() if judged.due else None,
                "notice_id": notice_id,
                "url": url,
                "capture": self.captures.get(notice_id or ""),
                "dates": json.dumps(self._dates(rule, subject, values), ensure_ascii=False),
                "explanation": _explain(rule, subject, values, judged),
                "as_of": self.as_of.isoformat(),
                "checked_at": self.checked_at,
            }
        )

    def _evidence(self, rule: Rule, subject: Subject) -> tuple[str | None, str | None]:
        if subject.type != "procurement_project":
            return subject.notice_id, subject.url
        deadline = rule.deadline
        for name in (deadline.target, deadline.anchor):
            notice = subject.evidence.get(name or "")
            if notice:
                return notice, self.archive.url_of(notice)
        return None, None

    def _dates(self, rule: Rule, subject: Subject, values: dict[str, Any]) -> list[dict]:
        out = []
        names = list(rule.deadline.date_fields())
        names += [p.use for p in rule.proxies if p.use not in names]
        for name in names:
            value = values.get(name)
            given = subject.dates.get(name, Dated(None, ""))
            source = given.source
            proxy = next((p for p in rule.proxies if p.for_field == name), None)
            if given.value is None and value is not None and proxy:
                plus = proxy.plus_working_days
                plus = f" + {plus} working days" if plus else ""
                source = f"proxy: {proxy.use}{plus} ({proxy.why.split(';')[0].split('.')[0]})"
            if name == "report_year":
                source = "the year in the report's title" if subject.url else "the year checked"
            field_def = self.catalog.fields.get(name)
            out.append(
                {
                    "field": name,
                    "label": field_def.label if field_def else name,
                    "value": value.isoformat() if isinstance(value, dt.date) else value,
                    "source": source if value is not None else "unknown",
                }
            )
        return out


def _bounded(rule: Rule, subject: Subject, judged: Judgement) -> Judgement:
    """A publish date taken from our own first capture only bounds it from above: the page was
    public by then. On time is proven; late is not (the site may have published it earlier)."""
    target = rule.deadline.target or ""
    proxied = subject.dates.get(target, Dated(None, "")).value is None and any(
        p.for_field == target and p.use == "first_seen" for p in rule.proxies
    )
    if judged.verdict == "late" and proxied:
        return Judgement(
            "undeterminable",
            reason=f"{target} unknown; first captured after the limit {judged.due}, which "
            "proves no delay",
        )
    return judged


def _explain(rule: Rule, subject: Subject, values: dict[str, Any], judged: Judgement) -> str:
    deadline = rule.deadline
    verdict = judged.verdict
    due = judged.due.isoformat() if judged.due else None
    if deadline.kind == "presence":
        count = subject.count or 0
        return f"{subject.label}: {count} item(s) archived (needs ≥ {deadline.min_items})"
    if verdict == "undeterminable":
        return f"undeterminable: {judged.reason or 'a needed date is unknown'}"
    if verdict == "not_yet_due":
        return f"not yet due: due by {due}, nothing archived yet"
    if verdict == "missing":
        return f"missing: due by {due}, nothing archived"
    unit = "working days" if deadline.late_unit() == "working" else "days"
    if deadline.kind == "min_interval":
        end = values.get(deadline.end or "")
        if verdict == "late":
            return f"too short: {deadline.end} {end} is {judged.days_late} {unit} before {due}"
        return f"met: {deadline.end} {end} on or after {due}"
    target = values.get(deadline.target or "")
    if verdict == "late":
        late = f"{judged.days_late} {unit}"
        return f"late: {deadline.target} {target} is {late} after the limit {due}"
    return f"on time: {deadline.target} {target} by the limit {due}"
