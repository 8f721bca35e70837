"""What a researcher does first: search from the home page, read a notice, look at the dashboard."""

from __future__ import annotations

import sqlite3

from tests.browser.test_facets import shown_count

QUERY = "预算"


def notices_containing(db, text: str) -> int:
    """Truth by substring, not by the index: title, body or procurement names hold ``text``."""
    query = """
        select count(*) from notices n left join procurement p on p.notice_id = n.id
        where instr(n.title, :q) or instr(n.body_text, :q) or instr(p.purchaser, :q)
           or exists (select 1 from procurement_awards a where a.notice_id = n.id
                      and instr(a.supplier, :q))
    """
    with sqlite3.connect(db) as conn:
        return conn.execute(query, {"q": text}).fetchone()[0]


def test_search_from_the_home_page_finds_every_notice_with_the_word(
    page, site, demo_db, screenshots
):
    page.goto(site + "/")
    page.fill("#zwgk-search-input", QUERY)
    page.press("#zwgk-search-input", "Enter")
    page.wait_for_load_state()
    assert "_search=" in page.url
    expected = notices_containing(demo_db, QUERY)
    assert expected > 100  # the demo archive: hundreds of notices about budgets
    assert shown_count(page) == expected
    marks = page.locator("mark")
    assert marks.count() > 0
    assert QUERY in marks.first.inner_text()
    assert page.locator("input[name=_search]").first.input_value() == QUERY
    top = page.locator("h3").first.bounding_box()["y"] - 8  # the count, the box, the results
    clip = {"x": 0, "y": top, "width": 1280, "height": 900}
    page.screenshot(path=str(screenshots / "search.png"), full_page=True, clip=clip)


def test_dashboard_draws_its_charts(page, site, screenshots):
    page.goto(site + "/")
    page.click("#zwgk-link-dashboard")
    page.wait_for_load_state()
    charts = page.locator("svg.zwgk-chart")
    assert charts.count() >= 4
    for chart in charts.all():
        box = chart.bounding_box()
        assert box is not None
        assert box["width"] > 200
        assert box["height"] > 100
        bars = chart.locator("rect.zwgk-bar, path, polyline")
        assert bars.count() > 0, chart.get_attribute("id")
    page.screenshot(path=str(screenshots / "dashboard.png"))


def test_a_notice_page_reads_as_a_document(page, site, demo_db, screenshots):
    with sqlite3.connect(demo_db) as conn:
        notice_id, title = conn.execute(
            "select id, title from notices where attachment_count > 0 and kind = 'notice' "
            "order by publish_date desc limit 1"
        ).fetchone()
    page.goto(f"{site}/archive/notices/{notice_id}")
    assert page.locator("h1").first.inner_text().strip() == title
    assert page.locator("#notice-metadata").is_visible()
    body = page.locator("#notice-body")
    assert body.is_visible()
    assert len(body.inner_text()) > 50
    assert "zwgk-body-html" in (body.get_attribute("class") or "")  # HTML from the capture
    assert page.locator("#notice-attachments a").count() > 0
    assert page.locator("#notice-versions .zwgk-version").count() >= 1
    page.screenshot(path=str(screenshots / "notice-row.png"))
