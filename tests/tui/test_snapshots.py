"""SVG snapshots of every browse screen at 80x24 and 120x40 over deterministic demo data
(fixed today). Regenerate with `--snapshot-update` after an intended change, then re-run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from scarf_tui.demo.store import build_demo_store

from .helpers import FIXED_TODAY, make_app, press, service_for, settle

SIZES = [(80, 24), (120, 40)]


async def _steady(pilot: Pilot) -> None:
    await settle(pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def _go(*keys: str) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        await press(pilot, *keys)
        await _steady(pilot)

    return run_before


def _open_org(name: str) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        pilot.app.nav.open_org(name)
        await _steady(pilot)

    return run_before


def _app(with_service: bool = True):  # noqa: ANN202
    if not with_service:
        return make_app(None, username=None)
    store = build_demo_store(today=FIXED_TODAY)
    return make_app(service_for(store), close_service_on_exit=True)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_packages_screen(snap_compare, size) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_go())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_package_screen(snap_compare, size) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_go("slash", *"widget-cli", "enter", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_package_permissions_tab(snap_compare, size) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_go("slash", *"widget-cli", "enter", "enter", "p"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_organizations_screen(snap_compare, size) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_go("colon", *"orgs", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_organization_screen(snap_compare, size) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_open_org("acme"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_screen(snap_compare, size) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_go("question_mark"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_command_bar(snap_compare, size) -> None:
    assert snap_compare(_app(), terminal_size=size, run_before=_go("colon", *"pkg wid"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_welcome_screen(snap_compare, size) -> None:
    assert snap_compare(_app(with_service=False), terminal_size=size, run_before=_go())
