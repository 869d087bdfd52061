"""SVG snapshots of the access matrix at 80x24 (acme, as opened) and 120x40 (tinytools after a
bulk change the server half refused: one cell applied, one still marked, its sentence listed).
Regenerate with `--snapshot-update` after a deliberate change, read the SVGs, then re-run."""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from scarf_tui.demo.store import build_demo_store
from tests.tui.helpers import FIXED_TODAY, make_app, press, service_for, settle


def _app():  # noqa: ANN202
    return make_app(service_for(build_demo_store(today=FIXED_TODAY)), close_service_on_exit=True)


async def _steady(pilot: Pilot) -> None:
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    pilot.app.clear_notifications()  # toasts expire on their own clock
    await pilot.pause()


def test_matrix_80x24(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await press(pilot, "colon", *"matrix acme", "enter", "l", "j", "j")
        await _steady(pilot)

    assert snap_compare(_app(), terminal_size=(80, 24), run_before=run_before)


def test_matrix_after_a_partly_refused_bulk_change_120x40(snap_compare) -> None:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await press(pilot, "colon", *"matrix tinytools", "enter")
        await press(pilot, "u", *"edsger", "enter", "slash", *"tiny-json", "enter", "space")
        await press(pilot, "slash", "ctrl+u", *"tinyhttp", "enter", "space", "a", "y")
        await _steady(pilot)

    assert snap_compare(_app(), terminal_size=(120, 40), run_before=run_before)
