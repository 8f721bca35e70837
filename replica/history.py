"""History (``--history SHARE``): notices edited, withdrawn and restored on dates.

Real bureaus change what they published: a title is corrected, a paragraph added, an attachment
replaced by a revised file; a notice is withdrawn (its page answers 404 or 410 and the lists
drop it), and now and then one comes back. With ``--history SHARE`` each notice of the bureau
(``/czj/``) has a history with probability SHARE, drawn from a generator of its own
(``{seed}:{key}:history``), so a larger share gives a superset of histories, on the same days,
and nothing else changes. A history holds one or two events in this order:

* an **edit** (``title``, ``body`` or ``attachment``; ``attachment`` only for a notice with
  one): the title gains ``TITLE_MARK``; the body ends with ``NOTE``; the first attachment is
  replaced by a revised file (its name gains ``ATTACHMENT_MARK``, its URL is new). The pages
  carry a new ETag (the bytes changed) and a Last-Modified at 10:30 on the day of the edit;
* a **withdrawal** (after the edit, if any): no list shows it any more and, for three in four,
  the detail page answers ``404`` or ``410`` (half each) and its attachments 404; the fourth
  keeps answering ``200`` (taken off the lists only: still published at its URL, so *live*,
  ``listed`` false in the truth);
* a **return** (a third of the withdrawals): on that day the notice is back where it was, the
  same page (same bytes, same ETag) as before its withdrawal.

Event days are offsets from the publication drawn log-uniformly from ``SPAN`` days (a day to
two years), so edits and withdrawals reach old notices as well as new ones, as a site's
cleanups do. ``--as-of DAY`` serves each notice as it stood on DAY. The truth's record of a
notice with a history carries ``status`` (``live``/``gone``), ``gone_since`` (the day it was
withdrawn, when gone), ``listed`` (false while off the lists), ``versions`` (each content it
has had by DAY: ``since`` and the fields ``changed``) and ``history`` (every event by DAY).
Faulty pages have no history; the other sites have none (procurement corrections are
announcements of their own).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random
from dataclasses import dataclass
from typing import Any

from replica.model import Attachment, Notice, Para

SPAN = (1, 720)  # days after publication an event can fall on (log-uniform)
TITLE_MARK = "（更新）"
NOTE = Para("（本文已更新：补充了办理时限和联系方式。）")
ATTACHMENT_MARK = "（修订版）"
EDITS = ("title", "body", "attachment")
GONE_STATUSES = (404, 410)
UNLISTED = 200  # a withdrawal from the lists only: the page still answers


@dataclass(frozen=True)
class Plan:
    """A notice's history: an edit (day, what), a withdrawal (day, status), a return (day)."""

    edit: tuple[dt.date, str] | None = None
    withdrawn: tuple[dt.date, int] | None = None
    returned: dt.date | None = None

    def events(self, as_of: dt.date | None) -> list[dict[str, Any]]:
        """The events that happened by ``as_of`` (None: all), in order."""
        out: list[dict[str, Any]] = []
        if self.edit:
            out.append({"day": self.edit[0], "event": "edited", "changed": [self.edit[1]]})
        if self.withdrawn:
            day, status = self.withdrawn
            out.append({"day": day, "event": "withdrawn", "status": status})
        if self.returned:
            out.append({"day": self.returned, "event": "returned"})
        return [e for e in out if as_of is None or e["day"] <= as_of]


def plan(key: str, published: dt.date, seed: int, share: float, attachments: int) -> Plan | None:
    """The history of the notice with rendering key ``key``, or None when it has none."""
    rng = random.Random(f"{seed}:{key}:history")
    if rng.random() >= share:
        return None
    roll = rng.random()  # drawn whatever follows, so every notice consumes the same draws
    what = EDITS[rng.randrange(3 if attachments else 2)]
    edit_offset, withdraw_offset, return_offset = (_offset(rng) for _ in range(3))
    status = GONE_STATUSES[rng.randrange(2)]
    comes_back = rng.random() < 1 / 3
    if rng.random() < 1 / 4:  # drawn last, so the draws above are those of every plan
        status = UNLISTED
    edit = withdrawn = returned = None
    after = published
    if roll < 0.7:  # an edit (alone, or before a withdrawal)
        after = published + dt.timedelta(days=edit_offset)
        edit = (after, what)
    if roll >= 0.45:  # a withdrawal
        day = after + dt.timedelta(days=withdraw_offset)
        withdrawn = (day, status)
        if comes_back:
            returned = day + dt.timedelta(days=return_offset)
    return Plan(edit, withdrawn, returned)


def _offset(rng: random.Random) -> int:
    low, high = SPAN
    return int(math.exp(rng.uniform(math.log(low), math.log(high + 1))))


def as_of(notice: Notice, seed: int, share: float, day: dt.date | None) -> Notice:
    """The notice as served on ``day`` (None: the end of its history); faulty notices have no
    history."""
    if notice.fault:
        return notice
    story = plan(notice.key, notice.publish_date, seed, share, len(notice.attachments))
    if story is None:
        return notice
    events = story.events(day)
    changes: dict[str, Any] = {}
    for event in events:
        if event["event"] == "edited":
            changes |= _edit(notice, event["changed"][0], seed)
            changes["edited"] = event["day"]
        elif event["event"] == "withdrawn":
            changes["withdrawn"] = event["status"]
        else:
            changes["withdrawn"] = None
    return dataclasses.replace(notice, **changes, history=_truth(notice, events))


def _edit(notice: Notice, what: str, seed: int) -> dict[str, Any]:
    if what == "title":
        return {"title": notice.title + TITLE_MARK}
    if what == "body":
        return {"body": (*notice.body, NOTE)}
    first, *rest = notice.attachments
    rng = random.Random(f"{seed}:{notice.key}:history:file")
    stem, ext = first.path.rsplit(".", 1)
    path = f"{stem[:-12]}{rng.randint(10**11, 10**12 - 1)}.{ext}"
    name_stem, name_ext = first.name.rsplit(".", 1)
    return {"attachments": (Attachment(f"{name_stem}{ATTACHMENT_MARK}.{name_ext}", path), *rest)}


def _truth(notice: Notice, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The truth's history fields of a notice after ``events``."""
    versions: list[dict[str, Any]] = [{"since": notice.publish_date.isoformat(), "changed": []}]
    gone_since, listed = None, True
    for event in events:
        if event["event"] == "edited":
            versions.append({"since": event["day"].isoformat(), "changed": event["changed"]})
        elif event["event"] == "withdrawn":
            listed = False
            if event["status"] != UNLISTED:
                gone_since = event["day"].isoformat()
        else:
            gone_since, listed = None, True
    return {
        "status": "gone" if gone_since else "live",
        "gone_since": gone_since,
        "listed": listed,
        "versions": versions,
        "history": [{**e, "day": e["day"].isoformat()} for e in events],
    }


def truth_fields(notice: Notice) -> dict[str, Any]:
    """The fields a notice's truth record gains from its history ({} without one)."""
    return notice.history or {}
