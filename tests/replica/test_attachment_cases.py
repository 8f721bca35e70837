"""The replica's ``bad-attachments`` notice and its files (no HTTP: the site answers directly)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

import pytest

from pipeline.attachments.sniff import sniff
from pipeline.attachments.text import extract_text
from replica import attachment_cases
from replica.faults import parse
from replica.server import build_truth
from replica.site import BureauSite

BASE = "http://127.0.0.1:8800"


@pytest.fixture(scope="module")
def site():
    return BureauSite(faults=("bad-attachments",))


def _answer(site: BureauSite, url: str):
    parts = urlsplit(url)
    path = parts.path.removeprefix("/" + site.prefix.strip("/") + "/")
    return site.handle(path, dict(parse_qsl(parts.query, keep_blank_values=True)))


def test_named_alone_never_part_of_all():
    assert "bad-attachments" not in parse("all")
    assert parse("bad-attachments") == ("bad-attachments",)
    plain = build_truth(BASE)
    assert not any("attachment_files" in s for s in plain["sites"])


def test_the_truth_lists_every_case_once(site):
    entry, records = site.truth(BASE)
    cases = entry["attachment_files"]
    assert [c["case"] for c in cases] == [c.slug for c in attachment_cases.CASES]
    notice = next(r for r in records if r["url"] == cases[0]["notice_url"])
    linked = {a["url"] for a in notice["attachments"]}
    assert {c["url"] for c in cases} <= linked
    assert len(attachment_cases.LONG_NAME) == 300


@pytest.mark.parametrize("case", ["passwd", "shell", "long", "nul", "docx", "xlsx"])
def test_readable_cases_hold_their_check_code(site, case):
    entry, _ = site.truth(BASE)
    truth = next(c for c in entry["attachment_files"] if c["case"] == case)
    page = _answer(site, truth["url"])
    assert page.status == 200
    text = extract_text(page.body, sniff(page.body)).text
    assert truth["check_code"] in text


def test_broken_and_oversized_cases(site):
    entry, _ = site.truth(BASE)
    by_case = {c["case"]: _answer(site, c["url"]) for c in entry["attachment_files"]}
    assert by_case["missing"].status == 404
    assert by_case["html"].body.startswith(b"<!DOCTYPE html>")
    assert by_case["empty"].body == b""
    assert len(by_case["big"].body) > attachment_cases.BIG_BYTES
    assert len(by_case["bomb"].body) < 200_000
    disposition = dict(by_case["nul"].headers)["Content-Disposition"]
    assert "\x00" not in disposition
    assert "nul%00byte.pdf" in disposition
