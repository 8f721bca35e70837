"""YAML for the compliance files (the rule catalog, holiday files): dates stay text.

PyYAML turns ``2027-10-01`` into a date and fails on ``2027-02-30`` with a parser error; read as
text, a date is parsed by the reader that knows which rule or year it belongs to, so a bad one is
reported with that context.
"""

from __future__ import annotations

from typing import Any

import yaml


class DatesAsText(yaml.SafeLoader):
    """The safe loader, with timestamps left as the strings they are written as."""


DatesAsText.add_constructor("tag:yaml.org,2002:timestamp", DatesAsText.construct_yaml_str)


def load(text: str) -> Any:
    """``text`` as YAML (safe), dates as strings."""
    return yaml.load(text, Loader=DatesAsText)  # noqa: S506 (a SafeLoader)
