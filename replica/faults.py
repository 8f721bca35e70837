"""Faults: which detail pages misbehave, how, and what the truth expects of them.

Each requested fault applies to a small deterministic set of detail pages (the first from a
Hanweb column, the rest from TRS columns), chosen from all notices before ``as_of`` hides any,
so a page keeps its fault across time travel.

Breakages (``BREAKAGES``) break a whole column or site of the bureau (``zjczj``) instead, the way
a redesign or a new WAF breaks a real one: the crawl monitors' cases (crawler/monitors.py). They
are named one by one, never part of ``all`` (``waf-412`` stops the crawl of the site).
"""

from __future__ import annotations

import functools
import hashlib
import os
import random
import re
import threading
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from replica.model import Notice

FAULTS = (
    "malformed",  # unclosed tags, broken nesting, stray </div>: still extractable
    "missing-date",  # no 发布时间, no PubDate, no 发布日期: publish_date null
    "bad-bytes",  # 0xFF 0xFE inside every occurrence of the title on a UTF-8 page: title null
    "http404",  # the detail page answers 404 (still linked from its list)
    "http500",  # the detail page answers 500
    "flaky",  # 500 on the first request, fine afterwards
    "slow",  # answers after ZWGK_REPLICA_SLOW_SECONDS (default 5)
    "challenge",  # a bot-shield page with status 200 and no article
    "huge",  # a ~50 MB page (an inline base64 image); every second one without Content-Length
    "gzip-bomb",  # Content-Encoding: gzip, ~150 KB on the wire, inflates to ~150 MB
    "offsite-redirect",  # 302 to the same path on another origin (another loopback port)
)
BREAKAGES = (
    "selector-change",  # one column's detail pages show the title in a new element: title null
    "empty-column",  # one column's list pages list nothing
    "waf-412",  # after the first ZWGK_REPLICA_WAF_AFTER requests to the site, every answer is 412
    "maintenance-503",  # every detail page answers 503 with Retry-After (the CMS is down)
)
#: Named one by one too: one bureau notice links every kind of bad attachment
#: (replica/attachment_cases.py).
ATTACHMENT_FAULTS = ("bad-attachments",)
SLOW_ENV = "ZWGK_REPLICA_SLOW_SECONDS"
SLOW_DEFAULT = 5.0
HUGE_BYTES = 50 * 1024 * 1024
BOMB_BYTES = 150 * 1024 * 1024
WAF_ENV = "ZWGK_REPLICA_WAF_AFTER"
WAF_DEFAULT = 40
WAF_STATUS = 412
MAINTENANCE_STATUS = 503
MAINTENANCE_RETRY_AFTER = "3600"

EFFECTS: dict[str, dict[str, object]] = {
    "missing-date": {"publish_date": None, "publish_time": None},
    "bad-bytes": {"title": None},
    "http404": {"expect": "failed", "status": 404, "reason": "http"},
    "http500": {"expect": "failed", "status": 500, "reason": "http"},
    "slow": {"expect": "failed", "status": None, "reason": "timeout"},
    "challenge": {"expect": "failed", "status": 200, "reason": "challenge"},
    "huge": {"expect": "failed", "status": None, "reason": "too large"},
    "gzip-bomb": {"expect": "failed", "status": None, "reason": "too large"},
    "offsite-redirect": {"expect": "failed", "status": 302, "reason": "offsite redirect"},
}


def parse(faults: Iterable[str] | str) -> tuple[str, ...]:
    """Fault names from an iterable or a comma-separated string; ``all`` means every page fault
    (breakages are named one by one: ``all,waf-412``)."""
    if isinstance(faults, str):
        faults = faults.split(",")
    names = [f.strip() for f in faults if f.strip()]
    known = (*FAULTS, *BREAKAGES, *ATTACHMENT_FAULTS)
    unknown = sorted(set(names) - {*known, "all"})
    if unknown:
        raise ValueError(f"unknown fault(s): {', '.join(unknown)}; known: {', '.join(known)}")
    pages = FAULTS if "all" in names else tuple(f for f in FAULTS if f in names)
    named = tuple(f for f in (*BREAKAGES, *ATTACHMENT_FAULTS) if f in names)
    return pages + named


def per_fault(total: int) -> int:
    """How many pages each fault applies to."""
    return max(3, total // 150)


def assign(notices: list[Notice], faults: tuple[str, ...], seed: int) -> None:
    """Mark a few notices with each requested fault (each notice has at most one)."""
    count = per_fault(len(notices))
    for name in (f for f in faults if f in FAULTS):  # breakages are not a page's
        rng = random.Random(f"{seed}:fault:{name}")
        free = [n for n in notices if n.fault is None and _eligible(n, name)]
        hanweb = [n for n in free if n.column.family == "hanweb"]
        trs = [n for n in free if n.column.family == "trs"]
        chosen = rng.sample(hanweb, min(1, len(hanweb)))
        chosen += rng.sample(trs, min(count - len(chosen), len(trs)))
        mark(chosen, name)


def mark(chosen: list[Notice], name: str) -> None:
    """Give the chosen notices the fault; every second ``huge`` page goes out without a length."""
    for index, notice in enumerate(chosen):
        notice.fault = name
        if name == "huge" and index % 2:
            notice.extra["huge"] = "unsized"


def sized(notice: Notice) -> bool:
    """Whether a ``huge`` page announces its length (Content-Length) or ends at connection close."""
    return notice.extra.get("huge") != "unsized"


def _eligible(notice: Notice, fault: str) -> bool:
    if fault == "bad-bytes":
        return notice.column.charset == "utf-8"
    return True


def malform(html: str) -> str:
    """Unclosed tags, broken nesting and a stray ``</div>``; every field stays where it was."""
    html = html.replace("</li>", "", 3)  # unclosed list items in the navigation
    html = html.replace("</ul></div>", "</ul></div></div></span>", 1)  # stray closers
    html = re.sub(
        r"(<p[^>]*>)([^<]{10,})(</p>)", r'\1<font face="宋体"><b>\2</font></b>\3', html, count=1
    )
    html = re.sub(r"(<p[^>]*>[^<]{20,}?)</p>", r"\1", html, count=4)  # paragraphs left open
    html = html.replace("</td>", "", 2)  # cells left open in the metadata table
    html = html.replace('<div class="info">', '<div class="info"><font color="#333333">', 1)
    return html.replace("</div>\n</body>", "\n</body>", 1)  # the footer never closed


def bad_bytes(body: bytes, title: str) -> bytes:
    """``body`` with 0xFF 0xFE after the first character of every occurrence of the title."""
    raw = title.encode("utf-8")
    head = len(title[0].encode("utf-8"))
    return body.replace(raw, raw[:head] + b"\xff\xfe" + raw[head:])


def challenge_page(key: str) -> str:
    """A bot-shield answer like ccgp.gov.cn's: key scripts and cookies, no article."""
    digest = hashlib.sha256(key.encode()).hexdigest()
    tr = f"{digest[:16].upper()},{digest[16:32].upper()},{digest[32:48]}"
    return (
        '<!DOCTYPE html><html><head>\n<meta http-equiv="Content-Type" content="text/html; '
        'charset=utf-8">\n<meta http-equiv="pragma" content="no-cache">\n'
        '<meta http-equiv="cache-control" content="no-cache">\n<title></title>\n</head>\n'
        f'<body><script id="keyparam" src="/_bot_sbu/sbu_fpcm.js">{digest[:32]}</script>'
        '<script id="keyt" src="/_bot_sbu/sbu_fpc.js">900</script>'
        f'<script>(function () {{ document.cookie = "HOY_TR={tr}; max-age=31536000; path=/";'
        f'document.cookie = "HBB_HC={digest}{digest[:32]}; max-age=600; path=/"; }})()</script>'
        '<script src="/_ws_sbu/sbu_hc.js"></script>\n</body></html>\n'
    )


# -- huge and gzip-bomb --------------------------------------------------------------------
#: The huge page carries a Word-pasted scan inlined as a data: URI, as real pages sometimes do;
#: the server writes it piece by piece (``pages.Stream``), never holding the whole body.
HUGE_FILLER = b"A" * 65536  # base64 of zero bytes
HUGE_COUNT = HUGE_BYTES // len(HUGE_FILLER)
_IMAGE_OPEN = b'<p><img alt="" src="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA'
_IMAGE_CLOSE = b'"></p>\n'
_BOMB_FILLER = b" " * (1 << 20)


def huge_parts(body: bytes) -> tuple[bytes, bytes]:
    """The page split where the image's base64 goes (before ``</body>``), image tag included."""
    head, end, tail = body.rpartition(b"</body>")
    return head + _IMAGE_OPEN, _IMAGE_CLOSE + end + tail


def gzip_bomb(body: bytes) -> bytes:
    """``body`` with ~150 MB of blanks before ``</body>``, gzip-compressed (one gzip member).

    The blanks are deflated once per process (``_deflated_blanks``, ~150 KB) and spliced
    between the separately deflated head and tail: each part starts with an empty history and
    ends on a byte boundary (full flush), so the concatenation is one valid deflate stream.
    The CRC runs over the blanks 1 MB at a time; nothing near 150 MB is ever held.
    """
    head, end, tail = body.rpartition(b"</body>")
    tail = end + tail
    blanks, count = _deflated_blanks()
    crc = zlib.crc32(head)
    for _ in range(count):
        crc = zlib.crc32(_BOMB_FILLER, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + count * len(_BOMB_FILLER) + len(tail)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # deflate, no name, no mtime
    trailer = crc.to_bytes(4, "little") + (size & 0xFFFFFFFF).to_bytes(4, "little")
    return header + _deflate(head, zlib.Z_FULL_FLUSH) + blanks + _deflate(tail) + trailer


@functools.cache
def _deflated_blanks() -> tuple[bytes, int]:
    """The raw deflate blocks of BOMB_BYTES blanks (not final), and how many 1 MB pieces."""
    count = BOMB_BYTES // len(_BOMB_FILLER)
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    parts = [packer.compress(_BOMB_FILLER) for _ in range(count)]
    parts.append(packer.flush(zlib.Z_FULL_FLUSH))
    return b"".join(parts), count


def _deflate(data: bytes, mode: int = zlib.Z_FINISH) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush(mode)


# -- offsite-redirect ----------------------------------------------------------------------
def moved_page() -> str:
    """What the other origin answers to anything: a page that says the site has moved."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>网站已迁移</title></head>'
        "<body><p>本网站已迁移，请访问新网址。</p></body></html>\n"
    )


# -- breakages: selector-change, empty-column, waf-412 ----------------------------------------
@dataclass(frozen=True)
class Breakage:
    """What is broken on a site: the column whose detail pages were redesigned
    (``selector-change``), the column whose lists list nothing (``empty-column``), and after how
    many requests every answer is a 412 (``waf-412``), and whether every detail page answers 503
    (``maintenance-503``)."""

    redesigned: str | None = None
    emptied: str | None = None
    waf_after: int | None = None
    maintenance: bool = False

    @classmethod
    def of(cls, faults: Iterable[str], notices: list[Notice]) -> Breakage:
        """The breakages of ``faults`` on a site with these notices (all of them, before
        ``as_of``): ``selector-change`` hits its largest column, ``empty-column`` the next
        (ties in the site's column order)."""
        names = set(faults)
        counts = Counter(n.column.name for n in notices)
        order = {name: i for i, name in enumerate(dict.fromkeys(n.column.name for n in notices))}
        largest = sorted(counts, key=lambda name: (-counts[name], order[name]))
        waf = int(os.environ.get(WAF_ENV, WAF_DEFAULT)) if "waf-412" in names else None
        return cls(
            redesigned=largest[0] if "selector-change" in names and largest else None,
            emptied=largest[1] if "empty-column" in names and len(largest) > 1 else None,
            waf_after=waf,
            maintenance="maintenance-503" in names,
        )

    def describe(self) -> dict[str, Any]:
        """The truth's ``breakages`` entry of the site ({} when nothing is broken)."""
        out: dict[str, Any] = {}
        if self.redesigned:
            out["selector-change"] = {"column": self.redesigned, "title": None}
        if self.emptied:
            out["empty-column"] = {"column": self.emptied}
        if self.waf_after is not None:
            out["waf-412"] = {"after": self.waf_after, "status": WAF_STATUS}
        if self.maintenance:
            out["maintenance-503"] = {"status": MAINTENANCE_STATUS}
        return out

    def apply_truth(self, records: list[dict[str, Any]]) -> None:
        """What the truth expects of the site's records (changed in place).

        ``selector-change``: the redesigned column's stored pages have ``title`` null.
        ``empty-column``: its notices are ``expect: "unlisted"`` — no list links them, so a crawl
        never requests them (an archive keeps what an earlier crawl stored).
        ``waf-412``: every notice is ``expect: "blocked"`` — stored if the crawl fetched it among
        the site's first ``after`` requests, else failed with status 412 or never requested (the
        crawl monitors stop the spider after a few refusals in a row).
        ``maintenance-503``: every notice is ``expect: "failed"``, ``status`` 503, ``reason``
        ``http`` (an archive keeps what an earlier crawl stored, unchanged and live).
        A page's own fault stays its ``fault``.
        """
        for record in records:
            column = record.get("category")
            if self.maintenance:
                record["fault"] = record.get("fault") or "maintenance-503"
                record.update(expect="failed", status=MAINTENANCE_STATUS, reason="http")
            elif self.waf_after is not None:
                record["fault"] = record.get("fault") or "waf-412"
                record["expect"] = "blocked"
            elif column == self.emptied:
                record["fault"] = record.get("fault") or "empty-column"
                record["expect"] = "unlisted"
            elif column == self.redesigned:
                record["fault"] = record.get("fault") or "selector-change"
                if record.get("expect") == "stored":
                    record["title"] = None


class Waf:
    """Counts a site's requests; after ``after`` of them every one is refused (thread-safe)."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.seen = 0
        self._lock = threading.Lock()

    def refuses(self) -> bool:
        """Count one request; True once the site has answered ``after``."""
        with self._lock:
            self.seen += 1
            return self.seen > self.after


def maintenance_page() -> str:
    """What a CMS under maintenance answers (with status 503 and a Retry-After)."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>系统维护中</title></head>'
        "<body><p>系统维护中，请稍后访问。Service temporarily unavailable.</p></body></html>\n"
    )


def waf_page() -> str:
    """What the WAF answers (with status 412): a challenge like the ones real shields serve."""
    return challenge_page("waf-412").replace(
        "<title></title>", "<title>访问被拒绝 / 412 Precondition Failed</title>"
    )


_ARTICLE_TITLE = re.compile(r'<meta name="ArticleTitle"[^>]*>\n?')
_HEAD_TITLE = re.compile(r"<title>.*?</title>", re.DOTALL)
_TRS_TITLE = re.compile(r'<div class="title"><h1>(.*?)</h1></div>', re.DOTALL)
_HANWEB_TITLE = re.compile(
    r'<td align="center" class="title"><!--<\$\[标题\]>begin-->(.*?)<!--<\$\[标题\]>end--></td>',
    re.DOTALL,
)


def redesign(html: str, site_title: str) -> str:
    """An article page after a template change: the headline in a new element
    (``div.wz-head > span.wz-head-text``), no ``ArticleTitle`` meta, no Hanweb 标题 markers, and a
    ``<title>`` naming only the site. Every other field stays where it was."""
    html = _ARTICLE_TITLE.sub("", html)
    html = _HEAD_TITLE.sub(f"<title>{site_title}门户网站</title>", html, count=1)
    html = _TRS_TITLE.sub(r'<div class="wz-head"><span class="wz-head-text">\1</span></div>', html)
    return _HANWEB_TITLE.sub(r'<td align="center" class="wz-head">\1</td>', html)
