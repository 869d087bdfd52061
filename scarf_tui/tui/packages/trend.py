"""The package list's "30 days" cell: a sparkline on one logarithmic scale shared by every row,
and the 30-day total next to it, so two packages can be compared at a glance.

One scale (the largest bucket of any listed package is the full block) makes a big package tall
and a small one short; the logarithm keeps a package with a few downloads a day visibly above
the floor next to one with thousands. Any download at all shows above the lowest block, so "a
little" and "none" differ. A row whose owner could not be read says why, in a few words (the
status line says it in full).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from rich.text import Text

from scarf_tui.api.errors import (
    AuthError,
    ConnectionFailed,
    ExportNotEnabled,
    NotFound,
    RateLimited,
    RequestTimeout,
)

SPARK_CHARS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 6  # characters; each sums TREND_DAYS / SPARK_WIDTH days (5 of 30)
COUNT_WIDTH = 7  # "999,999", "12.3M"
CELL_WIDTH = SPARK_WIDTH + 1 + COUNT_WIDTH


def downsample(values: list[int], width: int) -> list[int]:
    """Sum consecutive runs so `values` fits `width` characters."""
    if len(values) <= width:
        return values
    step = -(-len(values) // width)
    return [sum(values[i : i + step]) for i in range(0, len(values), step)]


def log_level(value: float, top: float) -> int:
    """0..7: the block for `value` when `top` is the full block, on a log scale; any value
    above 0 is at least 1."""
    if value <= 0 or top <= 0:
        return 0
    last = len(SPARK_CHARS) - 1
    return max(1, min(last, round(math.log1p(value) / math.log1p(top) * last)))


def log_sparkline(values: Iterable[float], top: float) -> str:
    return "".join(SPARK_CHARS[log_level(v, top)] for v in values)


def count_text(n: int) -> str:
    """The 30-day total in at most COUNT_WIDTH characters: exact below a million."""
    if n < 1_000_000:
        return f"{n:,}"
    for size, suffix in ((1_000_000_000, "G"), (1_000_000, "M")):
        if n >= size:
            return f"{n / size:.1f}{suffix}"
    return f"{n:,}"  # unreachable: n >= 1,000,000 here


def trend_cells(series: dict[str, list[int]]) -> dict[str, tuple[Text, int]]:
    """Per key: (the cell, the 30-day total), every sparkline on the same scale."""
    buckets = {key: downsample(values, SPARK_WIDTH) for key, values in series.items()}
    top = max((max(b, default=0) for b in buckets.values()), default=0)
    cells: dict[str, tuple[Text, int]] = {}
    for key, values in series.items():
        total = sum(values)
        cell = Text(no_wrap=True)
        cell.append(log_sparkline(buckets[key], top).ljust(SPARK_WIDTH), style="green")
        cell.append(" " + count_text(total).rjust(COUNT_WIDTH))
        cells[key] = (cell, total)
    return cells


def unavailable_reason(err: Exception) -> str:
    """A few words for a cell whose trend could not be read."""
    if isinstance(err, ExportNotEnabled):
        return "no export"
    if isinstance(err, AuthError):
        return "no access"
    if isinstance(err, NotFound):
        return "not found"
    if isinstance(err, RateLimited):
        return "throttled"
    if isinstance(err, RequestTimeout | ConnectionFailed):
        return "no answer"
    return "error"


def unavailable_cell(err: Exception) -> Text:
    return Text(f"n/a: {unavailable_reason(err)}", style="dim")
