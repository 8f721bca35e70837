"""A site-group document: one post id, in a column, in the gkmlpt catalogue, or both.

Values are clean (what the record contract's normalization yields) except ``gk_doc_number``,
which is the 文号 as the catalogue stores it (brackets vary). URLs are paths relative to the
site base; pages write them root-relative (``/gd/<host>/…``) where real pages write absolute
``https://<host>/…`` URLs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from replica.gdsite.spec import Category, GdColumn
from replica.model import Block, body_text

CST = dt.timezone(dt.timedelta(hours=8))
#: gkmlpt article fields some articles leave out (as in the real sample's second article).
OPTIONAL = ("identifier", "created_at", "publisher", "keywords", "abstract", "classify_theme_name")


@dataclass(frozen=True)
class Attach:
    """An ``a.nfw-cms-attachment`` link: its id, file name (with extension), where it sits."""

    aid: int
    name: str
    size: int
    empty_text: bool  # the link has no text: the name is only in ``alt``
    lead: bool  # at the top of the body (else at its end)

    @property
    def ext(self) -> str:
        return self.name.rsplit(".", 1)[1].lower()


@dataclass(frozen=True)
class Image:
    """An ``img.nfw-cms-img`` after body block ``after``."""

    iid: int
    alt: str
    after: int
    width: int
    height: int


@dataclass
class Doc:
    """One post with its clean values; ``leaf`` is None when gkmlpt does not list it."""

    key: str  # seed key for rendering choices
    post_id: int
    column: GdColumn | None
    leaf: Category | None
    title: str
    moment: dt.datetime  # publication, China time (naive)
    source: str  # 来源 / 信息来源 on the column page (ContentSource)
    publisher: str  # 发布机构 in the catalogue
    doc_number: str | None  # clean 文号
    gk_doc_number: str  # the catalogue's document_number ("" when none)
    identifier: str  # 索引号
    doc_date: dt.date  # 成文日期
    keywords: str
    abstract: str
    genre_name: str  # 体裁
    theme_name: str  # 主题
    body: tuple[Block, ...]
    attachments: tuple[Attach, ...] = ()
    images: tuple[Image, ...] = ()
    chrome: bool = False  # the desktop page has share/print chrome inside the container
    absent: frozenset[str] = frozenset()  # OPTIONAL fields the list API leaves out
    expired: bool = False
    abolished: bool = False
    extra: dict[str, str] = field(default_factory=dict)
    edited: dt.date | None = None  # the day of an edit in place (``--edits``, replica/edits.py)

    @property
    def publish_date(self) -> dt.date:
        return self.moment.date()

    @property
    def created_at(self) -> str:
        return f"{self.moment:%Y-%m-%d %H:%M:%S}"

    @property
    def unix(self) -> int:
        """The publication moment in unix seconds."""
        return int(self.moment.replace(tzinfo=CST).timestamp())

    @property
    def date_unix(self) -> int:
        """成文日期 as gkmlpt writes it: unix seconds of midnight in Asia/Shanghai."""
        return int(dt.datetime.combine(self.doc_date, dt.time(), CST).timestamp())

    @property
    def in_gkmlpt(self) -> bool:
        return self.leaf is not None

    @property
    def body_lines(self) -> list[str]:
        """The body text's paragraphs in page order, attachment link texts included."""
        lead = [a.name for a in self.attachments if a.lead and not a.empty_text]
        tail = [a.name for a in self.attachments if not a.lead and not a.empty_text]
        text = body_text(self.body)
        return [*lead, *(text.split("\n") if text else []), *tail]

    @property
    def body_text(self) -> str:
        return "\n".join(self.body_lines)


def post_path(column: GdColumn, post_id: int, mobile: bool = False) -> str:
    """``<column>/content/post_<N>.html`` (``mpost_<N>.html``: the mobile twin)."""
    return f"{column.path}content/{'m' if mobile else ''}post_{post_id}.html"


def gkmlpt_path(post_id: int) -> str:
    """``gkmlpt/content/<N//1e6>/<N//1e3>/post_<N>.html``."""
    return f"gkmlpt/content/{post_id // 10**6}/{post_id // 10**3}/post_{post_id}.html"


def attachment_path(aid: int, post_id: int, ext: str) -> str:
    """``attachment/<aid//1e6>/<aid//1e3>/<aid>/<postID>.<ext>``."""
    return f"attachment/{aid // 10**6}/{aid // 10**3}/{aid}/{post_id}.{ext}"


def image_path(iid: int, post_id: int) -> str:
    return f"img/{iid // 10**6}/{iid // 10**3}/{iid}/{post_id}.png"


def page_path(doc: Doc) -> str:
    """The document's page: its column page, else its gkmlpt content page."""
    return post_path(doc.column, doc.post_id) if doc.column else gkmlpt_path(doc.post_id)
