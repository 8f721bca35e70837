"""Chinese date parsing (contract stub; implementation pending)."""

import datetime as dt


def parse_date(text: str | None) -> dt.date | None:
    raise NotImplementedError


def parse_datetime(text: str | None) -> tuple[dt.date | None, str | None]:
    raise NotImplementedError
