"""``scrapy crawl SPIDER -o FILE``: a JSON feed of the items as Scrapy yields them (crawler/feeds.py)."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

from tests.integration.conftest import ROOT, running_replica


def test_a_json_lines_feed_holds_every_item_with_its_bytes(tmp_path: Path):
    feed, db = tmp_path / "items.jsonl", tmp_path / "archive.db"
    with running_replica() as url:
        command = [sys.executable, "-m", "scrapy", "crawl", "zjczj", "-o", str(feed)]
        for setting in (f"ZWGK_REPLICA_URL={url}", f"ZWGK_DB={db}", "CLOSESPIDER_ITEMCOUNT=30",
                        "LOG_LEVEL=WARNING", "ZWGK_PROGRESS_INTERVAL=0"):  # fmt: skip
            command += ["-s", setting]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "not JSON serializable" not in done.stderr
    items = [json.loads(line) for line in feed.read_text(encoding="utf-8").splitlines()]
    pages = [item for item in items if "body" in item and item.get("format") == "html"]
    assert len(items) >= 30
    assert pages
    for page in pages:  # the page's bytes as fetched, given back by base64
        html = base64.b64decode(page["body"], validate=True)
        assert html.lstrip().lower().startswith((b"<!doctype", b"<html")), page["url"]
    assert json.loads(feed.read_text(encoding="utf-8").splitlines()[0])["url"].startswith(url)
    attachments = [item for item in items if "notice_url" in item and item["body"]]
    assert attachments  # an attachment item: its file's bytes, base64
    assert all(base64.b64decode(item["body"], validate=True) for item in attachments)
    assert db.exists()  # the archive is written as well
