"""The spiders under Scrapyd, as docs/operations.md deploys them: a real Scrapyd on a free
loopback port in a temporary folder (deploy/scrapyd/scrapyd.conf with its folders and port moved
there), the egg built by deploy/scrapyd/build-egg and added with addversion.json, a spider
scheduled by running the line of deploy/scrapyd/zwgk-scrapyd.crontab with sh and curl (aimed at
this Scrapyd and a temporary archive, the replica's URL added as a setting), listjobs.json
polled until the job has finished, the archive compared with the replica's truth."""

from __future__ import annotations

import configparser
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest

from tests.cli.support import free_port, kill_group
from tests.integration.conftest import ROOT, get_json, running_replica

pytestmark = pytest.mark.integration
pytest.importorskip("scrapyd", reason="Scrapyd is not installed (pip install -e '.[test]')")
pytest.importorskip("scrapyd_client", reason="scrapyd-client is not installed (the test extra)")
if not shutil.which("curl"):
    pytest.skip(
        "curl is not installed: the crontab's schedule.json lines use it", allow_module_level=True
    )

DEPLOY = ROOT / "deploy" / "scrapyd"
SHIPPED_URL, SHIPPED_DB = "http://127.0.0.1:6800", "/var/lib/zwgk/archive.db"
START_TIMEOUT = 60
JOB_TIMEOUT = 300
SMALL = ("--scale", "40")
CITY = "4408"  # gdgpo's default region: 湛江 (tests/integration/test_gdgpo.py)


def scrapyd_config(folder: Path, port: int) -> Path:
    """deploy/scrapyd/scrapyd.conf with its port and folders moved into ``folder``."""
    config = configparser.ConfigParser(interpolation=None)
    config.read(DEPLOY / "scrapyd.conf", encoding="utf-8")
    section = config["scrapyd"]
    assert section["bind_address"] == "127.0.0.1"
    assert section["max_proc"] == "1", "scheduled crawls must queue, never overlap"
    section["http_port"] = str(port)
    for name in ("eggs_dir", "dbs_dir", "logs_dir"):
        section[name] = str(folder / name.removesuffix("_dir"))
    section["poll_interval"] = "0.5"
    path = folder / "scrapyd.conf"  # Scrapyd reads scrapyd.conf from its working folder
    with path.open("w", encoding="utf-8") as file:
        config.write(file)
    return path


@contextmanager
def running_scrapyd(folder: Path, env: dict[str, str]) -> Iterator[str]:
    """``python -m scrapyd`` in ``folder`` on a free loopback port; yields its base URL."""
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    scrapyd_config(folder, port)
    log = (folder / "scrapyd.out").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "scrapyd"],
        cwd=folder,
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if get_json(f"{url}/daemonstatus.json")["status"] == "ok":
                    break
            except OSError:
                pass
            assert proc.poll() is None, (folder / "scrapyd.out").read_text()[-3000:]
            assert time.monotonic() < deadline, "Scrapyd did not answer"
            time.sleep(0.2)
        yield url
    finally:
        kill_group(proc)  # Scrapyd and any crawl it started
        log.close()


def scrapyd_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    return {**env, **extra}


def build_egg(out: Path) -> Path:
    result = subprocess.run(
        [str(DEPLOY / "build-egg"), str(out)],
        cwd=ROOT,
        env=scrapyd_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def run_crontab_line(spider: str, base: str, db: Path, replica_url: str) -> str:
    """Run the shipped crontab's schedule.json line for ``spider`` with sh, aimed at this
    Scrapyd, archive and replica; return what cron would mail (its output)."""
    crontab = (DEPLOY / "zwgk-scrapyd.crontab").read_text(encoding="utf-8")
    lines = [line for line in crontab.splitlines() if f" -d spider={spider} " in line]
    assert len(lines) == 1, f"one crontab line schedules {spider}"
    command = lines[0].split(None, 5)[5]
    moves = {
        SHIPPED_URL: base,
        SHIPPED_DB: str(db),
        f"-d spider={spider} ": f"-d spider={spider} -d setting=ZWGK_REPLICA_URL={replica_url} ",
    }
    for shipped, here in moves.items():
        assert shipped in command
        command = command.replace(shipped, here)
    result = subprocess.run(
        ["/bin/sh", "-c", command], capture_output=True, text=True, timeout=60, check=False
    )
    return result.stdout + result.stderr


def job_of(base: str, spider: str) -> str:
    jobs = get_json(f"{base}/listjobs.json?project=zwgk")
    states = ("pending", "running", "finished")
    found = [j["id"] for state in states for j in jobs[state] if j["spider"] == spider]
    assert len(found) == 1, jobs
    return found[0]


def wait_finished(base: str, job: str) -> dict:
    deadline = time.monotonic() + JOB_TIMEOUT
    while True:
        jobs = get_json(f"{base}/listjobs.json?project=zwgk")
        finished = [j for j in jobs["finished"] if j["id"] == job]
        if finished:
            return finished[0]
        assert time.monotonic() < deadline, f"job {job} did not finish: {jobs}"
        time.sleep(0.5)


def deploy(base: str, egg: Path) -> dict:
    """Add the egg as docs/operations.md does: curl -F … addversion.json."""
    command = ["curl", "-sS", f"{base}/addversion.json", "-F", "project=zwgk", "-F", "version=1"]
    result = subprocess.run(
        [*command, "-F", f"egg=@{egg}"], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["status"] == "ok", answer
    return answer


def archived(db: Path, site: str) -> tuple[set[str], list[tuple]]:
    with closing(sqlite3.connect(db)) as conn:
        urls = {url for (url,) in conn.execute("select url from notices where site = ?", [site])}
        runs = conn.execute("select spider, finish_reason, error from crawl_runs").fetchall()
    return urls, runs


def checkout_files() -> set[str]:
    return {path.name for path in ROOT.iterdir()}


@pytest.fixture(scope="module")
def egg_build(tmp_path_factory) -> tuple[Path, set[str], set[str]]:
    """The egg, and the checkout's top-level files before and after building it."""
    before = checkout_files()
    return build_egg(tmp_path_factory.mktemp("egg") / "zwgk.egg"), before, checkout_files()


@pytest.fixture(scope="module")
def egg(egg_build) -> Path:
    return egg_build[0]


def test_the_egg_holds_the_project_and_its_settings(egg_build):
    egg, before, after = egg_build
    with zipfile.ZipFile(egg) as archive:
        names = set(archive.namelist())
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert {"crawler/settings.py", "crawler/spiders/__init__.py", "pipeline/writer.py"} <= names
    assert not any(name.endswith((".so", "_ctree.c")) for name in names)
    assert "settings = crawler.settings" in entry_points
    assert after == before, "building the egg must leave the checkout alone"


def test_scrapyd_runs_zjczj_from_the_egg_into_the_archive(tmp_path, egg):
    db = tmp_path / "archive.db"
    with (
        running_replica(*SMALL) as replica,
        running_scrapyd(tmp_path / "scrapyd", scrapyd_env()) as base,
    ):
        truth = {
            n["url"] for n in get_json(f"{replica}/__truth.json")["notices"] if n["site"] == "zjczj"
        }
        refused = run_crontab_line("zjczj", base, db, replica)  # nothing deployed yet
        assert '"status": "error"' in refused, "cron must mail a refused request"
        assert deploy(base, egg)["spiders"] >= 4
        assert "zjczj" in get_json(f"{base}/listspiders.json?project=zwgk")["spiders"]
        assert run_crontab_line("zjczj", base, db, replica) == "", "nothing to mail"
        job = wait_finished(base, job_of(base, "zjczj"))
    log = (tmp_path / "scrapyd" / "logs" / "zwgk" / "zjczj" / f"{job['id']}.log").read_text()
    urls, runs = archived(db, "zjczj")
    assert runs == [("zjczj", "finished", None)], log[-3000:]
    assert truth, "the replica publishes zjczj notices"
    assert urls == truth
    assert "Traceback" not in log


def test_with_the_checkout_on_scrapyds_path_every_spider_runs(tmp_path, egg):
    """deploy/scrapyd/scrapyd.service puts the checkout on PYTHONPATH: gdgpo, which reads
    pipeline/compliance/rules.yml from disk, then runs too."""
    db = tmp_path / "archive.db"
    env = scrapyd_env(PYTHONPATH=str(ROOT))
    with running_replica(*SMALL) as replica, running_scrapyd(tmp_path / "scrapyd", env) as base:
        truth = {
            n["url"]
            for n in get_json(f"{replica}/__truth.json")["notices"]
            if n["site"] == "gdgpo" and n["region_code"].startswith(CITY)
        }
        deploy(base, egg)
        assert run_crontab_line("gdgpo", base, db, replica) == ""
        job = wait_finished(base, job_of(base, "gdgpo"))
    log = (tmp_path / "scrapyd" / "logs" / "zwgk" / "gdgpo" / f"{job['id']}.log").read_text()
    urls, runs = archived(db, "gdgpo")
    assert runs == [("gdgpo", "finished", None)], log[-3000:]
    assert truth
    assert urls == truth
