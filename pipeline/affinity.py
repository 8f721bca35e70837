"""Which CPUs the crawl process and its archive writer run on (``ZWGK_CPU_AFFINITY``).

A crawl keeps two processes busy: Scrapy fetching in the crawl process, and the archive writer
(with its attachment text reader) extracting and storing. On a two-core machine that is one
core each, and pinning them there (``sched_setaffinity``) keeps the scheduler from moving either
between cores or running both on one core while the other serves something else: in a default
crawl of a scale-3,000 replica the two processes were moved between cores 140–482 times
unpinned and 10–11 times pinned, and in alternating runs against the same code unpinned the
crawl fetched ×1.014 and ×1.076 the pages a second (two runs of 8 pairs; docs/benchmarks.md).
The bare spider alone gained nothing from the same pinning (×0.98), so this is about two busy
processes, not one.

Modes:

* ``auto`` (the default): pin only where the crawl may use exactly two CPUs, the machine the
  project is sized for. With more, the scheduler has room and several crawls (Scrapyd) must not
  pile onto one pinned core; with one there is nothing to choose.
* ``on``: pin wherever two or more CPUs are allowed: the crawl process to the CPU it runs on
  now, the writer to all the others.
* ``off``: leave both to the scheduler.

On a two-CPU machine, two crawls at once stay balanced whichever CPU each picks: each puts one
busy process on each CPU. The crawl process gets its original CPUs back when its writer closes.
Where the platform has no ``sched_setaffinity`` (macOS, Windows) or refuses it (a container's
cpuset), nothing is pinned and the crawl goes on.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MODES = ("auto", "on", "off")


@dataclass(frozen=True)
class Placement:
    """The CPUs of the crawl process and of its writer."""

    crawl: frozenset[int]
    writer: frozenset[int]

    def describe(self) -> str:
        return f"crawl process on CPU {_cpus(self.crawl)}, archive writer on {_cpus(self.writer)}"


def plan(mode: str, allowed: set[int] | frozenset[int], current: int | None) -> Placement | None:
    """Where to put the two processes under ``mode``, given the CPUs this process may use and
    the one it runs on (None: unknown); None to leave them to the scheduler."""
    check(mode)
    if mode == "off" or len(allowed) < 2 or (mode == "auto" and len(allowed) != 2):
        return None
    crawl = current if current in allowed else min(allowed)
    return Placement(frozenset({crawl}), frozenset(allowed) - {crawl})


def check(mode: str) -> str:
    """``mode`` if it is one of :data:`MODES`; ValueError otherwise."""
    if mode not in MODES:
        raise ValueError(f"ZWGK_CPU_AFFINITY must be one of {', '.join(MODES)}, not {mode!r}")
    return mode


def current_cpu() -> int | None:
    """The CPU this process last ran on (``/proc/self/stat``, field 39), or None."""
    try:
        fields = Path("/proc/self/stat").read_bytes().rpartition(b")")[2].split()
        return int(fields[36])  # fields after the command name start at field 3
    except (OSError, IndexError, ValueError):
        return None


def pin(mode: str, writer_pid: int) -> frozenset[int] | None:
    """Pin this process and the writer ``writer_pid`` as ``mode`` says; returns this process's
    CPUs before (to give back with :func:`restore`), or None when nothing was pinned."""
    if mode == "off" or not hasattr(os, "sched_setaffinity"):
        return None
    before = frozenset(os.sched_getaffinity(0))
    placement = plan(mode, before, current_cpu())
    if placement is None:
        return None
    try:
        os.sched_setaffinity(writer_pid, placement.writer)
        os.sched_setaffinity(0, placement.crawl)
    except OSError as exc:
        log.warning("could not pin the crawl and its writer to CPUs (%s); left unpinned", exc)
        restore(before)
        return None
    log.info("%s (ZWGK_CPU_AFFINITY=%s)", placement.describe(), mode)
    return before


def restore(cpus: frozenset[int] | None) -> None:
    """Give this process back the CPUs :func:`pin` returned."""
    if cpus:
        try:
            os.sched_setaffinity(0, cpus)
        except OSError as exc:
            log.warning("could not restore this process's CPUs %s: %s", _cpus(cpus), exc)


def _cpus(cpus: frozenset[int]) -> str:
    return ",".join(str(cpu) for cpu in sorted(cpus))
