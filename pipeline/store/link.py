"""Link procurement announcements into projects.

A project is keyed by its canonical 项目编号. An announcement without a number (and every 采购意向
item, which never carries one) joins the project with the same purchaser and project name; when
no numbered announcement has that pair, the pair itself becomes the project's key. The link
method is recorded: ``number`` when every announcement of the project carried the number,
``purchaser+name`` when any joined by name. ``procurement_projects`` is derived data: it is
built from ``procurement`` after every crawl that changed announcements (or after the crawl
of a writer that stopped before it could: ``links_pending``), so it can never drift from them.

After a crawl the archive writer rebuilds only the projects its changes touch
(``link_projects(db, changed_only=True)``): every announcement and intent item is keyed again
(a cheap pass: a new numbered announcement may move others between projects), and a project is
built again when a row's key no longer gives the project it is linked to (both projects), or
when one of its rows was written again: the writer notes those rows' projects in
``procurement_relink`` before it replaces them (``note_replaced``), in the same transaction. The
projects rebuilt are exactly what a whole rebuild makes of them (tests/store/test_link.py).
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlite_utils

from pipeline.record import Procurement, column_fields
from pipeline.store.txn import immediate
from pipeline.store.upsert import upsert_rows

STAGES = ("intent", "tender", "correction", "award", "contract", "termination")
#: The rule that makes an intent due (财库〔2020〕10号): its start depends on the unit's level.
INTENT_RULE = "GP-01"

#: The columns a project is made of (of the record contract's; not the long ones, such as the
#: experts and conflicts JSON).
_USED = (
    "announcement_type", "procurement_method", "project_number", "project_name", "purchaser",
    "agency", "region", "budget_amount", "award_amount", "award_suppliers", "contract_date",
)  # fmt: skip
assert set(_USED) <= set(column_fields(Procurement))
_NUMBERED = (
    "select notice_id, project_id, project_number, purchaser, project_name from procurement"
    " where coalesce(announcement_type, '') != 'intent' and coalesce(project_number, '') != ''"
    " order by publish_date, url"
)
_UNNUMBERED = (
    "select notice_id, project_id, purchaser, project_name from procurement"
    " where coalesce(announcement_type, '') != 'intent' and coalesce(project_number, '') = ''"
    " order by publish_date, url"
)
_INTENT_COLUMNS = ("purchaser", "project_name", "budget_amount")  # what an intent item lends
_INTENT_KEYS = (
    "select id, project_id, purchaser, project_name from procurement_intents order by notice_id"
)
#: The projects whose rows the writer replaced since the last linking (``note_replaced``);
#: ``*`` when every project is to be built again (``track_changes``).
RELINK = "procurement_relink"
EVERY = "*"
_NOTE = (
    "insert or ignore into procurement_relink (project_id)"
    " select project_id from procurement where notice_id in ({0}) and project_id is not null"
    " union"
    " select project_id from procurement_intents where notice_id in ({0})"
    " and project_id is not null"
)
# Column names from the record contract, no user input. A project's rows in the order their
# keys were given; projects in the order they first appear. An intent item (pass 2) carries
# its own purchaser, name and budget and the url and date of the notice that listed it (null
# when that notice is not in the archive).
_P = ", ".join(f"p.{name}" for name in _USED)
_I = ", ".join(f"i.{name}" if name in _INTENT_COLUMNS else "null" for name in _USED)
_GROUPED = f"""
select * from (
  select k.first, k.ord, k.key, k.pass, k.ref as notice_id, p.url, p.publish_date, {_P},
         null as item_id
  from temp.link_keys k join procurement p on p.notice_id = k.ref
  where k.pass < 2{{only}}
  union all
  select k.first, k.ord, k.key, k.pass, i.notice_id, n.url, n.publish_date, {_I},
         i.id as item_id
  from temp.link_keys k join procurement_intents i on i.id = k.ref
  left join procurement n on n.notice_id = i.notice_id
  where k.pass = 2{{only}}
) order by first, ord
"""  # noqa: S608
_ONLY = " and k.key in (select key from temp.link_only)"


def name_key(purchaser: str | None, project_name: str | None) -> str | None:
    """Fallback key: purchaser + project name without whitespace; None if either is absent."""
    if not purchaser or not project_name:
        return None
    # str.split() splits where the regular expression \s does (str.isspace), 3 times cheaper
    return "".join(purchaser.split()) + "|" + "".join(project_name.split())


def project_id(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


@dataclass
class Project:
    key: str
    by_name: bool = False
    rows: list[sqlite3.Row] = field(default_factory=list)
    #: intent items, each with the url and publish_date of the notice that listed it
    intents: list[sqlite3.Row] = field(default_factory=list)


def link_projects(db: sqlite_utils.Database, *, changed_only: bool = False) -> int:
    """Rebuild ``procurement_projects`` and the project links; returns the number of projects
    built. ``changed_only``: only the projects that the changes since the last linking touch
    (the module's docstring; all of them while ``procurement_relink`` holds ``*``).

    Streamed, in memory bounded by the distinct project keys and one project: a first
    pass gives every announcement and intent item its project key (in a temporary table), a
    second reads them back project by project, in the order projects first appear, and writes
    each project and its links. Holding every announcement at once was the writer's peak
    memory at scale 20,000 (+100 MB for 43,000 announcements). The temporary table and the
    sort of the second pass go to a temporary file (``temp_on_disk``).

    One ``BEGIN IMMEDIATE`` transaction (``txn.immediate``): the key pass reads the archive
    before the rebuild writes it, and a deferred transaction whose snapshot another connection
    has committed past fails at its first write with ``database is locked`` at once, without
    waiting (the crawl process writes when one of its spiders ends: 2 of 12 crawls of three
    ``gdsite`` profiles in one process under load failed so)."""
    conn = db.conn
    with temp_on_disk(conn), immediate(conn):
        conn.execute("drop table if exists temp.link_keys")
        conn.execute(
            "create temp table link_keys (ord integer primary key, key text, pass integer,"
            " ref text, first integer)"
        )
        keys = _assign_keys(conn)
        relink = _relinked(conn)
        stale = keys.moved | relink if relink is not None and EVERY not in relink else None
        only = changed_only and stale is not None and len(stale) < PARTIAL * len(keys.ids)
        if only:
            _only(conn, keys, stale)
        else:  # a first crawl's projects are all new: building them all is cheaper
            conn.execute("delete from procurement_projects")
        count = 0
        updates: list[tuple] = []
        intent_updates: list[tuple] = []
        made = []
        for project in _projects(conn, only):
            count += 1
            made.append(_project_row(project, keys))
            _links(project, keys, updates, intent_updates)
            if len(made) >= LINK_CHUNK:
                _write(db, made, updates, intent_updates)
        _write(db, made, updates, intent_updates)
        conn.execute("drop table temp.link_keys")
        conn.execute("drop table if exists temp.link_only")
        if relink:
            conn.execute("delete from procurement_relink")
    return count


@dataclass
class Keys:
    """Each project key met by the key pass with its project id, and the projects whose rows
    the pass found linked elsewhere (or not yet): those a partial rebuild builds again."""

    ids: dict[str, str] = field(default_factory=dict)
    moved: set[str] = field(default_factory=set)

    def id(self, key: str) -> str:
        found = self.ids.get(key)
        if found is None:
            found = self.ids[key] = project_id(key)
        return found

    def check(self, key: str, linked: str | None) -> None:
        """A row of ``key`` is linked to project ``linked``."""
        made = self.id(key)
        if linked != made:
            self.moved.add(made)
            if linked is not None:
                self.moved.add(linked)


def _relinked(conn: sqlite3.Connection) -> set[str] | None:
    """The projects noted by the writer (None: no writer noted any here, ``track_changes``)."""
    if not _has_relink(conn):
        return None
    return {row[0] for row in conn.execute("select project_id from procurement_relink")}


def _has_relink(conn: sqlite3.Connection) -> bool:
    found = "select 1 from sqlite_master where type = 'table' and name = ?"
    return conn.execute(found, [RELINK]).fetchone() is not None


def _only(conn: sqlite3.Connection, keys: Keys, stale: set[str]) -> None:
    """Delete the ``stale`` projects, and list the keys of those to build again in
    ``temp.link_only`` (a project none of whose rows is left is deleted, not built)."""
    conn.execute("drop table if exists temp.link_only")
    conn.execute("create temp table link_only (key text primary key)")
    conn.executemany(
        "insert into temp.link_only (key) values (?)",
        ((key,) for key, pid in keys.ids.items() if pid in stale),
    )
    conn.executemany("delete from procurement_projects where id = ?", ((pid,) for pid in stale))


def track_changes(conn: sqlite3.Connection) -> None:
    """Create ``procurement_relink`` once, for a writer that notes what it replaces. An archive
    whose projects may lag its announcements then (``links_pending``: a writer that did not note
    them stopped before linking) gets ``*``: its next linking builds every project."""
    if _has_relink(conn):
        return
    with immediate(conn):
        conn.execute(
            "create table if not exists procurement_relink (project_id text primary key)"
            " without rowid"
        )
        if links_pending(conn) and conn.execute("select 1 from procurement limit 1").fetchone():
            conn.execute("insert into procurement_relink (project_id) values (?)", [EVERY])


def note_replaced(conn: sqlite3.Connection, notice_ids: Sequence[str]) -> None:
    """Note the projects that the procurement rows of ``notice_ids`` are linked to, before the
    writer replaces those rows (in the transaction that does)."""
    for start in range(0, len(notice_ids), NOTE_CHUNK):
        chunk = notice_ids[start : start + NOTE_CHUNK]
        conn.execute(_NOTE.format(",".join("?" * len(chunk))), [*chunk, *chunk])


def links_pending(conn: sqlite3.Connection) -> bool:
    """Whether the projects may lag the announcements: a run changed procurement rows that no
    rebuild has linked since (``crawl_runs.projects_linked`` 0, set in the transaction that wrote
    them), or no writer that keeps that mark has linked this archive yet. A re-crawl that
    changes no announcement so links nothing: even a linking that rebuilds one project keys
    every announcement again (0.3 s of CPU for 43,079 and 8,946 intent items; a whole rebuild
    1.8–3.0 s, 12–16 s for 213,458: docs/benchmarks-log.md)."""
    pending, marked = conn.execute(
        "select max(projects_linked = 0), count(projects_linked) from crawl_runs"
    ).fetchone()
    return bool(pending) or not marked


LINK_CHUNK = 1000  # projects written at a time
NOTE_CHUNK = 400  # notices a query of ``note_replaced`` (two parameters each)
#: A partial rebuild when fewer than this share of the projects are stale; else a whole one.
PARTIAL = 0.5
TEMP_MEMORY = 2  # PRAGMA temp_store: 0 the build's default, 1 files, 2 memory


@contextmanager
def temp_on_disk(conn: sqlite3.Connection) -> Iterator[None]:
    """SQLite's temporary storage in files while the block runs, on a connection that keeps it
    in memory (the archive writer's, for its statement journals: ``Archive``), unless a
    transaction is open (SQLite refuses the change in one). The linking's temporary table and
    the sort of every announcement by project are its size: in memory they were the writer's
    peak at scale 100,000 (213,458 announcements: SQLite's own allocations 100 MiB, 14.5 MiB
    with a file; docs/benchmarks-log.md, 2026-12-06, third). A file is cached by SQLite up to
    its page cache, then by the system."""
    (store,) = conn.execute("pragma temp_store").fetchone()
    if store != TEMP_MEMORY or conn.in_transaction:
        yield
        return
    conn.execute("pragma temp_store = FILE")  # drops no table of ours: the linking makes its own
    try:
        yield
    finally:
        conn.execute(f"pragma temp_store = {TEMP_MEMORY}")


def _assign_keys(conn: sqlite3.Connection) -> Keys:
    """The project key of every announcement (numbered ones first, then those joined by
    purchaser+name, each in publication order) and every intent item, as ``link_keys`` rows in
    that order (``pass`` 0, 1 and 2); returns the keys met, and the rows linked elsewhere."""
    by_name: dict[str, str] = {}
    firsts: dict[str, int] = {}  # the position at which each project first appears
    keyed: list[tuple] = []
    keys = Keys()

    def add(key: str, stage: int, ref: str, linked: str | None) -> None:
        keyed.append((key, stage, ref, firsts.setdefault(key, len(firsts))))
        keys.check(key, linked)
        if len(keyed) >= LINK_CHUNK:
            _flush_keys(conn, keyed)

    for nid, linked, number, purchaser, name in conn.execute(_NUMBERED):
        key = "no:" + number
        add(key, 0, nid, linked)
        pair = name_key(purchaser, name)
        if pair:
            by_name.setdefault(pair, key)
    for nid, linked, purchaser, name in conn.execute(_UNNUMBERED):
        pair = name_key(purchaser, name)
        key = (by_name.get(pair) if pair else None) or "name:" + (pair or nid)
        add(key, 1, nid, linked)
        if pair:
            by_name.setdefault(pair, key)
    for item_id, linked, purchaser, name in conn.execute(_INTENT_KEYS):
        pair = name_key(purchaser, name)
        key = (by_name.get(pair) if pair else None) or "name:" + (pair or item_id)
        add(key, 2, item_id, linked)
    _flush_keys(conn, keyed)
    return keys


def _flush_keys(conn: sqlite3.Connection, keyed: list[tuple]) -> None:
    conn.executemany(
        "insert into temp.link_keys (key, pass, ref, first) values (?, ?, ?, ?)", keyed
    )
    keyed.clear()


def _projects(conn: sqlite3.Connection, only: bool = False) -> Iterator[Project]:
    """Each project with its rows and intent items, in the order of ``link_keys`` (``only``:
    the projects listed in ``temp.link_only``)."""
    cursor = conn.cursor()
    cursor.row_factory = sqlite3.Row
    project: Project | None = None
    for row in cursor.execute(_GROUPED.format(only=_ONLY if only else "")):
        if project is None or row["key"] != project.key:
            if project is not None:
                yield project
            # A project first met as an intent item's is known by purchaser+name only.
            project = Project(row["key"], by_name=row["pass"] == 2)
        if row["pass"] == 2:
            project.intents.append(row)
        else:
            project.rows.append(row)
            project.by_name = project.by_name or row["pass"] == 1
    if project is not None:
        yield project


def _links(project: Project, keys: Keys, updates: list[tuple], intent_updates: list[tuple]) -> None:
    pid = keys.id(project.key)
    for row in project.rows:
        link = "number" if row["project_number"] else "purchaser+name"
        updates.append((pid, link, row["notice_id"]))
    intent_updates.extend((pid, item["item_id"]) for item in project.intents)


def _write(
    db: sqlite_utils.Database, made: list[dict], updates: list[tuple], intent_updates: list[tuple]
) -> None:
    conn = db.conn
    upsert_rows(conn, "procurement_projects", made, "id", LINK_CHUNK)
    conn.executemany("update procurement set project_id = ?, link = ? where notice_id = ?", updates)
    conn.executemany(
        "update procurement_awards set project_id = ? where notice_id = ?",
        [(pid, nid) for pid, _, nid in updates],
    )
    conn.executemany("update procurement_intents set project_id = ? where id = ?", intent_updates)
    made.clear()
    updates.clear()
    intent_updates.clear()


def _project_row(project: Project, keys: Keys) -> dict[str, Any]:
    stages: dict[str, list[str]] = defaultdict(list)
    dates: dict[str, list[str]] = defaultdict(list)
    for row in project.rows:
        stage = row["announcement_type"] if row["announcement_type"] in STAGES else "other"
        stages[stage].append(row["url"])
        if row["publish_date"]:
            dates[stage].append(row["publish_date"])
    for item in project.intents:
        url = item["url"]
        if url and url not in stages["intent"]:
            stages["intent"].append(url)
            if item["publish_date"]:
                dates["intent"].append(item["publish_date"])
    first = _first_rows(project)
    tender_date = min(dates["tender"], default=None)
    return {
        "id": keys.id(project.key),
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


def prepare() -> None:
    """Load what linking reads besides the archive (the rule catalog, the unit levels) now.

    The archive writer links when the crawl's last spider finishes, while the crawl waits for it
    (the crawl's tail, one core); its process calls this at its start instead, while the crawl
    fetches its first list pages and the writer has nothing else to do (~50 ms of CPU). A
    catalog that does not load is left to fail where linking needs it."""
    try:
        from pipeline.compliance.derive import unit_level  # noqa: F401

        _intent_rule()
    except Exception:  # reported by the link that needs the catalog
        return


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
    return next((i[column] for i in project.intents if i[column] is not None), None)
