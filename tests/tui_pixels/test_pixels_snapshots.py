"""SVG snapshots of the tracking pixels screen (API v2), its form, and API v1's sentence, at
80x24 and 120x40 over deterministic demo data. Regenerate with `--snapshot-update` after an
intended change, then re-run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from scarf_tui.demo.store import build_demo_store
from tests.pane_host import FIXED_TODAY
from tests.tui.helpers import make_app, press, settle

from .conftest import versioned_service

SIZES = [(80, 24), (120, 40)]


def _app(version: str = "v2"):  # noqa: ANN202
    return make_app(versioned_service(build_demo_store(today=FIXED_TODAY), version), close_service_on_exit=True)


def _open(kind: str, owner: str, *keys: str) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.nav.open_owner_screen(kind, owner)
        await settle(pilot)
        if keys:
            await press(pilot, *keys)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pixels_screen(snap_compare, size) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_open("pixels", "acme"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pixel_edit_form(snap_compare, size) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_open("pixels", "acme", "down", "e"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pixels_on_api_v1(snap_compare, size) -> None:
    assert snap_compare(_app("v1"), terminal_size=size, run_before=_open("pixels", "acme"))
