"""Faults: which detail pages misbehave, how, and what the truth expects of them.

Each requested fault applies to a small deterministic set of detail pages (the first from a
Hanweb column, the rest from TRS columns), chosen from all notices before ``as_of`` hides any,
so a page keeps its fault across time travel.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Iterable

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
)
SLOW_ENV = "ZWGK_REPLICA_SLOW_SECONDS"
SLOW_DEFAULT = 5.0

EFFECTS: dict[str, dict[str, object]] = {
    "missing-date": {"publish_date": None, "publish_time": None},
    "bad-bytes": {"title": None},
    "http404": {"expect": "failed", "status": 404, "reason": "http"},
    "http500": {"expect": "failed", "status": 500, "reason": "http"},
    "slow": {"expect": "failed", "status": None, "reason": "timeout"},
    "challenge": {"expect": "failed", "status": 200, "reason": "challenge"},
}


def parse(faults: Iterable[str] | str) -> tuple[str, ...]:
    """Fault names from an iterable or a comma-separated string; ``all`` means every fault."""
    if isinstance(faults, str):
        faults = faults.split(",")
    names = [f.strip() for f in faults if f.strip()]
    if "all" in names:
        return FAULTS
    unknown = sorted(set(names) - set(FAULTS))
    if unknown:
        raise ValueError(f"unknown fault(s): {', '.join(unknown)}; known: {', '.join(FAULTS)}")
    return tuple(f for f in FAULTS if f in names)


def per_fault(total: int) -> int:
    """How many pages each fault applies to."""
    return max(3, total // 150)


def assign(notices: list[Notice], faults: tuple[str, ...], seed: int) -> None:
    """Mark a few notices with each requested fault (each notice has at most one)."""
    count = per_fault(len(notices))
    for name in faults:
        rng = random.Random(f"{seed}:fault:{name}")
        free = [n for n in notices if n.fault is None and _eligible(n, name)]
        hanweb = [n for n in free if n.column.family == "hanweb"]
        trs = [n for n in free if n.column.family == "trs"]
        chosen = rng.sample(hanweb, min(1, len(hanweb)))
        chosen += rng.sample(trs, min(count - len(chosen), len(trs)))
        for notice in chosen:
            notice.fault = name


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
