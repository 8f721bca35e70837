"""``python -m replica``: the serving line, the endpoints of the running process, ``--truth``."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.replica.conftest import bureau_only, fetch, get_json

ROOT = Path(__file__).resolve().parents[2]
READY = re.compile(r"^replica serving (http://127\.0\.0\.1:(\d+))/czj/ \((\d+) notices\)$")


def run_replica(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "replica", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_truth_flag_prints_the_truth_as_json():
    result = run_replica("--truth", "--port", "8123", "--scale", "200", "--faults", "http404")
    assert result.returncode == 0, result.stderr
    truth = bureau_only(json.loads(result.stdout))
    assert 150 <= len(truth["notices"]) <= 250
    assert truth["notices"][0]["url"].startswith("http://127.0.0.1:8123/czj/")
    assert sum(n["fault"] == "http404" for n in truth["notices"]) == 3
    assert truth["sites"][0]["name"] == "zjczj"


def test_truth_flag_honours_as_of():
    result = run_replica("--truth", "--as-of", "2008-12-31")
    dates = [n["publish_date"] for n in json.loads(result.stdout)["notices"]]
    assert dates
    assert max(dates) <= "2008-12-31"


def test_unknown_fault_is_a_usage_error():
    result = run_replica("--truth", "--faults", "gremlins")
    assert result.returncode == 2
    assert "unknown fault" in result.stderr


def test_serves_on_a_free_port_and_says_where():
    proc = subprocess.Popen(
        [sys.executable, "-m", "replica", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline().rstrip("\n")
        match = READY.match(line)
        assert match, line
        base, port, count = match.groups()
        assert int(port) > 0
        truth = bureau_only(get_json(base + "/__truth.json"))
        assert len(truth["notices"]) == int(count) >= 400
        assert fetch(base + "/czj/index.shtml")[0] == 200
        assert get_json(base + "/__stats.json")["requests"] == 1
    finally:
        proc.terminate()
        _, errors = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "Traceback" not in errors
