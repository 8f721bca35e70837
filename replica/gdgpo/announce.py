"""From projects to the platform's announcements: drafts in publication order, with ids, codes,
times to the second and files.

Drafts come from the ccgp replica's builders (intent, tender / 单一来源公示, corrections,
award, contracts, termination; all published since 2020, so all in the 2020 format) and from
``draft_extra`` (资格预审, 采购计划, 采购需求, 验收). Ids are uuids drawn from the seed;
everything is decided before ``as_of`` hides anything.
INFERRED: the attachment URL form ``gpx-bid-file/<region>/<Y>/<M>/<D>/<32 hex>.pdf``.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from collections import Counter
from collections.abc import Iterator

from replica.gdgpo import codes, draft_extra, fields
from replica.gdgpo.cities import CITIES
from replica.gdgpo.model import Entry
from replica.gdgpo.projects import build_projects, sub_seed
from replica.model import Attachment, Column, Notice
from replica.procurement import draft_award, draft_closing, draft_intent, draft_tender
from replica.procurement.announce import place
from replica.procurement.catalog import PURCHASERS, Purchaser
from replica.procurement.intents import build_intents
from replica.procurement.model import Draft, Intent, Project

NATURE = {"goods": "1", "works": "2", "services": "3"}
KIND_OF_CATEGORY = {name: kind for kind, name in draft_extra.CATEGORY.items()}
CONTENT_FILES = ("采购文件", "中小企业声明函")  # an award's 附件 lines, linked in its content
UNITS = {p.name: p for p in (*PURCHASERS, *(p for c in CITIES for p in c.purchasers))}


def build(scale: int | None, seed: int) -> tuple[list[Project], list[Entry]]:
    """Every project and every announcement, oldest first."""
    projects = build_projects(scale, seed)
    by_serial = {p.serial: p for p in projects}
    drafts = sorted(_drafts(projects, seed), key=lambda d: d.sequence)
    rng = random.Random(sub_seed(seed, "entries"))
    variants: Counter[str] = Counter()
    entries = []
    for draft in drafts:
        project = by_serial[draft.projects[0]] if draft.kind != "intent" else None
        kind = KIND_OF_CATEGORY.get(draft.category, draft.kind)
        variant = _variant(kind, project, variants)
        entries.append(_entry(draft, kind, project, variant, seed, rng))
    fields.settle(entries, seed)
    return projects, entries


def _drafts(projects: list[Project], seed: int) -> Iterator[Draft]:
    made = sub_seed(seed, "drafts")
    intents: list[Intent] = build_intents(projects, sub_seed(seed, "intents"))
    for notice in intents:
        yield draft_intent.intent(notice, made)
    for project in projects:
        yield from (place(d, project) for d in _project_drafts(project, made))


def _project_drafts(project: Project, seed: int) -> Iterator[Draft]:
    marks = project.traits
    for trait, make in (("plan", draft_extra.plan), ("demand", draft_extra.demand)):
        if trait in marks:
            yield from _some(make(project, seed))
    prequal = "prequal" in marks
    yield draft_extra.prequal(project, seed) if prequal else draft_tender.tender(project, seed)
    for index in range(len(project.corrections)):
        yield draft_tender.correction(project, index, seed)
    if project.termination:
        yield draft_closing.termination(project, seed)
    if project.award_date:
        yield draft_award.award(project, seed)
    for index in range(len(project.contracts)):
        yield draft_closing.contract(project, index, seed)
    if "acceptance" in marks:
        yield from _some(draft_extra.acceptance(project, seed))


def _some(draft: Draft | None) -> Iterator[Draft]:
    """The draft if it exists (an extra announcement may fall outside the platform's years)."""
    if draft is not None:
        yield draft


def _variant(kind: str, project: Project | None, seen: Counter[str]) -> int:
    """Which of a kind's two codes: 终止 / 废标 for terminations, else alternating."""
    if kind == "termination" and project and project.termination:
        return 0 if project.termination[2] == "终止" else 1
    seen[kind] += 1
    return seen[kind] - 1


def _entry(
    draft: Draft, kind: str, project: Project | None, variant: int, seed: int, rng: random.Random
) -> Entry:
    uid = str(uuid.UUID(bytes=rng.randbytes(16), version=4))
    method = project.method if project else ""
    code = codes.code(kind, method, variant)
    path = f"{codes.DETAIL_PATH}?id={uid}"
    purchaser = project.purchaser if project else _intent_unit(draft)
    files = tuple(_file(name, purchaser.region, draft, rng) for name in draft.files)
    linked = _content_files(kind, files, purchaser.region, draft, rng)
    notice = Notice(
        column=_column(code),
        key=f"{seed}:gdgpo:{uid}",
        path=path,
        title=draft.title,
        publish_date=draft.date,
        publish_time=draft.time,
        source="",
        publisher="",
        author=None,
        doc_number=None,
        index_number=None,
        doc_date=None,
        has_meta=False,
        body=tuple(draft.body),
        attachments=files + tuple(a for a in linked if a.path not in {f.path for f in files}),
        topic=kind,
    )
    return Entry(
        uid=uid,
        kind=kind,
        code=code,
        moment=f"{draft.date} {draft.time}:{rng.randint(0, 59):02d}",
        notice=notice,
        draft=draft,
        project=project,
        region=purchaser.region,
        method=method,
        nature=NATURE[project.item.kind] if project else "",
        files=files,
        linked=linked,
    )


def _intent_unit(draft: Draft) -> Purchaser:
    """The purchaser an intent is of (its draft's record names it)."""
    return UNITS[draft.fields["purchaser"]]


def _file(name: str, region: str, draft: Draft, rng: random.Random) -> Attachment:
    day = draft.date
    digest = hashlib.blake2b(rng.randbytes(16), digest_size=16).hexdigest()
    ext = name.rsplit(".", 1)[-1]
    folder = f"{codes.FILE_DIR}{codes.REGIONS[region]}/{day.year}/{day.month}/{day.day}/"
    return Attachment(name, f"{folder}{digest}.{ext}")


def _content_files(
    kind: str, files: tuple[Attachment, ...], region: str, draft: Draft, rng: random.Random
) -> tuple[Attachment, ...]:
    """An award's 附件 lines link their files: the attchList one where it lists that file, else
    a file only the content links."""
    if kind != "award":
        return ()
    listed = {a.name: a for a in files}
    linked = []
    for name in CONTENT_FILES:
        same = listed.get(f"{name}.pdf") or _file(f"{name}.pdf", region, draft, rng)
        linked.append(Attachment(name, same.path))  # named by its link text
    return tuple(linked)


def _column(code: str) -> Column:
    kind = codes.notice_type(code)
    return Column(kind.name, f"{codes.LIST_PATH}?noticeType={kind.prefix}", codes.FAMILY, ())
