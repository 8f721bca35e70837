"""Resource limits hold on a real crawl of the replica.

Over-size pages (``huge``: ~50 MB, with and without Content-Length) and gzip bombs
(``gzip-bomb``: ~150 KB that inflate to ~150 MB) end as ``fetch_failures`` rows naming the size
limit, nothing of them is stored, and the crawl's peak memory stays bounded. A detail page that
redirects to another origin (``offsite-redirect``) ends as a failure of its own URL and the
other origin is never contacted.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlite_utils

from tests.integration.conftest import (
    CRAWL_TIMEOUT,
    ROOT,
    get_json,
    notices_by_url,
    running_replica,
    site_truth,
)

pytestmark = pytest.mark.integration

SCALE = "300"
FAULTS = "huge,gzip-bomb,offsite-redirect"
PEAK_RSS_LIMIT_KIB = 500 * 1024
#: Runs the crawl as a child and prints the peak RSS of its process tree once it is waited for
#: (``ru_maxrss`` of RUSAGE_CHILDREN: KiB on Linux, the largest of the reaped descendants).
MEASURE = (
    "import resource, subprocess, sys\n"
    "code = subprocess.run(sys.argv[1:], check=False).returncode\n"
    "print('peak_rss_kib=%d' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(code)\n"
)
PEAK = re.compile(r"^peak_rss_kib=(\d+)$", re.M)


def measured_crawl(db: Path, replica_url: str) -> tuple[subprocess.CompletedProcess, int]:
    """``zwgk crawl zjczj`` into ``db`` and the peak RSS (KiB) of the crawl and its children."""
    crawl = [sys.executable, "-m", "zwgk", "crawl", "zjczj", "--replica-url", replica_url]
    crawl += ["--db", str(db), "--log-level", "WARNING", "-s", "ZWGK_PROGRESS_INTERVAL=0"]
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, *crawl],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CRAWL_TIMEOUT,
        check=False,
    )
    match = PEAK.search(result.stdout)
    assert match, result.stdout[-2000:] + result.stderr[-2000:]
    return result, int(match.group(1))


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    db = tmp_path_factory.mktemp("limits") / "archive.db"
    with running_replica("--scale", SCALE, "--faults", FAULTS) as url:
        truth = site_truth(url, "zjczj")
        result, peak_kib = measured_crawl(db, url)
        stats = get_json(f"{url}/__stats.json")
    database = sqlite_utils.Database(db)
    failures = {row["url"]: row for row in database["fetch_failures"].rows}
    return {
        "url": url,
        "truth": truth,
        "result": result,
        "peak_kib": peak_kib,
        "stats": stats,
        "stored": notices_by_url(db),
        "failures": failures,
    }


def _faulted(limited, fault):
    notices = [n for n in limited["truth"]["notices"] if n["fault"] == fault]
    assert len(notices) >= 3, f"the replica applied no {fault} fault"
    return notices


def test_crawl_finishes(limited):
    assert limited["result"].returncode == 0, limited["result"].stderr[-3000:]
    assert "finish reason: finished" in limited["result"].stdout


@pytest.mark.parametrize("fault", ["huge", "gzip-bomb"])
def test_oversize_pages_fail_with_the_size_limit_as_reason(limited, fault):
    for notice in _faulted(limited, fault):
        assert (notice["expect"], notice["reason"]) == ("failed", "too large")
        assert notice["url"] not in limited["stored"], f"{fault} page stored as a notice"
        failure = limited["failures"].get(notice["url"])
        assert failure is not None, f"{fault}: no fetch_failures row for {notice['url']}"
        assert failure["reason"].startswith("too large:"), failure["reason"]
        assert "DOWNLOAD_MAXSIZE" in failure["reason"], failure["reason"]
        assert failure["status"] is None


def test_huge_pages_fail_with_and_without_content_length(limited):
    reasons = [limited["failures"][n["url"]]["reason"] for n in _faulted(limited, "huge")]
    assert any("Content-Length" in r for r in reasons), reasons
    assert any("Content-Length" not in r for r in reasons), reasons
    bombs = [limited["failures"][n["url"]]["reason"] for n in _faulted(limited, "gzip-bomb")]
    assert all("decompress" in r for r in bombs), bombs


def test_crawl_memory_stays_bounded(limited):
    assert limited["peak_kib"] < PEAK_RSS_LIMIT_KIB, f"peak RSS {limited['peak_kib']} KiB"


def test_offsite_redirect_fails_under_its_own_url(limited):
    for notice in _faulted(limited, "offsite-redirect"):
        assert (notice["expect"], notice["status"]) == ("failed", 302)
        assert notice["url"] not in limited["stored"]
        failure = limited["failures"].get(notice["url"])
        assert failure is not None, f"no fetch_failures row for {notice['url']}"
        assert failure["status"] == 302
        assert failure["reason"].startswith("offsite redirect to http://127.0.0.1:")
        assert not failure["reason"].startswith(f"offsite redirect to {limited['url']}/")


def test_other_origin_is_never_contacted(limited):
    assert limited["stats"]["offsite_requests"] == 0
    here = limited["url"] + "/"
    assert all(url.startswith(here) for url in limited["stored"])
    assert all(url.startswith(here) for url in limited["failures"])


def test_healthy_pages_are_all_stored(limited):
    healthy = [n["url"] for n in limited["truth"]["notices"] if n["fault"] is None]
    assert healthy
    assert [url for url in healthy if url not in limited["stored"]] == []
