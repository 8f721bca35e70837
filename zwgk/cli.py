"""``zwgk``: the command line of zwgk-archive.

Exit codes: 0 success; 1 the job ran but failed (nothing archived, missing archive, crawl errors;
``zwgk status``: a site blocked or its last run's monitors failed); 2 usage error; 3 another crawl
holds the archive (``zwgk crawl``, ``zwgk demo``: zwgk/lock.py); 4 ``zwgk crawl`` ran but a crawl
monitor failed (crawler/monitors.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import unicodedata
from pathlib import Path
from typing import NoReturn

from zwgk import checks
from zwgk.checks import UsageError
from zwgk.lock import EXIT_LOCKED, ArchiveLocked, archive_lock

DB_OPTION = {
    "type": checks.db_path,
    "default": "archive.db",
    "help": "archive path: an SQLite file, or a new one in an existing folder "
    "(default: archive.db)",
}
EPILOG = """examples:
  zwgk demo                         replica sites -> crawl -> archive.db -> Datasette on :8001
  zwgk crawl --replica              crawl the bundled replica into archive.db
  zwgk crawl zjczj --db bureau.db   crawl the real bureau site (polite, robots.txt obeyed)
  zwgk serve --port 8001            browse, search and facet archive.db
  zwgk search 预算编制              full-text search of archive.db, best matches first
  zwgk extract page.html --url http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_1.shtml
  zwgk verify --deep                check archive.db and every WARC record it points at
  zwgk status                       each site's last runs, failures and monitors; exit 1 if one
                                    is blocked or its monitors failed
  zwgk check --fail-on late,missing check statutory deadlines; exit 1 on a late or missing item
  zwgk replica --port 8800          serve the replica sites alone
  zwgk crawl --all-profiles --redis redis://10.0.0.5:6379/0
                                    a scale-out worker (start any number, docs/scale-out.md)
  zwgk ingest --redis redis://10.0.0.5:6379/0
                                    the one writer of archive.db, fed by the workers
"""
VERBS = (
    "demo", "crawl", "ingest", "serve", "search", "extract", "verify", "check", "status", "replica"
)  # fmt: skip
DEBUG_HINT = "run with ZWGK_DEBUG=1 for the traceback"


class Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``zwgk VERB: error: MESSAGE (see ...)``, exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="zwgk",
        description="Archive Chinese government disclosures: crawl, clean, store, publish.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    verbs = (
        _add_demo,
        _add_crawl,
        _add_ingest,
        _add_serve,
        _add_search,
        _add_extract,
        _add_verify,
        _add_check,
        _add_status,
    )
    for add in verbs:
        add(sub)
    replica = sub.add_parser("replica", help="serve the replica sites alone", add_help=False)
    replica.add_argument("args", nargs=argparse.REMAINDER)  # parsed by replica's own CLI
    return parser


def _add_demo(sub) -> None:
    demo = sub.add_parser("demo", help="replica sites -> crawl -> archive.db -> Datasette")
    demo.add_argument("--db", **DB_OPTION)
    demo.add_argument(
        "--port", type=checks.port, default=8001, help="Datasette port (default: 8001)"
    )
    demo.add_argument(
        "--replica-port",
        type=checks.port,
        default=8800,
        help="port of the replica sites (default: 8800; keep it fixed so re-runs update the "
        "same archive rows)",
    )
    demo.add_argument("--no-serve", action="store_true", help="stop after building the archive")


def _add_crawl(sub) -> None:
    crawl = sub.add_parser(
        "crawl",
        help="crawl sites into the archive",
        description="Crawl sites into the archive. One crawl per archive at a time: a crawl "
        "holds ARCHIVE.lock beside the archive while it runs (released when it ends, even when "
        "killed), and a second crawl of the same archive exits at once with code 3.",
        epilog="exit codes: 0 every spider finished and every monitor passed; 1 a spider did "
        "not finish or archived nothing but failures; 2 usage error; 3 another crawl holds the "
        "archive (the message names its pid and start time); 4 a monitor failed (a column "
        "empty, fields null, too many errors, a site blocking the crawl: one line each); "
        "scheduling and monitors: docs/operations.md",
    )
    crawl.add_argument(
        "spiders",
        nargs="*",
        metavar="SPIDER",
        help="spider names, or SPIDER:PROFILE for a site of the Guangdong site group "
        "(gdsite:zs-czj); default: every spider with its default profile; see --list",
    )
    crawl.add_argument("--db", **DB_OPTION)
    where = crawl.add_mutually_exclusive_group()
    where.add_argument(
        "--replica", action="store_true", help="start the bundled replicas for the run"
    )
    where.add_argument(
        "--replica-url",
        type=checks.http_url,
        metavar="URL",
        help="crawl running replicas at this http(s) base URL",
    )
    crawl.add_argument(
        "--full",
        action="store_true",
        help="walk every list page and revalidate every page the archive holds (default once the "
        "archive holds the site: stop each column at the first list page with nothing new or "
        "due, fetch new pages, revalidate held ones only when their recheck is due by age, "
        "ZWGK_RECHECK; docs/crawling.md)",
    )
    crawl.add_argument(
        "--since",
        type=checks.iso_date,
        metavar="YYYY-MM-DD",
        help="only notices listed on or after this date; stop each column's list there",
    )
    crawl.add_argument(
        "--until",
        type=checks.iso_date,
        metavar="YYYY-MM-DD",
        help="only notices listed on or before this date, for backfills: list pages are walked "
        "past newer items to reach it (with --since: a window)",
    )
    crawl.add_argument(
        "--log-level",
        type=checks.log_level,
        default="INFO",
        help="Scrapy log level: DEBUG, INFO, WARNING, ERROR (default: INFO)",
    )
    crawl.add_argument(
        "-s",
        "--set",
        action="append",
        type=checks.setting,
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy/ZWGK_* setting, e.g. -s DOWNLOAD_TIMEOUT=10 (the value is checked "
        "against the setting's default type; ZWGK_SINCE and ZWGK_UNTIL take YYYY-MM-DD, "
        "ZWGK_RECHECK AGE:EVERY rules in days like 7:1,30:7,365:30,*:180)",
    )
    crawl.add_argument(
        "--list", action="store_true", help="list the spiders and profiles with their real URLs"
    )
    crawl.add_argument(
        "--all-profiles",
        action="store_true",
        help="crawl every spider, and gdsite once per site profile (instead of naming them)",
    )
    crawl.add_argument(
        "--redis",
        type=checks.redis_url,
        metavar="URL",
        help="be a scale-out worker: shared queue, politeness and items in Redis at URL, for "
        "`zwgk ingest --redis URL` to store; the worker never touches --db (docs/scale-out.md)",
    )


def _add_ingest(sub) -> None:
    ingest = sub.add_parser(
        "ingest",
        help="the archive's one writer in a scale-out crawl (items from Redis)",
        description="Store what scale-out workers (`zwgk crawl --redis URL`) put in Redis into "
        "the archive: the only process that writes it. A batch leaves Redis only once it is "
        "committed; a writer killed and started again applies its last batch again (storing is "
        "idempotent). Runs until SIGTERM or Ctrl-C (or, with --drain, until the queue is empty).",
        epilog="exit codes: 0 stopped or drained; 1 Redis or the archive failed; 2 usage error; "
        "3 another writer holds the queue, or another crawl holds the archive",
    )
    ingest.add_argument(
        "--redis", type=checks.redis_url, required=True, metavar="URL", help="Redis URL"
    )
    ingest.add_argument("--db", **DB_OPTION)
    ingest.add_argument(
        "--prefix", default="zwgk", help="Redis key prefix, as ZWGK_REDIS_PREFIX (default: zwgk)"
    )
    ingest.add_argument(
        "--drain", action="store_true", help="exit once the queue is empty (benchmarks, catch-up)"
    )


def _add_serve(sub) -> None:
    serve = sub.add_parser("serve", help="serve the archive with Datasette")
    serve.add_argument("--db", **DB_OPTION)
    serve.add_argument("--port", type=checks.port, default=8001, help="port (default: 8001)")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")


def _add_search(sub) -> None:
    from zwgk.search import positive_int

    search = sub.add_parser(
        "search",
        help="full-text search of the archive from the terminal",
        description="Notices whose title, body or purchaser/supplier names contain every term "
        "(docs/search.md), most relevant first.",
    )
    search.add_argument("query", help='terms, e.g. 预算编制 or "2024年 预算"')
    search.add_argument("--db", **DB_OPTION)
    search.add_argument(
        "--limit", type=positive_int, default=20, help="notices shown (default: 20)"
    )


def _add_extract(sub) -> None:
    extract = sub.add_parser("extract", help="print the record extracted from a saved page")
    extract.add_argument("file", help="saved HTML page")
    extract.add_argument(
        "--url",
        type=checks.page_url,
        help="the page's http(s) URL (resolves links; default: file:// URL)",
    )
    extract.add_argument(
        "--encoding", type=checks.encoding, help="charset from the HTTP header, if known"
    )
    extract.add_argument("--site", help="site name to record (default: the URL's host)")
    extract.add_argument("--html", action="store_true", help="include the sanitized body_html")
    extract.add_argument(
        "--explain",
        action="store_true",
        help="print each field with where it was found (meta tag, label, selector, summary "
        "table, body section …) instead of the JSON record",
    )


def _add_verify(sub) -> None:
    verify = sub.add_parser(
        "verify",
        help="check the archive: every notice whole, every version's WARC record and digests",
        description="Check that everything the archive says it holds is there: SQLite's "
        "integrity check, foreign keys, each notice's current version and attachment rows, "
        "versions 1..N, procurement rows, runs without a finish reason, and for every version "
        "its WARC record (the file, offset and length it names, the record id, the payload's "
        "and the body's sha256; reads every record once). Notices found incomplete are "
        "refetched by the next `zwgk crawl` of their site. Exit 0: all checks pass; 1: "
        "something is missing or damaged.",
    )
    verify.add_argument("--db", **DB_OPTION)
    verify.add_argument(
        "--deep",
        action="store_true",
        help="also extract every WARC record again and compare the fields with the stored "
        "version (the crawl's own extractor; slower)",
    )


def _add_status(sub) -> None:
    status = sub.add_parser(
        "status",
        help="each site's crawl health: last runs, failures, monitors, blocked",
        description="Per site: blocked or not, the last run (new, changed, gone, failed), the "
        "last successful run, the last run's failures by reason and the monitors that failed "
        "in it, and the notices archived per run over the last 20 runs (as /-/status shows "
        "them). Exit 0: every site healthy; 1: a site is blocked or its last run's monitors "
        "failed (or no archive).",
    )
    status.add_argument("--db", **DB_OPTION)


def _add_check(sub) -> None:
    from zwgk.check import verdicts

    check = sub.add_parser(
        "check",
        help="check the archive against statutory disclosure deadlines",
        description="Judge every rule of the catalog (pipeline/compliance/rules.yml, "
        "docs/rules.md) against the archive: one verdict per rule and subject (on_time, late, "
        "missing, not_yet_due, undeterminable) with its evidence, stored in the table "
        "compliance_findings (served at /-/compliance). Working days follow the official "
        "calendar (docs/working-days.md). Exit 0; 1 when --fail-on names a verdict found; "
        "2 on a usage error.",
        epilog="examples:\n"
        "  zwgk check                                summary; findings stored in archive.db\n"
        "  zwgk check --as-of 2025-12-31             as the archive stood on that day\n"
        "  zwgk check --format json > findings.json  docs/compliance-findings.schema.json\n"
        "  zwgk check --format csv -o findings.csv   one row per finding\n"
        "  zwgk check --fail-on late,missing         for cron and CI: exit 1 on a breach",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument("--db", **DB_OPTION)
    check.add_argument(
        "--as-of",
        type=checks.iso_date,
        metavar="YYYY-MM-DD",
        help="judge as of this day: later publications do not exist yet (default: today)",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="text summary (default), or the findings as JSON or CSV on stdout (the summary "
        "then goes to stderr)",
    )
    check.add_argument("-o", "--output", metavar="FILE", help="write the JSON or CSV here")
    check.add_argument(
        "--fail-on",
        type=verdicts,
        default=(),
        metavar="VERDICTS",
        help="comma-separated verdicts that make the exit code 1, e.g. late,missing",
    )
    check.add_argument(
        "--rules", metavar="FILE", help="a rule catalog (default: the bundled rules.yml)"
    )
    check.add_argument(
        "--holidays",
        metavar="FILE",
        help="a holiday file for years the bundled calendar lacks (docs/working-days.md)",
    )


def main(argv: list[str] | None = None) -> int:
    """Run one verb; exit codes: 0 success, 1 failure, 2 usage error, 3 archive locked by
    another crawl, 130 interrupted."""
    argv = sys.argv[1:] if argv is None else argv
    prog = f"zwgk {argv[0]}" if argv[:1] and argv[0] in VERBS else "zwgk"
    try:
        return dispatch(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`zwgk extract … | head`): stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except UsageError as exc:
        return fail(prog, f"error: {exc}", 2)
    except ArchiveLocked as exc:
        return fail(prog, str(exc), EXIT_LOCKED)
    except Exception as exc:
        if os.environ.get("ZWGK_DEBUG", "0") not in ("", "0"):
            raise
        return fail(prog, f"error: {describe(exc)} ({DEBUG_HINT})", 1)


def dispatch(argv: list[str]) -> int:
    if argv[:1] == ["replica"]:
        from replica.__main__ import main as replica_main

        return replica_main(argv[1:]) or 0
    args = build_parser().parse_args(argv)
    handler = {
        "demo": cmd_demo,
        "crawl": cmd_crawl,
        "ingest": cmd_ingest,
        "serve": cmd_serve,
        "search": cmd_search,
        "extract": cmd_extract,
        "verify": cmd_verify,
        "check": cmd_check,
        "status": cmd_status,
    }
    return handler[args.verb](args)


def fail(prog: str, message: str, code: int = 1) -> int:
    """Print ``PROG: MESSAGE`` on stderr; return ``code``."""
    print(f"{prog}: {message}", file=sys.stderr)
    return code


def describe(exc: BaseException) -> str:
    """``Type: first line of the message``."""
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.extract import extract_page

    path = Path(args.file)
    try:
        body = path.read_bytes()
    except OSError as exc:
        return fail("zwgk extract", f"cannot read {path}: {exc.strerror}")
    problem = checks.page_problem(body)
    if problem:
        return fail("zwgk extract", f"{path}: {problem}")
    url = args.url or path.resolve().as_uri()
    record = extract_page(body, url, encoding=args.encoding, site=args.site)
    if args.explain:
        print(explain(record, html=args.html))
        return 0
    data = record.to_dict()
    if not args.html:
        data.pop("body_html", None)
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def explain(record, *, html: bool = False, width: int = 60) -> str:
    """One line per field: name, value (shortened), source; procurement fields indented."""
    lines = []
    for name, entry in record.explained().items():
        if name == "body_html" and not html:
            continue
        value = entry["value"]
        if isinstance(value, dict) and all(isinstance(v, dict) for v in value.values()):
            lines.append(f"{name}:")
            lines += [_explained_line(f"  {k}", v, width) for k, v in value.items()]
        else:
            lines.append(_explained_line(name, entry, width))
    return "\n".join(lines)


def _explained_line(name: str, entry: dict, width: int) -> str:
    shown, used = "", 0
    for char in json.dumps(entry["value"], ensure_ascii=False):
        cells = 2 if unicodedata.east_asian_width(char) in "WF" else 1
        if used + cells > width - 1:
            shown, used = shown + "…", used + 1
            break
        shown, used = shown + char, used + cells
    return f"{name:<22} {shown}{' ' * (width - used)}  {entry['source'] or '-'}"


def cmd_crawl(args: argparse.Namespace) -> int:
    from zwgk.crawl import EXIT_MONITOR_FAILED, crawl_targets, describe_targets, run_crawl

    if args.list:
        print("\n".join(describe_targets()))
        return 0
    unknown = set(args.spiders) - set(crawl_targets())
    if unknown:
        raise UsageError(f"unknown spider(s): {', '.join(sorted(unknown))}")
    if args.all_profiles:
        if args.spiders:
            raise UsageError("--all-profiles crawls every target: name no spider with it")
        from zwgk.crawl import all_profiles

        args.spiders = all_profiles()
    settings = crawl_settings(args)
    log_level = checks.log_level(settings.pop("LOG_LEVEL", args.log_level))
    if args.redis:
        return crawl_worker(args, log_level, settings)
    if args.replica:
        from replica.server import ReplicaServer

        with archive_lock(args.db), ReplicaServer(port=0) as server:  # no replica if locked
            results = run_crawl(args.spiders, args.db, server.base_url, log_level, **settings)
    else:
        results = run_crawl(args.spiders, args.db, args.replica_url, log_level, **settings)
    for result in results:
        print(result.summary())
    monitor_lines = [line for result in results for line in result.monitor_lines()]
    for line in monitor_lines:
        print(line)
    if any(result.failed for result in results):
        return 1
    return EXIT_MONITOR_FAILED if monitor_lines else 0


def crawl_settings(args: argparse.Namespace) -> dict[str, object]:
    """The ``-s`` settings, with --full, --since and --until applied and checked together."""
    settings: dict[str, object] = dict(args.set)
    if args.full:
        settings["ZWGK_INCREMENTAL"] = False
    if args.since:
        settings["ZWGK_SINCE"] = args.since.isoformat()
    if args.until:
        settings["ZWGK_UNTIL"] = args.until.isoformat()
    since, until = (settings.get(name) for name in ("ZWGK_SINCE", "ZWGK_UNTIL"))
    if since and until and dt.date.fromisoformat(str(until)) < dt.date.fromisoformat(str(since)):
        raise UsageError(f"until {until} is before since {since}: no notice is listed in both")
    if settings.get("ZWGK_TODAY") and not (args.replica or args.replica_url):
        raise UsageError("ZWGK_TODAY is for crawls of a replica (--replica or --replica-url)")
    return settings


def crawl_worker(args: argparse.Namespace, log_level: str, settings: dict) -> int:
    """``zwgk crawl --redis URL``: exit 0 when every target finished, else 1."""
    from zwgk.scale import run_worker

    if args.replica:
        raise UsageError("--replica starts a replica per process: give workers --replica-url")
    results = run_worker(args.spiders, args.redis, args.replica_url, log_level, **settings)
    for result in results:
        print(result.summary())
    return 0 if all(result.ok for result in results) else 1


def cmd_ingest(args: argparse.Namespace) -> int:
    from pipeline.queue import WriterBusy
    from zwgk.scale import EXIT_BUSY, run_ingest

    try:
        with archive_lock(args.db):
            applied = run_ingest(args.redis, args.db, args.prefix, drain=args.drain)
    except WriterBusy as exc:
        return fail("zwgk ingest", str(exc), EXIT_BUSY)
    print(f"zwgk ingest: {applied} messages stored in {args.db}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from zwgk.serve import serve

    problem = checks.archive_problem(args.db)
    if problem:
        return fail("zwgk serve", problem)
    return serve(args.db, args.port, args.host)


def cmd_search(args: argparse.Namespace) -> int:
    from zwgk.search import search

    problem = checks.archive_problem(args.db)
    if problem:
        return fail("zwgk search", problem)
    return search(args.db, args.query, args.limit)


def cmd_verify(args: argparse.Namespace) -> int:
    from pipeline.store.verify import damaged, verify

    problem = checks.archive_problem(args.db)
    if problem:
        return fail("zwgk verify", problem)
    checks_done = verify(args.db, deep=args.deep)
    for check in checks_done:
        print("\n".join(check.lines()))
    broken = damaged(checks_done)
    verdict = f"{len(broken)} of {len(checks_done)} checks failed" if broken else "archive whole"
    print(f"{args.db}: {verdict}")
    return 1 if broken else 0


def cmd_status(args: argparse.Namespace) -> int:
    from zwgk.status import status

    problem = checks.archive_problem(args.db)
    if problem:
        return fail("zwgk status", problem)
    return status(args.db)


def cmd_check(args: argparse.Namespace) -> int:
    from zwgk.check import run_check

    problem = checks.archive_problem(args.db)
    if problem:
        return fail("zwgk check", problem)
    return run_check(
        args.db,
        as_of=args.as_of or dt.date.today(),
        fmt=args.format,
        output=args.output,
        fail_on=args.fail_on,
        rules=args.rules,
        holidays=args.holidays,
    )


def cmd_demo(args: argparse.Namespace) -> int:
    from zwgk.demo import demo

    return demo(args.db, args.port, args.replica_port, serve_after=not args.no_serve)


if __name__ == "__main__":
    sys.exit(main())
