"""Where a process spends its CPU: Python stacks sampled on CPU time, not wall time (not a test).

    python -m bench.cpu_profile OUT.txt -m bench.crawl_once full URL DB default
    python -m bench.cpu_profile OUT.txt -m zwgk crawl zjczj          # any module and its arguments
    python -m bench.cpu_profile --top 40 OUT.txt                    # read a profile written before

Runs the module (as ``python -m`` would) with a sampler on ``ITIMER_PROF``: the kernel signals
the process after each few milliseconds of *its own* CPU time (user + system), and the handler
records the Python stack it interrupted (this process only: a child it starts, such as the
archive writer, is not sampled; profile the writer with ``ZWGK_WRITER_PROFILE``). So time the process spends waiting (on the writer's
pipe, the network, a core another process holds) is never sampled. A wall-clock sampler such as
py-spy counts a crawl process preempted by its writer, or stopped for each sample, as time in
whatever function it was in: on this project's crawls it put a third more samples into socket
writes than the process spent CPU on. Native code is charged to the Python line that called it
(libxml2 to ``parse_html``, SQLite to ``executemany``). The signal interval is the kernel's
tick (4 ms here), so a 20-second crawl gives ~5,000 samples: read differences of 1% with care.

``OUT.txt`` holds one collapsed stack per line (``frame;frame;… count``, the format flame graph
tools read); the run then prints the top functions by own and by inclusive samples.
"""

from __future__ import annotations

import argparse
import collections
import runpy
import signal
import sys
from pathlib import Path
from types import FrameType

INTERVAL = 0.001  # seconds of CPU; the kernel rounds it up to its tick


def frame_name(frame: FrameType) -> str:
    code = frame.f_code
    parts = Path(code.co_filename).parts[-2:]
    return f"{code.co_name} ({'/'.join(parts)}:{frame.f_lineno})"


def record(module: str, args: list[str], out: Path) -> None:
    """Run ``module`` as ``__main__`` with ``args``, sampling its stacks into ``out``."""
    stacks: collections.Counter[str] = collections.Counter()

    def on_tick(signum: int, frame: FrameType | None) -> None:
        names = []
        while frame is not None:
            names.append(frame_name(frame))
            frame = frame.f_back
        stacks[";".join(reversed(names))] += 1

    signal.signal(signal.SIGPROF, on_tick)
    signal.setitimer(signal.ITIMER_PROF, INTERVAL, INTERVAL)
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit:
        pass
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        out.write_text("".join(f"{stack} {n}\n" for stack, n in stacks.items()), "utf-8")


def summary(path: Path, top: int) -> str:
    """The functions with the most samples of their own, and with the most in all (a
    function's line numbers merged)."""
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text("utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        names = [name.rsplit(":", 1)[0] + ")" for name in stack.split(";")]
        total += n
        own[names[-1]] += n
        for name in set(names):
            inclusive[name] += n
    lines = [f"{total} samples"]
    for title, counter in (("own", own), ("inclusive", inclusive)):
        lines.append(f"-- {title}")
        lines += [f"{100 * n / total:5.1f}% {name}" for name, n in counter.most_common(top)]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    run = argv.index("-m") if "-m" in argv else len(argv)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="collapsed stacks: written, or read without -m")
    parser.add_argument("--top", type=int, default=30, help="functions to list (default 30)")
    args = parser.parse_args(argv[:run])
    if run < len(argv):
        if run + 1 >= len(argv):
            parser.error("-m needs a module")
        record(argv[run + 1], argv[run + 2 :], args.out)
    print(summary(args.out, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
