"""Date-range presets (end exclusive, from the app's today) and custom-range parsing."""

from __future__ import annotations

from datetime import date

import pytest

from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.tui.charts.bars import bar_text
from scarf_tui.tui.charts.pane import ChartPane
from scarf_tui.tui.charts.range_dialog import PRESETS, parse_range, preset_range

from .conftest import settle
from .host_app import ChartHostApp

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    "name,start,end",
    [
        ("7d", date(2026, 11, 13), TODAY),
        ("30d", date(2026, 10, 21), TODAY),
        ("90d", date(2026, 8, 22), TODAY),
        ("this quarter", date(2026, 10, 1), TODAY),
        ("last quarter", date(2026, 7, 1), date(2026, 10, 1)),
        ("12 months", date(2025, 11, 20), TODAY),
    ],
)
def test_presets(name, start, end):
    rng = preset_range(name, TODAY)
    assert (rng.start, rng.end, rng.name) == (start, end, name)


def test_quarters_across_a_year_end_and_leap_day():
    last_quarter = preset_range("last quarter", date(2026, 2, 3))
    assert (last_quarter.start, last_quarter.end) == (
        date(2025, 10, 1),
        date(2026, 1, 1),
    )
    assert preset_range("12 months", date(2028, 2, 29)).start == date(2027, 2, 28)
    assert preset_range("this quarter", date(2026, 10, 1)).days == 0


def test_every_preset_is_known():
    for name in PRESETS:
        assert preset_range(name, TODAY).days > 0
    with pytest.raises(ValueError):
        preset_range("fortnight", TODAY)


def test_parse_range():
    rng = parse_range(" 2026-11-01", "2026-11-08 ")
    assert (rng.start, rng.end, rng.days, rng.name) == (date(2026, 11, 1), date(2026, 11, 8), 7, "custom")
    assert rng.describe() == "custom 2026-11-01–2026-11-07"  # shows the last day, not the exclusive end
    with pytest.raises(ValueError, match="must be after the start date"):
        parse_range("2026-11-08", "2026-11-08")
    with pytest.raises(ValueError, match="start date '11/01/2026' is not a date in YYYY-MM-DD form"):
        parse_range("11/01/2026", "2026-11-08")


def test_bar_text_uses_eighth_blocks_and_stays_in_width():
    assert bar_text(2.5, 10) == "██▌"
    assert bar_text(0.125, 10) == "▏"
    assert bar_text(0, 10) == ""
    assert bar_text(12, 10) == "█" * 10


async def test_a_quarter_without_a_complete_day_says_so(demo_app):
    app = ChartHostApp.over_demo(demo_app, DEMO_TOKEN, today=date(2026, 10, 1))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.query_one(ChartPane)
        pane.set_range(preset_range("this quarter", app.session.today))
        await settle(pilot)
        assert pane.state == "empty"
        message = str(app.query_one("#charts-message").render())
        assert message == "No downloads in this quarter yet: it has no complete day."
