"""What the rest of the machine did while a crawl ran: the host's CPU from ``/proc/stat``.

A pair's ratio moves with the host (docs/benchmarks.md: the same crawl code gave 0.71 and 0.76
at scale 100,000 three hours apart). Two things the crawl's own processes cannot show:

* **steal**: time the hypervisor gave this VM's CPUs to someone else while they had work;
* **the rest of the host**: CPU spent on the machine by anything that is not the crawl's
  processes (kernel threads such as a page-out daemon, interrupts, softirq — loopback traffic
  included — and any other process), in cores: the host's busy CPU seconds over the crawl minus
  what its processes spent, over its seconds.

Both are read as differences of the first line of ``/proc/stat`` around one crawl (Linux only;
elsewhere nothing is recorded and the table says so).
"""

from __future__ import annotations

import os
from dataclasses import asdict, dataclass
from pathlib import Path

STAT = Path("/proc/stat")
#: The columns of ``/proc/stat``'s ``cpu`` line, in order (``guest`` is already in ``user``).
FIELDS = ("user", "nice", "system", "idle", "iowait", "irq", "softirq", "steal")
BUSY = ("user", "nice", "system", "irq", "softirq")


@dataclass(frozen=True)
class HostCpu:
    """CPU seconds of the whole host, summed over its CPUs."""

    busy: float
    steal: float
    total: float

    def __sub__(self, other: HostCpu) -> HostCpu:
        return HostCpu(self.busy - other.busy, self.steal - other.steal, self.total - other.total)

    def as_dict(self) -> dict[str, float]:
        return asdict(self)


def parse_stat(text: str, ticks_a_second: int) -> HostCpu:
    """The host's CPU from the text of ``/proc/stat`` (its first, all-CPU line)."""
    first = text.splitlines()[0].split()
    if first[0] != "cpu":
        raise ValueError(f"not the all-CPU line of /proc/stat: {first[0]!r}")
    ticks = [int(v) for v in first[1 : len(FIELDS) + 1]]
    ticks += [0] * (len(FIELDS) - len(ticks))  # old kernels have fewer columns
    values = {name: n / ticks_a_second for name, n in zip(FIELDS, ticks, strict=True)}
    return HostCpu(
        busy=sum(values[name] for name in BUSY),
        steal=values["steal"],
        total=sum(values.values()),
    )


def now() -> HostCpu | None:
    """The host's CPU since boot, or None where there is no ``/proc/stat``."""
    try:
        text = STAT.read_text(encoding="ascii")
    except OSError:
        return None
    return parse_stat(text, os.sysconf("SC_CLK_TCK"))


def steal_share(load: dict) -> float:
    """Stolen time over all the CPU time that passed (every CPU's) during the crawl."""
    return load["steal"] / load["total"] if load["total"] > 0 else 0.0


def rest_cores(load: dict, own_cpu: float, seconds: float) -> float:
    """Cores the rest of the host kept busy during the crawl: its busy CPU seconds minus
    ``own_cpu`` (what the crawl's processes spent), over the crawl's ``seconds``."""
    return max(load["busy"] - own_cpu, 0.0) / seconds if seconds > 0 else 0.0
