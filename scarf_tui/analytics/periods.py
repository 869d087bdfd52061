"""Dates: rollups into day/week/month buckets and comparison with the previous period."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from scarf_tui.analytics.model import Bucket, Comparison, Rollup, growth_pct, previous_period

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
