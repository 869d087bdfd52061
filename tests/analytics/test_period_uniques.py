"""Uniques the server counted over a week or month (API v2 rollups) on the fold's buckets, and
the labels that say which kind of uniques a column holds."""

from __future__ import annotations

from datetime import date, timedelta

from scarf_tui.analytics import Rollup, fold_rows, period_uniques, uniques_label, with_period_uniques
from scarf_tui.domain import AggregateRow

MONDAY = date(2026, 11, 2)


def total(day: date, package: str, n: int, uniques: int) -> AggregateRow:
    return AggregateRow(breakdown="total", date=day, package=package, total=n, unique_total=uniques)


def test_buckets_carry_the_servers_count_next_to_the_sum_of_days():
    # The same visitor three days running: 3 daily uniques, 1 weekly unique.
    daily = [total(MONDAY + timedelta(days=i), "p", 5, 1) for i in range(3)]
    fold = fold_rows(daily, start=MONDAY, end=MONDAY + timedelta(days=7))
    weekly = [total(MONDAY, "p", 15, 1)]
    assert fold.series(Rollup.WEEK)[0].uniques == 3  # folded from days: a sum
    assert not fold.counts_uniques(Rollup.WEEK)
    fold.period_uniques[Rollup.WEEK] = period_uniques(weekly, Rollup.WEEK)
    (week,) = fold.series(Rollup.WEEK)
    assert (week.total, week.uniques_sum_of_days, week.period_uniques, week.uniques) == (15, 3, 1, 1)
    assert fold.counts_uniques(Rollup.WEEK) and not fold.counts_uniques(Rollup.MONTH)
    assert fold.series(Rollup.DAY)[0].period_uniques is None


def test_period_uniques_key_by_bucket_start_filter_by_package_and_add_packages():
    rows = [
        total(MONDAY + timedelta(days=2), "a", 10, 4),  # a server that dates the week mid-week
        total(MONDAY, "b", 10, 6),
        AggregateRow(breakdown="country", date=MONDAY, package="a", total=10, country="NL"),
    ]
    assert period_uniques(rows, Rollup.WEEK) == {MONDAY: 10}
    assert period_uniques(rows, Rollup.WEEK, package="a") == {MONDAY: 4}
    assert period_uniques(rows, Rollup.MONTH) == {date(2026, 11, 1): 10}


def test_a_bucket_the_server_did_not_send_has_no_visitors():
    fold = fold_rows([], start=MONDAY, end=MONDAY + timedelta(days=14))
    buckets = with_period_uniques(fold.series(Rollup.WEEK), {MONDAY: 7})
    assert [b.uniques for b in buckets] == [7, 0]


def test_labels_say_whether_uniques_were_added_up():
    assert uniques_label(Rollup.WEEK) == "sum of daily uniques"
    assert uniques_label(Rollup.WEEK, counted=True) == "uniques"
    assert uniques_label(Rollup.MONTH, 5, counted=True) == "sum of package uniques"
    assert uniques_label(Rollup.DAY, 1) == "uniques"
