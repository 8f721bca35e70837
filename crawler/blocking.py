"""Is a site blocking the crawl? The verdict on one answer, and runs of blocking answers in a row.

A blocking answer is a refusal (HTTP 403, 412, 429, 521) or a bot-shield challenge page answered
200: a small markup page that ``pipeline.extract.classify`` calls a challenge. ``CrawlMonitors``
(crawler/monitors.py) stops a spider at the ``ZWGK_BLOCK_AFTER``-th blocking answer in a row.

The status and the size of an answer settle most verdicts at once: a refusal is blocking; any
other status, a page over ``STUB_PAGE`` bytes and an answer that is not markup (a PDF, JSON) are
not. Only a small markup page answered 200 has to be read: decoded by the archive's own decoder,
scanned for 18 bot-shield markers, and where one is found, parsed for an article. That is 0.1 ms
for a 10 KB page and 0.3 ms or more for a page carrying markers (the ccgp template does), and on
sites with small pages nearly every answer is one: 3–4% of the crawl process's CPU.

``BlockWatch`` therefore reads such pages lazily. It reads one in ``every`` as they come, keeps
the last ``limit - 1`` answers, and reads the kept pages only when an answer turns out blocking
(to find where its run began); while a run is going, it reads every page. A run of ``limit``
blocking answers is ``limit`` answers in a row, and ``every <= limit``, so one of them is read
as it comes, the pages of the run before it are still kept, and each answer after it is read:
the watch stops at the same answer as reading every page would, with the same kinds counted
(``tests/crawler/test_blocking.py`` compares the two on random sequences). What it gives up:
a run shorter than ``every`` between two read pages can go unseen, so the longest run of a crawl
that was not stopped is a lower bound below ``every``.
"""

from __future__ import annotations

from collections import Counter, deque

from scrapy.http import Response

from pipeline.extract.classify import STUB_PAGE, is_challenge
from pipeline.extract.decode import content_type_charset, decode_html

BLOCK_STATUSES = frozenset({403, 412, 429, 521})
CHALLENGE = "challenge page"
#: The default ``every``: one small markup page in 16 is read while no run is going.
READ_EVERY = 16
#: Why a request the downloader held, not yet sent, when the spider was stopped as blocked was
#: never sent (``crawler.monitors`` fails it with ``IgnoreRequest(NOT_SENT)``; the reason in
#: ``fetch_failures``, or on an attachment's row).
NOT_SENT = "not sent: the site blocks the crawl"


class SmallPage:
    """A small markup page answered 200, to be read for a challenge: its bytes and
    Content-Type."""

    __slots__ = ("body", "content_type")

    def __init__(self, body: bytes, content_type: bytes | None) -> None:
        self.body = body
        self.content_type = content_type


def blocking_answer(response: Response) -> str | None:
    """``HTTP 412``, ``challenge page`` or None: whether an answer says the site blocks us.

    The bytes are decoded by the archive's own decoder, never by Scrapy's ``response.text``:
    without a declared charset that runs charset-normalizer, which on the attachments of a
    crawl cost a third of the crawl process's CPU.
    """
    kind = quick_verdict(response)
    return page_verdict(kind) if isinstance(kind, SmallPage) else kind


def quick_verdict(response: Response) -> str | SmallPage | None:
    """The verdict the status, size and first bytes give: ``HTTP 412``, None (cannot be
    blocking), or the page to read (:func:`page_verdict`)."""
    if response.status in BLOCK_STATUSES:
        return f"HTTP {response.status}"
    body = response.body
    if response.status != 200 or len(body) > STUB_PAGE or not looks_like_markup(body):
        return None
    return SmallPage(body, response.headers.get(b"Content-Type"))


def page_verdict(page: SmallPage) -> str | None:
    """``challenge page`` or None for a small markup page answered 200."""
    text = decode_html(page.body, content_type_charset(page.content_type)).text
    return CHALLENGE if is_challenge(text) else None


def looks_like_markup(body: bytes) -> bool:
    """Whether a body starts (after a BOM and white space) with ``<``, as every HTML page does."""
    return body[:512].lstrip(b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n").startswith(b"<")


class BlockWatch:
    """The run of blocking answers in a row that ends at the latest answer (see module doc).

    ``add(response)`` after each answer; True once the run has reached ``limit``. ``streak`` and
    ``kinds`` describe that run (0 and empty when the latest answer is not blocking, or not
    read yet), ``longest`` and ``longest_kinds`` the longest run seen, ``reads`` how many pages
    were read. ``every=1`` reads every page as it comes.
    """

    def __init__(self, limit: int, every: int = READ_EVERY) -> None:
        self.limit = limit
        self.every = max(1, min(every, limit))
        self.streak = 0
        self.kinds: Counter[str] = Counter()
        self.longest = 0
        self.longest_kinds: Counter[str] = Counter()
        self.reads = 0
        self._pages = 0  # small markup pages seen, read or not
        # The answers before the latest: a kind, None (not blocking) or an unread page.
        self._recent: deque[str | SmallPage | None] = deque(maxlen=max(limit - 1, 1))

    def add(self, response: Response) -> bool:
        verdict = quick_verdict(response)
        if isinstance(verdict, SmallPage):
            self._pages += 1
            if self.streak or self._pages % self.every == 0:
                verdict = self._read(verdict)
        if verdict is None or isinstance(verdict, SmallPage):
            self.streak = 0
            self.kinds.clear()
            self._recent.append(verdict)
            return False
        self._run_ending_with(verdict)
        self._recent.append(verdict)
        if self.streak > self.longest:
            self.longest, self.longest_kinds = self.streak, Counter(self.kinds)
        return self.streak >= self.limit

    def _read(self, page: SmallPage) -> str | None:
        self.reads += 1
        return page_verdict(page)

    def _run_ending_with(self, kind: str) -> None:
        """Count the run that ``kind`` ends: the streak so far, or the kept answers before it
        read back to the first that is not blocking."""
        if self.streak:
            self.streak += 1
            self.kinds[kind] += 1
            return
        self.streak, self.kinds = 1, Counter({kind: 1})
        for at in range(len(self._recent) - 1, -1, -1):
            earlier = self._recent[at]
            if isinstance(earlier, SmallPage):
                earlier = self._recent[at] = self._read(earlier)
            if earlier is None:
                return
            self.streak += 1
            self.kinds[earlier] += 1
