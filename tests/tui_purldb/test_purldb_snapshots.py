"""SVG snapshots of the PurlDB Details tab and the :purl screen at 80x24 and 120x40."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.containers import ScrollableContainer
from textual.pilot import Pilot

from tests.tui.helpers import settle
from tests.tui_pypicloud.helpers import sources_app

SIZES = [(80, 24), (120, 40)]


def _package_details(pilot: Pilot) -> None:
    pilot.app.nav.open_package("acme-sdk", "details")


def _then(action: Callable[[Pilot], None]) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        action(pilot)
        # The version list's first highlight starts the detail read only after the list has
        # painted: settle again until that second worker is done too (it raced on a busy machine).
        for _ in range(3):
            await settle(pilot)
            await pilot.pause(0.05)
        # Where a focused row scrolled the details to depends on when it was focused: the
        # picture is taken from the top, so it is the same on any machine.
        for scrollable in pilot.app.screen.query(ScrollableContainer):
            scrollable.scroll_home(animate=False)
        await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_details_tab_found(snap_compare, size) -> None:
    app = sources_app().app
    assert snap_compare(app, terminal_size=size, run_before=_then(_package_details))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_details_tab_not_enabled(snap_compare, size) -> None:
    app = sources_app(enabled_for=()).app
    assert snap_compare(app, terminal_size=size, run_before=_then(_package_details))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_purl_screen_not_found(snap_compare, size) -> None:
    app = sources_app().app
    command = _then(lambda p: p.app.nav.run_command("purl pkg:npm/foo@1.2.0"))
    assert snap_compare(app, terminal_size=size, run_before=command)
