"""Pure normalizers for Chinese government text: text, dates, 文号, amounts.

Every function takes raw text and returns a normalized value or ``None``; none guesses.
"""

from pipeline.normalize.amounts import (
    amounts_disagree,
    parse_amount,
    parse_amount_range,
    parse_rate,
)
from pipeline.normalize.dates import (
    date_from_unix,
    parse_date,
    parse_date_iso,
    parse_datetime,
    parse_year_month,
)
from pipeline.normalize.docnumber import find_doc_number, normalize_doc_number
from pipeline.normalize.text import fold_width, normalize_text

__all__ = [
    "amounts_disagree",
    "date_from_unix",
    "find_doc_number",
    "fold_width",
    "normalize_doc_number",
    "normalize_text",
    "parse_amount",
    "parse_amount_range",
    "parse_date",
    "parse_date_iso",
    "parse_datetime",
    "parse_rate",
    "parse_year_month",
]
