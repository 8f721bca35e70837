"""The rule catalog (``rules.yml``): typed loading, validation, and its documentation page.

``load_rules()`` reads the catalog into :class:`Catalog` (frozen dataclasses) and checks every
field; all mistakes are reported together, each naming the rule id and the field
(``GP-02: legal_basis.doc_number: …``). ``render_docs()`` writes ``docs/rules.md``::

    python -m pipeline.compliance.rules --docs docs/rules.md          # regenerate
    python -m pipeline.compliance.rules --docs docs/rules.md --check  # exit 1 when stale

The deadline expression language is described in :data:`LANGUAGE` (also printed in the docs).
A checker fills unknown dates from a rule's proxies (:meth:`Rule.resolve`), then evaluates the
deadline with :meth:`Deadline.limit` and :meth:`Deadline.verdict`, given
the item's date fields and a calendar offering ``add_working_days(date, n)`` and
``add_calendar_days(date, n)``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import yaml

from pipeline.extract.procurement.kinds import METHODS, TYPES

__all__ = [
    "LANGUAGE",
    "RULES_PATH",
    "Catalog",
    "CatalogError",
    "Deadline",
    "Rule",
    "load_rules",
    "main",
    "render_docs",
]

RULES_PATH = Path(__file__).with_name("rules.yml")
DOCS_PATH = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
DOCS_COMMAND = "python -m pipeline.compliance.rules --docs docs/rules.md"

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
    "min_interval": (("start", "end", "days", "unit"), ()),
    "presence": (("field", "values"), ("min_items",)),
}

LANGUAGE = """\
A deadline is a mapping with a `kind` and the keys that kind needs. Field names (`anchor`,
`target`, `start`, `end`, `period`) are date fields of the catalog's `fields` table: archive
columns or values the checker derives. Counting follows the general rule that the first day
is not counted: N days after D is `add_calendar_days(D, N)`, N working days after D is
`add_working_days(D, N)` on the official calendar (public holidays and 调休 make-up days).

Kinds (keys besides `kind`; the condition under which the deadline is met):

- `working_days_after` (`anchor`, `days`, `target`):
  target ≤ add_working_days(anchor, days).
- `calendar_days_after` (`anchor`, `days`, `target`, optional `then_working_days`):
  target ≤ add_calendar_days(anchor, days), then add_working_days(…, then_working_days).
- `calendar_days_before` (`anchor`, `days`, `target`):
  target ≤ add_calendar_days(anchor, −days): at least `days` days before the anchor.
- `annual_date` (`period`, `year_offset`, `month_day` as `MM-DD`, `target`):
  target ≤ month_day of year (period + year_offset), e.g. 01-31 of Y+1.
- `min_interval` (`start`, `end`, `days`, `unit`: `calendar` or `working`):
  end ≥ start + days (calendar or working days).
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
Verdicts: `ok`, `late` (or `short` for `min_interval`), `missing`, `unknown` (a date lacking,
or the limit not yet reached).
"""


class Calendar(Protocol):
    def add_working_days(self, day: date, n: int) -> date: ...

    def add_calendar_days(self, day: date, n: int) -> date: ...


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
        if self.kind == "calendar_days_before":
            return add_cd(base, -days)
        return add_wd(base, days) if self.unit == "working" else add_cd(base, days)

    def verdict(
        self, values: Mapping[str, date | int | None], calendar: Calendar, today: date
    ) -> str:
        """``ok``, ``late``, ``short``, ``missing`` or ``unknown`` for one subject's dates."""
        limit = self.limit(values, calendar)
        if limit is None:
            return "unknown"
        if self.kind == "min_interval":
            end = values.get(self.end or "")
            if not isinstance(end, date):
                return "unknown"
            return "ok" if end >= limit else "short"
        target = values.get(self.target or "")
        if not isinstance(target, date):
            if self.when_absent == "missing" and today > limit:
                return "missing"
            return "unknown"
        return "ok" if target <= limit else "late"


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


# --- loading ---------------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Dates stay strings (parsed here, so a bad date is reported with its rule and field)."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_CJK = re.compile(r"[\u4e00-\u9fff]")
_LAW = re.compile(r"^《[^《》]+》$")
_ARTICLE = re.compile(r"^第[一二三四五六七八九十百零〇\d]+条(?:第[一二三四五六七八九十\d]+款)?$")
_YEAR_BRACKETS = re.compile(r"[\[(（【［〔](\d{4})[\])）】］〕]")
_DOC_NUMBER = re.compile(
    r"^(?:[\u4e00-\u9fff]+〔\d{4}〕\d+号|[\u4e00-\u9fff]*令第[一二三四五六七八九十百零\d]+号)$"
)
_MONTH_DAY = re.compile(r"^\d{2}-\d{2}$")
_TOP_KEYS = {"fields", "rules"}
_RULE_KEYS = {
    "id",
    "title",
    "legal_basis",
    "effective",
    "covers",
    "subject",
    "deadline",
    "severity",
    "needs_verification",
    "note",
    "proxies",
}
_REQUIRED = _RULE_KEYS - {"proxies"}


class _Reader:
    """Typed reads of one rule's mapping; mistakes are collected as :class:`Problem`s."""

    def __init__(self, rule: str, problems: list[Problem]) -> None:
        self.rule = rule
        self.problems = problems

    def fail(self, name: str, message: str) -> None:
        self.problems.append(Problem(self.rule, name, message))

    def mapping(self, data: Any, name: str) -> dict:
        if not isinstance(data, dict):
            self.fail(name, f"expected a mapping, got {type(data).__name__}")
            return {}
        return data

    def keys(self, data: dict, name: str, required: set[str], allowed: set[str]) -> None:
        prefix = f"{name}." if name else ""
        for key in sorted(required - data.keys()):
            self.fail(prefix + key, "missing")
        for key in sorted(data.keys() - allowed, key=str):
            self.fail(prefix + str(key), "unknown field")

    def text(self, data: dict, key: str, name: str, optional: bool = False) -> str | None:
        """Absent keys are reported once, by :meth:`keys`; ``None`` is allowed if optional."""
        value = data.get(key)
        if key not in data or (value is None and optional):
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(name, f"expected non-empty text, got {value!r}")
            return None
        return value.strip()

    def integer(self, data: dict, key: str, name: str, minimum: int = 0) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(name, f"expected an integer ≥ {minimum}, got {value!r}")
            return None
        return value

    def day(self, value: Any, name: str) -> date | None:
        if value is None:
            return None
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(name, f"not a date (YYYY-MM-DD): {value!r}")
            return None

    def strings(self, data: dict, key: str, name: str, allowed=None) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str) or not isinstance(value, list):
            self.fail(name, f"expected a list, got {value!r}")
            return ()
        out = []
        for item in value:
            if not isinstance(item, str) or not item:
                self.fail(name, f"expected text items, got {item!r}")
            elif allowed is not None and item not in allowed:
                self.fail(name, f"unknown value {item!r} (known: {', '.join(allowed)})")
            else:
                out.append(item)
        return tuple(out)

    def choice(self, data: dict, key: str, name: str, allowed, default=None) -> str | None:
        if key not in data and default is None:
            return None  # reported as missing by :meth:`keys`
        value = data.get(key, default)
        if value not in allowed:
            self.fail(name, f"expected one of {', '.join(allowed)}, got {value!r}")
            return None
        return value


def load_rules(path: Path | str = RULES_PATH) -> Catalog:
    """The catalog at ``path``; raises :class:`CatalogError` listing every mistake."""
    path = Path(path)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506
    except yaml.YAMLError as error:
        raise CatalogError(path, [Problem("(file)", "yaml", str(error))]) from error
    problems: list[Problem] = []
    top = _Reader("(catalog)", problems)
    data = top.mapping(data, "(top)")
    top.keys(data, "", _TOP_KEYS, _TOP_KEYS)
    fields = _fields(data.get("fields") or {}, problems)
    rules: list[Rule] = []
    seen: set[str] = set()
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        top.fail("rules", "expected a list of rules")
        raw_rules = []
    for position, raw in enumerate(raw_rules, 1):
        rule_id = raw.get("id") if isinstance(raw, dict) else None
        reader = _Reader(rule_id if isinstance(rule_id, str) else f"rule #{position}", problems)
        if not isinstance(rule_id, str) or not ID_PATTERN.match(rule_id):
            reader.fail(
                "id", f"expected an id like GP-01 (two capitals, dash, two digits), got {rule_id!r}"
            )
        elif rule_id in seen:
            reader.fail("id", "duplicate id")
        else:
            seen.add(rule_id)
        rule = _rule(reader, raw, fields)
        if rule is not None:
            rules.append(rule)
    if problems:
        raise CatalogError(path, problems)
    return Catalog(fields=fields, rules=tuple(rules))


def _fields(data: Any, problems: list[Problem]) -> dict[str, FieldDef]:
    reader = _Reader("(fields)", problems)
    out = {}
    for name, spec in reader.mapping(data, "fields").items():
        spec = reader.mapping(spec, f"fields.{name}")
        keys = {"source", "label", "description"}
        reader.keys(spec, f"fields.{name}", keys, keys)
        source = reader.text(spec, "source", f"fields.{name}.source") or ""
        if source and not FIELD_SOURCE.match(source):
            reader.fail(
                f"fields.{name}.source", f"expected table.column or derived, got {source!r}"
            )
        out[name] = FieldDef(
            name=name,
            source=source,
            label=reader.text(spec, "label", f"fields.{name}.label") or "",
            description=reader.text(spec, "description", f"fields.{name}.description") or "",
        )
    return out


def _rule(r: _Reader, raw: Any, fields: Mapping[str, FieldDef]) -> Rule | None:
    raw = r.mapping(raw, "(rule)")
    r.keys(raw, "", _REQUIRED, _RULE_KEYS)
    title = r.mapping(raw.get("title", {}), "title")
    r.keys(title, "title", {"zh", "en"}, {"zh", "en"})
    zh = r.text(title, "zh", "title.zh") or ""
    if zh and not _CJK.search(zh):
        r.fail("title.zh", "expected a Chinese title")
    basis = _legal_basis(r, r.mapping(raw.get("legal_basis", {}), "legal_basis"))
    effective = _effective(r, r.mapping(raw.get("effective", {}), "effective"))
    covers = _covers(r, r.mapping(raw.get("covers", {}), "covers"))
    deadline = _deadline(r, r.mapping(raw.get("deadline", {}), "deadline"), fields)
    proxies = _proxies(r, raw.get("proxies", []), fields, deadline)
    subject = r.choice(raw, "subject", "subject", tuple(SUBJECTS))
    severity = r.choice(raw, "severity", "severity", SEVERITIES)
    verify = raw.get("needs_verification")
    if not isinstance(verify, bool):
        r.fail("needs_verification", f"expected true or false, got {verify!r}")
    note = r.text(raw, "note", "note") or ""
    if None in (basis, effective, deadline, subject, severity):
        return None
    return Rule(
        id=str(raw.get("id")),
        title=Title(zh=zh, en=r.text(title, "en", "title.en") or ""),
        legal_basis=basis,  # type: ignore[arg-type]
        effective=effective,  # type: ignore[arg-type]
        covers=covers,
        subject=subject,  # type: ignore[arg-type]
        deadline=deadline,  # type: ignore[arg-type]
        severity=severity,  # type: ignore[arg-type]
        needs_verification=bool(verify),
        note=" ".join(note.split()),
        proxies=proxies,
    )


def _legal_basis(r: _Reader, data: dict) -> LegalBasis | None:
    keys = {"law", "year", "doc_number", "article", "quote"}
    r.keys(data, "legal_basis", keys - {"doc_number"}, keys)
    law = r.text(data, "law", "legal_basis.law")
    if law and not _LAW.match(law):
        r.fail("legal_basis.law", f"expected the title in 《》, got {law!r}")
    year = r.integer(data, "year", "legal_basis.year", minimum=1949)
    number = r.text(data, "doc_number", "legal_basis.doc_number", optional=True)
    if number:
        bracket = _YEAR_BRACKETS.search(number)
        if bracket and bracket.group(0)[0] != "〔":
            fixed = number.replace(bracket.group(0), f"〔{bracket.group(1)}〕")
            r.fail(
                "legal_basis.doc_number",
                f"{number!r} writes the year as {bracket.group(0)}; the 文号 uses 〔〕: {fixed}",
            )
        elif not _DOC_NUMBER.match(number):
            r.fail(
                "legal_basis.doc_number",
                f"expected a 文号 like 财库〔2020〕10号 or 国务院令第492号, got {number!r}",
            )
    article = r.text(data, "article", "legal_basis.article")
    if article and not _ARTICLE.match(article):
        r.fail("legal_basis.article", f"expected 第N条 (e.g. 第二十六条), got {article!r}")
    quote = r.text(data, "quote", "legal_basis.quote")
    if quote and len(_CJK.findall(quote)) < 4:
        r.fail("legal_basis.quote", f"expected the key phrase in Chinese, got {quote!r}")
    if not (law and year and article and quote):
        return None
    return LegalBasis(law=law, year=year, doc_number=number, article=article, quote=quote)


def _effective(r: _Reader, data: dict) -> Effective | None:
    r.keys(data, "effective", {"from", "to"}, {"from", "to", "by_unit_level"})
    start = r.day(data.get("from"), "effective.from")
    end = r.day(data.get("to"), "effective.to")
    if start and end and start > end:
        r.fail("effective", f"from {start} is after to {end}")
    levels: dict[str, date] = {}
    for level, value in r.mapping(data.get("by_unit_level", {}), "effective.by_unit_level").items():
        name = f"effective.by_unit_level.{level}"
        if level not in UNIT_LEVELS:
            r.fail(name, f"unknown unit level (known: {', '.join(UNIT_LEVELS)})")
            continue
        day = r.day(value, name)
        if day and start and day < start:
            r.fail(name, f"{day} is before effective.from {start}")
        if day:
            levels[level] = day
    if any(p.rule == r.rule and p.field.startswith("effective") for p in r.problems):
        return None
    return Effective(start=start, end=end, by_unit_level=levels)


def _covers(r: _Reader, data: dict) -> Covers:
    keys = {
        "kinds",
        "site_kinds",
        "sites",
        "categories",
        "title_regex",
        "announcement_types",
        "procurement_methods",
    }
    r.keys(data, "covers", {"kinds"}, keys)
    regex = r.text(data, "title_regex", "covers.title_regex", optional=True)
    if regex:
        try:
            re.compile(regex)
        except re.error as error:
            r.fail("covers.title_regex", f"not a regular expression: {error}")
    return Covers(
        kinds=r.strings(data, "kinds", "covers.kinds", NOTICE_KINDS),
        site_kinds=r.strings(data, "site_kinds", "covers.site_kinds", SITE_KINDS),
        sites=r.strings(data, "sites", "covers.sites"),
        categories=r.strings(data, "categories", "covers.categories"),
        title_regex=regex,
        announcement_types=r.strings(
            data, "announcement_types", "covers.announcement_types", TYPES
        ),
        procurement_methods=r.strings(
            data, "procurement_methods", "covers.procurement_methods", METHODS
        ),
    )


def _deadline(r: _Reader, data: dict, fields: Mapping[str, FieldDef]) -> Deadline | None:
    kind = data.get("kind")
    if kind not in KINDS:
        r.fail("deadline.kind", f"unknown deadline kind {kind!r} (known: {', '.join(KINDS)})")
        return None
    required, optional = KINDS[kind]
    r.keys(data, "deadline", {"kind", *required}, {"kind", *required, *optional})
    before = len(r.problems)
    for key in ("anchor", "target", "period", "start", "end"):
        if key in data and data[key] not in fields:
            r.fail(f"deadline.{key}", f"unknown date field {data[key]!r} (add it to `fields`)")
    days = r.integer(data, "days", "deadline.days", minimum=1)
    month_day = r.text(data, "month_day", "deadline.month_day", optional=True)
    if month_day and not _is_month_day(month_day):
        r.fail("deadline.month_day", f"expected MM-DD, got {month_day!r}")
    if kind == "min_interval":
        r.choice(data, "unit", "deadline.unit", UNITS)
    if "when_absent" in data:
        r.choice(data, "when_absent", "deadline.when_absent", WHEN_ABSENT)
    values = r.strings(data, "values", "deadline.values") if kind == "presence" else ()
    if kind == "presence" and not values:
        r.fail("deadline.values", "expected at least one value")
    then_wd = r.integer(data, "then_working_days", "deadline.then_working_days", minimum=1)
    year_offset = r.integer(data, "year_offset", "deadline.year_offset")
    min_items = r.integer(data, "min_items", "deadline.min_items", minimum=1)
    if len(r.problems) > before:
        return None
    return Deadline(
        kind=kind,
        anchor=data.get("anchor"),
        target=data.get("target"),
        days=days,
        then_working_days=then_wd,
        period=data.get("period"),
        year_offset=year_offset,
        month_day=month_day,
        start=data.get("start"),
        end=data.get("end"),
        unit=data.get("unit"),
        field=data.get("field"),
        values=values,
        min_items=min_items or 1,
        when_absent=data.get("when_absent", "skip"),
    )


def _is_month_day(text: str) -> bool:
    if not _MONTH_DAY.match(text):
        return False
    try:
        date.fromisoformat(f"2000-{text}")  # a leap year: 02-29 is a valid yearly date
    except ValueError:
        return False
    return True


def _proxies(
    r: _Reader, data: Any, fields: Mapping[str, FieldDef], deadline: Deadline | None
) -> tuple[Proxy, ...]:
    if not isinstance(data, list):
        r.fail("proxies", "expected a list")
        return ()
    out = []
    for i, item in enumerate(data):
        name = f"proxies[{i}]"
        item = r.mapping(item, name)
        r.keys(item, name, {"for", "use", "why"}, {"for", "use", "why", "plus_working_days"})
        for key in ("for", "use"):
            if key in item and item[key] not in fields:
                r.fail(f"{name}.{key}", f"unknown date field {item[key]!r}")
        if deadline and item.get("for") not in deadline.date_fields():
            r.fail(f"{name}.for", f"{item.get('for')!r} is not a date field of the deadline")
        why = r.text(item, "why", f"{name}.why") or ""
        plus = r.integer(item, "plus_working_days", f"{name}.plus_working_days") or 0
        out.append(Proxy(str(item.get("for")), str(item.get("use")), " ".join(why.split()), plus))
    return tuple(out)


# --- the documentation page ------------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_docs(catalog: Catalog) -> str:
    """docs/rules.md for ``catalog``."""
    out = [
        "# Compliance rules: statutory disclosure deadlines",
        "",
        "<!-- Generated from pipeline/compliance/rules.yml; do not edit by hand. -->",
        "Generated from `pipeline/compliance/rules.yml` by",
        f"`{DOCS_COMMAND}`. Do not edit by hand: edit the catalog and",
        "regenerate (`--check` exits 1 when this page is stale).",
        "",
        "Each rule names its legal basis, when it is in force, which archived items it covers,",
        "what one verdict is about and its deadline. **Unverified** means the article number or",
        "the quoted wording has not yet been compared with the official text.",
        "",
        "| id | title | legal basis | deadline | effective | severity | verification |",
        "|---|---|---|---|---|---|---|",
    ]
    for rule in catalog.rules:
        status = "unverified" if rule.needs_verification else "verified"
        out.append(
            "| "
            + " | ".join(
                _cell(c)
                for c in (
                    f"[{rule.id}](#{rule.id.lower()})",
                    f"{rule.title.zh}<br>{rule.title.en}",
                    rule.legal_basis.citation(),
                    rule.deadline.words(),
                    rule.effective.words(),
                    rule.severity,
                    status,
                )
            )
            + " |"
        )
    out += ["", "## Rules", ""]
    for rule in catalog.rules:
        basis = rule.legal_basis
        out += [
            f"### {rule.id}",
            "",
            f"**{rule.title.zh}** — {rule.title.en}",
            "",
            f"- legal basis: {basis.law}"
            + (f" {basis.doc_number}" if basis.doc_number else "")
            + f" ({basis.year}) {basis.article}",
            f"- quote: 「{basis.quote}」",
            f"- effective: {rule.effective.words()}",
            f"- covers: {rule.covers.words()}",
            f"- subject: `{rule.subject}` — {SUBJECTS[rule.subject]}",
            f"- deadline: {rule.deadline.words()} (`{rule.deadline.kind}`"
            + (", missing when absent" if rule.deadline.when_absent == "missing" else "")
            + ")",
        ]
        for proxy in rule.proxies:
            plus = f" + {proxy.plus_working_days} working days" if proxy.plus_working_days else ""
            out.append(f"- proxy: `{proxy.for_field}` unknown → `{proxy.use}`{plus}: {proxy.why}")
        out += [
            f"- severity: {rule.severity}",
            f"- needs verification: {'yes' if rule.needs_verification else 'no'}",
            f"- note: {rule.note}",
            "",
        ]
    out += ["## The deadline expression language", "", LANGUAGE.rstrip(), ""]
    out += [
        "## Fields the deadlines name",
        "",
        "| field | 名称 | source | meaning |",
        "|---|---|---|---|",
    ]
    for f in catalog.fields.values():
        out.append(f"| `{f.name}` | {f.label} | `{f.source}` | {_cell(f.description)} |")
    out += ["", "Subjects: " + "; ".join(f"`{k}` {v}" for k, v in SUBJECTS.items()) + ".", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m pipeline.compliance.rules",
        description="Validate the compliance rule catalog and generate docs/rules.md.",
    )
    parser.add_argument("--rules", type=Path, default=RULES_PATH, help="the catalog to read")
    parser.add_argument("--docs", type=Path, help="write the documentation page here")
    parser.add_argument(
        "--check", action="store_true", help="exit 1 when the page differs from the catalog"
    )
    args = parser.parse_args(argv)
    try:
        catalog = load_rules(args.rules)
    except CatalogError as error:
        print(error, file=sys.stderr)
        return 2
    if args.docs is None and not args.check:
        print(f"{len(catalog.rules)} rules, valid")
        return 0
    docs = args.docs or DOCS_PATH
    text = render_docs(catalog)
    if args.check:
        current = docs.read_text(encoding="utf-8") if docs.is_file() else None
        if current != text:
            print(f"{docs} is stale: run {DOCS_COMMAND}", file=sys.stderr)
            return 1
        print(f"{docs} is up to date ({len(catalog.rules)} rules)")
        return 0
    docs.write_text(text, encoding="utf-8")
    print(f"wrote {docs} ({len(catalog.rules)} rules)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
