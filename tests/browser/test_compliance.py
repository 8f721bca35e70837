"""What a supervisor does: open the compliance page from the home page, read the counts, see the
on-time chart drawn, and follow a late finding's evidence to the notice."""

from __future__ import annotations

import sqlite3


def findings_by_verdict(db) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return dict(conn.execute("select verdict, count(*) from compliance_findings group by 1"))


def test_compliance_page_shows_counts_chart_and_evidence(page, site, demo_db, screenshots):
    counts = findings_by_verdict(demo_db)
    assert counts["late"] > 0
    assert counts["missing"] > 0  # the demo runs the check: the replica seeds violations
    page.goto(site + "/")
    page.click("#zwgk-link-compliance")
    page.wait_for_load_state()
    summary = page.locator("#compliance-summary").inner_text()
    assert f"{sum(counts.values()):,}" in summary
    chart = page.locator("svg.zwgk-chart").first
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 200
    assert chart.locator("rect").count() > 0
    late = page.locator("tr.zwgk-finding[data-verdict=late]")
    missing = page.locator("tr.zwgk-finding[data-verdict=missing]")
    assert late.count() + missing.count() == counts["late"] + counts["missing"]
    first = late.first
    assert "《" in first.inner_text()  # the legal basis
    page.screenshot(path=str(screenshots / "compliance.png"), clip={"x": 0, "y": 0,
                    "width": 1280, "height": 1100})  # fmt: skip
    page.locator("section.zwgk-panel figure").first.screenshot(
        path=str(screenshots / "compliance-chart.png")
    )
    link = first.locator("a[href*='/notices/']").first
    link.click()
    page.wait_for_load_state()
    assert "/notices/" in page.url
    assert page.locator("h1").count() > 0
