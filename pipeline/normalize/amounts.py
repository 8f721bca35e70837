"""Amounts in yuan and rates (contract stub; implementation pending)."""


def parse_amount(text: str | None, unit: str | None = None) -> float | None:
    raise NotImplementedError


def parse_rate(text: str | None) -> float | None:
    raise NotImplementedError
