"""The crawl process and its archive writer on CPUs of their own (pipeline/affinity.py)."""

from __future__ import annotations

import os

import pytest

from pipeline import affinity
from pipeline.affinity import Placement, plan
from pipeline.writer import Writer

pinnable = pytest.mark.skipif(
    not hasattr(os, "sched_setaffinity") or len(getattr(os, "sched_getaffinity", set)(0)) < 2,
    reason="needs sched_setaffinity and two or more CPUs this process may use",
)


@pytest.mark.parametrize(
    ("mode", "allowed", "current", "expected"),
    [
        ("auto", {0, 1}, 1, Placement(frozenset({1}), frozenset({0}))),
        ("auto", {2, 5}, None, Placement(frozenset({2}), frozenset({5}))),  # unknown: the first
        ("auto", {0, 1, 2, 3}, 0, None),  # room enough: the scheduler decides
        ("auto", {0}, 0, None),
        ("on", {0, 1, 2, 3}, 2, Placement(frozenset({2}), frozenset({0, 1, 3}))),
        ("on", {0, 1, 2}, 7, Placement(frozenset({0}), frozenset({1, 2}))),  # 7: not allowed
        ("on", {3}, 3, None),
        ("off", {0, 1}, 0, None),
    ],
)
def test_the_plan_for_each_mode(mode, allowed, current, expected):
    assert plan(mode, allowed, current) == expected


def test_an_unknown_mode_is_an_error_before_any_process_starts(tmp_path):
    with pytest.raises(ValueError, match="ZWGK_CPU_AFFINITY must be one of auto, on, off"):
        Writer(str(tmp_path / "a.db"), cpu_affinity="yes")
    assert not (tmp_path / "a.db").exists()


@pinnable
def test_the_current_cpu_is_one_this_process_may_use():
    assert affinity.current_cpu() in os.sched_getaffinity(0)


@pinnable
@pytest.mark.parametrize("mode", ["on", "auto"])
def test_a_pinned_writer_and_its_crawl_get_back_their_cpus_when_it_closes(tmp_path, mode):
    before = os.sched_getaffinity(0)
    two = set(sorted(before)[:2])  # "auto" pins where exactly two CPUs are allowed
    try:
        os.sched_setaffinity(0, two)
        writer = Writer(str(tmp_path / "a.db"), cpu_affinity=mode)
        try:
            own, its = os.sched_getaffinity(0), os.sched_getaffinity(writer._proc.pid)
            run = writer.start_run("zjczj", "zjczj")  # it works where it was put
            assert writer.finish(run, "finished")["new"] == 0
        finally:
            writer.close()
        assert len(own) == 1
        assert own | its == two
        assert not own & its
        assert os.sched_getaffinity(0) == two
    finally:
        os.sched_setaffinity(0, before)


@pinnable
def test_off_leaves_both_to_the_scheduler(tmp_path):
    before = os.sched_getaffinity(0)
    writer = Writer(str(tmp_path / "a.db"), cpu_affinity="off")
    try:
        assert os.sched_getaffinity(0) == before
        assert os.sched_getaffinity(writer._proc.pid) == before
    finally:
        writer.close()


@pinnable
def test_a_refused_pin_leaves_the_crawl_unpinned_with_a_warning(tmp_path, monkeypatch, caplog):
    before = os.sched_getaffinity(0)
    real = os.sched_setaffinity

    def refuse_the_child(pid, cpus):
        if pid != 0:
            raise PermissionError(1, "Operation not permitted")
        real(pid, cpus)

    monkeypatch.setattr(os, "sched_setaffinity", refuse_the_child)
    writer = Writer(str(tmp_path / "a.db"), cpu_affinity="on")
    try:
        assert os.sched_getaffinity(0) == before
    finally:
        writer.close()
    assert "could not pin the crawl and its writer" in caplog.text
