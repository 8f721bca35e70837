"""From projects to announcements on the site: drafts in publication order, with URLs.

Article ids grow with publication order (like TRS ids; an announcement a seeded violation
moved keeps the place it had, ``Draft.sequence``); detail pages live at
``{list dir}/{YYYYMM}/t{YYYYMMDD}_{id}.htm``, attachments beside them as
``P0{YYYYMMDD}{6 digits}.pdf``. Everything is decided before ``as_of`` hides anything.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

from replica.model import Attachment, Notice
from replica.procurement import (
    catalog,
    columns,
    draft_award,
    draft_closing,
    draft_intent,
    draft_tender,
)
from replica.procurement.intents import build_intents
from replica.procurement.model import Announcement, Draft, Intent, Project
from replica.procurement.projects import build_projects

RELATED = 5  # earlier announcements of the same project listed under 相关公告


def build(scale: int | None, seed: int) -> tuple[list[Project], list[Announcement]]:
    """Every project and every announcement, oldest announcement first."""
    projects = build_projects(scale, seed)
    intents = build_intents(projects, seed)
    drafts = sorted(_drafts(projects, intents, seed), key=lambda d: d.sequence)
    rng = random.Random(f"{seed}:ccgp:ids")
    article = 11_230_000
    placed: list[Announcement] = []
    for draft in drafts:
        article += rng.randint(800, 9000)
        placed.append(Announcement(_notice(draft, article, seed, rng), draft))
    _relate(placed)
    return projects, placed


def _drafts(projects: list[Project], intents: list[Intent], seed: int) -> Iterator[Draft]:
    for notice in intents:
        yield draft_intent.intent(notice, seed)
    for project in projects:
        drafts = [draft_tender.tender(project, seed)]
        for index in range(len(project.corrections)):
            drafts.append(draft_tender.correction(project, index, seed))
        if project.termination:
            drafts.append(draft_closing.termination(project, seed))
        if project.award_date:
            drafts.append(draft_award.award(project, seed))
        for index in range(len(project.contracts)):
            drafts.append(draft_closing.contract(project, index, seed))
        yield from (place(draft, project) for draft in drafts)


def place(draft: Draft, project: Project) -> Draft:
    """The draft with the date a seeded violation moved it from (``Project.planned``)."""
    draft.placed = project.planned.get((draft.kind, draft.index), draft.placed)
    return draft


def _notice(draft: Draft, article: int, seed: int, rng: random.Random) -> Notice:
    column = columns.BY_NAME[draft.category]
    folder = f"{column.dir}{draft.date:%Y%m}/"
    path = f"{folder}t{draft.date:%Y%m%d}_{article}.htm"
    files = tuple(
        Attachment(name, f"{folder}P0{draft.date:%Y%m%d}{rng.randint(100000, 999999)}.pdf")
        for name in draft.files
    )
    return Notice(
        column=column,
        key=f"{seed}:ccgp:{path}",
        path=path,
        title=draft.title,
        publish_date=draft.date,
        publish_time=draft.time,
        source=catalog.PUBLISHER,
        publisher=catalog.PUBLISHER,
        author=None,
        doc_number=None,
        index_number=None,
        doc_date=None,
        has_meta=False,
        body=tuple(draft.body),
        attachments=files,
        topic=draft.kind,
    )


def _relate(placed: list[Announcement]) -> None:
    """Each announcement lists the latest earlier ones that share a project with it."""
    seen: dict[int, list[Notice]] = {}
    for announcement in placed:
        earlier: dict[str, Notice] = {}
        for serial in announcement.draft.projects:
            for notice in seen.get(serial, []):
                earlier[notice.path] = notice
        ordered = sorted(earlier.values(), key=lambda n: (n.publish_date, n.publish_time or ""))
        announcement.related = tuple(ordered[-RELATED:])
        for serial in announcement.draft.projects:
            seen.setdefault(serial, []).append(announcement.notice)
