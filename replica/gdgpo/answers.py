"""The API's answers: the list (selectInfoForIndex) filtered and paged, one announcement
(getInfoById), and the page routes' 403.

Parameters and field names are REAL-SITES.md's. INFERRED: the matching rules (``noticeType``
a comma-separated list of code prefixes; ``regionCode`` a city covering its districts;
``purchaser``, ``agency``, ``openTenderCode`` substrings; ``channel`` a comma-separated list;
``operationStartTime``/``operationEndTime`` an inclusive window on ``noticeTime``, a bare date
meaning its first / last second), the default page size 15 and cap 50, the error answers
(HTTP 200 with ``code`` 400 or 404 and ``data`` null), and that ``verifyCode`` and
``subChannel`` change nothing (no captcha is ever asked).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from replica.gdgpo import codes
from replica.gdgpo.model import Entry
from replica.pages import Page

JSON_TYPE = "application/json;charset=UTF-8"
DEFAULT_PAGE_SIZE = 15
MAX_PAGE_SIZE = 50
OK = {"code": "200", "msg": "操作成功"}
FORBIDDEN = (
    b"<html>\r\n<head><title>403 Forbidden</title></head>\r\n<body>\r\n"
    b"<center><h1>403 Forbidden</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class BadQuery(ValueError):
    """A parameter the API refuses; its message is the answer's ``msg``."""


@dataclass(frozen=True)
class Query:
    page: int
    size: int
    tests: tuple[Callable[[Entry], bool], ...]


def json_page(document: dict[str, Any], kind: str, status: int = 200) -> Page:
    body = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()
    return Page(status, body, JSON_TYPE, kind)


def error(code: str, message: str, kind: str, status: int = 200) -> Page:
    return json_page({"code": code, "msg": message, "data": None}, kind, status)


def forbidden() -> Page:
    return Page(403, FORBIDDEN, "text/html", "other")


#: Parameters that page through the rows a query matches; every other one filters them.
PAGING = frozenset({"currPage", "pageSize"})
FILTERS_KEPT = 64  # distinct filters whose rows are kept (a crawl pages through a few)


class Listing:
    """The rows each filter matches, newest first, found once per filter: the real API answers
    a page from its database's index. A scan of every row for every page made the replica's
    cost per list page grow with the site (at scale 100,000 the replica spent most of a core
    on it while a crawl paged through the lists)."""

    def __init__(self, newest_first: list[Entry]) -> None:
        self.newest_first = newest_first
        self._rows = functools.lru_cache(maxsize=FILTERS_KEPT)(self._scan)

    def matching(self, params: dict[str, str]) -> list[Entry]:
        """The rows the filters of ``params`` (valid: ``parse`` accepted them) match."""
        return self._rows(tuple(sorted((k, v) for k, v in params.items() if k not in PAGING)))

    def _scan(self, filters: tuple[tuple[str, str], ...]) -> list[Entry]:
        tests = parse(dict(filters)).tests
        return [e for e in self.newest_first if all(test(e) for test in tests)]


def list_answer(listing: Listing, params: dict[str, str]) -> Page:
    """One page of the rows matching ``params``, newest first, with the total."""
    if params.get("siteId") != codes.SITE_ID:
        return error("400", "站点不存在", "list")
    try:
        query = parse(params)
    except BadQuery as exc:
        return error("400", str(exc), "list")
    matching = listing.matching(params)
    start = (query.page - 1) * query.size
    rows = [dict(e.row) for e in matching[start : start + query.size]]
    return json_page({**OK, "data": {"total": len(matching), "rows": rows}}, "list")


def detail_answer(entry: Entry | None, content: str) -> Page:
    """getInfoById: the row's fields, the content and the files (an error when unknown)."""
    if entry is None:
        return error("404", "信息不存在或已删除", "detail")
    files = [{"fileName": a.name, "fileUrl": codes.PREFIX + a.path} for a in entry.files]
    data = {**entry.row, "purchaseMannerName": entry.method, "content": content}
    return json_page({**OK, "data": data | {"attchList": files}}, "detail")


def parse(params: dict[str, str]) -> Query:
    """The paging and the row tests of a list request."""
    page = _number(params, "currPage", 1)
    size = min(_number(params, "pageSize", DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE)
    tests = [
        *_window(params),
        *_listed(params.get("noticeType", ""), lambda e, code: e.code.startswith(code)),
        *_listed(params.get("channel", ""), lambda e, channel: e.row["channel"] == channel),
    ]
    if region := params.get("regionCode", "").strip():
        tests.append(lambda e: codes.in_region(e.row["regionCode"], region))
    for key in ("purchaser", "agency", "openTenderCode"):
        if words := params.get(key, "").strip():
            tests.append(lambda e, key=key, words=words: words in e.row[key])
    if nature := params.get("purchaseNature", "").strip():
        tests.append(lambda e: e.nature == nature)
    return Query(page, size, tuple(tests))


def _number(params: dict[str, str], key: str, default: int) -> int:
    text = params.get(key, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        raise BadQuery(f"参数{key}错误")
    return int(text)


def _listed(text: str, match: Callable[[Entry, str], bool]) -> list[Callable[[Entry], bool]]:
    """A comma-separated parameter: an entry passes when it matches any of the values."""
    values = tuple(v.strip() for v in text.split(",") if v.strip())
    return [lambda e: any(match(e, v) for v in values)] if values else []


def _window(params: dict[str, str]) -> list[Callable[[Entry], bool]]:
    start = _moment(params.get("operationStartTime", ""), "00:00:00")
    end = _moment(params.get("operationEndTime", ""), "23:59:59")
    tests = []
    if start:
        tests.append(lambda e: e.moment >= start)
    if end:
        tests.append(lambda e: e.moment <= end)
    return tests


def _moment(text: str, default_time: str) -> str | None:
    """``YYYY-MM-DD HH:MM:SS`` (a bare date gets ``default_time``); None when empty."""
    text = text.strip()
    if not text:
        return None
    if len(text) == 10:
        text = f"{text} {default_time}"
    try:
        return dt.datetime.strptime(text, TIME_FORMAT).strftime(TIME_FORMAT)
    except ValueError:
        raise BadQuery("时间格式错误") from None
