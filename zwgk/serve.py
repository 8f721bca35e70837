"""Serve the archive with Datasette, configured from publish/."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from publish.config import serve_args, write_metadata


def serve(db: str, port: int = 8001, host: str = "127.0.0.1") -> int:
    """Run Datasette in the foreground until interrupted; returns its exit code."""
    with tempfile.TemporaryDirectory(prefix="zwgk-serve-") as tmp:
        metadata = write_metadata(db, Path(tmp) / "metadata.json")
        command = [sys.executable, "-m", "datasette", *serve_args(db, port, host, str(metadata))]
        print(f"serving {db} at http://{host}:{port}/  (Ctrl-C to stop)", flush=True)
        try:
            return subprocess.call(command)
        except KeyboardInterrupt:
            return 0
