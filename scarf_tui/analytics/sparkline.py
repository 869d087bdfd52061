"""Sparklines for the package list's download column."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from scarf_tui.domain import AggregateRow

# ---------------------------------------------------------------------------------------------
# Sparklines for a package list column
# ---------------------------------------------------------------------------------------------

SPARK_CHARS = "▁▂▃▄▅▆▇█"


def last_n_days_by_package(
    rows: Iterable[AggregateRow], end: date, days: int = 30
) -> dict[str, list[int]]:
    """Daily totals of the `days` days before `end` (exclusive), per package uuid, oldest first.
    Only `total` breakdown rows count; missing days are 0."""
    first = end - timedelta(days=days)
    out: dict[str, list[int]] = {}
    for row in rows:
        if row.breakdown != "total" or not (first <= row.date < end):
            continue
        series = out.get(row.package)
        if series is None:
            series = out[row.package] = [0] * days
        series[(row.date - first).days] += row.total
    return out


def sparkline(values: Iterable[int | float]) -> str:
    """One block character per value, scaled to the largest value; zero is the lowest block."""
    vals = list(values)
    if not vals:
        return ""
    top = max(vals)
    if top <= 0:
        return SPARK_CHARS[0] * len(vals)
    last = len(SPARK_CHARS) - 1
    return "".join(SPARK_CHARS[max(0, min(last, round(v / top * last)))] for v in vals)
