"""Scale-out cost: pages/s and CPU per 1,000 pages with 1, 2 and 3 workers (not a test).

    python -m bench.scale [--scale 2000] [--workers 1,2,3]

Against one replica (a subprocess, not counted) and one ``redis-server`` on free loopback ports:

0. an untimed crawl, so that the replica has rendered every page before anything is timed;
1. baseline: ``zwgk crawl zjczj`` into a fresh archive, the single-machine path (crawl process
   and its writer child);
2. for each worker count N: N ``zwgk crawl zjczj --redis`` workers and one ``zwgk ingest``
   writer into a fresh archive, Redis flushed; CPU is the workers', the writer's and
   redis-server's;
3. the writer alone: one worker fills Redis with no writer running, then ``zwgk ingest --drain``
   stores it all; its item rate against the worker's.

Pages are the requests the replica answered. CPU is user + system time of the processes named
(``RUSAGE_CHILDREN`` for the ones this script waited for, /proc for redis-server). Wall-clock
scaling is capped on a small machine: every process shares its cores.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def worker(redis_url: str, url: str) -> list[str]:
    return zwgk("crawl", "zjczj", "--redis", redis_url, "--replica-url", url,
                "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0")  # fmt: skip


def measure(url: str, redis_pid: int | None, run) -> dict:
    pages, cpu, redis_cpu = served(url), children_cpu(), proc_cpu(redis_pid) if redis_pid else 0
    started = time.monotonic()
    run()
    wall = time.monotonic() - started
    pages = served(url) - pages
    cpu = children_cpu() - cpu + ((proc_cpu(redis_pid) - redis_cpu) if redis_pid else 0)
    return {"pages": pages, "wall_s": round(wall, 2), "pages_per_s": round(pages / wall, 1),
            "cpu_s_per_1000": round(cpu / pages * 1000, 2)}  # fmt: skip


def drained(client) -> None:
    while client.llen("zwgk:items") or client.llen("zwgk:items:processing"):
        time.sleep(0.1)


def main(argv: list[str] | None = None) -> None:
    import redis

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", default="2000")
    parser.add_argument("--workers", default="1,2,3")
    args = parser.parse_args(argv)
    counts = [int(n) for n in args.workers.split(",")]
    port = free_port()
    server = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                               "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL)  # fmt: skip
    redis_url = f"redis://127.0.0.1:{port}/0"
    results: dict[str, dict] = {}
    try:
        time.sleep(0.5)
        client = redis.Redis.from_url(redis_url)
        with running_replica("--scale", args.scale) as url, tempfile.TemporaryDirectory() as tmp:
            warm = zwgk("crawl", "zjczj", "--replica-url", url, "--db", f"{tmp}/warm.db",
                        "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0")  # fmt: skip
            subprocess.run(warm, cwd=ROOT, check=True, capture_output=True)  # pages rendered once

            def baseline() -> None:
                db = f"{tmp}/single.db"
                crawl = zwgk("crawl", "zjczj", "--replica-url", url, "--db", db,
                             "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0")  # fmt: skip
                subprocess.run(crawl, cwd=ROOT, check=True, capture_output=True)

            results["single process (baseline)"] = measure(url, None, baseline)
            for n in counts:

                def scaled(n: int = n) -> None:
                    client.flushdb()
                    writer = quiet(zwgk("ingest", "--redis", redis_url, "--db", f"{tmp}/r{n}.db"))
                    workers = [quiet(worker(redis_url, url)) for _ in range(n)]
                    for proc in workers:
                        assert proc.wait() == 0, proc.stderr.read()[-2000:]
                    drained(client)
                    writer.terminate()
                    writer.wait()

                results[f"{n} worker(s) + writer + redis"] = measure(url, server.pid, scaled)
            client.flushdb()

            def fill() -> None:
                assert quiet(worker(redis_url, url)).wait() == 0

            results["1 worker, no writer (fills Redis)"] = measure(url, server.pid, fill)
            items = client.llen("zwgk:items")

            def store() -> None:
                ingest = zwgk("ingest", "--redis", redis_url, "--db", f"{tmp}/w.db", "--drain")
                subprocess.run(ingest, cwd=ROOT, check=True, capture_output=True)

            started, cpu = time.monotonic(), children_cpu()
            store()
            wall, cpu = time.monotonic() - started, children_cpu() - cpu
            fed = results["1 worker, no writer (fills Redis)"]
            worker_rate = fed["pages"] / fed["wall_s"]
            results["writer alone, fed from Redis"] = {
                "items": items, "wall_s": round(wall, 2), "items_per_s": round(items / wall, 1),
                "cpu_s_per_1000": round(cpu / items * 1000, 2),
                "workers_it_keeps_up_with": round(items / wall / worker_rate, 2),
            }  # fmt: skip
    finally:
        server.terminate()
        server.wait()
    base = results["single process (baseline)"]["cpu_s_per_1000"]
    for name, row in results.items():
        if "worker(s)" in name:
            row["cpu_ratio_to_baseline"] = round(row["cpu_s_per_1000"] / base, 2)
    print(json.dumps(results, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
