"""``zwgk check``: the rule catalog against the archive; a summary, JSON or CSV, an exit code.

The findings replace ``compliance_findings`` in the archive (served at ``/-/compliance``).
``--format json`` prints the document described by docs/compliance-findings.schema.json on
stdout (the summary then goes to stderr); ``--format csv`` prints one row per finding.
``--fail-on late,missing`` makes the exit code 1 when any finding has one of those verdicts.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from pipeline.compliance.findings import COLUMNS, VERDICTS

SCHEMA_ID = "https://github.com/zwgk-archive/zwgk-archive/docs/compliance-findings.schema.json"
SCHEMA_VERSION = 1
SHOWN = 10  # late and missing findings listed in the text summary


def verdicts(value: str) -> tuple[str, ...]:
    """``--fail-on`` value: comma-separated verdicts."""
    names = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in names if v not in VERDICTS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown verdict {', '.join(unknown) or value!r} (choose from {', '.join(VERDICTS)})"
        )
    return names


def run_check(
    db_path: str,
    *,
    as_of: dt.date,
    fmt: str = "text",
    output: str | None = None,
    fail_on: Iterable[str] = (),
    rules: str | None = None,
    holidays: str | None = None,
) -> int:
    """Check, store, report; 0, or 1 when a ``fail_on`` verdict was found."""
    from pipeline.compliance import checker
    from pipeline.compliance.calendar import WorkCalendar
    from pipeline.compliance.loading import load_rules
    from pipeline.store.schema import open_db

    catalog = load_rules(rules) if rules else load_rules()
    calendar = WorkCalendar.default()
    if holidays:
        calendar = calendar.with_file(holidays)
    db = open_db(db_path)
    result = checker.run(db, as_of=as_of, catalog=catalog, calendar=calendar)
    document = json_document(result, db_path, calendar, len(catalog.rules))
    summary_out = sys.stderr if fmt != "text" and not output else sys.stdout
    if fmt == "json":
        _write(json.dumps(document, ensure_ascii=False, indent=1) + "\n", output)
    elif fmt == "csv":
        _write(csv_text(result.rows), output)
    print_summary(result, db_path, summary_out)
    if output:
        print(f"wrote {len(result.rows)} findings to {output} ({fmt})", file=summary_out)
    failing = {v: n for v, n in result.by_verdict().items() if v in set(fail_on) and n}
    if failing:
        counts = ", ".join(f"{n} {v}" for v, n in failing.items())
        print(f"zwgk check: {counts} (--fail-on {','.join(fail_on)})", file=sys.stderr)
        return 1
    return 0


def json_document(result, db_path: str, calendar, rule_count: int) -> dict[str, Any]:
    """The ``--format json`` document (docs/compliance-findings.schema.json)."""
    rows = [{**row, "dates": json.loads(row["dates"] or "[]")} for row in result.rows]
    return {
        "$schema": SCHEMA_ID,
        "schema_version": SCHEMA_VERSION,
        "archive": str(Path(db_path).name),
        "as_of": result.as_of.isoformat(),
        "checked_at": result.checked_at,
        "calendar": {"years": f"{min(calendar.years)}–{max(calendar.years)}"},
        "rules": rule_count,
        "summary": {
            "total": len(rows),
            "by_verdict": {v: result.by_verdict().get(v, 0) for v in VERDICTS},
            "by_rule": {
                rule: {v: counts.get(v, 0) for v in VERDICTS}
                for rule, counts in sorted(result.by_rule().items())
            },
        },
        "warnings": result.warnings,
        "findings": rows,
    }


def csv_text(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def print_summary(result, db_path: str, out: TextIO) -> None:
    by_verdict = result.by_verdict()
    counts = ", ".join(f"{by_verdict.get(v, 0)} {v}" for v in VERDICTS)
    print(f"{db_path}: {len(result.rows)} findings as of {result.as_of}: {counts}", file=out)
    width = max((len(r) for r in result.by_rule()), default=5)
    print(f"  {'rule':<{width}}  " + "  ".join(f"{v:>14}" for v in VERDICTS), file=out)
    for rule, rule_counts in sorted(result.by_rule().items()):
        cells = "  ".join(f"{rule_counts.get(v, 0):>14}" for v in VERDICTS)
        print(f"  {rule:<{width}}  {cells}", file=out)
    bad = [r for r in result.rows if r["verdict"] in ("late", "missing")]
    if bad:
        print(f"late and missing (first {min(SHOWN, len(bad))} of {len(bad)}; "
              "all in compliance_findings, served at /-/compliance):", file=out)  # fmt: skip
        for row in sorted(bad, key=lambda r: (r["verdict"], -(r["days_late"] or 0)))[:SHOWN]:
            print(f"  {row['rule_id']} {row['site']} {row['subject_label'][:40]}: "
                  f"{row['explanation']}", file=out)  # fmt: skip
    for warning in result.warnings:
        print(f"warning: {warning}", file=out)


def _write(text: str, output: str | None) -> None:
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
