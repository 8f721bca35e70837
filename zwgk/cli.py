"""``zwgk``: the command line of zwgk-archive.

Exit codes: 0 success; 1 the job ran but failed (nothing archived, missing archive, crawl errors);
2 usage error.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

EPILOG = """examples:
  zwgk demo                         replica sites -> crawl -> archive.db -> Datasette on :8001
  zwgk crawl --replica              crawl the bundled replica into archive.db
  zwgk crawl zjczj --db bureau.db   crawl the real bureau site (polite, robots.txt obeyed)
  zwgk serve --port 8001            browse, search and facet archive.db
  zwgk extract page.html --url http://www.zjczj.gov.cn/xxgk/tzgg/200609/t20060907_1.shtml
  zwgk replica --port 8800          serve the replica sites alone
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="zwgk",
        description="Archive Chinese government disclosures: crawl, clean, store, publish.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for add in (_add_demo, _add_crawl, _add_serve, _add_extract):
        add(sub)
    replica = sub.add_parser("replica", help="serve the replica sites alone", add_help=False)
    replica.add_argument("args", nargs=argparse.REMAINDER)  # parsed by replica's own CLI
    return parser


def _add_demo(sub) -> None:
    demo = sub.add_parser("demo", help="replica sites -> crawl -> archive.db -> Datasette")
    demo.add_argument("--db", default="archive.db", help="archive path (default: archive.db)")
    demo.add_argument("--port", type=int, default=8001, help="Datasette port (default: 8001)")
    demo.add_argument(
        "--replica-port",
        type=int,
        default=8800,
        help="port of the replica sites (default: 8800; keep it fixed so re-runs update the "
        "same archive rows)",
    )
    demo.add_argument("--no-serve", action="store_true", help="stop after building the archive")


def _add_crawl(sub) -> None:
    crawl = sub.add_parser("crawl", help="crawl sites into the archive")
    crawl.add_argument("spiders", nargs="*", metavar="SPIDER", help="spider names (default: all)")
    crawl.add_argument("--db", default="archive.db", help="archive path (default: archive.db)")
    where = crawl.add_mutually_exclusive_group()
    where.add_argument(
        "--replica", action="store_true", help="start the bundled replicas for the run"
    )
    where.add_argument("--replica-url", help="crawl running replicas at this base URL")
    crawl.add_argument(
        "--full",
        action="store_true",
        help="walk every list page even if the archive holds the site (default: stop each column "
        "at the first list page with nothing new)",
    )
    crawl.add_argument(
        "--since",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="only notices listed on or after this date; stop each column's list there",
    )
    crawl.add_argument("--log-level", default="INFO", help="Scrapy log level (default: INFO)")
    crawl.add_argument(
        "-s",
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="override a Scrapy/ZWGK_* setting, e.g. -s DOWNLOAD_TIMEOUT=10",
    )
    crawl.add_argument("--list", action="store_true", help="list the spiders and exit")


def _add_serve(sub) -> None:
    serve = sub.add_parser("serve", help="serve the archive with Datasette")
    serve.add_argument("--db", default="archive.db", help="archive path (default: archive.db)")
    serve.add_argument("--port", type=int, default=8001, help="port (default: 8001)")
    serve.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")


def _add_extract(sub) -> None:
    extract = sub.add_parser("extract", help="print the record extracted from a saved page")
    extract.add_argument("file", help="saved HTML page")
    extract.add_argument("--url", help="the page's URL (resolves links; default: file:// URL)")
    extract.add_argument("--encoding", help="charset from the HTTP header, if known")
    extract.add_argument("--site", help="site name to record (default: the URL's host)")
    extract.add_argument("--html", action="store_true", help="include the sanitized body_html")


def _iso_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value!r}") from None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["replica"]:
        from replica.__main__ import main as replica_main

        return replica_main(argv[1:]) or 0
    args = build_parser().parse_args(argv)
    handler = {"demo": cmd_demo, "crawl": cmd_crawl, "serve": cmd_serve, "extract": cmd_extract}
    return handler[args.verb](args)


def cmd_extract(args: argparse.Namespace) -> int:
    from pipeline.extract import extract_page

    path = Path(args.file)
    try:
        body = path.read_bytes()
    except OSError as exc:
        print(f"zwgk extract: cannot read {path}: {exc.strerror}", file=sys.stderr)
        return 1
    url = args.url or path.resolve().as_uri()
    record = extract_page(body, url, encoding=args.encoding, site=args.site)
    if not args.html:
        record.pop("body_html", None)
    print(json.dumps(record, ensure_ascii=False, indent=2))
    return 0


def cmd_crawl(args: argparse.Namespace) -> int:
    from zwgk.crawl import run_crawl, spider_names

    if args.list:
        print("\n".join(spider_names()))
        return 0
    unknown = set(args.spiders) - set(spider_names())
    if unknown:
        print(f"zwgk crawl: unknown spider(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    settings = dict(item.split("=", 1) for item in args.set)
    if args.full:
        settings["ZWGK_INCREMENTAL"] = False
    if args.since:
        settings["ZWGK_SINCE"] = args.since.isoformat()
    if args.replica:
        from replica.server import ReplicaServer

        with ReplicaServer(port=0) as server:
            results = run_crawl(args.spiders, args.db, server.base_url, args.log_level, **settings)
    else:
        results = run_crawl(args.spiders, args.db, args.replica_url, args.log_level, **settings)
    for result in results:
        print(result.summary())
    return 0 if all(r.run and r.run.get("finish_reason") == "finished" for r in results) else 1


def cmd_serve(args: argparse.Namespace) -> int:
    from zwgk.serve import serve

    if not Path(args.db).exists():
        print(
            f"zwgk serve: no archive at {args.db}; run `zwgk demo` or `zwgk crawl` first",
            file=sys.stderr,
        )
        return 1
    return serve(args.db, args.port, args.host)


def cmd_demo(args: argparse.Namespace) -> int:
    from zwgk.demo import demo

    return demo(args.db, args.port, args.replica_port, serve_after=not args.no_serve)


if __name__ == "__main__":
    sys.exit(main())
