"""Text normalization (contract stub; implementation pending)."""


def normalize_text(text: str | None) -> str | None:
    """One line of text, normalized. See module docs. Empty result -> None."""
    raise NotImplementedError
