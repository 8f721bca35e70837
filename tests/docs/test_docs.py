"""Every CLI verb, setting and table is documented."""

from __future__ import annotations

from pathlib import Path

import pytest

import crawler.settings
from pipeline.store.schema import TABLES
from zwgk.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CRAWLING = (ROOT / "docs" / "crawling.md").read_text(encoding="utf-8")
DICTIONARY = (ROOT / "docs" / "data-dictionary.md").read_text(encoding="utf-8")
VERBS = sorted(build_parser()._subparsers._group_actions[0].choices)
SETTINGS = sorted(name for name in dir(crawler.settings) if name.startswith("ZWGK_"))


def test_quick_start_has_exactly_two_commands():
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = section.split("```bash", 1)[1].split("```", 1)[0]
    commands = [line for line in block.splitlines() if line.strip()]
    assert [c.split("#")[0].strip() for c in commands] == ["make demo", "make test"]


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.parametrize("verb", VERBS)
def test_verb_in_readme(verb):
    assert f"zwgk {verb}" in README


@pytest.mark.parametrize("setting", SETTINGS)
def test_setting_documented(setting):
    assert f"`{setting}`" in CRAWLING


@pytest.mark.parametrize("table", sorted(TABLES))
def test_table_documented(table):
    assert f"`{table}`" in DICTIONARY


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_column_documented(table):
    columns, _ = TABLES[table]
    missing = [c for c in columns if f"`{c}`" not in DICTIONARY]
    assert not missing, f"{table}: undocumented columns {missing}"
