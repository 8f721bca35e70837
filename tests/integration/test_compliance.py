"""Compliance on the demo archive: `zwgk demo` crawls the replicas and runs the check; its
`compliance_findings` must equal the replica's expected findings exactly (the violations the
replica seeded, and every other verdict it can state from its own data). Then `zwgk check
--fail-on` as a script uses it, and three findings opened over HTTP in the served archive."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
import sqlite_utils

from replica import build_truth
from tests.integration.conftest import ROOT, free_port, running_datasette
from zwgk.demo import CITY_REGION, TARGETS

pytestmark = pytest.mark.integration
KEY = ("rule_id", "site", "subject_type", "subject")
JUDGED = ("verdict", "days_late", "due_date")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> tuple[Path, dict, str]:
    """(archive, truth, demo stdout) of `zwgk demo --no-serve` on a free replica port."""
    db = tmp_path_factory.mktemp("compliance") / "archive.db"
    port = free_port()
    command = [sys.executable, "-m", "zwgk", "demo", "--no-serve", "--db", str(db)]
    done = subprocess.run(
        [*command, "--replica-port", str(port)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return db, build_truth(f"http://127.0.0.1:{port}"), done.stdout


def expected(truth: dict) -> dict[tuple, dict]:
    """The truth's findings for what the demo crawls (its sites; 湛江's gdgpo projects)."""
    sites = {target.partition(":")[2] or target for target in TARGETS}
    return {
        tuple(f[k] for k in KEY): f
        for f in truth["expected_findings"]
        if f["site"] in sites and str(f.get("region_code") or CITY_REGION).startswith(CITY_REGION)
    }


def test_findings_equal_the_replicas_expected_findings(demo) -> None:
    db, truth, _ = demo
    rows = {
        tuple(r[k] for k in KEY): r
        for r in sqlite_utils.Database(db).query("select * from compliance_findings")
    }
    want = expected(truth)
    assert sorted(set(want) - set(rows))[:5] == [], "expected findings the check did not make"
    assert sorted(set(rows) - set(want))[:5] == [], "findings the replica does not expect"
    wrong = [
        (key, {k: rows[key][k] for k in JUDGED}, {k: want[key][k] for k in JUDGED})
        for key in sorted(want)
        if any(rows[key][k] != want[key][k] for k in JUDGED)
    ]
    assert wrong[:5] == []
    for key, finding in want.items():  # the evidence notice, where the truth names one
        if finding.get("url") and finding["verdict"] != "missing":
            assert rows[key]["url"] == finding["url"], key
    verdicts = Counter(f["verdict"] for f in want.values())
    assert verdicts["late"]
    assert verdicts["missing"]
    assert verdicts["on_time"]
    late_sites = {f["site"] for f in want.values() if f["verdict"] == "late"}
    assert late_sites == {target.partition(":")[2] or target for target in TARGETS}


def test_every_finding_names_its_basis_and_evidence(demo) -> None:
    db, _, stdout = demo
    rows = list(sqlite_utils.Database(db).query("select * from compliance_findings"))
    assert rows
    assert all(r["legal_basis"].startswith("《") and r["quote"] for r in rows)
    for row in rows:
        dates = json.loads(row["dates"])
        if row["subject_type"] == "column":  # a presence rule: its evidence is the count
            assert "item(s) archived" in row["explanation"]
            continue
        assert dates, row["id"]
        assert all(d["source"] for d in dates), row["id"]
        if row["verdict"] in ("on_time", "late"):
            assert row["url"], row["id"]
            assert row["capture"], row["id"]
            assert all(d["source"] != "unknown" for d in dates if d["field"] == "publish_date")
    counts = Counter(r["verdict"] for r in rows)
    summary = f"{counts['late']} late, {counts['missing']} missing"
    assert "compliance check as of" in stdout
    assert summary in stdout


def test_fail_on_missing_exits_1_on_the_demo_archive(demo) -> None:
    db, truth, _ = demo
    command = [sys.executable, "-m", "zwgk", "check", "--db", str(db)]
    command += ["--as-of", truth["compliance_as_of"], "--fail-on", "missing"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 1, done.stderr
    assert "missing (--fail-on missing)" in done.stderr
    ok = subprocess.run(
        [*command[:-2], "--fail-on", "not_yet_due", "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "docs" / "compliance-findings.schema.json").read_text())
    document = json.loads(ok.stdout)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["summary"]["total"] == len(document["findings"]) > 2000


def test_three_findings_open_over_http(demo) -> None:
    db, _, _ = demo
    database = sqlite_utils.Database(db)
    picks = [
        next(database.query(f"select * from compliance_findings where verdict = '{v}' limit 1"))
        for v in ("late", "missing", "on_time")
    ]
    with running_datasette(db) as url:
        for finding in picks:
            row_url = f"{url}/archive/compliance_findings/{finding['id']}"
            with urllib.request.urlopen(row_url + ".json?_shape=objects", timeout=30) as response:
                served = json.load(response)["rows"][0]
            assert served["legal_basis"] == finding["legal_basis"]
            assert served["verdict"] == finding["verdict"]
            assert json.loads(served["dates"]) == json.loads(finding["dates"])
            with urllib.request.urlopen(row_url, timeout=30) as response:
                page = response.read().decode()
            assert finding["legal_basis"] in page
            if finding["url"]:
                assert finding["url"] in page
            if finding["capture"]:
                raw = f"{url}/-/raw/{finding['capture']}"
                with urllib.request.urlopen(raw, timeout=30) as response:
                    assert response.status == 200
                    assert response.read()
        with urllib.request.urlopen(f"{url}/-/compliance", timeout=30) as response:
            page = response.read().decode()
        assert picks[0]["subject_label"] in page or picks[0]["rule_id"] in page
