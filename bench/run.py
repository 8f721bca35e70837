"""Benchmarks (not tests): crawl throughput vs a bare spider, and extraction cost per page.

    python -m bench.run [--scale 3000] [--repeat 3] [--pages 400] [--write]

Every number is measured in the same run as its baseline and reported as a ratio. ``--write``
replaces the results section of docs/benchmarks.md. A line on stderr as each crawl pair ends
(its pages/s, the bare spider's CPU a page, what creating a file cost before it), and a warning
at the end when the bare spider's CPU a page — which depends on nothing of the archive's — moved
by more than 5% between pairs: the machine's speed changed during the run, and the ratio with it.
Each pair's ratio is also given as the product of two factors (``ratio_factors``): the CPU a
page archiving costs, and how many more cores the full crawl keeps busy than the bare spider;
and, for each crawl, what the rest of the machine did (``bench.hostload``: the hypervisor's
steal, the cores busy outside the crawl's processes), with a warning when steal passed 2%.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import hostload
from bench.workdir import (
    SLOW_FILE_MS,
    archives_kept,
    file_creation_ms,
    new_archive,
    report_file_creation,
)

ROOT = Path(__file__).resolve().parents[1]
READY = re.compile(r"replica serving (http://127\.0\.0\.1:\d+)/")


def start_replica(scale: int) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "replica", "--port", "0", "--scale", str(scale)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    match = READY.search(proc.stdout.readline())
    if not match:
        proc.kill()
        raise SystemExit("replica did not start")
    return proc, match.group(1)


def crawl_once(mode: str, url: str, db: str | None = None, spider: str = "zjczj") -> dict:
    return crawl_once_args(mode, url, db, spider, [])


def crawl_once_args(
    mode: str, url: str, db: str | None, spider: str, options: list[str], tree: Path = ROOT
) -> dict:
    """One ``bench.crawl_once`` run in its own process, with extra options (``--set N=V``), of
    the source tree ``tree`` (a ``git worktree`` of another commit: its modules come first)."""
    command = [sys.executable, "-m", "bench.crawl_once", mode, url, db or "-", spider, *options]
    out = subprocess.run(command, cwd=tree, capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def bench_crawl(scale: int, repeat: int, spider: str = "zjczj", into: Path | None = None) -> dict:
    """``repeat`` pairs on one replica (bare first in odd pairs, full first in even ones: the
    machine's speed drifts within minutes); medians, and every pair in ``pairs`` (pages/s, CPU
    seconds of the crawl process, the writer with its children, the replica). The archives go
    into ``into`` when given (kept by the caller), else into a directory of their own."""
    proc, url = start_replica(scale)
    # Every full crawl's archive is kept until the end (see archives_kept).
    with archives_kept() if into is None else contextlib.nullcontext(into) as keep:
        print(report_file_creation(keep), file=sys.stderr)
        host = host_cpu()
        print(f"host: {host}", file=sys.stderr)

        def timed(mode: str, db: str = "-") -> dict:
            before, host_before = _cpu_seconds(proc.pid), hostload.now()
            started = time.perf_counter()
            run = crawl_once(mode, url, db, spider)
            wall, host_after = time.perf_counter() - started, hostload.now()
            run["replica_cpu"] = _cpu_seconds(proc.pid) - before
            run["pps"] = run["pages"] / run["seconds"]
            if host_before and host_after:  # the host around the crawl's whole process
                run["host_load"] = {**(host_after - host_before).as_dict(), "wall": wall}
            return run

        try:
            crawl_once("bare", url, spider=spider)  # warm the replica's page cache
            pairs = []
            for n in range(repeat):
                archive = str(new_archive(keep, f"pair{n}"))
                file_ms = file_creation_ms(keep)  # moves for minutes after a deletion nearby
                if n % 2 == 0:
                    b = timed("bare")
                    f = timed("full", archive)
                else:
                    f = timed("full", archive)
                    b = timed("bare")
                pairs.append(
                    {"bare": b, "full": f, "ratio": f["pps"] / b["pps"], "file_ms": file_ms}
                )
                print(pair_progress(n + 1, repeat, pairs[-1]), file=sys.stderr, flush=True)
        finally:
            proc.terminate()
            proc.wait()
    return {
        "pages": f["pages"],
        "bare_pps": statistics.median(p["bare"]["pps"] for p in pairs),
        "full_pps": statistics.median(p["full"]["pps"] for p in pairs),
        "ratio": statistics.median(p["ratio"] for p in pairs),
        "peak_rss_mb": max(p["full"]["peak_rss_mb"] for p in pairs),
        "runs": repeat,
        "pairs": pairs,
        "host": host,
    }


def host_cpu() -> str:
    """The CPU model and count, as the kernel names them: runs on two models do not compare
    (docs/benchmarks.md named an AMD EPYC host; on 2026-12-06 the runs were on an Intel Xeon)."""
    fields: dict[str, str] = {}
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            name, _, value = line.partition(":")
            fields.setdefault(name.strip(), value.strip())  # the first CPU's
    model = fields.get("model name") or platform.processor() or platform.machine()
    more = [f"model {fields['model']}"] if "model" in fields else []
    more += [f"{float(fields['cpu MHz']):.0f} MHz"] if "cpu MHz" in fields else []
    return ", ".join([model, *more, f"{os.cpu_count()} CPUs"])


def bare_ms_a_page(pair: dict) -> float:
    """The bare spider's CPU milliseconds a page in one pair."""
    return pair["bare"]["crawler_cpu"] * 1000 / pair["bare"]["pages"]


def pair_progress(n: int, repeat: int, pair: dict) -> str:
    """One line as each pair ends (a pair at scale 100,000 takes ~20 minutes), with what creating
    a file cost just before it (over ``SLOW_FILE_MS``, the full crawl paid for it)."""
    b, f = pair["bare"], pair["full"]
    return (
        f"pair {n}/{repeat}: bare {b['pps']:.0f} pages/s ({bare_ms_a_page(pair):.2f} ms of CPU a"
        f" page), full {f['pps']:.0f} pages/s, ratio {pair['ratio']:.2f};"
        f" a small file cost {pair['file_ms']:.3f} ms to create"
    )


#: The bare spider's CPU a page depends on nothing of the archive's: when it moves by more than
#: this between pairs of one run, the machine's speed moved (docs/benchmarks-log.md: 14%, 28%).
STEADY = 0.05


def host_warning(crawl: dict) -> str | None:
    """A warning when the bare spider's CPU a page spread over ``STEADY`` across the pairs."""
    per_page = [bare_ms_a_page(pair) for pair in crawl["pairs"]]
    spread = max(per_page) / min(per_page) - 1
    if spread <= STEADY:
        return None
    return (
        f"warning: the bare spider's CPU a page moved by {spread:.1%} between pairs (more than"
        f" {STEADY:.0%}): the machine's speed changed during the run, and the ratios with it"
    )


def _cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def disk_warning(crawl: dict) -> str | None:
    """A warning when creating a file cost over ``SLOW_FILE_MS`` before any pair: that pair's
    full crawl paid it for each of its attachment files (the disk's slow state, minutes after
    many files were deleted nearby; ``bench.workdir``)."""
    slow = [
        f"pair {n} ({pair['file_ms']:.2f} ms)"
        for n, pair in enumerate(crawl["pairs"], 1)
        if pair["file_ms"] > SLOW_FILE_MS
    ]
    if not slow:
        return None
    return (
        f"warning: creating a small file cost over {SLOW_FILE_MS} ms before "
        f"{', '.join(slow)}: the disk was in its slow state (files deleted nearby); compare "
        "with runs on a quiet directory tree (ZWGK_BENCH_DIR)"
    )


#: Steal above this share of a crawl's CPU time: the hypervisor ran someone else on this VM's
#: CPUs while the crawl had work (0.1% in the runs of 2026-12-07, "eighth" in the log).
STOLEN = 0.02


def steal_warning(crawl: dict) -> str | None:
    """A warning when the hypervisor took more than ``STOLEN`` of any crawl's CPU time."""
    stolen = [
        f"pair {n} {mode} ({share:.1%})"
        for n, pair in enumerate(crawl["pairs"], 1)
        for mode in ("bare", "full")
        if (host := _host(pair[mode])) and (share := host[0]) > STOLEN
    ]
    if not stolen:
        return None
    return (
        f"warning: the hypervisor took over {STOLEN:.0%} of the CPU time of {', '.join(stolen)}"
        " (steal): those crawls ran on less machine than the others"
    )


def crawl_warnings(crawl: dict) -> list[str]:
    """What makes a ``bench_crawl``'s ratios suspect: the host's speed moved, the disk was slow,
    the hypervisor took CPU time."""
    found = (host_warning(crawl), disk_warning(crawl), steal_warning(crawl))
    return [w for w in found if w]


def warnings_section(warnings: list[str]) -> str:
    """The run's warnings, written with its results (its ratios are to be read with them)."""
    if not warnings:
        return ""
    lines = "\n".join(f"- {warning}" for warning in warnings)
    return f"\n### Warnings of this run\n{lines}\n"


def _all_cpu(run: dict) -> float:
    """CPU seconds of every process of one crawl: its own, its children's, the replica's."""
    return run["crawler_cpu"] + run["writer_cpu"] + run["replica_cpu"]


def ratio_factors(pair: dict) -> tuple[float, float]:
    """A pair's ratio as the product of two factors: ``(cost, cores)``.

    ``cost`` is the CPU a page of every process of the bare crawl over that of the full crawl
    (the replica's included in both): what archiving costs, on this host at that moment.
    ``cores`` is how many cores the full crawl kept busy over how many the bare one did (CPU
    seconds, start-up included, over the crawl's seconds): with two cores the full crawl's
    processes can at best keep both busy while the bare spider keeps one, so it stays below 2.
    ``cost * cores == ratio`` exactly (pages/s is cores busy over CPU a page), so a run's ratio
    reads as which of the two moved: the CPU archiving costs (the code, and the host's speed
    between the two crawls of the pair), or how well the processes fill the cores.
    """
    b, f = pair["bare"], pair["full"]
    cost = (_all_cpu(b) / b["pages"]) / (_all_cpu(f) / f["pages"])
    cores = (_all_cpu(f) / f["seconds"]) / (_all_cpu(b) / b["seconds"])
    return cost, cores


def pairs_table(crawl: dict) -> str:
    """Every pair of a ``bench_crawl``: pages/s, ratio and its two factors (``ratio_factors``),
    CPU ms per page of each process."""
    lines = [
        "| pair | bare pages/s | full pages/s | ratio | = CPU a page, bare ÷ full | × cores"
        " busy, full ÷ bare | CPU ms/page: bare crawl | full: crawl process | writer (+ text"
        " reader) | replica | peak RSS MB: crawl + writer (each) | a small file's creation,"
        " ms | steal, bare / full | the rest of the host, cores: bare / full |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, pair in enumerate(crawl["pairs"], 1):
        b, f = pair["bare"], pair["full"]
        per = 1000 / f["pages"]
        cost, cores = ratio_factors(pair)
        lines.append(
            f"| {n} | {b['pps']:.0f} | {f['pps']:.0f} | {pair['ratio']:.2f} | {cost:.3f} |"
            f" {cores:.2f} | {b['crawler_cpu'] * per:.2f} | {f['crawler_cpu'] * per:.2f} |"
            f" {f['writer_cpu'] * per:.2f} | {f['replica_cpu'] * per:.2f} |"
            f" {f['peak_rss_mb']:.0f} ({f['crawler_rss_mb']:.0f} + {f['writer_rss_mb']:.0f}) |"
            f" {pair['file_ms']:.3f} | {host_cells(b, f)} |"
        )
    return "\n".join(lines)


def _host(run: dict) -> tuple[float, float] | None:
    """(steal share, the rest of the host in cores) during one crawl, if recorded."""
    load = run.get("host_load")
    if load is None:
        return None
    return hostload.steal_share(load), hostload.rest_cores(load, _all_cpu(run), load["wall"])


def host_cells(bare: dict, full: dict) -> str:
    """The two host columns of a pair's row (``bench.hostload``): steal, then the rest of the
    host, each as bare / full; a dash where the host was not recorded (not Linux)."""
    hosts = [_host(bare), _host(full)]
    if None in hosts:
        return "— | —"
    (b_steal, b_rest), (f_steal, f_rest) = hosts
    return f"{b_steal:.1%} / {f_steal:.1%} | {b_rest:.2f} / {f_rest:.2f}"


def factor_medians(crawl: dict) -> tuple[float, float]:
    """The medians over a run's pairs of the two factors of ``ratio_factors``."""
    costs, cores = zip(*(ratio_factors(pair) for pair in crawl["pairs"]), strict=True)
    return statistics.median(costs), statistics.median(cores)


def median_line(crawl: dict) -> str:
    """The run's median ratio, and the medians of its two factors."""
    cost, cores = factor_medians(crawl)
    return (
        f"median ratio {crawl['ratio']:.2f} over {crawl['pages']} pages a crawl; medians of its"
        f" factors: CPU a page bare ÷ full {cost:.3f}, cores busy full ÷ bare {cores:.2f}"
    )


def bench_recrawl(scale: int, into: Path | None = None) -> dict:
    """Requests and time of a full re-crawl vs an incremental one, nothing changed on the site
    (the archive in ``into`` when given, kept by the caller; else in a temporary directory)."""
    proc, url = start_replica(scale)
    try:
        with contextlib.ExitStack() as stack:
            where = into or Path(stack.enter_context(tempfile.TemporaryDirectory()))
            db = str(new_archive(where, "recrawl"))
            out = {}
            for label, extra in (("first", []), ("full", ["--full"]), ("incremental", [])):
                before = _stats(url)["requests"]
                started = time.perf_counter()
                subprocess.run(
                    [sys.executable, "-m", "zwgk", "crawl", "zjczj", "--replica-url", url,
                     "--db", db, "--log-level", "ERROR", "-s", "ZWGK_PROGRESS_INTERVAL=0", *extra],
                    cwd=ROOT, capture_output=True, check=True,
                )  # fmt: skip
                out[label] = {"requests": _stats(url)["requests"] - before,
                              "seconds": time.perf_counter() - started}  # fmt: skip
    finally:
        proc.terminate()
        proc.wait()
    return out


def _stats(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/__stats.json") as response:
        return json.load(response)


def sample_pages(n: int) -> list[tuple[bytes, str]]:
    proc, url = start_replica(max(n, 400))
    try:
        with urllib.request.urlopen(f"{url}/__truth.json") as response:
            truth = json.load(response)
        pages = []
        for notice in truth["notices"][:n]:
            with urllib.request.urlopen(notice["url"]) as response:
                pages.append((response.read(), notice["url"]))
    finally:
        proc.terminate()
        proc.wait()
    return pages


def per_page_ms(func, pages, rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for body, url in pages:
            func(body, url)
        best = min(best, (time.perf_counter() - started) / len(pages) * 1000)
    return best


def bench_extract(n: int) -> dict:
    import trafilatura
    from bs4 import BeautifulSoup

    from pipeline.extract import extract_page

    pages = sample_pages(n)
    results = {
        "pages": len(pages),
        "avg_kb": statistics.mean(len(b) for b, _ in pages) / 1024,
        "extract_ms": per_page_ms(lambda b, u: extract_page(b, u, with_html=False), pages),
        "extract_html_ms": per_page_ms(lambda b, u: extract_page(b, u), pages),
        "trafilatura_ms": per_page_ms(lambda b, u: trafilatura.extract(b, url=u), pages, 1),
        "bs4_parse_ms": per_page_ms(lambda b, u: BeautifulSoup(b, "lxml"), pages, 1),
    }
    results["trafilatura_ratio"] = results["trafilatura_ms"] / results["extract_ms"]
    real = real_pages()
    if real:
        results["real_pages"] = len(real)
        results["real_avg_kb"] = statistics.mean(len(b) for b, _ in real) / 1024
        results["real_extract_ms"] = per_page_ms(
            lambda b, u: extract_page(b, u, with_html=False), real
        )
        results["real_trafilatura_ms"] = per_page_ms(
            lambda b, u: trafilatura.extract(b, url=u), real, 1
        )
    return results


def real_pages() -> list[tuple[bytes, str]]:
    """The saved real government pages (``ZWGK_REALPAGES``), read in place; [] when absent."""
    folder = Path(os.environ.get("ZWGK_REALPAGES", ROOT.parent / "shared" / "realpages"))
    return [(p.read_bytes(), p.resolve().as_uri()) for p in sorted(folder.glob("*.html"))]


def report(crawl: dict, extract: dict, command: str) -> str:
    machine = f"{crawl['host']}, Python {platform.python_version()}"
    cost, cores = factor_medians(crawl)
    return f"""## Results

Command: `{command}` — {time.strftime("%Y-%m-%d")}, {machine}.

### Crawl throughput (replica on loopback, {crawl["pages"]} pages per crawl, median of {crawl["runs"]})
| crawl | pages/s |
|---|---|
| bare Scrapy spider, same pages, no items (baseline) | {crawl["bare_pps"]:.0f} |
| zwgk crawl: fetch, extract, store | {crawl["full_pps"]:.0f} |
| **ratio full / bare** | **{crawl["ratio"]:.2f}** |

Its factors (medians of the pairs): CPU a page, bare ÷ full (every process, the replica's
included) {cost:.3f}, times cores busy, full ÷ bare {cores:.2f}.

### Extraction cost per page ({extract["pages"]} replica detail pages, {extract["avg_kb"]:.0f} KB average)
| extractor | ms/page |
|---|---|
| `extract_page` (decode + parse + every field) | {extract["extract_ms"]:.3f} |
| `extract_page` with sanitized `body_html` (nh3) | {extract["extract_html_ms"]:.3f} |
| trafilatura 2 (`extract`, text only) | {extract["trafilatura_ms"]:.3f} |
| BeautifulSoup(lxml), parse only | {extract["bs4_parse_ms"]:.3f} |

trafilatura / extract_page: {extract["trafilatura_ratio"]:.1f}×.
{real_section(extract)}"""


def recrawl_section(recrawl: dict) -> str:
    rows = "\n".join(
        f"| {label} | {r['requests']} | {r['requests'] / recrawl['first']['requests']:.1%} | {r['seconds']:.1f} |"
        for label, r in recrawl.items()
    )
    return f"""
### Re-crawl of an unchanged site (same replica, same archive)
| crawl | requests | of the first crawl | seconds (incl. process start) |
|---|---|---|---|
{rows}

`full` (`zwgk crawl --full`) walks every list page and revalidates every detail page (304s);
`incremental` (the default once the archive holds a whole run) fetches each column's first list
page, finds nothing new, and revalidates only the details listed there.
"""


def gdsite_section(crawl: dict) -> str:
    return f"""
### Guangdong site group: NFCMS columns + gkmlpt (`gdsite:zhanjiang` on the replica, {crawl["pages"]} pages, median of {crawl["runs"]})
| crawl | pages/s |
|---|---|
| bare Scrapy spider, same lists and documents, no items (baseline) | {crawl["bare_pps"]:.0f} |
| zwgk crawl: fetch, extract, merge the catalogue, store | {crawl["full_pps"]:.0f} |
| **ratio full / bare** | **{crawl["ratio"]:.2f}** |
"""


def real_section(extract: dict) -> str:
    if "real_pages" not in extract:
        return ""
    per_37kb = extract["real_extract_ms"] / extract["real_avg_kb"] * 37
    return f"""
Real government pages ({extract["real_pages"]} saved pages, {extract["real_avg_kb"]:.0f} KB on average, much larger
than the replica's): `extract_page` {extract["real_extract_ms"]:.3f} ms/page ({per_37kb:.3f} ms per 37 KB),
trafilatura {extract["real_trafilatura_ms"]:.3f} ms/page ({extract["real_trafilatura_ms"] / extract["real_extract_ms"]:.1f}×).
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=3000, help="replica notices (default 3000)")
    parser.add_argument("--repeat", type=int, default=3, help="crawl pairs (default 3)")
    parser.add_argument("--pages", type=int, default=400, help="pages for extraction timing")
    parser.add_argument("--write", action="store_true", help="update docs/benchmarks.md")
    parser.add_argument(
        "--crawl-only",
        metavar="TARGETS",
        help="only the crawl pairs of these targets (as bench.crawl_once takes them: "
        "'default' = every spider, as a plain zwgk crawl), with every pair's CPU per process",
    )
    args = parser.parse_args(argv)
    if args.crawl_only:
        crawl = bench_crawl(args.scale, args.repeat, args.crawl_only)
        print(pairs_table(crawl))
        print(median_line(crawl))
        print(f"host: {crawl['host']}")
        for warning in crawl_warnings(crawl):
            print(warning, file=sys.stderr)
        return 0
    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    extract = bench_extract(args.pages)
    print(json.dumps(extract, indent=2))
    # One directory for every archive of the run, deleted at its end only: deleting the first
    # crawl's archives would make the next crawls' file creation slow (bench/workdir.py).
    with archives_kept() as keep:
        crawl = bench_crawl(args.scale, args.repeat, into=keep)
        print(json.dumps(crawl, indent=2))
        recrawl = bench_recrawl(args.scale, into=keep)
        print(json.dumps(recrawl, indent=2))
        gdsite = bench_crawl(args.scale, args.repeat, "gdsite:zhanjiang", into=keep)
        print(json.dumps(gdsite, indent=2))
    warnings = [
        f"{label}: {warning}"
        for label, run in (("zjczj", crawl), ("gdsite:zhanjiang", gdsite))
        for warning in crawl_warnings(run)
    ]
    for warning in warnings:
        print(warning, file=sys.stderr)
    text = report(crawl, extract, command.strip()) + recrawl_section(recrawl)
    text += gdsite_section(gdsite) + warnings_section(warnings)
    print(text)
    if args.write:
        doc = ROOT / "docs" / "benchmarks.md"
        head = doc.read_text(encoding="utf-8").split("## Results", 1)[0]
        doc.write_text(head + text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
