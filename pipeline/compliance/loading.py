"""Reading ``rules.yml``: typed loading and validation of the rule catalog.

``load_rules()`` reads the catalog into a :class:`~pipeline.compliance.rules.Catalog` and checks
every field; all mistakes are reported together, each naming the rule id and the field
(``GP-02: legal_basis.doc_number: …``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from pipeline.compliance import yaml_text
from pipeline.compliance.rules import (
    FIELD_SOURCE,
    ID_PATTERN,
    KINDS,
    NOTICE_KINDS,
    RULES_PATH,
    SEVERITIES,
    SITE_KINDS,
    SUBJECTS,
    UNIT_LEVELS,
    UNITS,
    WHEN_ABSENT,
    Catalog,
    CatalogError,
    Covers,
    Deadline,
    Effective,
    FieldDef,
    LegalBasis,
    Problem,
    Proxy,
    Rule,
    Title,
)
from pipeline.extract.procurement.kinds import METHODS, TYPES

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
    "yields_to",
    "unless",
}
_REQUIRED = _RULE_KEYS - {"proxies", "yields_to", "unless"}


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


def load_rules(path: Path | str | None = None) -> Catalog:
    """The catalog at ``path`` (default: the bundled rules.yml, read as package data so it
    also loads from a zipped egg); raises :class:`CatalogError` listing every mistake."""
    if path is None:
        text = resources.files("pipeline.compliance").joinpath("rules.yml").read_text("utf-8")
        path = RULES_PATH
    else:
        path = Path(path)
        text = path.read_text(encoding="utf-8")
    try:
        data = yaml_text.load(text)  # dates parsed per rule and field
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
    for rule in rules:
        for other in rule.yields_to:
            if other not in seen or other == rule.id:
                problems.append(Problem(rule.id, "yields_to", f"unknown rule {other!r}"))
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
    yields_to = r.strings(raw, "yields_to", "yields_to")
    unless = r.strings(raw, "unless", "unless", tuple(fields))
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
        yields_to=yields_to,
        unless=unless,
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
        if not isinstance(data.get("inclusive", False), bool):
            r.fail("deadline.inclusive", f"expected true or false, got {data['inclusive']!r}")
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
        inclusive=bool(data.get("inclusive", False)),
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
