"""Every bad input: a one-line error naming the problem, the contract's exit code, no traceback.

Exit codes (README): 1 the job ran but failed, 2 usage error. Crawls in this table must fail
validation; they also point at a loopback port nothing listens on, so nothing leaves the host.
"""

from __future__ import annotations

import socket
import sqlite3
from pathlib import Path

import pytest

from tests.cli.support import NOWHERE, free_port, zwgk
from zwgk import cli

CRAWL = ("crawl", "zjczj", "--replica-url", NOWHERE, "--log-level", "ERROR")
SERVE = ("serve", "--port", "{port}", "--db")
OK_DB = "{tmp}/ok.db"

# (id, arguments ({tmp}: the test's folder, {port}: a free port), exit code, words the message must contain)
CASES = [
    # --db
    ("db-missing-folder", (*CRAWL, "--db", "{tmp}/nope/a.db"), 2, ("--db", "does not exist")),
    ("db-text-file", (*CRAWL, "--db", "{tmp}/text.txt"), 2, ("--db", "not an SQLite database")),
    ("db-folder", (*CRAWL, "--db", "{tmp}/folder"), 2, ("--db", "folder")),
    ("db-empty-string", (*CRAWL, "--db", ""), 2, ("--db", "empty")),
    ("db-device", (*CRAWL, "--db", "/dev/null"), 2, ("--db", "not a regular file")),
    # -s NAME=VALUE
    ("set-no-equals", (*CRAWL, "--db", OK_DB, "-s", "FOO"), 2, ("-s", "NAME=VALUE")),
    ("set-no-name", (*CRAWL, "--db", OK_DB, "-s", "=5"), 2, ("-s", "setting name")),
    ("set-lower-name", (*CRAWL, "--db", OK_DB, "-s", "db=x"), 2, ("-s", "setting name")),
    ("set-float", (*CRAWL, "--db", OK_DB, "-s", "DOWNLOAD_TIMEOUT=abc"), 2, ("DOWNLOAD_TIMEOUT",)),
    ("set-int", (*CRAWL, "--db", OK_DB, "-s", "CONCURRENT_REQUESTS=2.5"), 2, ("integer",)),
    ("set-bool", (*CRAWL, "--db", OK_DB, "-s", "ROBOTSTXT_OBEY=maybe"), 2, ("ROBOTSTXT_OBEY",)),
    ("set-dict", (*CRAWL, "--db", OK_DB, "-s", "ITEM_PIPELINES=x"), 2, ("JSON object",)),
    ("set-since", (*CRAWL, "--db", OK_DB, "-s", "ZWGK_SINCE=yesterday"), 2, ("ZWGK_SINCE",)),
    ("set-zwgk-typo", (*CRAWL, "--db", OK_DB, "-s", "ZWGK_INCREMENTL=0"), 2, ("ZWGK_INCREMENTAL",)),
    ("set-db", (*CRAWL, "--db", OK_DB, "-s", "ZWGK_DB=x.db"), 2, ("ZWGK_DB", "--db")),
    ("set-fixed", (*CRAWL, "--db", OK_DB, "-s", "LOG_FORMAT=%(message)s"), 2, ("LOG_FORMAT",)),
    ("set-log-level", (*CRAWL, "--db", OK_DB, "-s", "LOG_LEVEL=LOUD"), 2, ("LOUD",)),
    # other crawl options
    ("log-level", (*CRAWL, "--db", OK_DB, "--log-level", "FOO"), 2, ("--log-level", "FOO")),
    ("since", (*CRAWL, "--db", OK_DB, "--since", "2024-13-01"), 2, ("--since", "YYYY-MM-DD")),
    ("spider", ("crawl", "nospider", "--db", OK_DB), 2, ("unknown spider", "nospider")),
    ("url-no-scheme", ("crawl", "--db", OK_DB, "--replica-url", "notaurl"), 2, ("notaurl",)),
    ("url-no-host", ("crawl", "--db", OK_DB, "--replica-url", "http://"), 2, ("host",)),
    ("url-ftp", ("crawl", "--db", OK_DB, "--replica-url", "ftp://127.0.0.1:9"), 2, ("http",)),
    ("url-port", ("crawl", "--db", OK_DB, "--replica-url", "http://127.0.0.1:99999"), 2, ("port",)),
    # serve
    ("serve-text-file", (*SERVE, "{tmp}/text.txt"), 2, ("not an SQLite database",)),
    ("serve-folder", (*SERVE, "{tmp}/folder"), 2, ("--db", "folder")),
    ("serve-missing", (*SERVE, "{tmp}/none.db"), 1, ("no archive",)),
    ("serve-empty-file", (*SERVE, "{tmp}/empty.db"), 1, ("no archive", "empty")),
    ("serve-port-range", ("serve", "--db", OK_DB, "--port", "70000"), 2, ("--port", "70000")),
    ("serve-port-text", ("serve", "--db", OK_DB, "--port", "abc"), 2, ("--port", "abc")),
    # demo (--no-serve: it must fail before starting anything)
    ("demo-db", ("demo", "--db", "{tmp}/nope/a.db", "--no-serve"), 2, ("does not exist",)),
    ("demo-port", ("demo", "--db", OK_DB, "--port", "0"), 2, ("--port",)),
    ("demo-replica-port", ("demo", "--db", OK_DB, "--replica-port", "70000"), 2, ("70000",)),
    # extract
    ("extract-empty", ("extract", "{tmp}/empty.html"), 1, ("empty",)),
    ("extract-binary", ("extract", "{tmp}/binary.html"), 1, ("binary",)),
    ("extract-pdf", ("extract", "{tmp}/doc.pdf"), 1, ("PDF",)),
    ("extract-folder", ("extract", "{tmp}/folder"), 1, ("cannot read",)),
    ("extract-encoding", ("extract", "{tmp}/page.html", "--encoding", "nope"), 2, ("nope",)),
    ("extract-url", ("extract", "{tmp}/page.html", "--url", "notaurl"), 2, ("--url",)),
    # the command itself
    ("no-verb", (), 2, ("VERB",)),
    ("bad-verb", ("no-such-verb",), 2, ("no-such-verb",)),
]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "text.txt").write_text("not a database\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    (tmp_path / "empty.db").touch()
    (tmp_path / "empty.html").write_bytes(b"  \n")
    (tmp_path / "binary.html").write_bytes(bytes(range(256)) * 8)
    (tmp_path / "doc.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n")
    (tmp_path / "page.html").write_text("<html><title>t</title><p>x</p></html>", encoding="utf-8")
    sqlite3.connect(tmp_path / "ok.db").execute("create table t (x)").connection.close()
    return tmp_path


def verb_of(args: tuple[str, ...]) -> str:
    return f"zwgk {args[0]}" if args and not args[0].startswith("no-such") else "zwgk"


def assert_one_line_error(result, code: int, prefix: str, words: tuple[str, ...]) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(prefix + ":"), lines[0]
    for word in words:
        assert word in lines[0]
    assert result.returncode == code, result.stderr


@pytest.mark.parametrize(
    ("args", "code", "words"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_bad_input_is_one_line_and_exit_code(files, args, code, words):
    port = free_port()
    result = zwgk(*(arg.format(tmp=files, port=port) for arg in args), timeout=30)
    assert_one_line_error(result, code, verb_of(args), words)


def test_serve_on_a_busy_port_is_exit_1(files):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        result = zwgk("serve", "--db", str(files / "ok.db"), "--port", port)
    assert_one_line_error(result, 1, "zwgk serve", ("port", port))


def test_demo_checks_the_datasette_port_before_crawling(files):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        replica_port = str(free_port())
        result = zwgk("demo", "--db", str(files / "a.db"), "--port", port,
                      "--replica-port", replica_port)  # fmt: skip
    assert_one_line_error(result, 1, "zwgk demo", ("port", port))
    assert not (files / "a.db").exists()


def test_replica_errors_go_through_the_last_resort_handler():
    result = zwgk("replica", "--port", "70000")
    assert_one_line_error(result, 1, "zwgk replica", ("error", "ZWGK_DEBUG"))


def test_zwgk_debug_shows_the_traceback():
    result = zwgk("replica", "--port", "70000", env={"ZWGK_DEBUG": "1"})
    assert result.returncode == 1
    assert "Traceback" in result.stderr


def boom(args):
    raise RuntimeError("the disk caught fire\nsecond line")


def interrupted(args):
    raise KeyboardInterrupt


def test_unexpected_error_is_one_line_exit_1(monkeypatch, capsys, files):
    monkeypatch.setattr(cli, "cmd_extract", boom)
    monkeypatch.delenv("ZWGK_DEBUG", raising=False)
    assert cli.main(["extract", str(files / "page.html")]) == 1
    err = capsys.readouterr().err
    assert err == (
        "zwgk extract: error: RuntimeError: the disk caught fire "
        "(run with ZWGK_DEBUG=1 for the traceback)\n"
    )


def test_zwgk_debug_reraises(monkeypatch, files):
    monkeypatch.setattr(cli, "cmd_extract", boom)
    monkeypatch.setenv("ZWGK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="fire"):
        cli.main(["extract", str(files / "page.html")])


def test_keyboard_interrupt_is_exit_130_quietly(monkeypatch, capsys, files):
    monkeypatch.setattr(cli, "cmd_extract", interrupted)
    assert cli.main(["extract", str(files / "page.html")]) == 130
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize(
    "setting",
    [
        "DOWNLOAD_TIMEOUT=10.5",
        "CONCURRENT_REQUESTS=4",
        "ROBOTSTXT_OBEY=0",
        "ZWGK_WRITER_PROCESS=false",
        "ZWGK_SINCE=2024-01-31",
        "ZWGK_WRITER_CHECK_INTERVAL=0.5",
        "LOG_LEVEL=debug",
        "ITEM_PIPELINES={}",
        "USER_AGENT=a=b",
        "MY_EXTENSION_OPTION=anything",
    ],
)
def test_good_settings_pass(setting):
    args = cli.build_parser().parse_args(["crawl", "-s", setting])
    assert args.set == [tuple(setting.split("=", 1))]


@pytest.mark.parametrize("name", ["new.db", "empty.db", "ok.db"])
def test_good_archive_paths_pass(files, name):
    db = str(files / name)
    assert cli.build_parser().parse_args(["crawl", "--db", db]).db == db
