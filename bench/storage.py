"""Archive bytes per notice, by table and by column (not a test).

    python -m bench.storage archive.db

Tables from SQLite's ``dbstat`` (pages on disk, indexes and FTS shadow tables included); the
columns of ``notices`` and ``notice_versions`` by the bytes of their values (``length``), so the
figure says where a notice's bytes go and what is kept twice; the archive's WARC files (every
exchange of every crawl, ``archive/warc/``; attachments included) beside it, and the plain
attachment copies an archive made before 2026-12 also kept (``archive/files/``).
"""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from pathlib import Path

from pipeline.attachments.store import files_root
from pipeline.warc import warc_dir

COLUMNS = {
    "notices": ("body_text", "body_html", "title", "url"),
    "notice_versions": ("record_json", "context_json"),
}


def report(path: str) -> str:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        notices = conn.execute("select count(*) from notices").fetchone()[0] or 1
        total = conn.execute("select sum(pgsize) from dbstat").fetchone()[0]
        tables = conn.execute(
            "select name, sum(pgsize) from dbstat group by name order by 2 desc"
        ).fetchall()
        lines = [
            f"{path}: {notices:,} notices, {total / 1e6:.1f} MB, {total / notices / 1024:.1f} KB"
            " per notice",
            "",
            "| table or index | KB per notice |",
            "|---|---|",
        ]
        lines += [f"| {name} | {size / notices / 1024:.2f} |" for name, size in tables[:12]]
        warc = _bytes_under(warc_dir(path))
        lines += [
            f"| WARC files ({warc_dir(path).parent.name}/warc/) | {warc / notices / 1024:.2f} |"
        ]
        plain = _bytes_under(files_root(path))
        if plain:  # an archive made before attachments were kept in their WARC records only
            lines += [
                f"| attachments' plain copies (archive/files/) | {plain / notices / 1024:.2f} |"
            ]
        lines += ["", "| column | KB per notice (values) |", "|---|---|"]
        for table, columns in COLUMNS.items():
            for column in columns:
                query = f"select sum(length(cast({column} as blob))) from {table}"
                size = conn.execute(query).fetchone()[0] or 0
                lines.append(f"| {table}.{column} | {size / notices / 1024:.2f} |")
    return "\n".join(lines)


def _bytes_under(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


if __name__ == "__main__":
    print(report(sys.argv[1]))
