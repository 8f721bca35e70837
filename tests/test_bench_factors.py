"""``bench.run.ratio_factors``: a crawl pair's ratio as CPU a page times cores busy."""

from __future__ import annotations

import pytest

from bench.run import factor_medians, median_line, ratio_factors


def _pair(
    bare: tuple[float, float, float], full: tuple[float, float, float], bare_replica_ms: float = 0.1
) -> dict:
    """A pair as ``bench_crawl`` records it, from (seconds, crawl CPU, writer CPU) of each side;
    the replica spends 0.1 ms of CPU a page in the full crawl, ``bare_replica_ms`` in the bare
    one, and both fetch the same 18,590 pages."""
    runs = {}
    pages = 18590
    for mode, (seconds, crawler, writer) in (("bare", bare), ("full", full)):
        replica_ms = bare_replica_ms if mode == "bare" else 0.1
        runs[mode] = {
            "pages": pages,
            "seconds": seconds,
            "pps": pages / seconds,
            "crawler_cpu": crawler,
            "writer_cpu": writer,
            "replica_cpu": pages * replica_ms / 1000,
        }
    return {**runs, "ratio": runs["full"]["pps"] / runs["bare"]["pps"]}


def test_the_two_factors_multiply_to_the_ratio():
    pair = _pair(bare=(22.0, 22.5, 0.0), full=(30.0, 28.0, 28.5))
    cost, cores = ratio_factors(pair)
    assert cost * cores == pytest.approx(pair["ratio"])
    # Bare: 22.5 + 1.859 s of CPU in 22 s; full: 28 + 28.5 + 1.859 in 30 s.
    assert cost == pytest.approx(24.359 / 58.359)
    assert cores == pytest.approx((58.359 / 30.0) / (24.359 / 22.0))


def test_a_slower_host_during_the_bare_crawl_moves_the_cost_factor_only():
    """The same full crawl against a bare crawl that ran 20% slower (20% more CPU, 20% more
    time): the ratio rises, the cores factor stays, the cost factor carries it all."""
    steady = _pair(bare=(22.0, 22.0, 0.0), full=(30.0, 28.0, 28.0))
    slow = _pair(bare=(26.4, 26.4, 0.0), full=(30.0, 28.0, 28.0), bare_replica_ms=0.12)
    assert slow["ratio"] > steady["ratio"]
    (steady_cost, steady_cores), (slow_cost, slow_cores) = map(ratio_factors, (steady, slow))
    assert slow_cores == pytest.approx(steady_cores)
    assert slow_cost > steady_cost * 1.15


def test_the_median_line_names_the_ratio_and_both_factors():
    pairs = [
        _pair((22.0, 22.5, 0.0), (30.0, 28.0, 28.5)),
        _pair((21.0, 22.0, 0.0), (31.0, 29.0, 29.5)),
    ]
    crawl = {"pairs": pairs, "ratio": 0.72, "pages": 18590}
    cost, cores = factor_medians(crawl)
    assert cost == pytest.approx(sum(ratio_factors(p)[0] for p in pairs) / 2)
    assert median_line(crawl) == (
        f"median ratio 0.72 over 18590 pages a crawl; medians of its factors: CPU a page bare ÷"
        f" full {cost:.3f}, cores busy full ÷ bare {cores:.2f}"
    )
