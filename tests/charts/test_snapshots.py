"""SVG snapshots of the charts pane over the demo server's deterministic data, today fixed at
2026-11-20 (tests/conftest.py FIXED_TODAY): the series and every breakdown at 80x24 and 120x40.

Regenerate with --snapshot-update, look at the SVGs, then run again without it."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from scarf_tui.analytics import BREAKDOWNS
from scarf_tui.demo import DEMO_TOKEN, NOEXPORT_TOKEN

from .host_app import ChartHostApp

VIEWS = [("0", "series"), *((str(i), name) for i, name in enumerate(BREAKDOWNS, 1))]


def view_keys(position: str) -> tuple[str, ...]:
    """The view picker's keys for the view at `position` (series 0, the breakdowns 1..7)."""
    return ("v", "home", *("down",) * int(position), "enter")
SIZES = [(80, 24), (120, 40)]


def pressing(*keys: str):
    async def run_before(pilot: Pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    return run_before


def host(demo_app, demo_store, token: str = DEMO_TOKEN, **kwargs) -> ChartHostApp:
    return ChartHostApp.over_demo(demo_app, token, today=demo_store.today, **kwargs)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("key,view", VIEWS, ids=[v for _, v in VIEWS])
def test_view(snap_compare, demo_app, demo_store, key, view, size):
    assert snap_compare(host(demo_app, demo_store), terminal_size=size, run_before=pressing(*view_keys(key)))


@pytest.mark.parametrize(
    "keys",
    [("u",), ("u", "u"), (*view_keys("3"), "l"), ("l",)],
    ids=["week", "month", "country-table", "series-table"],
)
def test_rollups_and_tables(snap_compare, demo_app, demo_store, keys):
    assert snap_compare(host(demo_app, demo_store), terminal_size=(80, 24), run_before=pressing(*keys))


def test_export_not_enabled(snap_compare, demo_app, demo_store):
    app = host(demo_app, demo_store, NOEXPORT_TOKEN, scope_kind="user", scope_name="visitor")
    assert snap_compare(app, terminal_size=(80, 24), run_before=pressing())


def test_custom_range_dialog(snap_compare, demo_app, demo_store):
    # R opens the range picker; the last entry ("custom…") opens the dialog.
    keys = ("R", "end", "enter")
    assert snap_compare(host(demo_app, demo_store), terminal_size=(80, 24), run_before=pressing(*keys))


def test_range_picker(snap_compare, demo_app, demo_store):
    assert snap_compare(host(demo_app, demo_store), terminal_size=(80, 24), run_before=pressing("R"))


def test_view_picker(snap_compare, demo_app, demo_store):
    assert snap_compare(host(demo_app, demo_store), terminal_size=(80, 24), run_before=pressing("v"))
