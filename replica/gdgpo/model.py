"""One announcement on the platform: the ccgp-style draft it was made from, and what the API
says of it (its list row, its files) beside what its content shows."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from replica.model import Attachment, Notice
from replica.procurement.model import Draft, Project

# The API fields that take the place of ccgp's summary table (docs/sites.md), with the
# record field each one fills.
API_FIELDS = {
    "openTenderCode": "project_number",
    "purchaser": "purchaser",
    "agency": "agency",
    "budget": "budget_amount",
}


@dataclass
class Entry:
    """An announcement: its notice (path = the getInfoById path, clean title and body), the
    draft, its project (None for an intent), the API's row and files, the record's object."""

    uid: str
    kind: str  # intent, tender, prequal, correction, award, contract, termination, plan, …
    code: str  # noticeType
    moment: str  # noticeTime, ``YYYY-MM-DD HH:MM:SS``
    notice: Notice
    draft: Draft
    project: Project | None
    region: str  # regionName (the purchaser's region)
    method: str  # purchaseMannerName ("" for an intent)
    nature: str  # purchaseNature: 1 goods, 2 works, 3 services ("" for an intent)
    files: tuple[Attachment, ...] = ()  # attchList
    linked: tuple[Attachment, ...] = ()  # attachment links inside the content
    row: dict[str, str] = field(default_factory=dict)  # the list row, as served
    shown: dict[str, Any] = field(default_factory=dict)  # API_FIELDS values the content shows
    procurement: dict[str, Any] = field(default_factory=dict)  # the truth's object
