"""The rule catalog's model: rules, their legal basis, what they cover, their deadlines.

The catalog itself is ``rules.yml``; ``pipeline.compliance.loading.load_rules()`` reads and
checks it into a :class:`Catalog` (frozen dataclasses), and ``pipeline.compliance.rules_page``
writes ``docs/rules.md`` from it::

    python -m pipeline.compliance.rules_page --docs docs/rules.md          # regenerate
    python -m pipeline.compliance.rules_page --docs docs/rules.md --check  # exit 1 when stale

The deadline expression language is described in :data:`LANGUAGE` (also printed in the docs).
A checker fills unknown dates from a rule's proxies (:meth:`Rule.resolve`), then evaluates the
deadline with :meth:`Deadline.limit` and :meth:`Deadline.verdict`, given the item's date fields
and a calendar offering ``add_working_days(date, n)`` and ``add_calendar_days(date, n)``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any, Protocol

RULES_PATH = Path(__file__).with_name("rules.yml")
DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
DOCS_COMMAND = "python -m pipeline.compliance.rules_page --docs docs/rules.md"

ID_PATTERN = re.compile(r"^[A-Z]{2}-\d{2}$")
SEVERITIES = ("high", "medium", "low")
SUBJECTS = {
    "document": "one archived document (a notice)",
    "procurement_notice": "one procurement announcement",
    "procurement_project": "one procurement project (procurement_projects row)",
    "report_year": "one report year of one site",
    "column": "one column (栏目) of one site",
}
NOTICE_KINDS = ("notice", "procurement")
SITE_KINDS = ("bureau", "procurement")
UNIT_LEVELS = ("central", "provincial", "below_provincial")
UNITS = ("calendar", "working")
WHEN_ABSENT = ("skip", "missing")
FIELD_SOURCE = re.compile(r"^(?:derived|[a-z_]+\.[a-z_]+)$")

# kind -> (required keys, optional keys) besides ``kind``.
KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "working_days_after": (("anchor", "days", "target"), ("when_absent",)),
    "calendar_days_after": (("anchor", "days", "target"), ("then_working_days", "when_absent")),
    "calendar_days_before": (("anchor", "days", "target"), ("when_absent",)),
    "annual_date": (("period", "year_offset", "month_day", "target"), ("when_absent",)),
    "min_interval": (("start", "end", "days", "unit"), ("inclusive",)),
    "presence": (("field", "values"), ("min_items",)),
}

LANGUAGE = """\
A deadline is a mapping with a `kind` and the keys that kind needs. Field names (`anchor`,
`target`, `start`, `end`, `period`) are date fields of the catalog's `fields` table: archive
columns or values the checker derives. Counting follows the general rule that the first day
is not counted: N days after D is `add_calendar_days(D, N)` (D + N, moved to the next working
day when it is a day of rest: 《民法典》第二百零三条), N working days after D is
`add_working_days(D, N)` on the official calendar (public holidays and 调休 make-up days).

Kinds (keys besides `kind`; the condition under which the deadline is met):

- `working_days_after` (`anchor`, `days`, `target`):
  target ≤ add_working_days(anchor, days).
- `calendar_days_after` (`anchor`, `days`, `target`, optional `then_working_days`):
  target ≤ add_calendar_days(anchor, days), then add_working_days(…, then_working_days).
- `calendar_days_before` (`anchor`, `days`, `target`):
  target ≤ anchor − days: at least `days` days before the anchor.
- `annual_date` (`period`, `year_offset`, `month_day` as `MM-DD`, `target`):
  target ≤ month_day of year (period + year_offset), e.g. 01-31 of Y+1.
- `min_interval` (`start`, `end`, `days`, `unit`: `calendar` or `working`):
  end ≥ start + days (calendar days, plain arithmetic) or add_working_days(start, days).
- `presence` (`field`, `values`, optional `min_items`, default 1):
  every value has at least min_items archived items (a column must be non-empty).

`covers` selects the archived items a rule applies to: an item is covered when it matches
every criterion given (`kinds`: notice or procurement; `site_kinds`: bureau or procurement;
`sites`; `categories` (栏目); `title_regex`; `announcement_types`; `procurement_methods`),
a list matching when any of its values does.

A rule applies to an item when its `effective` range (per `unit_level` where the rule gives
`by_unit_level`) contains the deadline's first date: `anchor`, `start`, or 01-01 of the year
after `period`. So the 2007 and 2019 versions of a rule never both judge one document.

`when_absent` (the deadline kinds with a `target`): `skip` (default) gives no verdict when the
target date is unknown; `missing` reports the item as missing once the limit has passed.
A rule's `proxies` name a field used in place of an unknown one (`for` → `use`, optionally
`plus_working_days` added to it), each with the reason it is a fair stand-in.
`inclusive: true` (`min_interval`) counts the start day itself: a period from Monday to Friday
is 5 working days. A rule's `unless` names dates whose presence exempts a subject (a terminated
project needs no contract); `yields_to` names more specific rules that judge an item instead
(法律、法规对期限另有规定的，从其规定).
Verdicts: `on_time` (also: a minimum interval or a presence requirement met), `late` (with the
days past the limit, or the days a minimum interval falls short), `missing` (the limit passed
with nothing published), `not_yet_due`, `undeterminable` (a date it needs is unknown, or
beyond the working-day calendar).
"""


class Calendar(Protocol):
    def add_working_days(self, day: date, n: int) -> date: ...

    def add_calendar_days(self, day: date, n: int) -> date: ...

    def working_days_between(self, a: date, b: date) -> int: ...


@dataclass(frozen=True)
class Problem:
    rule: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.field}: {self.message}"


class CatalogError(ValueError):
    """One or more mistakes in the catalog; ``problems`` names each rule and field."""

    def __init__(self, path: Path | str, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{path}: {len(problems)} problem(s) in the rule catalog:\n{lines}")


@dataclass(frozen=True)
class FieldDef:
    name: str
    source: str
    label: str
    description: str


@dataclass(frozen=True)
class Title:
    zh: str
    en: str


@dataclass(frozen=True)
class LegalBasis:
    law: str
    year: int
    doc_number: str | None
    article: str
    quote: str

    def citation(self) -> str:
        number = f"（{self.doc_number}）" if self.doc_number else f"（{self.year}）"
        return f"{self.law}{number}{self.article}"


@dataclass(frozen=True)
class Effective:
    start: date | None
    end: date | None
    by_unit_level: Mapping[str, date] = field(default_factory=dict)

    def covers(self, day: date, unit_level: str | None = None) -> bool:
        start = self.by_unit_level.get(unit_level or "", self.start)
        return (start is None or day >= start) and (self.end is None or day <= self.end)

    def words(self) -> str:
        text = f"{self.start or '—'} → {self.end or 'in force'}"
        if self.by_unit_level:
            text += " (" + ", ".join(f"{k} from {v}" for k, v in self.by_unit_level.items()) + ")"
        return text


@dataclass(frozen=True)
class Covers:
    kinds: tuple[str, ...] = ()
    site_kinds: tuple[str, ...] = ()
    sites: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    title_regex: str | None = None
    announcement_types: tuple[str, ...] = ()
    procurement_methods: tuple[str, ...] = ()

    def words(self) -> str:
        parts = []
        for name in (
            "kinds",
            "site_kinds",
            "sites",
            "categories",
            "announcement_types",
            "procurement_methods",
        ):
            values = getattr(self, name)
            if values:
                parts.append(f"{name}: {', '.join(values)}")
        if self.title_regex:
            parts.append(f"title matches `{self.title_regex}`")
        return "; ".join(parts)


@dataclass(frozen=True)
class Deadline:
    kind: str
    anchor: str | None = None
    target: str | None = None
    days: int | None = None
    then_working_days: int | None = None
    period: str | None = None
    year_offset: int | None = None
    month_day: str | None = None
    start: str | None = None
    end: str | None = None
    unit: str | None = None
    field: str | None = None
    values: tuple[str, ...] = ()
    min_items: int = 1
    when_absent: str = "skip"
    inclusive: bool = False

    def date_fields(self) -> tuple[str, ...]:
        names = (self.anchor, self.target, self.period, self.start, self.end)
        return tuple(n for n in names if n)

    def words(self) -> str:
        """The deadline in plain English."""
        kind = self.kind
        if kind == "working_days_after":
            return f"{self.target} ≤ {self.days} working days after {self.anchor}"
        if kind == "calendar_days_after":
            text = f"{self.target} ≤ {self.days} days after {self.anchor}"
            if self.then_working_days:
                text += f", then {self.then_working_days} working days"
            return text
        if kind == "calendar_days_before":
            return f"{self.target} ≥ {self.days} days before {self.anchor}"
        if kind == "annual_date":
            return f"{self.target} ≤ {self.month_day} of year {self.period} + {self.year_offset}"
        if kind == "min_interval":
            unit = "working days" if self.unit == "working" else "days"
            if self.inclusive:
                return f"{self.start} to {self.end} spans ≥ {self.days} {unit}, both ends counted"
            return f"{self.end} ≥ {self.days} {unit} after {self.start}"
        return f"each {self.field} of {', '.join(self.values)} has ≥ {self.min_items} item(s)"

    def limit(self, values: Mapping[str, date | int | None], calendar: Calendar) -> date | None:
        """The latest allowed ``target`` (``min_interval``: the earliest allowed ``end``), or
        None when a date it needs is unknown (``presence`` has no date limit)."""
        add_wd, add_cd = calendar.add_working_days, calendar.add_calendar_days
        base = values.get(self.start if self.kind == "min_interval" else self.anchor or "")
        if self.kind == "annual_date":
            period = values.get(self.period or "")
            if period is None:
                return None
            month, day = (int(p) for p in (self.month_day or "").split("-"))
            return date(int(period) + (self.year_offset or 0), month, day)  # type: ignore[arg-type]
        if not isinstance(base, date) or self.kind == "presence":
            return None
        days = self.days or 0
        if self.kind == "working_days_after":
            return add_wd(base, days)
        if self.kind == "calendar_days_after":
            due = add_cd(base, days)
            return add_wd(due, self.then_working_days) if self.then_working_days else due
        # A minimum interval or a notice period *before* an anchor is plain date arithmetic:
        # moving its limit off a day of rest (民法典 第二百零三条, which extends a period that
        # ends on one) would only make the requirement stricter.
        if self.kind == "calendar_days_before":
            return base - timedelta(days=days)
        if self.inclusive:  # the start day counts: the days-th day on or after start
            base -= timedelta(days=1)
        return add_wd(base, days) if self.unit == "working" else base + timedelta(days=days)

    def judge(
        self, values: Mapping[str, date | int | None], calendar: Calendar, today: date
    ) -> Judgement:
        """The verdict on one subject's dates as of ``today`` (``presence`` is judged by the
        checker, which counts items): the limit, and how far past it a late item is."""
        try:
            due = self.limit(values, calendar)
        except (LookupError, ValueError) as gap:  # a date beyond the working-day calendar
            return Judgement("undeterminable", reason=str(gap))
        if due is None:  # the date the limit counts from is unknown
            base = {"min_interval": self.start, "annual_date": self.period}.get(self.kind)
            return Judgement("undeterminable", reason=f"{base or self.anchor} unknown")
        if self.kind == "min_interval":
            end = values.get(self.end or "")
            if not isinstance(end, date):
                return Judgement("undeterminable", reason=f"{self.end} unknown")
            if end >= due:
                return Judgement("on_time", due)
            short = (
                calendar.working_days_between(end, due)
                if self.unit == "working"
                else (due - end).days
            )
            return Judgement("late", due, short)
        target = values.get(self.target or "")
        if not isinstance(target, date):
            if today <= due:
                return Judgement("not_yet_due", due)
            if self.when_absent == "missing":
                return Judgement("missing", due)
            return Judgement("undeterminable", reason=f"{self.target} unknown")
        if target <= due:
            return Judgement("on_time", due)
        working = self.kind == "working_days_after" or bool(self.then_working_days)
        late = calendar.working_days_between(due, target) if working else (target - due).days
        return Judgement("late", due, late)

    def late_unit(self) -> str:
        """``working`` or ``calendar``: how :meth:`judge` counts ``days_late``."""
        if self.kind == "working_days_after" or self.then_working_days:
            return "working"
        return self.unit if self.kind == "min_interval" and self.unit else "calendar"


@dataclass(frozen=True)
class Judgement:
    """One verdict (``on_time``, ``late``, ``missing``, ``not_yet_due``, ``undeterminable``),
    the limit it was judged against (``due``; none when undeterminable), the days past it when
    late (for a minimum interval, the days it falls short) and, when undeterminable, why."""

    verdict: str
    due: date | None = None
    days_late: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Proxy:
    for_field: str
    use: str
    why: str
    plus_working_days: int = 0


@dataclass(frozen=True)
class Rule:
    id: str
    title: Title
    legal_basis: LegalBasis
    effective: Effective
    covers: Covers
    subject: str
    deadline: Deadline
    severity: str
    needs_verification: bool
    note: str
    proxies: tuple[Proxy, ...] = ()
    yields_to: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()

    def resolve(self, values: Mapping[str, Any], calendar: Calendar) -> dict[str, Any]:
        """``values`` with each unknown date filled from its proxy (the first one known)."""
        out = dict(values)
        for proxy in self.proxies:
            used = out.get(proxy.use)
            if out.get(proxy.for_field) is None and isinstance(used, date):
                plus = proxy.plus_working_days
                out[proxy.for_field] = calendar.add_working_days(used, plus) if plus else used
        return out


@dataclass(frozen=True)
class Catalog:
    fields: Mapping[str, FieldDef]
    rules: tuple[Rule, ...]

    def rule(self, rule_id: str) -> Rule:
        return next(r for r in self.rules if r.id == rule_id)
