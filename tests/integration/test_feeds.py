"""``scrapy crawl SPIDER -o FILE``: a feed of the items as Scrapy yields them, bytes included
(crawler/feeds.py)."""

from __future__ import annotations

import base64
import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from tests.integration.conftest import ROOT, running_replica


def _jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _json(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))


def _csv(path: Path) -> list[dict]:
    csv.field_size_limit(sys.maxsize)  # a base64 body is longer than the module's 128 KiB
    with path.open(encoding="utf-8", newline="") as rows:
        return [{k: v for k, v in row.items() if v != ""} for row in csv.DictReader(rows)]


def _xml(path: Path) -> list[dict]:
    root = etree.parse(str(path)).getroot()
    return [{field.tag: field.text or "" for field in item} for item in root]


READERS = {"jsonl": _jsonl, "json": _json, "csv": _csv, "xml": _xml}


@pytest.fixture(scope="module")
def replica_url():
    with running_replica() as url:
        yield url


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_a_feed_holds_every_item_with_its_bytes(tmp_path: Path, replica_url: str, fmt: str):
    feed, db = tmp_path / f"items.{fmt}", tmp_path / "archive.db"
    command = [sys.executable, "-m", "scrapy", "crawl", "zjczj", "-o", str(feed)]
    settings = f"ZWGK_REPLICA_URL={replica_url}", f"ZWGK_DB={db}", "LOG_LEVEL=WARNING"
    for setting in (*settings, "ZWGK_PROGRESS_INTERVAL=0"):
        command += ["-s", setting]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Error caught on signal handler" not in done.stderr, done.stderr[-2000:]
    items = READERS[fmt](feed)
    assert len(items) > 400  # the whole bureau site of the replica: its pages and files
    pages = [item for item in items if item.get("format") == "html"]
    assert pages
    for page in pages:  # the page's bytes as fetched, given back by base64
        html = base64.b64decode(page["body"], validate=True)
        assert html.lstrip().lower().startswith((b"<!doctype", b"<html")), page["url"]
        assert page["url"].startswith(replica_url)
    # Attachment items: each file's bytes, base64 (a CSV feed has the columns of its first
    # item, a page: the file's row keeps its url, body, status …).
    files = [base64.b64decode(item["body"], validate=True) for item in items if item.get("body")]
    assert {data[:4] for data in files} >= {b"%PDF", bytes.fromhex("d0cf11e0")}  # PDF, OLE2
    assert db.exists()  # the archive is written as well
