"""``bench.hostload``: what the rest of the machine did during a crawl, and how ``bench.run``
reports it (steal, the cores busy outside the crawl's processes)."""

from __future__ import annotations

import sys
import time

import pytest

from bench import hostload
from bench.run import crawl_warnings, host_cells, pairs_table

# The first lines of a real /proc/stat (this machine's), ticks of 1/100 s.
STAT = """\
cpu  7562703 4411 546269 5178150 38427 0 77328 2598 0 0
cpu0 3474023 2148 324681 2716508 23549 0 21026 1352 0 0
cpu1 3933014 2263 213593 2346218 14659 0 54322 1227 0 0
intr 1 2 3
"""


def test_the_all_cpu_line_is_read_in_seconds():
    cpu = hostload.parse_stat(STAT, 100)
    assert cpu.busy == pytest.approx((7562703 + 4411 + 546269 + 0 + 77328) / 100)
    assert cpu.steal == pytest.approx(25.98)
    total = 7562703 + 4411 + 546269 + 5178150 + 38427 + 0 + 77328 + 2598
    assert cpu.total == pytest.approx(total / 100)


def test_a_difference_is_what_passed_between_two_readings():
    before = hostload.parse_stat(STAT, 100)
    after = hostload.parse_stat("cpu  7678991 4411 556914 5180510 39546 0 78889 2668 0 0\n", 100)
    load = (after - before).as_dict()
    assert load["busy"] == pytest.approx((116288 + 10645 + 1561) / 100)
    assert load["steal"] == pytest.approx(0.70)
    # 11 minutes of two CPUs: 1.8% idle, 0.1% stolen.
    passed = 116288 + 10645 + 2360 + 1119 + 1561 + 70  # every column's difference
    assert hostload.steal_share(load) == pytest.approx(70 / passed)


def test_a_kernel_with_fewer_columns_has_no_steal():
    cpu = hostload.parse_stat("cpu  100 0 50 800 10 0 5\n", 100)
    assert (cpu.busy, cpu.steal, cpu.total) == (1.55, 0.0, 9.65)


def test_a_text_without_the_all_cpu_line_is_refused():
    with pytest.raises(ValueError, match="all-CPU line"):
        hostload.parse_stat("cpu0 1 2 3 4\n", 100)


def test_the_rest_of_the_host_is_what_the_crawl_did_not_spend():
    load = {"busy": 120.0, "steal": 0.0, "total": 130.0, "wall": 60.0}
    assert hostload.rest_cores(load, own_cpu=114.0, seconds=60.0) == pytest.approx(0.1)
    assert hostload.rest_cores(load, own_cpu=125.0, seconds=60.0) == 0.0  # never negative


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc/stat is Linux's")
def test_the_live_host_counts_this_process_busy():
    before = hostload.now()
    deadline = time.process_time() + 0.3
    while time.process_time() < deadline:  # 0.3 s of CPU, bounded
        pass
    after = hostload.now()
    load = (after - before).as_dict()
    assert load["busy"] >= 0.25  # at least this process's busy loop (ticks of 10 ms)
    assert load["total"] >= load["busy"] + load["steal"]


def _run(pages: int, seconds: float, cpu: float, load: dict | None) -> dict:
    run = {
        "pages": pages,
        "seconds": seconds,
        "pps": pages / seconds,
        "crawler_cpu": cpu / 2,
        "writer_cpu": cpu / 2,
        "replica_cpu": 0.0,
        "peak_rss_mb": 200.0,
        "crawler_rss_mb": 110.0,
        "writer_rss_mb": 90.0,
    }
    if load is not None:
        run["host_load"] = load
    return run


def _pair(full_steal: float, with_host: bool = True) -> dict:
    bare_load = {"busy": 22.0, "steal": 0.0, "total": 44.0, "wall": 22.0} if with_host else None
    full_load = (
        {"busy": 60.0, "steal": full_steal, "total": 62.0, "wall": 31.0} if with_host else None
    )
    bare = _run(18590, 22.0, 21.0, bare_load)
    full = _run(18590, 30.0, 57.0, full_load)
    return {"bare": bare, "full": full, "ratio": full["pps"] / bare["pps"], "file_ms": 0.03}


def test_the_pairs_table_gives_steal_and_the_rest_of_the_host_for_each_crawl():
    pair = _pair(full_steal=0.062)
    # bare: 1.0 busy outside 21 s of the crawl's CPU, over 22 s; full: 3.0 over 31 s.
    assert host_cells(pair["bare"], pair["full"]) == "0.0% / 0.1% | 0.05 / 0.10"
    table = pairs_table({"pairs": [pair]})
    header, rule, row = table.splitlines()
    assert header.count("|") == rule.count("|") == row.count("|")
    assert row.endswith("| 0.030 | 0.0% / 0.1% | 0.05 / 0.10 |")


def test_a_pair_recorded_without_the_host_says_so():
    pair = _pair(full_steal=0.0, with_host=False)
    assert host_cells(pair["bare"], pair["full"]) == "— | —"
    assert not any("hypervisor" in w for w in crawl_warnings({"pairs": [pair, pair]}))


def test_steal_over_two_percent_is_a_warning_naming_the_crawl():
    calm, stolen = _pair(full_steal=0.062), _pair(full_steal=3.1)  # 5% of 62 s
    warnings = crawl_warnings({"pairs": [calm, stolen]})
    assert [w for w in warnings if "hypervisor" in w] == [
        "warning: the hypervisor took over 2% of the CPU time of pair 2 full (5.0%) (steal):"
        " those crawls ran on less machine than the others"
    ]
    assert not any("hypervisor" in w for w in crawl_warnings({"pairs": [calm, calm]}))
