"""文号 normalization (contract stub; implementation pending)."""


def normalize_doc_number(text: str | None) -> str | None:
    raise NotImplementedError


def find_doc_number(text: str | None) -> str | None:
    raise NotImplementedError
