"""Serve the archive with Datasette, configured from publish/, in this process.

Datasette (uvicorn) runs in the foreground of ``zwgk serve``: SIGINT or SIGTERM stops the
server and the process exits, leaving nothing listening on the port.
"""

from __future__ import annotations

import signal
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from publish.config import serve_args, write_metadata


def serve(db: str, port: int = 8001, host: str = "127.0.0.1") -> int:
    """Run Datasette until Ctrl-C or SIGTERM; returns the exit code (0 when stopped so)."""
    problem = listen_problem(host, port)
    if problem:
        print(f"zwgk serve: {problem}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="zwgk-serve-") as tmp, signals_interrupt():
        metadata = write_metadata(db, Path(tmp) / "metadata.json")
        print(f"serving {db} at http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
        return run_datasette(serve_args(db, port, host, str(metadata)))


def run_datasette(args: list[str]) -> int:
    """``datasette ARGS`` in this process; its errors as one line on stderr."""
    import click
    from datasette.cli import cli

    try:
        result = cli.main(args=args, prog_name="datasette", standalone_mode=False)
    except (KeyboardInterrupt, click.exceptions.Abort):
        return 0
    except click.ClickException as exc:
        print(f"zwgk serve: error: {exc.format_message()}", file=sys.stderr)
        return exc.exit_code
    except SystemExit as exc:  # uvicorn exits 1 when it cannot start
        return exc.code if isinstance(exc.code, int) else 1
    return result if isinstance(result, int) else 0


def listen_problem(host: str, port: int) -> str | None:
    """Why a server could not listen on ``host``:``port`` (in use, unknown host), or None."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        with socket.socket(family, kind, proto) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does
            sock.bind(address)
    except OSError as exc:
        return f"cannot listen on {host} port {port}: {exc.strerror or exc}"
    return None


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """SIGINT and SIGTERM raise KeyboardInterrupt meanwhile (uvicorn re-raises them after its
    graceful shutdown); the previous handlers are restored afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    handled = (signal.SIGINT, signal.SIGTERM)
    previous = {sig: signal.signal(sig, signal.default_int_handler) for sig in handled}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
