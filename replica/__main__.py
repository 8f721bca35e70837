"""``python -m replica``: serve the replica sites until Ctrl-C, or print their truth (--truth)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import signal
import sys

from replica.faults import ATTACHMENT_FAULTS, BREAKAGES, FAULTS, parse
from replica.server import ReplicaServer, build_truth


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m replica", description="Serve the deterministic replica sites."
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface (default: 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8800, help="port; 0 picks a free one (default: 8800)"
    )
    parser.add_argument(
        "--scale",
        type=int,
        help="about N bureau notices, the procurement site grown by N/445 (default: 445)",
    )
    parser.add_argument(
        "--as-of", type=dt.date.fromisoformat, help="hide notices published after YYYY-MM-DD"
    )
    parser.add_argument(
        "--edits",
        type=share,
        default=0.0,
        metavar="SHARE",
        help="edit this share of the notices of the bureau and the site group in place, 1-5 "
        "days after publication, e.g. 0.05 (shown once --as-of reaches the day; "
        "replica/edits.py; default: none)",
    )
    parser.add_argument(
        "--history",
        type=share,
        default=0.0,
        metavar="SHARE",
        help="give this share of the bureau's notices a history: edited (title, body or an "
        "attachment replaced), withdrawn (404/410, off the lists), some restored, on dated "
        "events up to years after publication, e.g. 0.3 (served as of --as-of; the truth "
        "carries status, gone_since and versions; replica/history.py; not with --edits)",
    )
    parser.add_argument(
        "--faults",
        default="",
        help=f"comma-separated page faults: {','.join(FAULTS)} or all; and breakages of the "
        f"bureau, named one by one: {','.join(BREAKAGES)} (waf-412 after ZWGK_REPLICA_WAF_AFTER "
        "requests, default 40); and "
        f"{','.join(ATTACHMENT_FAULTS)}: one bureau notice links hostile names, broken links, "
        "a 2 MB file and a zip bomb (replica/attachment_cases.py)",
    )
    parser.add_argument("--seed", type=int, default=2006, help="data seed (default: 2006)")
    parser.add_argument(
        "--truth", action="store_true", help="print the ground truth as JSON and exit"
    )
    return parser


def share(text: str) -> float:
    """A share of the notices: a number above 0 and at most 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{text} is not a share above 0 and at most 1")
    return value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        faults = parse(args.faults)
    except ValueError as exc:
        print(f"replica: {exc}", file=sys.stderr)
        return 2
    options = {"scale": args.scale, "as_of": args.as_of, "faults": faults, "seed": args.seed}
    options["edits"] = args.edits
    if args.edits and args.history:
        print(
            "replica: --edits and --history are exclusive (a history has its own edits)",
            file=sys.stderr,
        )
        return 2
    options["history"] = args.history
    if args.truth:
        base = f"http://{args.host}:{args.port}"
        json.dump(build_truth(base, **options), sys.stdout, ensure_ascii=False, indent=1)
        print()
        return 0
    server = ReplicaServer(args.host, args.port, **options).start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    for site in server.sites:  # one line per site, the bureau first
        print(f"replica serving {server.site_base(site.name)} ({len(site.notices)} notices)")
    sys.stdout.flush()
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
