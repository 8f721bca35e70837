"""Attachment links: in the body container or an attachment block after it.

A link is an attachment when its URL path or its text ends in a document extension, or when its
path is a download handler (``downfile.jsp``, ``/download``). Names are the normalized link
text, else the file name; URLs are absolute http(s) ones (``<base href>`` honoured; links of any
other scheme are not attachments, see ``pipeline.normalize.urls``); the list is in page
order without duplicate URLs.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree

from pipeline.extract.dom import flat_text, has_hidden_ancestor
from pipeline.extract.index import PageIndex, Selector, select, selector
from pipeline.extract.text import short_text
from pipeline.normalize.urls import web_url
from pipeline.record import Attachment

DOC_EXTENSIONS = frozenset(
    {"pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "zip", "rar", "7z", "ofd", "txt", "csv"}
)
ATTACHMENT_BLOCKS: tuple[Selector, ...] = tuple(
    selector(css)
    for css in ("div.fujian", "div.fjdown", "#fujian_2020", ".fujian", ".fjdown", ".fjxz",
                ".attachment", ".attachments", ".info_xgfj", ".vF_detail_fujian")
)  # fmt: skip
_EXTENSION = re.compile(r"\.([a-z0-9]{1,5})$", re.IGNORECASE)
_HANDLER = re.compile(r"downfile\.jsp|download", re.IGNORECASE)
_ATTACHMENT_HEADING = re.compile(r"^\s*(?:相关)?附\s*件")


def page_base(root: etree._Element, url: str) -> str:
    """The URL relative links resolve against: ``<base href>`` joined with the page URL (an
    http(s) one only; any other ``<base>`` is ignored)."""
    base = next(root.iter("base"), None)
    href = base.get("href") if base is not None else None
    return web_url(url, href) or url


def attachments(index: PageIndex, body: etree._Element | None, base: str) -> tuple[Attachment, ...]:
    """The article's attachments, in page order."""
    found: dict[str, str] = {}
    for block in _blocks(index, body):
        for link in block.iter("a"):
            _consider(link, base, found)
    return tuple(Attachment(name, url) for url, name in found.items())


def _blocks(index: PageIndex, body: etree._Element | None) -> list[etree._Element]:
    blocks = [] if body is None else [body, *_headed_siblings(body)]
    for sel in ATTACHMENT_BLOCKS:
        blocks.extend(el for el in select(index, sel) if not has_hidden_ancestor(el))
    return list(dict.fromkeys(blocks))


def _headed_siblings(body: etree._Element, limit: int = 3) -> list[etree._Element]:
    """Siblings right after the body whose text starts with 附件."""
    out = []
    for sibling in body.itersiblings():
        if limit == 0:
            break
        if isinstance(sibling.tag, str):
            limit -= 1
            if _ATTACHMENT_HEADING.match(_leading_text(sibling)):
                out.append(sibling)
    return out


def _leading_text(el: etree._Element, size: int = 12) -> str:
    """The first few characters of an element's text (enough to see a 附件 heading)."""
    parts: list[str] = []
    for text in el.itertext():
        parts.append(text)
        if sum(map(len, parts)) >= size and "".join(parts).strip():
            break
    return "".join(parts)


def _consider(link: etree._Element, base: str, found: dict[str, str]) -> None:
    url = web_url(base, link.get("href"))  # http(s) only, after WHATWG-style cleanup
    if url is None or has_hidden_ancestor(link):
        return
    text = short_text(flat_text(link))
    if url in found or not _is_attachment(url, text):
        return
    found[url] = text or _file_name(url) or url


def _is_attachment(url: str, text: str | None) -> bool:
    path = urlsplit(url).path
    if _extension(path) in DOC_EXTENSIONS or _HANDLER.search(path):
        return True
    return bool(text) and _extension(text) in DOC_EXTENSIONS


def _extension(name: str) -> str | None:
    match = _EXTENSION.search(name.strip())
    return match.group(1).lower() if match else None


def _file_name(url: str) -> str | None:
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    for key in ("filename", "fileName", "name"):
        if query.get(key):
            return short_text(query[key][0])
    return short_text(unquote(parts.path.rsplit("/", 1)[-1]))
