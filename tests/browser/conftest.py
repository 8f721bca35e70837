"""Browser tests: Playwright drives the system's Chromium against a real ``zwgk serve``.

The archive is the demo's (``zwgk demo --no-serve``: every bundled replica crawled), built once
per session. Chromium is Debian's (``apt-get install chromium``), never a browser download; a CJK
font (``fonts-wqy-zenhei`` or ``fonts-noto-cjk``) is needed, or every Chinese character renders as
an empty box in the screenshots. Where Chromium or Playwright is missing the tests skip with the
reason, unless ``ZWGK_REQUIRE_BROWSER=1`` (CI sets it): then they fail.

Screenshots go to ``ZWGK_SCREENSHOTS`` (default: the session's temporary directory).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.support import free_port
from tests.integration.conftest import ROOT, running_datasette

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")
DEMO_TIMEOUT = 300


def chromium_path() -> str | None:
    configured = os.environ.get("ZWGK_CHROMIUM")
    if configured:
        return configured
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _unavailable(reason: str) -> None:
    if os.environ.get("ZWGK_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (ZWGK_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


# Package scope: Playwright's sync API keeps an event loop running until it is closed.
@pytest.fixture(scope="package")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if executable is None:
        _unavailable("no Chromium found (apt-get install chromium fonts-wqy-zenhei)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory) -> Path:
    configured = os.environ.get("ZWGK_SCREENSHOTS")
    path = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo's archive: every bundled replica crawled by ``zwgk demo --no-serve``."""
    db = tmp_path_factory.mktemp("browser") / "archive.db"
    command = [sys.executable, "-m", "zwgk", "demo", "--no-serve", "--db", str(db)]
    command += ["--replica-port", str(free_port())]
    done = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=DEMO_TIMEOUT, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return db


@pytest.fixture(scope="session")
def site(demo_db) -> Iterator[str]:
    """Base URL of ``zwgk serve`` over the demo archive."""
    with running_datasette(demo_db) as url:
        yield url
