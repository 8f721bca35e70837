"""The extractor against the replica's ground truth, field by field, for every replica page.

The replica renders its pages and writes its truth from the same data and imports nothing
from ``pipeline``; pages are asked of the server object directly (no socket).

The bureau site (``zjczj``) and ccgp: every field. The Guangdong site group (NFCMS column
pages, gkmlpt content pages): the fields the page alone gives (``PAGE_FIELDS``); the archive
lays gkmlpt's catalogue (索引号, 文号, 成文日期, 发布机构, the publish time) over them, compared
by tests/integration/test_gdsite.py. gdgpo's answers are JSON (pipeline.sources.gdgpo, compared
by tests/integration/test_gdgpo.py), not pages.
"""

from __future__ import annotations

from email.message import Message
from functools import cache
from urllib.parse import urlsplit

import pytest

from pipeline.extract.classify import classify_page
from pipeline.extract.decode import decode_html
from replica.server import ReplicaServer
from tests.conftest import extract_json

FAULTS = ("malformed", "missing-date", "bad-bytes", "challenge")
FIELDS = (
    "url", "site", "kind", "category", "title", "publish_date", "publish_time", "publisher",
    "author", "doc_number", "index_number", "doc_date", "body_text", "attachments", "procurement",
)  # fmt: skip


SITE_GROUP = frozenset({"zhanjiang", "jiangmen", "zs-czj", "zhaoqing"})
PAGE_FIELDS = (
    "url", "site", "kind", "category", "title", "publish_date", "author", "body_text",
    "attachments",
)  # fmt: skip
NOT_PAGES = frozenset({"gdgpo"})


@cache
def served() -> list[tuple[dict, dict | None, str]]:
    """(truth, extracted record of a content page or None, page class) for every notice."""
    server = ReplicaServer(port=8800, faults=FAULTS)
    out = []
    for truth in server.truth()["notices"]:
        if truth["site"] in NOT_PAGES:
            continue
        page = server.answer("GET", urlsplit(truth["url"]).path, {})
        message = Message()
        message["Content-Type"] = page.content_type
        charset = message.get_param("charset")
        page_class = classify_page(decode_html(page.body, charset).text, page.status)
        record = None
        if page_class == "content":
            record = extract_json(page.body, truth["url"], encoding=charset, site=truth["site"])
        out.append((truth, record, page_class))
    return out


def test_the_replica_serves_notices_with_faults() -> None:
    faults = {truth.get("fault") for truth, *_ in served()}
    assert len(served()) > 100
    assert set(FAULTS) <= faults


def test_challenge_pages_are_never_content() -> None:
    for truth, _, page_class in served():
        if truth.get("reason") == "challenge":
            assert page_class == "challenge", truth["url"]


def test_every_site_is_served() -> None:
    sites = {truth["site"] for truth, *_ in served()}
    assert sites == {"zjczj", "ccgp"} | SITE_GROUP


def test_stored_pages_are_content() -> None:
    for truth, _, page_class in served():
        if truth["expect"] == "stored":
            assert page_class == "content", truth["url"]


@pytest.mark.parametrize("field", FIELDS)
def test_field_matches_truth(field: str) -> None:
    wrong = []
    for truth, record, _ in served():
        if truth["expect"] != "stored" or record is None:
            continue
        if truth["site"] in SITE_GROUP and field not in PAGE_FIELDS:
            continue
        if record[field] != truth[field]:
            wrong.append((truth["url"], truth[field], record[field]))
    assert not wrong, f"{len(wrong)} pages differ, first: {wrong[0]}"
