"""Replay a small crawl's WARC files in pywb, once, and check what it serves (not a test, not CI).

    python -m bench.pywb_replay --pywb-bin PATH/TO/pywb-env/bin [--scale 60] [--checks 25]

pywb pins its own dependencies: install it in a virtualenv of its own
(``python3 -m venv pywb-env && pywb-env/bin/pip install pywb``) and name its ``bin`` folder.

Starts the replica, crawls it with ``zwgk crawl zjczj`` into a temporary archive, runs
``warcio check`` and ``warcio index`` over the WARC files, then ``wb-manager init`` +
``wb-manager add`` (a collection of them) and ``wayback`` on a free loopback port, and fetches
``/<coll>/<time>id_/<url>`` (the capture as archived, unrewritten) for the first ``--checks``
stored versions: each must answer with the version's status and its exact body. Prints a JSON
summary; exit 1 when a check failed. Everything it started is stopped; nothing outside the
temporary folder is written.
"""

from __future__ import annotations

import argparse
import json
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

from bench.run import ROOT, start_replica
from pipeline.warc import Pointer, warc_dir
from pipeline.warc.files import timestamp14
from pipeline.warc.read import read_response

COLLECTION = "zwgk"


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def warcio(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    code = "import sys; from warcio.cli import main; sys.exit(main(sys.argv[1:]))"
    return run([sys.executable, "-c", code, *args], cwd)


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_ready(url: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            get(url)
            return True
        except OSError:
            time.sleep(0.5)
    return False


def crawl(folder: Path, scale: int) -> Path:
    db = folder / "archive.db"
    proc, url = start_replica(scale)
    try:
        command = [sys.executable, "-m", "zwgk", "crawl", "zjczj", "--replica-url", url]
        result = run([*command, "--db", str(db), "-s", "ZWGK_PROGRESS_INTERVAL=0"], ROOT)
        if result.returncode not in (0, 4):
            raise SystemExit(f"crawl failed: {result.stderr[-2000:]}")
    finally:
        proc.terminate()
        proc.wait()
    return db


def replay_checks(db: Path, base: str, checks: int) -> dict:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute(
            "select * from notice_versions order by id limit ?", [checks]
        ).fetchall()
    same, different, rewritten, statuses = 0, [], 0, {}
    for row in rows:
        stored = read_response(warc_dir(db), Pointer.of_row(row))
        capture = f"{base}/{COLLECTION}/{timestamp14(stored.date)}"
        status, body = get(f"{capture}id_/{stored.url}")
        if status == stored.status and body == stored.body:
            same += 1
        else:
            different.append({"version": row["id"], "status": status, "bytes": len(body)})
        status, _ = get(f"{capture}/{stored.url}")  # replay mode: links rewritten, banner
        rewritten += status == 200
        statuses[status] = statuses.get(status, 0) + 1
    return {
        "versions_checked": len(rows),
        "served_exactly": same,
        "different": different,
        "replayed_rewritten_200": rewritten,
        "replay_statuses": statuses,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pywb-bin", type=Path, required=True, help="folder with wb-manager")
    parser.add_argument("--scale", type=int, default=60)
    parser.add_argument("--checks", type=int, default=25)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = crawl(folder, args.scale)
        files = sorted(str(p) for p in warc_dir(db).glob("*.warc.gz"))
        check = warcio("check", *files, cwd=folder)
        index = warcio("index", *files, cwd=folder)
        out = {
            "warc_files": len(files),
            "warcio_check_exit": check.returncode,
            "warcio_index_records": len(index.stdout.splitlines()),
        }
        steps = [["init", COLLECTION], ["add", COLLECTION, *files]]
        for step in steps:
            done = run([str(args.pywb_bin / "wb-manager"), *step], folder)
            out[f"wb-manager {step[0]}_exit"] = done.returncode
            if done.returncode:
                out["error"] = done.stderr[-2000:]
                print(json.dumps(out, indent=1))
                return 1
        port = free_port()
        wayback = subprocess.Popen(
            [str(args.pywb_bin / "wayback"), "--port", str(port), "--bind", "127.0.0.1"],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            out["wayback_ready"] = wait_ready(base + "/")
            if out["wayback_ready"]:
                out |= replay_checks(db, base, args.checks)
        finally:
            wayback.terminate()
            wayback.wait(timeout=30)
    print(json.dumps(out, indent=1, ensure_ascii=False))
    ok = out.get("served_exactly") == out.get("versions_checked") and not check.returncode
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
