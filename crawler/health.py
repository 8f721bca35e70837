"""The checks a crawl monitor evaluates on a finished run (pure functions, no I/O).

Each takes the run's ``crawl_runs`` row (and the baseline: the last healthy run of the same
spider and site, see ``pipeline.store.monitors.baseline_run``) and returns
``pipeline.store.monitors.Result`` values, passed or not:

* ``empty_column``: a column (list) that served items in the baseline serves none now;
* ``field_nulls``: a watched field's null rate, per column and over the whole run, above
  ``max_null_rate`` or risen more than ``null_jump`` over the baseline's rate;
* ``error_rate``: failures over requests above ``max_error_rate``;
* ``blocked``: the spider was stopped after ``block_after`` blocking answers in a row.

Rates are judged over ``min_pages`` pages (requests) at least; fewer are not evaluated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pipeline.store.monitors import Result, loads

NO_COLUMN = "(none)"  # pages found in no list and without a category


@dataclass(frozen=True)
class Limits:
    """Thresholds, from the ``ZWGK_MONITOR_*`` and ``ZWGK_BLOCK_AFTER`` settings."""

    max_null_rate: float = 0.2
    null_jump: float = 0.1
    max_error_rate: float = 0.1
    min_pages: int = 10
    block_after: int = 20


def percent(rate: float) -> str:
    """``12.5%``, ``100%``."""
    return f"{100 * rate:.1f}".rstrip("0").rstrip(".") + "%"


# -- empty_column ----------------------------------------------------------------------------
def empty_columns(run: Mapping[str, Any], baseline: Mapping[str, Any] | None) -> list[Result]:
    """One result per column that served items in the baseline run."""
    if baseline is None:
        return []
    now, before = loads(run.get("listings")), loads(baseline.get("listings"))
    results = []
    for column in sorted(before):
        was = _served(before[column])
        if was <= 0:
            continue
        served = _served(now.get(column))
        if served > 0:
            message = f"listed {served} items ({was} in run {baseline['id']})"
        else:
            message = (
                f"listed no items; it listed {was} in run {baseline['id']}, the last healthy run"
            )
        results.append(Result("empty_column", served > 0, served, 1, message, column))
    return results


def _served(entry: Any) -> int:
    return int(entry.get("served") or 0) if isinstance(entry, Mapping) else 0


# -- field_nulls -----------------------------------------------------------------------------
Counts = dict[str, dict[str, tuple[int, int]]]  # column -> field -> (nulls, pages)


def column_counts(run: Mapping[str, Any] | None) -> Counts:
    """``crawl_runs.column_nulls`` as ``{column: {field: (nulls, pages)}}``."""
    counts: Counts = {}
    for column, fields in loads(run.get("column_nulls") if run else None).items():
        if isinstance(fields, Mapping):
            counts[column or NO_COLUMN] = {
                name: (int(pair[0]), int(pair[1]))
                for name, pair in fields.items()
                if isinstance(pair, list | tuple) and len(pair) == 2
            }
    return counts


def whole_run(counts: Counts) -> dict[str, tuple[int, int]]:
    """The per-column figures summed over the run."""
    total: dict[str, list[int]] = {}
    for fields in counts.values():
        for name, (nulls, pages) in fields.items():
            pair = total.setdefault(name, [0, 0])
            pair[0] += nulls
            pair[1] += pages
    return {name: (pair[0], pair[1]) for name, pair in total.items()}


def field_nulls(
    run: Mapping[str, Any], baseline: Mapping[str, Any] | None, limits: Limits
) -> list[Result]:
    """Null rates of the watched fields: over the whole run (column null), then per column."""
    now, before = column_counts(run), column_counts(baseline)
    base_id = baseline["id"] if baseline else None
    results = []
    previous_total = whole_run(before)
    for name, pair in sorted(whole_run(now).items()):
        result = _null_check(None, name, pair, previous_total.get(name), base_id, limits)
        if result is not None:
            results.append(result)
    for column in sorted(now):
        was = before.get(column, {})
        for name, pair in sorted(now[column].items()):
            result = _null_check(column, name, pair, was.get(name), base_id, limits)
            if result is not None:
                results.append(result)
    return results


def _null_check(
    column: str | None,
    name: str,
    pair: tuple[int, int],
    was: tuple[int, int] | None,
    base_id: int | None,
    limits: Limits,
) -> Result | None:
    nulls, pages = pair
    if pages < limits.min_pages:
        return None
    rate = nulls / pages
    seen = f"{name} null on {nulls} of {pages} pages ({percent(rate)})"
    if rate > limits.max_null_rate:
        message = f"{seen}; at most {percent(limits.max_null_rate)}"
        return Result("field_nulls", False, rate, limits.max_null_rate, message, column, name)
    if was is not None and was[1] >= limits.min_pages:
        base_rate = was[0] / was[1]
        limit = min(base_rate + limits.null_jump, limits.max_null_rate)
        if rate - base_rate > limits.null_jump + 1e-9:
            message = (
                f"{seen}, up from {percent(base_rate)} in run {base_id}; at most "
                f"{percent(limits.null_jump)} more"
            )
            return Result("field_nulls", False, rate, limit, message, column, name)
        return Result("field_nulls", True, rate, limit, seen, column, name)
    return Result("field_nulls", True, rate, limits.max_null_rate, seen, column, name)


# -- error_rate and blocked --------------------------------------------------------------------
def error_rate(run: Mapping[str, Any], attempts: int, limits: Limits) -> Result | None:
    """Failures over requests (answered, or failed without an answer)."""
    failed = run.get("failed") or 0
    if attempts < limits.min_pages:
        return None
    rate = failed / attempts
    message = f"{failed} of {attempts} requests failed ({percent(rate)})"
    passed = rate <= limits.max_error_rate
    if not passed:
        message += f"; at most {percent(limits.max_error_rate)}"
    return Result("error_rate", passed, rate, limits.max_error_rate, message)


def blocked(stopped: bool, streak: int, kinds: Mapping[str, int], limits: Limits) -> Result:
    """Whether the spider was stopped as blocked; ``streak`` is the longest run of blocking
    answers, ``kinds`` what they were (``HTTP 412``, ``challenge page``) with counts."""
    if stopped:
        seen = ", ".join(f"{kind} ×{count}" for kind, count in sorted(kinds.items()))
        message = (
            f"{streak} answers in a row were challenges or refusals ({seen}); the spider was "
            "stopped and the site marked blocked"
        )
    else:
        message = f"longest run of blocking answers: {streak} (the spider stops at "
        message += f"{limits.block_after})"
    return Result("blocked", not stopped, streak, limits.block_after, message)
