"""Datasette configuration for the archive: metadata, plugins, templates, settings."""

from __future__ import annotations

import copy
import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).parent
PLUGINS_DIR = HERE / "plugins"
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
SETTINGS = {
    "suggest_facets": "off",
    "truncate_cells_html": "240",
    "default_page_size": "50",
    "facet_time_limit_ms": "1000",
    "default_facet_size": "8",  # "…" links to the whole list; 30 values push the rows off screen
}


@cache
def _base_metadata() -> dict[str, Any]:
    return yaml.safe_load((HERE / "metadata.yml").read_text(encoding="utf-8"))


def metadata_for(db_path: str | Path) -> dict[str, Any]:
    """The metadata with its database section keyed by the served file's name."""
    metadata = copy.deepcopy(_base_metadata())
    databases = metadata.get("databases", {})
    databases[Path(db_path).stem] = databases.pop("archive")
    return metadata


def serve_args(db_path: str, port: int, host: str, metadata_file: str) -> list[str]:
    """Arguments for ``datasette serve`` over the archive."""
    args = [
        "serve",
        db_path,
        "--metadata",
        metadata_file,
        "--plugins-dir",
        str(PLUGINS_DIR),
        "--template-dir",
        str(TEMPLATES_DIR),
        "--static",
        f"zwgk-static:{STATIC_DIR}",
        "--host",
        host,
        "--port",
        str(port),
    ]
    for key, value in SETTINGS.items():
        args += ["--setting", key, value]
    return args


def write_metadata(db_path: str, target: Path) -> Path:
    target.write_text(json.dumps(metadata_for(db_path), ensure_ascii=False), encoding="utf-8")
    return target


def make_datasette(db_path: str):
    """An in-process Datasette configured exactly as ``zwgk serve`` runs it (for tests)."""
    from datasette.app import Datasette

    settings = {k: (int(v) if v.isdigit() else v == "on") for k, v in SETTINGS.items()}
    return Datasette(
        [db_path],
        metadata=metadata_for(db_path),
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        static_mounts=[("zwgk-static", str(STATIC_DIR))],
        settings=settings,
    )
