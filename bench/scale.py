"""Scale-out cost: pages/s and CPU per 1,000 pages with 1, 2 and 3 workers (not a test).

    python -m bench.scale [--scale 2000] [--workers 1,2,3] [--repeat 3]

Against one replica (a subprocess, not counted) and one ``redis-server`` on free loopback ports:

0. an untimed crawl, so that the replica has rendered every page before anything is timed;
1. baseline: ``zwgk crawl zjczj`` into a fresh archive, the single-machine path (crawl process
   and its writer child);
2. for each worker count N: N ``zwgk crawl zjczj --redis`` workers and one ``zwgk ingest``
   writer into a fresh archive, Redis flushed; CPU is the workers', the writer's and
   redis-server's;
3. the writer alone: one worker fills Redis with no writer running, then ``zwgk ingest --drain``
   stores it all; its item rate against the worker's. Twice: with the pages prepared (extracted
   and classified) by the worker, the default, and with ``ZWGK_REDIS_EXTRACT=0`` (the writer
   extracts), the design before.

Each configuration runs against a small replica (``--small``) and the large one: the rates
and CPU per page are the large run's; the **marginal** CPU per 1,000 pages is the difference of
the two runs' CPU over the difference of their pages, so the fixed cost of starting each process
(Python, Scrapy, the archive) drops out: what a long crawl costs per page. The **marginal rate**
is likewise the difference of pages over the difference of wall-clock seconds.

Pages are the requests the replica answered (for the writer alone: the items it stored). CPU is user + system time of the processes named
(``RUSAGE_CHILDREN`` for the ones this script waited for, /proc for redis-server). Wall-clock
scaling is capped on a small machine: every process shares its cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from tests.integration.conftest import ROOT, free_port, running_replica

TICKS = os.sysconf("SC_CLK_TCK")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def proc_cpu(pid: int) -> float:
    fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def served(url: str) -> int:
    with urllib.request.urlopen(f"{url}/__stats.json", timeout=10) as response:
        return json.load(response)["requests"]


def zwgk(*args: str) -> list[str]:
    return [sys.executable, "-m", "zwgk", *args]


def quiet(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def worker(redis_url: str, url: str, *settings: str) -> list[str]:
    return zwgk("crawl", "zjczj", "--redis", redis_url, "--replica-url", url,
                "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0", *settings)  # fmt: skip


def measure(url: str, redis_pid: int | None, run) -> dict:
    pages, cpu, redis_cpu = served(url), children_cpu(), proc_cpu(redis_pid) if redis_pid else 0
    started = time.monotonic()
    run()
    wall = time.monotonic() - started
    pages = served(url) - pages
    cpu = children_cpu() - cpu + ((proc_cpu(redis_pid) - redis_cpu) if redis_pid else 0)
    return {"pages": pages, "wall_s": round(wall, 2), "pages_per_s": round(pages / wall, 1),
            "cpu_s": round(cpu, 2), "cpu_s_per_1000": round(cpu / max(pages, 1) * 1000, 2)}  # fmt: skip


def drained(client) -> None:
    while client.llen("zwgk:items") or client.llen("zwgk:items:processing"):
        time.sleep(0.1)


def run_all(url: str, redis_url: str, redis_pid: int, counts: list[int], tmp: str) -> dict:
    """Every configuration once against the replica at ``url``."""
    import redis

    client = redis.Redis.from_url(redis_url)
    results: dict[str, dict] = {}
    warm = zwgk("crawl", "zjczj", "--replica-url", url, "--db", f"{tmp}/warm.db",
                "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0")  # fmt: skip
    subprocess.run(warm, cwd=ROOT, check=True, capture_output=True)  # pages rendered once

    def baseline() -> None:
        db = f"{tmp}/single-{time.monotonic()}.db"
        crawl = zwgk("crawl", "zjczj", "--replica-url", url, "--db", db,
                     "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0")  # fmt: skip
        subprocess.run(crawl, cwd=ROOT, check=True, capture_output=True)

    results["single process (baseline)"] = measure(url, None, baseline)
    for n in counts:

        def scaled(n: int = n) -> None:
            client.flushdb()
            db = f"{tmp}/r{n}-{time.monotonic()}.db"
            writer = quiet(zwgk("ingest", "--redis", redis_url, "--db", db))
            workers = [quiet(worker(redis_url, url)) for _ in range(n)]
            for proc in workers:
                assert proc.wait() == 0, proc.stderr.read()[-2000:]
            drained(client)
            writer.terminate()
            writer.wait()

        results[f"{n} worker(s) + writer + redis"] = measure(url, redis_pid, scaled)
    for name, settings in ALONE.items():
        client.flushdb()

        def fill(settings: tuple[str, ...] = settings) -> None:
            assert quiet(worker(redis_url, url, *settings)).wait() == 0

        results[f"1 worker, no writer (fills Redis){name}"] = measure(url, redis_pid, fill)
        items = client.llen("zwgk:items")

        def store() -> None:
            db = f"{tmp}/w-{time.monotonic()}.db"
            ingest = zwgk("ingest", "--redis", redis_url, "--db", db, "--drain")
            subprocess.run(ingest, cwd=ROOT, check=True, capture_output=True)

        row = measure(url, None, store)
        row.update(pages=items, pages_per_s=round(items / row["wall_s"], 1))
        row["cpu_s_per_1000"] = round(row["cpu_s"] / items * 1000, 2)
        results[f"writer alone, fed from Redis (items){name}"] = row
    client.flushdb()
    return results


#: The writer-alone configurations: pages prepared by the worker (the default), and extracted
#: by the writer (``ZWGK_REDIS_EXTRACT=0``).
ALONE = {"": (), ", writer extracts": ("-s", "ZWGK_REDIS_EXTRACT=0")}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="2000", help="the large replica (default 2000)")
    parser.add_argument("--small", default="60", help="the small replica (default 60)")
    parser.add_argument("--workers", default="1,2,3")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs of everything; the report is their median"
    )
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL)  # fmt: skip
    redis_url = f"redis://127.0.0.1:{port}/0"
    reports = []
    try:
        time.sleep(0.5)
        for _ in range(args.repeat):
            runs = {}
            for size in (args.small, args.scale):
                with running_replica("--scale", size) as url, tempfile.TemporaryDirectory() as tmp:
                    runs[size] = run_all(url, redis_url, server.pid, counts, tmp)
            reports.append(report(runs[args.small], runs[args.scale]))
            print(json.dumps(reports[-1], ensure_ascii=False), file=sys.stderr)  # each run
    finally:
        server.terminate()
        server.wait()
    print(json.dumps(median_report(reports), indent=2, ensure_ascii=False))


def median_report(reports: list[dict]) -> dict:
    """Each figure's median over the runs (one run: that run), with every run's value beside."""
    out: dict[str, dict] = {}
    for name, row in reports[0].items():
        out[name] = {}
        for key in row:
            values = [r[name][key] for r in reports]
            out[name][key] = statistics.median(values)
            if len(reports) > 1:
                out[name][f"{key}_runs"] = values
    return out


def report(small: dict, large: dict) -> dict:
    """The large run's rates, and the marginal CPU per 1,000 pages (large minus small: the fixed
    cost of starting each process drops out), with ratios to the baseline's."""
    out = {}
    for name, row in large.items():
        extra = row["pages"] - small[name]["pages"]
        marginal = (row["cpu_s"] - small[name]["cpu_s"]) / extra * 1000
        rate = extra / max(row["wall_s"] - small[name]["wall_s"], 0.01)
        out[name] = {**row, "start_cpu_s": small[name]["cpu_s"],
                     "marginal_cpu_s_per_1000": round(marginal, 2),
                     "marginal_pages_per_s": round(rate, 1)}  # fmt: skip
    base = out["single process (baseline)"]
    for row in out.values():
        row["cpu_ratio"] = round(row["cpu_s_per_1000"] / base["cpu_s_per_1000"], 2)
        row["marginal_cpu_ratio"] = round(
            row["marginal_cpu_s_per_1000"] / base["marginal_cpu_s_per_1000"], 2
        )
    for name in ALONE:
        writer = out[f"writer alone, fed from Redis (items){name}"]
        fill = out[f"1 worker, no writer (fills Redis){name}"]
        writer["workers_it_keeps_up_with"] = round(writer["pages_per_s"] / fill["pages_per_s"], 2)
        writer["workers_it_keeps_up_with_by_marginal_rate"] = round(
            writer["marginal_pages_per_s"] / fill["marginal_pages_per_s"], 2
        )
        writer["workers_it_keeps_up_with_by_marginal_cpu"] = round(
            fill["marginal_cpu_s_per_1000"] / writer["marginal_cpu_s_per_1000"], 2
        )
    return out


if __name__ == "__main__":
    main()
