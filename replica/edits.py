"""Edits in place (``--edits SHARE``): some notices change after publication, same URL.

Real bureaus correct a published notice now and then (a figure, a name, a sentence) and the CMS
republishes it under the same URL with a new Last-Modified. With edits on, each notice of the
bureau (``/czj/``) and of the Guangdong site group (``/gd/…``) is edited with probability
SHARE (``--edits 0.05``: one notice in twenty; tests raise it to see several edits on one day
of a small site), ``DAYS`` days after its publication. The draws come from a generator of the
notice's own, so nothing else changes, and a larger share edits a superset of the notices a
smaller one edits, on the same days. An edited notice's title gains ``TITLE_MARK``, its body
ends with ``NOTE``, and its pages (article, mobile twin, gkmlpt page and list entries) carry
the new title, the new body, a new ETag (the bytes changed) and a Last-Modified at ``HOUR`` on
the day of the edit. Faulty pages are never edited. The procurement sites have none: their
corrections are announcements of their own (更正公告).

An edit shows once its day is reached: with ``--as-of DAY`` only edits made on or before DAY,
without it every edit. Serving DAY and then DAY + 1 thus shows the notices published on DAY + 1
as new and the notices edited on DAY + 1 as changed; the truth's records carry ``edited``
(ISO date) for every edit shown. Without ``--edits`` (share 0) nothing of this exists: pages and
truth are those of the plain replica.
"""

from __future__ import annotations

import datetime as dt
import random

from replica.model import Para

DAYS = (1, 5)
HOUR = dt.time(10, 30)
TITLE_MARK = "（修订）"
NOTE = Para("（本文已修订：更正了正文中的个别表述。）")


def edit_day(key: str, published: dt.date, seed: int, share: float) -> dt.date | None:
    """The day the notice with rendering key ``key`` is edited when a ``share`` of the notices
    are, or None (never)."""
    rng = random.Random(f"{seed}:{key}:edit")
    if rng.random() >= share:
        return None
    return published + dt.timedelta(days=rng.randint(*DAYS))


def shown(day: dt.date | None, as_of: dt.date | None) -> bool:
    """Whether an edit made on ``day`` shows on a site served as of ``as_of`` (None: today)."""
    return day is not None and (as_of is None or day <= as_of)


def moment(day: dt.date) -> dt.datetime:
    """The edit's moment, China time (naive), for Last-Modified."""
    return dt.datetime.combine(day, HOUR)
