"""What an operator does after a crawl exited 4: open the status page from the home page, see the
site that blocks the crawl, the monitor that fired and the runs drawn; the archive is built by a
healthy crawl, then one against a replica whose bureau answers 412 after a few requests."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing

import pytest

from tests.integration.conftest import crawl, running_datasette, running_replica

SPIDERS = ("zjczj", "ccgp")


@pytest.fixture(scope="module")
def walled_site(tmp_path_factory) -> Iterator[tuple[str, object]]:
    db = tmp_path_factory.mktemp("status-browser") / "archive.db"
    with running_replica("--scale", "120") as url:
        healthy = crawl(db, url, spiders=SPIDERS)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr[-2000:]
    # The second crawl is incremental: list pages and the notices due for a recheck, ~64
    # requests to the bureau here, so 30 answers then 20 refusals in a row left little margin
    # (once, in a CI run, the crawl exited 4 without marking the bureau blocked). The wall goes
    # up after 10 answers and 5 refusals in a row block.
    env = {"ZWGK_REPLICA_WAF_AFTER": "10"}
    with running_replica("--scale", "120", "--faults", "waf-412", env=env) as url:
        walled = crawl(db, url, "ZWGK_BLOCK_AFTER=5", spiders=SPIDERS)
    assert walled.returncode == 4, walled.stdout + walled.stderr[-2000:]
    with running_datasette(db) as site:
        yield site, db


def test_status_page_shows_the_blocked_site_and_its_monitor(page, walled_site, screenshots):
    site, db = walled_site
    with closing(sqlite3.connect(db)) as conn:
        since = conn.execute("select blocked_since from sites where name = 'zjczj'").fetchone()[0]
        runs = conn.execute("select count(*) from crawl_runs where site = 'zjczj'").fetchone()[0]
    assert since is not None
    page.goto(site + "/")
    page.click("#zwgk-link-status")
    page.wait_for_load_state()
    assert page.url.endswith("/-/status")
    blocked = page.locator("section.zwgk-site-status[data-site=zjczj]")
    assert blocked.get_attribute("data-state") == "blocked"
    assert blocked.locator("p.zwgk-blocked").is_visible()
    assert since in blocked.locator("p.zwgk-blocked").inner_text()
    fired = blocked.locator("li.zwgk-monitor-failed[data-check=blocked]")
    assert fired.is_visible()
    assert "HTTP 412" in fired.inner_text()
    assert blocked.locator("ul.zwgk-failure-reasons li[data-reason='HTTP 412']").is_visible()
    spark = blocked.locator("svg.zwgk-sparkline")
    box = spark.bounding_box()
    assert box is not None
    assert box["width"] > 100
    assert spark.locator("circle").count() == runs
    assert spark.locator("circle[data-alarm='1']").count() == 1  # the blocked run
    healthy = page.locator("section.zwgk-site-status[data-site=ccgp]")
    assert healthy.get_attribute("data-state") == "ok"
    assert healthy.locator("li.zwgk-monitor-failed").count() == 0
    page.screenshot(path=str(screenshots / "status.png"), full_page=True)
