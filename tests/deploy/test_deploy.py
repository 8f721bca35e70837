"""The shipped schedules (deploy/) are valid: systemd units that systemd-analyze accepts, cron
lines whose command is a valid ``zwgk`` invocation and whose shell plumbing reports a failed
crawl, and a failure handler that says why a crawl failed."""

from __future__ import annotations

import configparser
import os
import shlex
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from zwgk.cli import build_parser
from zwgk.lock import EXIT_LOCKED, archive_lock

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SYSTEMD = DEPLOY / "systemd"
CRONTAB = DEPLOY / "cron" / "zwgk.crontab"
UNITS = sorted(p for p in SYSTEMD.iterdir() if p.suffix in (".service", ".timer"))
UNITS += [DEPLOY / "scrapyd" / "scrapyd.service"]
#: Where the shipped files expect things: the checkout (with .venv), the archive's folder, logs.
CHECKOUT, DATA, LOGS = "/srv/zwgk-archive", "/var/lib/zwgk", "/var/log/zwgk"
ZWGK = Path(sys.executable).parent / "zwgk"
#: A loopback URL nothing listens on: a command under test never reaches a real site.
NOWHERE = "http://127.0.0.1:9"


def localize(text: str, data: Path, logs: Path | None = None) -> str:
    """The shipped paths moved to this checkout and to temporary folders."""
    text = text.replace(f"{CHECKOUT}/.venv/bin/", f"{ZWGK.parent}/").replace(CHECKOUT, str(ROOT))
    text = text.replace(DATA, str(data))
    return text.replace(LOGS, str(logs)) if logs else text


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


def zwgk_args(command: str) -> list[str]:
    """The arguments after the ``zwgk`` executable in a shell command, up to the first shell
    operator (redirection, ``||``, ``&&``, ``;``)."""
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words = list(lexer)
    start = next(i for i, w in enumerate(words) if w == "zwgk" or w.endswith("/zwgk"))
    args = []
    for word in words[start + 1 :]:
        if set(word) <= set("();<>|&") or word.isdigit():  # an operator, or 2 of 2>&1
            break
        args.append(word)
    return args


def cron_jobs(path: Path) -> list[tuple[list[str], str]]:
    """(five time fields, command) of each job line of a crontab."""
    jobs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#") or "=" in line.split()[0]:
            continue
        fields = line.split(None, 5)
        jobs.append((fields[:5], fields[5]))
    return jobs


# -- systemd ---------------------------------------------------------------------------------


def test_systemd_units_pass_systemd_analyze_verify(tmp_path):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed here: the units cannot be verified")
    if not ZWGK.exists():
        pytest.skip(f"{ZWGK} does not exist: ExecStart= would name a missing program")
    folder = tmp_path / "units"
    folder.mkdir()
    for path in UNITS:
        (folder / path.name).write_text(localize(path.read_text(), tmp_path), encoding="utf-8")
    # the failure handler as systemd instantiates it for zwgk-crawl.service
    instance = folder / "zwgk-crawl-failed@zwgk-crawl.service.service"
    shutil.copy(folder / "zwgk-crawl-failed@.service", instance)
    names = sorted(str(p) for p in folder.iterdir())
    result = subprocess.run(
        [analyze, "verify", *names], capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    ours = [line for line in result.stderr.splitlines() if str(folder) in line or "zwgk" in line]
    assert not ours, "systemd-analyze warned about the units:\n" + "\n".join(ours)


def test_every_crawl_service_reports_its_failure_and_every_timer_starts_a_shipped_service():
    services = {p.name for p in SYSTEMD.glob("*.service")}
    crawl_services = [p for p in SYSTEMD.glob("zwgk-crawl*.service") if "@" not in p.name]
    assert {p.name for p in crawl_services} == {"zwgk-crawl.service", "zwgk-crawl-full.service"}
    for path in crawl_services:
        on_failure = unit(path)["Unit"]["OnFailure"]
        assert on_failure == "zwgk-crawl-failed@%n.service"
        assert "zwgk-crawl-failed@.service" in services
    timers = sorted(SYSTEMD.glob("*.timer"))
    assert [p.name for p in timers] == ["zwgk-crawl-full.timer", "zwgk-crawl.timer"]
    for path in timers:
        timer = unit(path)
        assert timer["Timer"]["Unit"] in services
        assert timer["Install"]["WantedBy"] == "timers.target"
        assert timer["Timer"]["Persistent"] == "true"


def test_the_daily_and_weekly_timers_never_fall_on_the_same_day():
    daily = unit(SYSTEMD / "zwgk-crawl.timer")["Timer"]["OnCalendar"]
    weekly = unit(SYSTEMD / "zwgk-crawl-full.timer")["Timer"]["OnCalendar"]
    assert daily.startswith("Mon..Sat ")
    assert weekly.startswith("Sun ")


@pytest.mark.parametrize(("name", "full"), [("zwgk-crawl", False), ("zwgk-crawl-full", True)])
def test_exec_start_is_a_valid_zwgk_crawl(name, full, tmp_path):
    service = unit(SYSTEMD / f"{name}.service")["Service"]
    command = localize(service["ExecStart"], tmp_path)
    args = build_parser().parse_args(zwgk_args(command))  # exits 2 on a bad invocation
    assert args.verb == "crawl"
    assert args.full is full
    assert args.db == str(tmp_path / "archive.db")
    assert "flock" not in command, "zwgk crawl locks the archive itself"
    assert service["ReadWritePaths"] == DATA, "the lock file and the archive live there"


def test_the_failure_handler_mails_why_the_crawl_failed(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    mail = tmp_path / "mail.txt"
    fakes = {
        "sendmail": f'cat > "{mail}"',
        "systemctl": 'echo "systemctl $*"',
        "journalctl": 'echo "journalctl $*"; echo "zwgk crawl: another crawl holds archive.db"',
    }
    for name, body in fakes.items():
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (bin_dir / name).chmod(0o755)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "MAILTO": "archive-admin@example.org",
        "MONITOR_EXIT_STATUS": str(EXIT_LOCKED),
        "MONITOR_INVOCATION_ID": "0123abcd",
    }
    result = subprocess.run(
        [str(SYSTEMD / "zwgk-crawl-failed"), "zwgk-crawl.service"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    sent = mail.read_text(encoding="utf-8")
    head, _, body = sent.partition("\n\n")
    assert "To: archive-admin@example.org" in head.splitlines()
    subject = f"Subject: zwgk: zwgk-crawl.service failed on {socket.gethostname()}: exit 3, "
    assert subject + "another crawl holds the archive" in head
    assert "systemctl status --no-pager --full zwgk-crawl.service" in body
    assert "_SYSTEMD_INVOCATION_ID=0123abcd" in body
    assert "another crawl holds archive.db" in body
    assert "mailed to archive-admin@example.org" in result.stdout


def test_without_a_mailer_the_failure_handler_writes_to_the_journal(tmp_path):
    env = {"PATH": os.environ["PATH"], "MAILTO": "", "MONITOR_EXIT_STATUS": "1"}
    result = subprocess.run(
        [str(SYSTEMD / "zwgk-crawl-failed"), "zwgk-crawl-full.service"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith("zwgk: zwgk-crawl-full.service failed on ")
    assert "exit 1, the crawl ran but failed" in first


# -- cron ------------------------------------------------------------------------------------


def test_the_crontab_mails_and_logs():
    text = CRONTAB.read_text(encoding="utf-8")
    settings = [line for line in text.splitlines() if line.startswith("MAILTO=")]
    assert settings
    assert "@" in settings[0]
    for _, command in cron_jobs(CRONTAB):
        assert f">>{LOGS}/crawl.log 2>&1" in command
        assert "||" in command, "a failed crawl must print something, which cron mails"
        assert "%" not in command, "cron turns % into a newline"
        assert "flock" not in command, "zwgk crawl locks the archive itself"


def test_cron_commands_are_valid_zwgk_crawls(tmp_path):
    jobs = cron_jobs(CRONTAB)
    assert len(jobs) == 2
    fulls = []
    for when, command in jobs:
        args = build_parser().parse_args(zwgk_args(localize(command, tmp_path)))
        assert args.verb == "crawl"
        assert args.db == str(tmp_path / "archive.db")
        fulls.append((args.full, when[4]))
    assert sorted(fulls) == [(False, "1-6"), (True, "0")], "daily Monday-Saturday, full Sunday"


def test_a_cron_run_turned_away_by_the_lock_is_logged_and_mailed(tmp_path):
    """The crontab's first line run by sh while the archive is locked: the crawl's message goes
    to the log file, the line after ``||`` (what cron mails) names exit 3."""
    if not ZWGK.exists():
        pytest.skip(f"{ZWGK} does not exist")
    (tmp_path / "log").mkdir()
    _, command = cron_jobs(CRONTAB)[0]
    command = localize(command, tmp_path, tmp_path / "log")
    command = command.replace(" crawl ", f" crawl --replica-url {NOWHERE} ", 1)  # never a real site
    with archive_lock(tmp_path / "archive.db"):
        result = subprocess.run(
            ["/bin/sh", "-c", command], capture_output=True, text=True, timeout=120, check=False
        )
    assert result.returncode == 0, "the || line ran and succeeded"
    assert result.stdout.startswith(f"zwgk crawl exited {EXIT_LOCKED} on ")
    assert result.stderr == ""
    log = (tmp_path / "log" / "crawl.log").read_text(encoding="utf-8")
    assert f"another crawl holds {tmp_path / 'archive.db'} (pid {os.getpid()}" in log
