"""Sparkline helpers for a package list column."""

from __future__ import annotations

from datetime import date

from scarf_tui.analytics import last_n_days_by_package, sparkline
from scarf_tui.domain import AggregateRow

D = date.fromisoformat


def test_last_n_days_by_package_is_oldest_first_and_zero_filled():
    end = D("2026-11-20")  # exclusive: the days are 11-16 .. 11-19
    rows = [
        AggregateRow("total", D("2026-11-16"), "a", 2),
        AggregateRow("total", D("2026-11-19"), "a", 5),
        AggregateRow("total", D("2026-11-19"), "a", 1),  # same day again: added
        AggregateRow("country", D("2026-11-18"), "a", 99, country="DE"),  # not a total row
        AggregateRow("total", D("2026-11-20"), "a", 50),  # on `end`: outside
        AggregateRow("total", D("2026-11-15"), "a", 50),  # before the window
        AggregateRow("total", D("2026-11-17"), "b", 3),
    ]
    assert last_n_days_by_package(rows, end, days=4) == {"a": [2, 0, 0, 6], "b": [0, 3, 0, 0]}


def test_sparkline_scales_to_the_largest_value():
    # 7 levels above the floor: v / 7 * 7 -> index v.
    assert sparkline([0, 1, 2, 3, 4, 5, 6, 7]) == "▁▂▃▄▅▆▇█"
    assert sparkline([10, 5, 0]) == "█▅▁"  # 5/10 * 7 = 3.5 -> rounds to 4 (▅)


def test_sparkline_edge_cases():
    assert sparkline([]) == ""
    assert sparkline([0, 0, 0]) == "▁▁▁"
    assert sparkline([3]) == "█"
