"""The replica's data model: columns, notices and the blocks of a notice body.

Every text value held here is *clean*: what the record contract's normalization yields (ASCII
digits, canonical 〔〕 文号, ISO dates, single spaces, no indentation). Renderers write dirty
variants of these values; the truth is written from them as they are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Column:
    """A column (栏目) of a site: name, list path relative to the site base, CMS family."""

    name: str
    path: str
    family: str  # "trs" or "hanweb"
    trail: tuple[tuple[str, str], ...]  # (name, path) of breadcrumb levels above the column
    charset: str = "utf-8"  # "gb18030" for the column served as GB2312-declared bytes
    col_id: int = 0  # Hanweb column id (col/col{col_id}/index.html)

    @property
    def dir(self) -> str:
        """The column's directory relative to the site base, with a trailing slash."""
        return self.path.rsplit("/", 1)[0] + "/"


@dataclass(frozen=True)
class Para:
    """One paragraph. ``heading`` renders bold; ``align`` is a CSS text-align value or ''."""

    text: str
    heading: bool = False
    align: str = ""


@dataclass(frozen=True)
class Lines:
    """One ``<p>`` whose lines are separated by ``<br>``: each line is its own paragraph."""

    lines: tuple[str, ...]
    align: str = "right"


@dataclass(frozen=True)
class Table:
    """A table; each row becomes one paragraph of the body text (cells joined by a space)."""

    rows: tuple[tuple[str, ...], ...]
    header_rows: int = 1


@dataclass(frozen=True)
class Hidden:
    """An element hidden with ``display:none``: rendered, never part of the body text."""

    text: str


Block = Union[Para, Lines, Table, Hidden]  # noqa: UP007 (a runtime alias, used in isinstance)


@dataclass(frozen=True)
class Attachment:
    """An attachment link: clean link text and the path of its file relative to the site base."""

    name: str
    path: str


@dataclass
class Notice:
    """One detail page with its clean field values and where it lives on the site."""

    column: Column
    key: str  # stable seed key for rendering choices
    path: str  # relative to the site base
    title: str
    publish_date: dt.date
    publish_time: str | None
    source: str  # 来源 shown in the info line
    publisher: str  # the record's publisher: 发布机构 when the page has a metadata block, else 来源
    author: str | None
    doc_number: str | None
    index_number: str | None
    doc_date: dt.date | None
    has_meta: bool  # shows the 公开目录 metadata block
    body: tuple[Block, ...]
    attachments: tuple[Attachment, ...] = ()
    topic: str = "财政"  # 分类 / 主题分类 (not a record field)
    fault: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    edited: dt.date | None = None  # the day of an edit in place (``--edits``, replica/edits.py)
    withdrawn: int | None = None  # withdrawn: the status its page answers (``--history``)
    history: dict | None = None  # its history's truth fields (``--history``, replica/history.py)

    @property
    def body_text(self) -> str:
        return body_text(self.body)


def body_text(blocks: tuple[Block, ...]) -> str:
    """The clean body text of blocks: paragraphs joined by newlines, hidden blocks left out."""
    lines: list[str] = []
    for block in blocks:
        if isinstance(block, Para):
            lines.append(block.text)
        elif isinstance(block, Lines):
            lines.extend(block.lines)
        elif isinstance(block, Table):
            lines.extend(" ".join(row) for row in block.rows)
    return "\n".join(line for line in lines if line)
