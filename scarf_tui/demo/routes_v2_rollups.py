"""Unique visitors over a weekly, monthly or yearly rollup, for the embedded server's v2 aggregates.

A period's uniques must be counted over the period, never added up from its days: a visitor
who comes back on Tuesday counts once in the week. The demo holds no visitor list, so each
package gets a deterministic one: its visitors are the ids 0..N-1 on a circle (N from the
package's popularity, above any day's unique count), and a day's visitors are the run of
``unique_total`` ids that starts at an offset seeded by (package, day). The day's rows keep the
v1 count (the run's length); a period's ``total_unique`` is the size of the union of its days'
runs, so it lies between the busiest day and the sum of the days, as real data does.
"""

from __future__ import annotations

import math
from datetime import date

from scarf_tui.demo.data import h64
from scarf_tui.demo.store import DemoStore

Run = tuple[int, int, int]  # (offset, length, population) on one package's circle of visitors


def population(store: DemoStore, uuid: str) -> int:
    """How many distinct visitors the package has: more than its busiest possible day
    (traffic.day_total peaks near 3.2 x popularity, uniques at 75 % of that)."""
    return math.ceil(4 * store.profile(uuid).popularity) + 1


def day_run(store: DemoStore, uuid: str, day: date, uniques: int) -> Run:
    size = population(store, uuid)
    return h64(uuid, day.isoformat(), "visitors") % size, min(uniques, size), size


def distinct_visitors(runs: list[Run]) -> int:
    """The number of ids covered by the runs (all on one circle): the union, not the sum."""
    if not runs:
        return 0
    size = runs[0][2]
    spans: list[tuple[int, int]] = []
    for offset, length, _ in runs:
        stop = offset + length
        if stop <= size:
            spans.append((offset, stop))
        else:  # wraps past the last id
            spans += [(offset, size), (0, stop - size)]
    spans.sort()
    covered, reach = 0, 0
    for start, stop in spans:
        start = max(start, reach)
        if stop > start:
            covered += stop - start
            reach = stop
    return covered


__all__ = ["day_run", "distinct_visitors", "population"]
