"""The period comparison view (key `c`): the two periods' numbers come from the demo's own row
generator (conftest.server_rows), never from the pane; growth as analytics.growth_pct words it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from scarf_tui.analytics import previous_period
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.tui.charts.comparison import PeriodRow, compare_labels, growth_text
from scarf_tui.tui.charts.range_dialog import preset_range
from scarf_tui.tui.common.virtual_table import VirtualTable
from scarf_tui.tui.themes import OUR_THEMES, THEME_16, THEME_NO_COLOR

from .conftest import server_rows, settle
from .host_app import ChartHostApp
from .test_pane import body, pane_of, text_of, view_keys


def _country_totals(rows: list[dict]) -> Counter:
    totals: Counter = Counter()
    for r in rows:
        if r["breakdown"] == "country":
            totals[r.get("country") or "unknown"] += r["total"]
    return totals


def _total(rows: list[dict]) -> int:
    return sum(r["total"] for r in rows if r["breakdown"] == "total")


def _growth(now: int, before: int) -> str:
    if not before:
        return "new" if now else "–"
    return f"{100 * (now - before) / before:+.1f}%"


def _rows(app) -> list[list[str]]:
    table = app.query_one("#charts-table", VirtualTable)
    return [[str(cell) for cell in table.row_cells(i)] for i in range(table.row_count)]


async def test_c_shows_both_periods_side_by_side_with_the_servers_numbers(chart_app, demo_store):
    rng = preset_range("30d", demo_store.today)
    prev_start, prev_end = previous_period(rng.start, rng.end)
    packages = demo_store.org_packages("acme")
    now_rows = server_rows(demo_store, packages, rng.start, rng.end)
    before_rows = server_rows(demo_store, packages, prev_start, prev_end)
    now_total, before_total = _total(now_rows), _total(before_rows)
    assert now_total and before_total
    app = chart_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert body(app) == "charts-table"
        subheader = text_of(app, "#charts-subheader")
        assert subheader == (
            f"Period comparison · 30 days each · now {rng.start:%m-%d}–{rng.end - timedelta(days=1):%m-%d} "
            f"vs prev {prev_start:%m-%d}–{prev_end - timedelta(days=1):%m-%d}"
        )
        cells = _rows(app)
        assert cells[0] == ["all downloads", f"{before_total:,}", f"{now_total:,}", _growth(now_total, before_total)]
        # The series view lists every breakdown; each heading is followed by its labels.
        headings = [row[0] for row in cells if row[1:] == ["", "", ""]]
        assert "country" in headings and "company" in headings

        # Choosing a breakdown compares that breakdown only, ten labels and "other".
        await pilot.press(*view_keys("country"))
        await settle(pilot)
        now, before = _country_totals(now_rows), _country_totals(before_rows)
        labels = sorted(set(now) | set(before), key=lambda k: (-now[k], -before[k], k))
        cells = _rows(app)
        assert cells[1] == ["country", "", "", ""]
        expected = [[f"  {k}", f"{before[k]:,}", f"{now[k]:,}", _growth(now[k], before[k])] for k in labels[:10]]
        assert cells[2 : 2 + len(expected)] == expected
        if len(labels) > 10:
            rest = labels[10:]
            assert cells[-1][0] == f"  other ({len(rest)})"
            assert cells[-1][2] == f"{sum(now[k] for k in rest):,}"

        # `c` again goes back to the chart of that view.
        await pilot.press("c")
        await settle(pilot)
        assert body(app) == "charts-bars"
        assert not pane_of(app).comparing


def test_labels_missing_in_one_period_show_as_new_or_gone() -> None:
    rows = compare_labels({"a": 5, "b": 2}, {"b": 4, "c": 3}, 10)
    assert rows == [PeriodRow("a", 5, 0), PeriodRow("b", 2, 4), PeriodRow("c", 0, 3)]  # ranked by now, then before
    assert [growth_text(r) for r in rows] == ["new", "-50.0%", "-100.0%"]
    assert compare_labels({"a": 5, "b": 2}, {"b": 4, "c": 3}, 1)[1:] == [PeriodRow("other (2)", 2, 7)]
    assert growth_text(PeriodRow("z")) == "–"


def test_snapshot_comparison_at_80x24(snap_compare, demo_app, demo_store) -> None:
    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("c")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    app = ChartHostApp.over_demo(demo_app, DEMO_TOKEN, today=demo_store.today)
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("theme", [THEME_16, THEME_NO_COLOR])
def test_snapshot_series_in_16_colours_and_no_color(snap_compare, demo_app, demo_store, theme) -> None:
    """The header and summary in the terminal's own colours (never red), the two series told apart
    by their glyphs (the legend too), the footer keys not red."""
    app = ChartHostApp.over_demo(demo_app, DEMO_TOKEN, today=demo_store.today)
    for registered in OUR_THEMES:
        app.register_theme(registered)
    app.theme = theme

    async def run_before(pilot) -> None:  # noqa: ANN001
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
