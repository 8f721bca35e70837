"""What a crawl's processes wait on when they do not run (not a test).

    python -m bench.waits [--scale 3000] [--target default] [--interval 0.005] [--stacks]

Starts a replica, warms it with one bare crawl, then runs one ``bench.crawl_once full`` crawl
and samples, every ``--interval`` seconds, the scheduler state and kernel wait channel
(``/proc/PID/stat``, ``/proc/PID/wchan``) of the crawl process's main thread and of each of its
descendants (the archive writer, its text reader). At the end, per process: the share of samples
running or runnable (``R``), asleep in a named wait (``S anon_pipe_write``: a full pipe;
``S poll_schedule_timeout``: waiting for a message; ``S do_epoll_wait``: an event loop with
nothing to do) or in uninterruptible disk waits (``D``); and its CPU seconds and the seconds it
was runnable but waited for a core (``/proc/PID/schedstat``). With ``--stacks`` (root), the
kernel stacks of the writer's ``D`` samples, most frequent first: what on the disk it waits for.

``bench.timeline`` says how many cores are busy; this says why the others are not. Linux only.
The sampling costs some CPU itself (a few ``/proc`` reads a tick), so the crawl runs a little
slower than under ``bench.run``.
"""

from __future__ import annotations

import collections
import subprocess
import sys
import time
from pathlib import Path

from bench.timeline import crawl_parser, descendants, observed_crawl


def state(pid: int) -> tuple[str, str] | None:
    """``(scheduler state letter, kernel wait channel)`` of a thread, None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat[stat.rindex(")") + 2], Path(f"/proc/{pid}/wchan").read_text() or "-"
    except OSError:
        return None


def schedstat(pid: int) -> tuple[float, float] | None:
    """``(CPU seconds, seconds runnable but waiting for a core)``."""
    try:
        fields = Path(f"/proc/{pid}/schedstat").read_text().split()
    except OSError:
        return None
    return int(fields[0]) / 1e9, int(fields[1]) / 1e9


def kernel_stack(pid: int, depth: int = 12) -> str | None:
    """The thread's kernel stack as one line of function names, innermost first (root only)."""
    try:
        lines = Path(f"/proc/{pid}/stack").read_text().splitlines()
    except OSError:
        return None
    return " < ".join(line.split()[-1].split("+")[0] for line in lines[:depth] if line)


def sample(crawl: subprocess.Popen, interval: float, stacks: bool) -> dict:
    """Sample until the crawl exits: counts of states per process, last schedstat, D stacks."""
    states: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    times: dict[str, tuple[float, float]] = {}
    d_stacks: collections.Counter = collections.Counter()
    names: dict[int, str] = {crawl.pid: "crawl"}
    while crawl.poll() is None:
        for pid in descendants(crawl.pid):
            names.setdefault(pid, f"child {len(names)}")
        for pid, name in list(names.items()):
            seen = state(pid)
            if seen is None:
                continue
            states[name][seen] += 1
            if stacks and seen[0] == "D":
                stack = kernel_stack(pid)
                if stack:
                    d_stacks[f"{name}: {stack}"] += 1
            times[name] = schedstat(pid) or times.get(name, (0.0, 0.0))
        time.sleep(interval)
    return {"states": states, "times": times, "stacks": d_stacks}


def main(argv: list[str] | None = None) -> int:
    parser = crawl_parser(__doc__, 0.005)
    parser.add_argument("--stacks", action="store_true", help="kernel stacks of D states (root)")
    args = parser.parse_args(argv)
    found, out = observed_crawl(
        args.scale, args.target, lambda crawl, _: sample(crawl, args.interval, args.stacks)
    )
    print(out.strip())
    print("| process | CPU s | waited for a core s | most frequent states (share of samples) |")
    print("|---|---|---|---|")
    for name, counts in found["states"].items():
        total = sum(counts.values())
        top = ", ".join(f"{s} {w} {n / total:.3f}" for (s, w), n in counts.most_common(6))
        cpu, delay = found["times"].get(name, (0.0, 0.0))
        print(f"| {name} | {cpu:.2f} | {delay:.2f} | {top} |")
    for stack, n in found["stacks"].most_common(8):
        print(n, stack)
    return 0


if __name__ == "__main__":
    sys.exit(main())
