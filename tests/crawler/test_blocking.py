"""The block watch: runs of blocking answers found by reading one small page in 16, compared
with reading every page, over real Scrapy responses (crawler/blocking.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.http import HtmlResponse, Request, Response

from crawler.blocking import CHALLENGE, READ_EVERY, BlockWatch
from replica.faults import challenge_page

REQUEST = Request("http://127.0.0.1:1/czj/x.shtml")
ARTICLE = (
    "<html><body><div class='article'><p>" + "财政预算编制工作。" * 40 + "</p>"
    "<p>" + "各单位按时报送。" * 10 + "</p></div></body></html>"
)


def answer(kind: str) -> Response:
    """One answer of a kind a crawl meets: small pages (an article, a challenge stub, a page
    carrying bot-shield markers beside its article), refusals, errors, and answers never read."""
    if kind == "article":
        return HtmlResponse(REQUEST.url, body=ARTICLE.encode(), request=REQUEST)
    if kind == "challenge":
        return HtmlResponse(REQUEST.url, body=challenge_page("k").encode(), request=REQUEST)
    if kind == "marked article":  # the ccgp template: a bot-shield script, and an article
        body = ARTICLE.replace("<body>", '<body><script src="/_bot_sbu/sbu_fpc.js"></script>')
        return HtmlResponse(REQUEST.url, body=body.encode(), request=REQUEST)
    if kind == "big page":
        return HtmlResponse(REQUEST.url, body=ARTICLE.encode() * 60, request=REQUEST)
    if kind == "pdf":
        return Response(REQUEST.url, body=b"%PDF-1.7\n" + bytes(200), request=REQUEST)
    return HtmlResponse(REQUEST.url, status=int(kind), body=b"<html></html>", request=REQUEST)


KINDS = ("article", "challenge", "marked article", "big page", "pdf", "412", "429", "404", "503")
RESPONSES = {kind: answer(kind) for kind in KINDS}


def watch_all(kinds: list[str], watch: BlockWatch) -> int | None:
    """Feed the answers in order until the watch says stop; the index of that answer."""
    for at, kind in enumerate(kinds):
        if watch.add(RESPONSES[kind]):
            return at
    return None


# Storms are runs: long stretches of one kind make runs of every length likely.
runs = st.lists(st.tuples(st.sampled_from(KINDS), st.integers(1, 30)), max_size=12).map(
    lambda parts: [kind for kind, n in parts for _ in range(n)]
)


@settings(max_examples=300, deadline=None)
@given(kinds=runs, limit=st.integers(1, 25), every=st.integers(1, 40))
def test_the_lazy_watch_stops_at_the_answer_reading_every_page_stops_at(kinds, limit, every):
    eager, lazy = BlockWatch(limit, every=1), BlockWatch(limit, every=every)
    stopped = watch_all(kinds, eager)
    assert watch_all(kinds, lazy) == stopped
    if stopped is not None:
        assert (lazy.streak, lazy.kinds) == (eager.streak, eager.kinds) == (limit, eager.kinds)
        assert sum(eager.kinds.values()) == limit
    # Runs as long as the reading interval are always measured; shorter ones may go unseen.
    assert lazy.longest <= eager.longest
    if eager.longest >= lazy.every:
        assert (lazy.longest, lazy.longest_kinds) == (eager.longest, eager.longest_kinds)


def test_a_quiet_crawl_reads_one_small_page_in_sixteen():
    watch = BlockWatch(20)
    kinds = ["article", "marked article", "pdf", "big page", "404"] * 200
    assert watch_all(kinds, watch) is None
    assert watch.reads == 400 // READ_EVERY  # 400 small markup pages answered 200
    assert (watch.streak, watch.longest) == (0, 0)
    assert BlockWatch(20, every=1).add(RESPONSES["marked article"]) is False


def test_a_storm_of_challenge_pages_stops_at_the_limit_and_counts_its_kinds():
    kinds = ["article"] * 7 + ["challenge"] * 12 + ["412"] + ["challenge"] * 30
    watch = BlockWatch(20)
    assert watch_all(kinds, watch) == 7 + 20 - 1  # the 20th blocking answer in a row
    assert watch.kinds == {CHALLENGE: 19, "HTTP 412": 1}
    assert watch.longest == 20
    # Reads: the 16th small page (the 9th challenge), then the 8 challenges kept before it and
    # the article before them (where the run began), then every page after it.
    assert watch.reads == 1 + 8 + 1 + 10


def test_a_storm_broken_by_an_article_starts_again():
    kinds = ["challenge"] * 19 + ["article"] + ["challenge"] * 19
    watch = BlockWatch(20)
    assert watch_all(kinds, watch) is None
    assert (watch.longest, watch.longest_kinds) == (19, {CHALLENGE: 19})
