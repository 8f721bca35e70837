"""The command line: help, exit codes, extract output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from zwgk.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[2]
VERBS = ("demo", "crawl", "serve", "extract")


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "zwgk", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_top_level_help_lists_every_verb():
    result = run("--help")
    assert result.returncode == 0
    for verb in (*VERBS, "replica"):
        assert verb in result.stdout


@pytest.mark.parametrize("verb", VERBS)
def test_each_verb_has_help(verb, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([verb, "--help"])
    assert exit_info.value.code == 0
    assert "--" in capsys.readouterr().out


def test_replica_verb_has_help():
    result = run("replica", "--help")
    assert result.returncode == 0
    assert "--faults" in result.stdout


def test_usage_error_is_exit_2():
    assert run("no-such-verb").returncode == 2
    assert run("crawl", "no-such-spider").returncode == 2


def test_crawl_list_names_spiders():
    result = run("crawl", "--list")
    assert result.returncode == 0
    assert "zjczj" in result.stdout.split()


def test_serve_without_archive_is_exit_1(tmp_path):
    result = run("serve", "--db", str(tmp_path / "none.db"))
    assert result.returncode == 1
    assert "no archive" in result.stderr


def test_extract_unreadable_file_is_exit_1(tmp_path):
    result = run("extract", str(tmp_path / "missing.html"))
    assert result.returncode == 1
    assert "cannot read" in result.stderr


def test_extract_prints_the_contract_json(tmp_path, capsys):
    page = tmp_path / "p.html"
    page.write_text(
        "<html><head><title>关于做好预算编制工作的通知</title>"
        '<meta name="PubDate" content="2006-09-07 11:00"></head>'
        '<body><div class="TRS_Editor"><p>　　各县（市、区）财政局：</p></div></body></html>',
        encoding="utf-8",
    )
    assert main(["extract", str(page), "--url", "http://www.zjczj.gov.cn/a/t1.shtml"]) == 0
    record = json.loads(capsys.readouterr().out)
    # the DESIGN.md contract, spelled out here on purpose (not imported from the code under test)
    contract = {"url", "site", "kind", "category", "title", "publish_date", "publish_time",
                "publisher", "author", "doc_number", "index_number", "doc_date", "body_text",
                "attachments", "procurement"}  # fmt: skip
    assert contract <= set(record)
    assert record["publish_date"] == "2006-09-07"
    assert record["body_text"] == "各县（市、区）财政局："
    assert "body_html" not in record


def test_parser_defaults_follow_the_contract():
    args = build_parser().parse_args(["serve"])
    assert (args.db, args.port) == ("archive.db", 8001)


def test_since_must_be_a_date():
    result = run("crawl", "--since", "last week")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr


def test_until_must_be_a_date_on_or_after_since(tmp_path):
    result = run("crawl", "--until", "soon")
    assert result.returncode == 2
    assert "--until" in result.stderr
    db = str(tmp_path / "a.db")
    result = run("crawl", "--db", db, "--since", "2024-01-01", "--until", "2023-12-31")
    assert result.returncode == 2
    assert "until 2023-12-31 is before since 2024-01-01" in result.stderr
    assert not (tmp_path / "a.db").exists()  # refused before any crawl started


def test_crawl_help_explains_until_full_and_the_recheck_policy():
    result = run("crawl", "--help")
    assert result.returncode == 0
    for words in ("--until", "--full", "ZWGK_RECHECK", "7:1,30:7,365:30,*:180"):
        assert words in result.stdout


def test_a_simulated_day_only_with_a_replica(tmp_path):
    result = run("crawl", "--db", str(tmp_path / "a.db"), "-s", "ZWGK_TODAY=2026-05-22")
    assert result.returncode == 2
    assert "ZWGK_TODAY is for crawls of a replica" in result.stderr
    result = run("crawl", "-s", "ZWGK_RECHECK=7:1,30:7")
    assert result.returncode == 2
    assert "*:EVERY" in result.stderr
