"""The compliance findings a checker should reach on an archive of the replica's sites.

Computed from the truth document's own records (``notices``, their ``procurement`` objects and
the ``procurement_projects`` of ccgp and gdgpo: the values an archive should hold) plus the
dates pages print that no record field holds (``printed``: a tender's 获取招标文件 period, an
award's 中标/成交日期, from the sites' ``printed_dates``). Nothing here reads the replica's
builders, and nothing is imported from the pipeline: this is the independent expectation the
checker (pipeline/compliance, rule catalog rules.yml) is compared with.

Working days are the official calendar of the ``chinese_calendar`` package (2004–2026), not the
replica's simplified one. ``add_working_days(d, n)`` is the n-th working day strictly after
``d``; ``working_days_between(a, b)`` counts the working days in (a, b].

One finding per rule and subject: ``rule_id``, ``site``, ``subject_type``, ``subject``,
``verdict`` (on_time, late, missing, not_yet_due, undeterminable), ``days_late``, ``due_date``
(ISO), ``url`` (the evidence notice; null when missing), and ``region_code`` for gdgpo. An
undeterminable finding has ``due_date`` and ``days_late`` null. Only stored records count
(a page that fails is not in an archive), and nothing published after ``as_of``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import chinese_calendar

DEFAULT_AS_OF = dt.date(2026, 11, 30)  # the replica's "today" when no as_of is given
BUREAU_KINDS = ("bureau", "site-group")  # sites whose notices the GI / HX / BU rules cover
PROCUREMENT_KINDS = ("procurement",)
TENDER_METHODS = ("公开招标", "邀请招标")

HX01_FROM, GI01_FROM = dt.date(2008, 5, 1), dt.date(2019, 5, 15)
BU_FROM = dt.date(2015, 1, 1)
BUDGETS = ("财政预算", "财政预决算", "部门预决算", "市级政府预算")
FINALS = ("财政决算", "财政预决算", "部门预决算")
BU_RULES = (  # (rule, categories, title pattern)
    ("BU-01", BUDGETS, re.compile("预算(?!执行|编制)")),
    ("BU-02", FINALS, re.compile("决算")),
)
REPORT_TITLE = re.compile(r"政府信息公开(?:工作)?年度报告")
REPORT_YEAR = re.compile(r"(\d{4})年")
GI02_FROM_YEAR = 2019
HX02_SITE = "zjczj"
HX02_COLUMNS = ("机构职能", "规范性文件", "行政许可", "便民服务", "工作动态")
GP01_FROM = {"central": dt.date(2021, 1, 1), "provincial": dt.date(2021, 1, 1),
             "below_provincial": dt.date(2022, 1, 1)}  # fmt: skip
CENTRAL_PREFIXES = ("国家", "中国", "中华人民共和国", "中央")
LOCAL = re.compile(r"[市县区]")


# -- the official working-day calendar ---------------------------------------------------------
@functools.lru_cache(maxsize=16384)
def is_workday(day: dt.date) -> bool:
    """On the official calendar (raises NotImplementedError outside 2004–2026)."""
    return chinese_calendar.is_workday(day)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day strictly after ``day`` (``day`` itself for 0)."""
    while count > 0:
        day += dt.timedelta(days=1)
        count -= is_workday(day)
    return day


def next_working_day(day: dt.date) -> dt.date:
    """``day`` itself when a working day, else the first working day after it."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days ``d`` with ``start < d <= end`` (negative when ``end < start``)."""
    if end < start:
        return -working_days_between(end, start)
    return sum(is_workday(start + dt.timedelta(days=n)) for n in range(1, (end - start).days + 1))


def working_days_within(first: dt.date, last: dt.date) -> int:
    """Working days from ``first`` to ``last``, both included."""
    return sum(is_workday(first + dt.timedelta(days=n)) for n in range((last - first).days + 1))


def nth_working_day_from(first: dt.date, count: int) -> dt.date:
    """The ``count``-th working day counting ``first`` itself (when it is one)."""
    day = first - dt.timedelta(days=1)
    return add_working_days(day, count)


def unit_level(purchaser: str) -> str:
    """central, provincial or below_provincial, from the purchaser's name."""
    name = re.sub(r"\s+", "", purchaser)
    if name.startswith(CENTRAL_PREFIXES):
        return "central"
    if name.startswith("广东省") and not LOCAL.search(name[3:7]):
        return "provincial"
    return "below_provincial"


# -- the findings --------------------------------------------------------------------------------
def expected_findings(
    document: dict[str, Any],
    printed: dict[str, dict[str, Any]],
    as_of: dt.date,
) -> list[dict[str, Any]]:
    """Every finding for the truth ``document`` (notices, procurement_projects, sites) as of
    ``as_of``, sorted by rule, site, subject type and subject."""
    kinds = {site["name"]: site["kind"] for site in document["sites"]}
    records = [r for r in document["notices"] if _exists(r, as_of)]
    by_url = {r["url"]: r for r in records}
    projects = list(document["procurement_projects"])
    for site in document["sites"]:
        projects += site.get("procurement_projects", [])
    bureau = [r for r in records if kinds.get(r["site"]) in BUREAU_KINDS and r["kind"] == "notice"]
    bought = [r for r in records if kinds.get(r["site"]) in PROCUREMENT_KINDS and r["procurement"]]
    sites = [name for name, kind in kinds.items() if kind in BUREAU_KINDS]
    findings = [
        *_documents(bureau),
        *_annual_reports(bureau, sites, as_of),
        *_columns(bureau, kinds),
        *_projects(projects, by_url, as_of),
        *_notices(bought, projects, by_url, printed),
    ]
    return sorted(findings, key=lambda f: (f["rule_id"], f["site"], f["subject_type"],
                                           f["subject"], f["url"] or ""))  # fmt: skip


def _exists(record: dict[str, Any], as_of: dt.date) -> bool:
    """In an archive: stored, and not published after ``as_of``."""
    day = _date(record.get("publish_date"))
    return record.get("expect") == "stored" and (day is None or day <= as_of)


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value[:10]) if value else None


def _finding(
    rule: str,
    record_or_site: dict[str, Any] | str,
    subject_type: str,
    subject: str,
    verdict: str,
    *,
    days_late: int | None = None,
    due: dt.date | None = None,
    url: str | None = None,
    region: str | None = None,
) -> dict[str, Any]:
    site = record_or_site if isinstance(record_or_site, str) else record_or_site["site"]
    finding = {
        "rule_id": rule,
        "site": site,
        "subject_type": subject_type,
        "subject": subject,
        "verdict": verdict,
        "days_late": days_late if verdict == "late" else None,
        "due_date": due.isoformat() if due and verdict != "undeterminable" else None,
        "url": url,
    }
    if site == "gdgpo":
        finding["region_code"] = region
    return finding


def _deadline(
    rule: str,
    record: dict[str, Any],
    subject_type: str,
    subject: str,
    due: dt.date | None,
    published: dt.date | None,
    working: bool = True,
) -> dict[str, Any]:
    """Published on or before ``due``: on time; after: late by working (or calendar) days;
    undeterminable when either date is unknown."""
    url, region = record["url"], record.get("region_code")
    if due is None or published is None:
        return _finding(rule, record, subject_type, subject, "undeterminable", url=url,
                        region=region)  # fmt: skip
    if published <= due:
        return _finding(rule, record, subject_type, subject, "on_time", due=due, url=url,
                        region=region)  # fmt: skip
    late = working_days_between(due, published) if working else (published - due).days
    return _finding(rule, record, subject_type, subject, "late", days_late=late, due=due,
                    url=url, region=region)  # fmt: skip


def _interval(
    rule: str, record: dict[str, Any], end: dt.date | None, due: dt.date | None
) -> dict[str, Any]:
    """A minimum interval: ``end`` on or after ``due`` is on time, else late by the days short."""
    url, region = record["url"], record.get("region_code")
    if end is None or due is None:
        return _finding(rule, record, "procurement_notice", url, "undeterminable", url=url,
                        region=region)  # fmt: skip
    if end >= due:
        return _finding(rule, record, "procurement_notice", url, "on_time", due=due, url=url,
                        region=region)  # fmt: skip
    return _finding(rule, record, "procurement_notice", url, "late", days_late=(due - end).days,
                    due=due, url=url, region=region)  # fmt: skip


# -- GI-01 / HX-01 / BU-01 / BU-02: documents --------------------------------------------------
def budget_rules(record: dict[str, Any]) -> list[str]:
    """The BU rules that apply to a notice (category, title, published since 2015)."""
    published = _date(record["publish_date"])
    if published is None or published < BU_FROM:
        return []
    title = record["title"] or ""
    return [rule for rule, categories, words in BU_RULES
            if record["category"] in categories and words.search(title)]  # fmt: skip


def _documents(records: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for record in records:
        url = record["url"]
        budget = budget_rules(record)
        for rule in budget:  # the approval date, which would decide, is printed nowhere
            yield _finding(rule, record, "document", url, "undeterminable", url=url)
        if budget:
            continue
        made, published = _date(record["doc_date"]), _date(record["publish_date"])
        anchor = made or published
        if anchor is None or anchor < HX01_FROM:
            continue
        rule = "GI-01" if anchor >= GI01_FROM else "HX-01"
        if made is None:
            yield _finding(rule, record, "document", url, "undeterminable", url=url)
            continue
        yield _deadline(rule, record, "document", url, add_working_days(made, 20), published)


# -- GI-02: annual reports ---------------------------------------------------------------------
def _annual_reports(
    records: list[dict[str, Any]], sites: list[str], as_of: dt.date
) -> Iterable[dict[str, Any]]:
    for site in sites:
        own = [r for r in records if r["site"] == site and r["publish_date"]]
        if not own:
            continue
        first = min(_date(r["publish_date"]) for r in own)
        reports: dict[int, dict[str, Any]] = {}
        for record in own:
            title = record["title"] or ""
            year = REPORT_YEAR.search(title)
            if not (REPORT_TITLE.search(title) and year):
                continue
            earliest = reports.get(int(year.group(1)))
            key = (record["publish_date"], record["url"])
            if earliest is None or key < (earliest["publish_date"], earliest["url"]):
                reports[int(year.group(1))] = record
        for year in range(max(GI02_FROM_YEAR, first.year), as_of.year):
            due = dt.date(year + 1, 1, 31)
            report = reports.get(year)
            if report is not None:
                yield _deadline("GI-02", report, "report_year", str(year), due,
                                _date(report["publish_date"]), working=False)  # fmt: skip
            else:
                verdict = "missing" if as_of > due else "not_yet_due"
                yield _finding("GI-02", site, "report_year", str(year), verdict, due=due)


# -- HX-02: the bureau's 政务公开目录 columns -----------------------------------------------------
def _columns(records: list[dict[str, Any]], kinds: dict[str, str]) -> Iterable[dict[str, Any]]:
    if HX02_SITE not in kinds:
        return
    held = {r["category"] for r in records if r["site"] == HX02_SITE}
    for column in HX02_COLUMNS:
        verdict = "on_time" if column in held else "missing"
        yield _finding("HX-02", HX02_SITE, "column", column, verdict)


# -- GP-01 / GP-11: projects -------------------------------------------------------------------
def project_subject(project: dict[str, Any]) -> str:
    """The project number when any of its pages shows it, else ``purchaser|name`` without
    whitespace."""
    if project["project_number"]:
        return project["project_number"]
    return re.sub(r"\s+", "", f"{project['purchaser']}|{project['project_name']}")


def _first(urls: list[str], by_url: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The earliest published of the stored records among ``urls``."""
    held = [by_url[u] for u in urls if u in by_url and by_url[u]["publish_date"]]
    return min(held, key=lambda r: (r["publish_date"], r["url"]), default=None)


def _projects(
    projects: list[dict[str, Any]], by_url: dict[str, dict[str, Any]], as_of: dt.date
) -> Iterable[dict[str, Any]]:
    for project in projects:
        stages = project["stages"]
        own = [by_url[u] for urls in stages.values() for u in urls if u in by_url]
        if not own:
            continue
        site = own[0]["site"]
        region = next((r.get("region_code") for r in own if r.get("region_code")), None)
        subject = project_subject(project)
        tender = _first(stages["tender"], by_url)
        if tender is not None:
            yield from _gp01(project, tender, site, subject, region, by_url)
        award = _first(stages["award"], by_url)
        ended = _first(stages["termination"], by_url)
        if award is not None and ended is None:
            yield _gp11(project, award, site, subject, region, by_url, as_of)


def _gp01(
    project: dict[str, Any],
    tender: dict[str, Any],
    site: str,
    subject: str,
    region: str | None,
    by_url: dict[str, dict[str, Any]],
) -> Iterable[dict[str, Any]]:
    tendered = _date(tender["publish_date"])
    assert tendered is not None
    if tendered < GP01_FROM[unit_level(project["purchaser"])]:
        return
    due = tendered - dt.timedelta(days=30)
    intent = _first(project["stages"]["intent"], by_url)
    if intent is None:
        yield _finding("GP-01", site, "procurement_project", subject, "missing", due=due,
                       region=region)  # fmt: skip
        return
    published = _date(intent["publish_date"])
    assert published is not None
    verdict = "on_time" if published <= due else "late"
    yield _finding("GP-01", site, "procurement_project", subject, verdict,
                   days_late=(published - due).days, due=due, url=intent["url"],
                   region=region)  # fmt: skip


def _gp11(
    project: dict[str, Any],
    award: dict[str, Any],
    site: str,
    subject: str,
    region: str | None,
    by_url: dict[str, dict[str, Any]],
    as_of: dt.date,
) -> dict[str, Any]:
    awarded = _date(award["publish_date"])
    assert awarded is not None
    # 30 days, moved to the next working day when the 30th is a day of rest (民法典 第二百零三条),
    # then 2 working days to publish the contract
    due = add_working_days(next_working_day(awarded + dt.timedelta(days=30)), 2)
    contract = _first(project["stages"]["contract"], by_url)
    if contract is None:
        verdict = "missing" if as_of > due else "not_yet_due"
        return _finding("GP-11", site, "procurement_project", subject, verdict, due=due,
                        region=region)  # fmt: skip
    published = _date(contract["publish_date"])
    assert published is not None
    verdict = "on_time" if published <= due else "late"
    return _finding("GP-11", site, "procurement_project", subject, verdict,
                    days_late=working_days_between(due, published), due=due,
                    url=contract["url"], region=region)  # fmt: skip


# -- GP-02 / GP-03 / GP-04 / GP-08 / GP-10: announcements ----------------------------------------
def _notices(
    records: list[dict[str, Any]],
    projects: list[dict[str, Any]],
    by_url: dict[str, dict[str, Any]],
    printed: dict[str, dict[str, Any]],
) -> Iterable[dict[str, Any]]:
    project_of: dict[str, dict[str, Any]] = {}
    for project in projects:
        for stage in ("tender", "correction", "award", "contract"):
            for url in project["stages"][stage]:
                project_of[url] = project
    methods: dict[int, set[str]] = defaultdict(set)  # id(project) → its tenders' methods
    for project in projects:
        for url in project["stages"]["tender"]:
            if url in by_url:
                methods[id(project)].add(by_url[url]["procurement"]["procurement_method"])
    for record in records:
        kind = record["procurement"]["announcement_type"]
        page = printed.get(record["url"], {})
        project = project_of.get(record["url"])
        if kind == "tender" and record["procurement"]["procurement_method"] in TENDER_METHODS:
            yield from _tender(record, page)
        elif kind == "correction" and project and methods[id(project)] & set(TENDER_METHODS):
            end = _date(record["procurement"]["bid_deadline"])
            due = _date(record["publish_date"])
            due = due + dt.timedelta(days=15) if due and end else None
            yield _interval("GP-04", record, end, due)
        elif kind == "award":
            yield _award(record, page, project, by_url)
        elif kind == "contract":
            signed = _date(record["procurement"]["contract_date"])
            due = add_working_days(signed, 2) if signed else None
            published = _date(record["publish_date"])
            yield _deadline("GP-10", record, "procurement_notice", record["url"], due, published)


def _tender(record: dict[str, Any], page: dict[str, Any]) -> Iterable[dict[str, Any]]:
    period = page.get("documents")
    first, last = period if period else (None, None)
    start = first or _date(record["publish_date"])
    end = _date(record["procurement"]["bid_deadline"])
    yield _interval("GP-02", record, end, start + dt.timedelta(days=20) if start else None)
    if first is None or last is None:
        yield _interval("GP-03", record, None, None)
        return
    count = working_days_within(first, last)
    due = nth_working_day_from(first, 5)
    url, region = record["url"], record.get("region_code")
    if count >= 5:
        yield _finding("GP-03", record, "procurement_notice", url, "on_time", due=due, url=url,
                       region=region)  # fmt: skip
    else:
        yield _finding("GP-03", record, "procurement_notice", url, "late", days_late=5 - count,
                       due=due, url=url, region=region)  # fmt: skip


def _opening(project: dict[str, Any], by_url: dict[str, dict[str, Any]]) -> dt.date | None:
    """The bid opening in force as the pages print it: the last tender or correction (in
    publication order) that prints one."""
    pages = [
        by_url[u] for s in ("tender", "correction") for u in project["stages"][s] if u in by_url
    ]
    printed = [p for p in pages if p["procurement"]["bid_opening"]]
    last = max(printed, key=lambda p: (p["publish_date"], p["url"]), default=None)
    return _date(last["procurement"]["bid_opening"]) if last else None


def _award(
    record: dict[str, Any],
    page: dict[str, Any],
    project: dict[str, Any] | None,
    by_url: dict[str, dict[str, Any]],
) -> dict[str, Any]:
    """GP-08: the printed determination date, else the evaluation (printed 评审日期, else the
    project's bid opening) + 7 working days; then 2 working days to publish."""
    anchor = page.get("determined")
    if anchor is None:
        evaluated = page.get("evaluated") or (_opening(project, by_url) if project else None)
        anchor = add_working_days(evaluated, 7) if evaluated else None
    due = add_working_days(anchor, 2) if anchor else None
    published = _date(record["publish_date"])
    return _deadline("GP-08", record, "procurement_notice", record["url"], due, published)
