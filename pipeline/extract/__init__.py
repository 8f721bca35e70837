"""Page → record: the extractor the crawl and ``zwgk extract`` share (contract: docs/record.md).

``extract_page(body, url)`` decodes, parses once with lxml, indexes the tree in one pass and
reads every field from that index. It is pure (same input, same record) and never raises on
bad markup: absent fields are None.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from pipeline.extract import fields
from pipeline.extract.attachments import attachments, page_base
from pipeline.extract.body import (
    article_paragraphs,
    body_html,
    body_paragraphs,
    body_text,
    dropped,
    find_body,
)
from pipeline.extract.breadcrumb import category
from pipeline.extract.decode import Decoded, decode_html
from pipeline.extract.dom import parse_html, parse_utf8
from pipeline.extract.families import Family, detect_family, family_named, url_host
from pipeline.extract.found import Embedded, Found
from pipeline.extract.index import PageIndex, build_index, select_visible
from pipeline.extract.labels import ALL_LABELS, Labels, find_labels
from pipeline.extract.meta import page_metas
from pipeline.extract.procurement import procurement_fields
from pipeline.extract.title import title_of
from pipeline.record import Attachment, Record

__all__ = ["RECORD_FIELDS", "Page", "extract_page", "find_article_text", "page_of", "parse_page"]

RECORD_FIELDS = Record.JSON
STR_CHARSET = "unicode"  # ``charset`` of a record made from already-decoded text


@dataclass
class Page:
    """A parsed page: tree, index, family, body container and what in it is not text.

    ``body`` is where the article is: the family's container in the page, or a container the
    page embeds as data (``embedded.body``: gkmlpt's DETAIL.content); ``container`` is the
    article's element in the page itself (labels are never read inside it). ``drop``: metadata
    blocks inside the body; ``chrome``: page chrome inside it; ``paragraphs``: its text.
    """

    root: etree._Element
    index: PageIndex
    family: Family
    body: etree._Element | None
    drop: frozenset[etree._Element]
    container: etree._Element | None = None
    embedded: Embedded | None = None
    chrome: frozenset[etree._Element] = frozenset()
    paragraphs: list[str] = field(default_factory=list)


def parse_page(text: str, url: str | None = None) -> Page:
    """Parse and index page text; find its family and body container."""
    return page_of(parse_html(text), url)


def page_of(root: etree._Element, url: str | None = None, family: str | None = None) -> Page:
    """Index a parsed page; find its family (unless named), body container and body text."""
    index = build_index(root, ALL_LABELS)
    found = family_named(family) if family else detect_family(index, url)
    container = find_body(index, found)
    embedded = found.embedded(index, page_base(root, url or "")) if found.embedded else None
    body = embedded.body if embedded is not None and embedded.body is not None else container
    drop = dropped(index, found, body)
    paragraphs, chrome = article_paragraphs(body, drop)
    return Page(root, index, found, body, drop, container, embedded, chrome, paragraphs)


def find_article_text(text: str) -> str | None:
    """The body text the extractor would take from ``text`` (used to tell articles from stubs)."""
    return body_text(parse_page(text).paragraphs)


def extract_page(
    body: bytes | str,
    url: str,
    *,
    encoding: str | None = None,
    site: str | None = None,
    with_html: bool = True,
    family: str | None = None,
) -> Record:
    """The record of one page: every contract field present, None where absent.

    ``family`` names the page's CMS family when the caller knows it (a platform's content
    fragment served from an API), instead of detecting it from the URL and the markup.

    ``body``: raw bytes (decoded per ``decode.py``, ``encoding`` being the HTTP header charset)
    or already-decoded text. ``with_html=False`` leaves ``body_html`` None (saves the nh3 pass).
    """
    decoded, root = _decode_parse(body, encoding)
    page = page_of(root, url, family)
    metas = page_metas(page.root)
    paragraphs = page.paragraphs
    shown = page.container if page.container is not None else page.body
    labels = find_labels(page.index, shown, page.drop)
    base = page_base(page.root, url)
    found = _fields(page, metas, labels, paragraphs)
    values = {name: f.value for name, f in found.items()}
    sources = {name: f.source for name, f in found.items() if f.source}
    sources.update(kind=f"{page.family.name} family", url="the caller", site="the caller")
    if page.body is not None:
        where = page.embedded.body_source if page.embedded is not None else None
        sources.update(body_text=where or "body container", body_html=where or "body container")
    found_attachments = _attachments(page, base)
    if found_attachments:
        sources["attachments"] = "links in the body and its attachment block"
    sources["charset"] = sources["decode_errors"] = "decoder: BOM, header, <meta>, bytes"
    procurement = None
    if page.family.kind == "procurement":
        procurement = procurement_fields(
            page.root,
            page.body,
            title=values["title"],
            category=values["category"],
            paragraphs=_header_lines(page) + paragraphs,
        )
        sources["procurement"] = "procurement extractor"
    return Record(
        url=url,
        site=site or url_host(url),
        kind=page.family.kind,
        **values,
        body_text=body_text(paragraphs),
        body_html=body_html(page.body, base, page.drop | page.chrome if page.chrome else page.drop)
        if with_html and page.body is not None
        else None,
        attachments=found_attachments,
        procurement=procurement,
        charset=decoded.encoding,
        decode_errors=decoded.errors,
        sources=sources,
    )


def _fields(
    page: Page, metas: dict[str, str], labels: Labels, paragraphs: list[str]
) -> dict[str, Found]:
    """The short fields from metas, labels and the family's elements; embedded data wins."""
    found = {
        "category": category(page.index, metas),
        "title": title_of(page.index, metas, page.family, paragraphs[:2]),
        "publisher": fields.publisher(labels, metas),
        "author": fields.author(labels),
        "doc_number": fields.doc_number(labels),
        "index_number": fields.index_number(labels),
        "doc_date": fields.doc_date(labels),
    }
    found["publish_date"], found["publish_time"] = fields.publish_datetime(labels, metas)
    if page.embedded is not None:
        found.update(page.embedded.fields)
    return found


def _attachments(page: Page, base: str) -> tuple[Attachment, ...]:
    """Links of the body and the attachment blocks, then those the page's data lists."""
    shown = attachments(page.index, page.body, base, page.family.attachments)
    listed = page.embedded.attachments if page.embedded is not None else ()
    by_url = {a.url: a for a in (*listed, *shown)}  # a shown link's name wins
    order = {a.url: None for a in (*shown, *listed)}
    return tuple(by_url[url] for url in order)


def _header_lines(page: Page) -> list[str]:
    """Labelled lines a family shows above its body (项目编号：… on 全国公共资源交易平台)."""
    found = (select_visible(page.index, sel) for sel in page.family.header)
    parts = (part for el in found if el is not None for part in (list(el) or [el]))
    return [line for part in parts for line in body_paragraphs(part)]  # one line per <span>


def _decode_parse(body: bytes | str, encoding: str | None) -> tuple[Decoded, etree._Element]:
    if isinstance(body, str):
        decoded = Decoded(body, encoding or STR_CHARSET, body.count("\ufffd"))
        return decoded, parse_html(body)
    data = bytes(body)
    decoded = decode_html(data, encoding)
    if decoded.encoding == "utf-8" and not decoded.errors:
        return decoded, parse_utf8(data)  # valid UTF-8: libxml2 reads the bytes directly
    return decoded, parse_html(decoded.text)
