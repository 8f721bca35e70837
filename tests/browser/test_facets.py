"""A researcher narrows the notices table by clicking a facet."""

from __future__ import annotations

import re
import sqlite3
from urllib.parse import parse_qs, urlparse


def count_where(db, column: str, value: str) -> int:
    query = f"select count(*) from notices where {column} = ?"
    with sqlite3.connect(db) as conn:
        return conn.execute(query, [value]).fetchone()[0]


def shown_count(page) -> int:
    """The row count Datasette prints above the table ("123 rows where …")."""
    text = page.locator("h3").first.inner_text()
    match = re.search(r"([\d,]+) rows?", text)
    assert match, f"no row count in {text!r}"
    return int(match.group(1).replace(",", ""))


def test_clicking_a_site_facet_filters_the_table(page, site, demo_db, screenshots):
    page.goto(f"{site}/archive/notices")
    facet = page.locator(".facet-info[data-column='site'] li a").first
    label = facet.inner_text()
    facet.click()
    page.wait_for_load_state()
    chosen = parse_qs(urlparse(page.url).query)["site"][0]
    assert chosen in label
    assert shown_count(page) == count_where(demo_db, "site", chosen) > 0
    cells = page.locator("td.col-site").all_inner_texts()
    assert cells
    assert set(cells) == {chosen}
    page.screenshot(path=str(screenshots / "facet.png"), full_page=False)
