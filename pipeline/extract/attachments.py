"""Attachment links: in the body container or an attachment block after it.

Blocks read: the body; up to three elements after the body or after its parent (a template
closes the article's wrapper first) that start with a 附件 heading or hold an object-storage
link; the common attachment classes; the family's own attachment blocks.
A link is an attachment when its URL path or its name ends in a document extension, when its
path is a download handler (``downfile.jsp``, ``/download``), or when it points at an object
store (an OSS / COS / OBS / S3 bucket: such keys often have no extension). Names are the
normalized link text, else its ``alt``, else its ``title`` (NFCMS writes
``<a class="nfw-cms-attachment" alt="预算.pdf"></a>``), else the file name; URLs are absolute
http(s) ones (``<base href>`` honoured; links of any other scheme are not attachments, see
``pipeline.normalize.urls``); the list is in page order without duplicate URLs.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree

from pipeline.extract.dom import flat_text, has_hidden_ancestor, tag_of
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
_ATTACHMENT_HEADING = re.compile(r"^\s*(?:相关|下载)?附\s*件")
_PAGE_TAGS = frozenset({"body", "html"})
#: Object-storage domains (Aliyun OSS, Tencent COS, Huawei OBS, AWS S3, Baidu BOS, Kingsoft KS3,
#: Qiniu, China Telecom, Volcengine TOS, UCloud US3, JD Cloud).
STORAGE_DOMAINS = (
    ".aliyuncs.com", ".myqcloud.com", ".myhuaweicloud.com", ".amazonaws.com", ".amazonaws.com.cn",
    ".bcebos.com", ".ksyuncs.com", ".qiniucs.com", ".ctyunapi.cn", ".volces.com", ".ufileos.com",
    ".jdcloud-oss.com",
)  # fmt: skip
_STORAGE_LABEL = re.compile(r"^(?:oss|obs|cos|s3|minio)(?:$|-)")  # oss.example.gov.cn, obs-gd…
_STORAGE_HINT = re.compile(  # a cheap test before the URL is parsed
    "|".join(re.escape(domain[1:]) for domain in STORAGE_DOMAINS) + "|oss|obs|cos|s3|minio"
)


def page_base(root: etree._Element, url: str) -> str:
    """The URL relative links resolve against: ``<base href>`` joined with the page URL (an
    http(s) one only; any other ``<base>`` is ignored)."""
    base = next(root.iter("base"), None)
    href = base.get("href") if base is not None else None
    return web_url(url, href) or url


def attachments(
    index: PageIndex,
    body: etree._Element | None,
    base: str,
    blocks: tuple[Selector, ...] = (),
) -> tuple[Attachment, ...]:
    """The article's attachments, in page order (``blocks``: the family's attachment blocks)."""
    found: dict[str, str] = {}
    for block in _blocks(index, body, blocks):
        for link in block.iter("a"):
            _consider(link, base, found)
    return tuple(Attachment(name, url) for url, name in found.items())


def _blocks(
    index: PageIndex, body: etree._Element | None, extra: tuple[Selector, ...]
) -> list[etree._Element]:
    blocks = [] if body is None else [body, *_blocks_after(body)]
    for sel in ATTACHMENT_BLOCKS + extra:
        blocks.extend(el for el in select(index, sel) if not has_hidden_ancestor(el))
    return list(dict.fromkeys(blocks))


def _blocks_after(body: etree._Element, levels: int = 2, limit: int = 3) -> list[etree._Element]:
    """Elements right after the body (or its parent) that start with a 附件 heading or hold an
    object-storage link."""
    out = []
    node: etree._Element | None = body
    for _ in range(levels):
        if node is None or tag_of(node) in _PAGE_TAGS:
            break
        seen, sibling = 0, node.getnext()
        while sibling is not None and seen < limit:
            if sibling.tag.__class__ is str:
                seen += 1
                if _attachment_block(sibling):
                    out.append(sibling)
            sibling = sibling.getnext()
        node = node.getparent()
    return out


def _attachment_block(el: etree._Element) -> bool:
    if _ATTACHMENT_HEADING.match(_leading_text(el)):
        return True
    hrefs = (link.get("href") or "" for link in el.iter("a"))
    return any(
        ("//" in href[:8] and _STORAGE_HINT.search(href) and _is_storage_url(href))
        for href in hrefs
    )  # absolute links only: a bucket is on another host


def _is_storage_url(href: str) -> bool:
    try:
        return _is_storage(urlsplit(href.strip()).hostname)
    except ValueError:
        return False


def _leading_text(el: etree._Element, size: int = 12) -> str:
    """The first few characters of an element's text (enough to see a 附件 heading)."""
    if el.text and len(el.text.strip()) >= 4:  # enough for 附件 / 相关附件
        return el.text
    parts: list[str] = []
    for text in el.itertext():
        parts.append(text)
        if sum(map(len, parts)) >= size and "".join(parts).strip():
            break
    return "".join(parts)


def _consider(link: etree._Element, base: str, found: dict[str, str]) -> None:
    url = web_url(base, link.get("href"))  # http(s) only, after WHATWG-style cleanup
    if url is None or url in found or has_hidden_ancestor(link):
        return
    name = link_name(link)
    if _is_attachment(url, name):
        found[url] = name or _file_name(url) or url


def link_name(link: etree._Element) -> str | None:
    """A link's name as shown: its text, else its ``alt``, else its ``title``."""
    return (
        short_text(flat_text(link)) or short_text(link.get("alt")) or short_text(link.get("title"))
    )


def _is_attachment(url: str, name: str | None) -> bool:
    parts = urlsplit(url)
    if _extension(parts.path) in DOC_EXTENSIONS or _HANDLER.search(parts.path):
        return True
    return (bool(name) and _extension(name) in DOC_EXTENSIONS) or _is_storage(parts.hostname)


def _is_storage(host: str | None) -> bool:
    """An object store's host: a cloud's storage domain, or an ``oss.``/``obs-``… host."""
    if not host:
        return False
    if host.endswith(STORAGE_DOMAINS):
        return True
    return any(_STORAGE_LABEL.match(label) for label in host.split(".")[:-2])


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
