"""Dates: rollups into day/week/month buckets and comparison with the previous period."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Mapping
from dataclasses import replace
from datetime import date, timedelta

from scarf_tui.analytics.model import Bucket, Comparison, Rollup, growth_pct, previous_period
from scarf_tui.domain import AggregateRow

# ---------------------------------------------------------------------------------------------
# Dates: rollups and period comparison
# ---------------------------------------------------------------------------------------------


def bucket_start(day: date, unit: Rollup) -> date:
    if unit is Rollup.WEEK:
        return day - timedelta(days=day.weekday())
    if unit is Rollup.MONTH:
        return day.replace(day=1)
    return day


def bucket_end(start: date, unit: Rollup) -> date:
    if unit is Rollup.WEEK:
        return start + timedelta(days=7)
    if unit is Rollup.MONTH:
        return date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def rollup(
    totals: Mapping[date, int],
    uniques: Mapping[date, int],
    unit: Rollup | str = Rollup.DAY,
    start: date | None = None,
    end: date | None = None,
) -> list[Bucket]:
    """Buckets covering [start, end) (default: the days present), zero-filled, in date order.
    Days outside [start, end) are left out."""
    unit = Rollup(unit)
    if start is None or end is None:
        if not totals and not uniques:
            return []
        present = sorted({*totals, *uniques})
        start = start or present[0]
        end = end or present[-1] + timedelta(days=1)
    buckets: list[Bucket] = []
    cursor = start
    while cursor < end:
        b_start = bucket_start(cursor, unit)
        b_end = bucket_end(b_start, unit)
        stop = min(b_end, end)
        total = unique = 0
        day = cursor
        while day < stop:
            total += totals.get(day, 0)
            unique += uniques.get(day, 0)
            day += timedelta(days=1)
        buckets.append(Bucket(unit, b_start, b_end, total, unique, (stop - cursor).days))
        cursor = stop
    return buckets


def period_uniques(rows: Iterable[AggregateRow], unit: Rollup | str, package: str | None = None) -> dict[date, int]:
    """Bucket start -> the uniques of the server's rollup rows (breakdown total) of that bucket,
    added over packages (exact for one package), only ``package``'s when given."""
    unit = Rollup(unit)
    out: dict[date, int] = {}
    for row in rows:
        if row.breakdown == "total" and row.unique_total is not None and package in (None, row.package):
            start = bucket_start(row.date, unit)
            out[start] = out.get(start, 0) + row.unique_total
    return out


async def period_uniques_async(
    rows: AsyncIterable[AggregateRow], unit: Rollup | str, package: str | None = None
) -> dict[date, int]:
    return period_uniques([row async for row in rows], unit, package)


def with_period_uniques(buckets: Iterable[Bucket], counted: Mapping[date, int]) -> list[Bucket]:
    """The buckets with the server's count of uniques over each (0 where it sent none)."""
    return [replace(b, period_uniques=counted.get(b.start, 0)) for b in buckets]


def compare_periods(daily_totals: Mapping[date, int], start: date, end: date) -> Comparison:
    prev_start, prev_end = previous_period(start, end)
    current = previous = prev_days = 0
    for day, n in daily_totals.items():
        if start <= day < end:
            current += n
        elif prev_start <= day < prev_end:
            previous += n
            prev_days += 1
    return Comparison(start, end, current, previous, growth_pct(current, previous), prev_days)
