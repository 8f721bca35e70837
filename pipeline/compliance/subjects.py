"""What a rule judges, read from the archive: documents, procurement notices and projects,
report years and columns, each with its dates and where every date came from.

A :class:`Subject` carries the facts a rule's ``covers`` tests (site kind, category, title,
announcement type, method, unit level) and a :class:`Dated` value per date field the catalog
names (``fields`` in rules.yml). Nothing published after ``as_of`` exists for a check as of
that day: such notices are left out and such dates read as unknown.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from pipeline.compliance import derive
from pipeline.normalize.dates import iso_day
from pipeline.store.ids import notice_id
from pipeline.store.link import name_key


@dataclass(frozen=True)
class Dated:
    """A date and where it came from (a page field, the text, our own capture, a proxy)."""

    value: dt.date | None
    source: str


@dataclass
class Subject:
    type: str
    site: str
    key: str
    label: str
    facts: dict[str, Any] = field(default_factory=dict)
    dates: dict[str, Dated] = field(default_factory=dict)
    notice_id: str | None = None
    url: str | None = None
    year: int | None = None
    count: int | None = None  # columns: archived items
    evidence: dict[str, str] = field(default_factory=dict)  # date field -> notice id

    def values(self) -> dict[str, dt.date | None]:
        return {name: d.value for name, d in self.dates.items()}


class Archive:
    """Reads subjects from one archive as of a day."""

    def __init__(self, db: sqlite_utils.Database, as_of: dt.date) -> None:
        self.db = db
        self.as_of = as_of
        self.site_kinds = {r["name"]: r["kind"] for r in db.query("select name, kind from sites")}
        self._urls: dict[str, str] | None = None  # notice id -> URL
        self._publish_days: dict[str, dt.date] | None = None

    def known(self, value: str | None) -> dt.date | None:
        """A stored date, unless it lies after ``as_of``."""
        day = iso_day(value)
        return day if day is not None and day <= self.as_of else None

    def url_of(self, notice_id: str) -> str | None:
        if self._urls is None:
            self._urls = {r["id"]: r["url"] for r in self.db.query("select id, url from notices")}
        return self._urls.get(notice_id)

    def captures(self) -> dict[str, str]:
        """The newest version with a raw capture of each notice: notice id -> version id."""
        sql = (
            "select notice_id, id from notice_versions where warc_file is not null"
            " order by notice_id, version"
        )
        return {r["notice_id"]: r["id"] for r in self.db.query(sql)}

    def _notices(self, kind: str) -> Iterator[dict[str, Any]]:
        # The text only where a rule reads a date from it (a budget's approval): a check of a
        # large archive must not hold every body in memory.
        sql = (
            "select id, url, site, kind, category, title, publish_date, doc_date, first_seen,"
            " case when title like '%预算%' or title like '%决算%' then body_text end"
            " as body_text from notices where kind = ? order by site, publish_date, url"
        )
        for row in self.db.query(sql, [kind]):
            published = self.known(row["publish_date"]) or self.known(row["first_seen"])
            if published is not None:
                yield row

    def documents(self) -> list[Subject]:
        """Every notice of kind ``notice``: a document under GI-01, HX-01, BU-01, BU-02."""
        out = []
        for row in self._notices("notice"):
            text = row["body_text"]
            out.append(
                Subject(
                    type="document",
                    site=row["site"],
                    key=row["url"],
                    label=row["title"] or row["url"],
                    facts=self._facts(row),
                    dates={
                        **self._page_dates(row),
                        "doc_date": Dated(self.known(row["doc_date"]), "成文日期 on the page"),
                        "approval_date": Dated(
                            derive.approval_date(text), "批准/批复 date stated in the text"
                        ),
                    },
                    notice_id=row["id"],
                    url=row["url"],
                )
            )
        return out

    def _page_dates(self, row: dict[str, Any]) -> dict[str, Dated]:
        return {
            "publish_date": Dated(self.known(row["publish_date"]), "发布日期 on the page"),
            "first_seen": Dated(self.known(row["first_seen"]), "first captured by this archive"),
        }

    def _facts(self, row: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": row["kind"],
            "site_kind": self.site_kinds.get(row["site"]),
            "site": row["site"],
            "category": row["category"],
            "title": row["title"] or "",
        }

    def procurement_notices(self) -> list[Subject]:
        """Every procurement announcement, with the dates its text prints."""
        rows = self.db.query(
            "select n.id, n.url, n.site, n.kind, n.category, n.title, n.publish_date,"
            " n.doc_date, n.first_seen, p.announcement_type, p.procurement_method,"
            " case when p.announcement_type in ('tender', 'award') then n.body_text end"
            " as body_text,"
            " p.bid_deadline, p.bid_opening, p.award_date, p.contract_date, p.purchaser,"
            " p.project_id,"
            " pp.procurement_method as project_method from notices n"
            " join procurement p on p.notice_id = n.id"
            " left join procurement_projects pp on pp.id = p.project_id"
            " where n.kind = 'procurement' order by n.site, n.publish_date, n.url"
        )
        rows = [r for r in rows if self.known(r["publish_date"]) or self.known(r["first_seen"])]
        openings = self._openings(rows)
        out = []
        for row in rows:
            text = row["body_text"]
            doc_from, doc_to = derive.tender_doc_period(text)
            printed_eval = derive.evaluation_date(text)
            opening = openings.get(row["project_id"] or "")
            evaluation = (
                Dated(printed_eval, "评审日期 stated in the award notice")
                if printed_eval
                else Dated(opening, "the project's bid opening (its tender's or last correction's)")
            )
            facts = self._facts(row)
            facts.update(
                announcement_type=row["announcement_type"],
                procurement_method=row["procurement_method"] or row["project_method"],
                unit_level=derive.unit_level(row["purchaser"]),
            )
            out.append(
                Subject(
                    type="procurement_notice",
                    site=row["site"],
                    key=row["url"],
                    label=row["title"] or row["url"],
                    facts=facts,
                    dates={
                        **self._page_dates(row),
                        "tender_doc_from": Dated(doc_from, "获取招标文件 period in the text"),
                        "tender_doc_to": Dated(doc_to, "获取招标文件 period in the text"),
                        "bid_deadline": Dated(
                            iso_day(row["bid_deadline"]), "投标截止时间 in the text"
                        ),
                        "award_determined_date": Dated(
                            iso_day(row["award_date"]) or derive.determined_date(text),
                            "中标/成交日期 on the page",
                        ),
                        "evaluation_date": evaluation,
                        "contract_signed_date": Dated(
                            iso_day(row["contract_date"]), "合同签订日期 in the text"
                        ),
                    },
                    notice_id=row["id"],
                    url=row["url"],
                )
            )
        return out

    def _openings(self, rows: list[dict[str, Any]]) -> dict[str, dt.date]:
        """Each project's bid opening in force: the last one its tender or corrections print."""
        openings: dict[str, dt.date] = {}
        for row in rows:  # in publish order
            day = iso_day(row["bid_opening"])
            if row["project_id"] and day and row["announcement_type"] in ("tender", "correction"):
                openings[row["project_id"]] = day
        return openings

    def projects(self) -> list[Subject]:
        """Every procurement project with its stage dates (first publication of each stage)."""
        sites: dict[str, str] = {}
        for r in self.db.query(
            "select p.project_id, min(n.site) as site from procurement p"
            " join notices n on n.id = p.notice_id where p.project_id is not null"
            " group by p.project_id"
        ):
            sites[r["project_id"]] = r["site"]
        out = []
        for row in self.db.query("select * from procurement_projects order by id"):
            stages = json.loads(row["stages"] or "{}")
            dates, evidence = self._stage_dates(stages)
            key = row["project_number"] or name_key(row["purchaser"], row["project_name"])
            site = sites.get(row["id"]) or ""
            tender = dates.get("tender_date")
            out.append(
                Subject(
                    type="procurement_project",
                    site=site,
                    key=key or row["id"],
                    label=row["project_name"] or key or row["id"],
                    facts={
                        "kind": "procurement",
                        "site_kind": self.site_kinds.get(site),
                        "site": site,
                        "procurement_method": row["procurement_method"],
                        "unit_level": derive.unit_level(row["purchaser"]),
                        "title": row["project_name"] or "",
                    },
                    dates={
                        name: Dated(value, f"first {STAGE_LABELS[name]} of the project")
                        for name, value in dates.items()
                    },
                    year=tender.year if tender else None,
                    evidence=evidence,
                )
            )
        return out

    def _stage_dates(
        self, stages: dict[str, list[str]]
    ) -> tuple[dict[str, dt.date | None], dict[str, str]]:
        """First publish date per stage (as of the check) and the notice that gives it."""
        dates: dict[str, dt.date | None] = {}
        evidence: dict[str, str] = {}
        published = self._published()
        for stage, name in STAGE_FIELDS.items():
            urls = stages.get(stage, [])  # a notice's id is its URL's hash; ties: the first URL
            held = [(published[i], url, i) for url in urls if (i := notice_id(url)) in published]
            first = min(held, default=None)
            dates[name] = first[0] if first else None
            if first:
                evidence[name] = first[2]
        return dates, evidence

    def _published(self) -> dict[str, dt.date]:
        """Each notice's publish date (else first capture) known as of the check."""
        if self._publish_days is None:
            self._publish_days = {}
            for r in self.db.query("select id, publish_date, first_seen from notices"):
                day = self.known(r["publish_date"]) or self.known(r["first_seen"])
                if day:
                    self._publish_days[r["id"]] = day
        return self._publish_days

    def report_years(self, sites: list[str], title_regex: str) -> list[Subject]:
        """One subject per site and report year from the site's first year to the year before
        ``as_of``, with the earliest matching report if one is archived."""
        pattern = re.compile(title_regex)
        reports: dict[tuple[str, int], dict[str, Any]] = {}
        first_years: dict[str, int] = {}
        for row in self._notices("notice"):
            if row["site"] not in sites:
                continue
            day = self.known(row["publish_date"]) or self.known(row["first_seen"])
            first_years[row["site"]] = min(first_years.get(row["site"], day.year), day.year)
            year = derive.report_year(row["title"]) if pattern.search(row["title"] or "") else None
            if year is None:
                continue
            known = reports.get((row["site"], year))
            if known is None or day < known["day"]:
                reports[(row["site"], year)] = {**row, "day": day}
        out = []
        for site in sites:
            if site not in first_years:
                continue
            for year in range(first_years[site], self.as_of.year):
                report = reports.get((site, year))
                out.append(
                    Subject(
                        type="report_year",
                        site=site,
                        key=str(year),
                        label=report["title"] if report else f"{year}年政府信息公开工作年度报告",
                        facts={"site": site, "site_kind": self.site_kinds.get(site)},
                        dates={
                            "report_year": Dated(None, "the year in the report's title"),
                            "publish_date": Dated(
                                report["day"] if report else None, "发布日期 on the page"
                            ),
                        },
                        notice_id=report["id"] if report else None,
                        url=report["url"] if report else None,
                        year=year,
                    )
                )
        return out

    def columns(self, sites: list[str], values: tuple[str, ...]) -> list[Subject]:
        """One subject per site and column (category), with its number of archived items."""
        counts: dict[tuple[str, str], int] = defaultdict(int)
        for row in self._notices("notice"):
            counts[(row["site"], row["category"])] += 1
        return [
            Subject(
                type="column",
                site=site,
                key=value,
                label=value,
                facts={"site": site, "site_kind": self.site_kinds.get(site)},
                count=counts.get((site, value), 0),
            )
            for site in sites
            if any(s == site for s, _ in counts)  # a site with nothing archived is not judged
            for value in values
        ]


STAGE_FIELDS = {
    "intent": "intent_date",
    "tender": "tender_date",
    "award": "award_date",
    "contract": "contract_date",
    "termination": "termination_date",
}
STAGE_LABELS = {
    "intent_date": "采购意向 publication",
    "tender_date": "采购公告 publication",
    "award_date": "中标/成交公告 publication",
    "contract_date": "合同公告 publication",
    "termination_date": "终止公告 publication",
}
