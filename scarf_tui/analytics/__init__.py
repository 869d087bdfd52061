"""Fold a stream of aggregate rows into series, rollups and breakdowns. Pure; no Textual, no I/O.

Two entry points build the same accumulators:

- `fold_ndjson` reads raw NDJSON (bytes, str, or an iterable of lines) and folds the parsed
  dicts directly, never building an `AggregateRow` per line: this is the fast path the
  benchmark in bench/bench_fold.py holds to <= 2x a bare `json.loads` per line (it parses with
  pydantic-core's `from_json`, which beats `json.loads` per line).
- `fold_rows` / `fold_rows_async` fold `AggregateRow` objects (what `ScarfService.org_aggregates`
  yields). `Folder` is the incremental form both use, for callers that show progress.

Two counting rules of the Scarf data are built into the shapes returned here:

- Uniques (`unique_total`, total breakdown only) are unique IPs per package per day. A week or a
  month of them folded here is only ever a *sum of daily uniques*; `Bucket.uniques_sum_of_days`
  and `uniques_label()` carry that name so nobody shows it as "unique visitors this month". Only
  the server can count a week's uniques (API v2 `rollup=weekly|monthly`): `period_uniques` reads
  those rows and `with_period_uniques` / `AggregateFold.period_uniques` put them on the buckets.
- One event can carry several template variables, so `variable` totals are grouped per variable
  name and never added across names: there is no "all variables" total anywhere in this module.
"""

from __future__ import annotations

from scarf_tui.analytics.aggregate_fold import AggregateFold, top_n
from scarf_tui.analytics.folding import Folder, fold_ndjson, fold_rows, fold_rows_async
from scarf_tui.analytics.model import (
    BREAKDOWNS,
    SERVER_ROLLUPS,
    AggregateParseError,
    Bucket,
    Comparison,
    Rollup,
    TopN,
    growth_pct,
    percent,
    uniques_label,
)
from scarf_tui.analytics.periods import (
    bucket_end,
    bucket_start,
    compare_periods,
    period_uniques,
    period_uniques_async,
    previous_period,
    rollup,
    with_period_uniques,
)
from scarf_tui.analytics.sparkline import SPARK_CHARS, last_n_days_by_package, sparkline

__all__ = [
    "BREAKDOWNS",
    "AggregateFold",
    "AggregateParseError",
    "Bucket",
    "Comparison",
    "Folder",
    "Rollup",
    "SERVER_ROLLUPS",
    "SPARK_CHARS",
    "TopN",
    "bucket_end",
    "bucket_start",
    "compare_periods",
    "fold_ndjson",
    "fold_rows",
    "fold_rows_async",
    "growth_pct",
    "percent",
    "period_uniques",
    "period_uniques_async",
    "last_n_days_by_package",
    "previous_period",
    "rollup",
    "sparkline",
    "with_period_uniques",
    "top_n",
    "uniques_label",
]
