"""SVG snapshots of the pypicloud screens at 80x24 and 120x40 over the deterministic embedded
server. Regenerate with `--snapshot-update` after an intended change, then re-run."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from scarf_tui.tui.pypicloud.package_screen import PypicloudPackageScreen
from tests.tui.helpers import settle

from .helpers import sources_app

SIZES = [(80, 24), (120, 40)]


def _then(action: Callable[[Pilot], None]) -> Callable[[Pilot], Awaitable[None]]:
    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        action(pilot)
        await settle(pilot)
        for field in pilot.app.screen.query(Input):
            field.cursor_blink = False
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pypicloud_packages(snap_compare, size) -> None:
    app = sources_app().app
    assert snap_compare(app, terminal_size=size, run_before=_then(lambda p: p.app.nav.run_command("pypicloud")))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pypicloud_users(snap_compare, size) -> None:
    app = sources_app().app
    assert snap_compare(app, terminal_size=size, run_before=_then(lambda p: p.app.nav.run_command("pypicloud users")))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pypicloud_groups(snap_compare, size) -> None:
    app = sources_app().app
    assert snap_compare(app, terminal_size=size, run_before=_then(lambda p: p.app.nav.run_command("pypicloud groups")))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pypicloud_files(snap_compare, size) -> None:
    app = sources_app().app
    assert snap_compare(app, terminal_size=size, run_before=_then(lambda p: p.app.nav.run_command("pypicloud labkit")))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pypicloud_access(snap_compare, size) -> None:
    app = sources_app().app
    screen = lambda p: p.app.push_screen(PypicloudPackageScreen("acme-sdk", tab="pp-access"))  # noqa: E731
    assert snap_compare(app, terminal_size=size, run_before=_then(screen))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pypicloud_not_admin(snap_compare, size) -> None:
    app = sources_app(username="viewer", password="viewer").app
    assert snap_compare(app, terminal_size=size, run_before=_then(lambda p: p.app.nav.run_command("pypicloud users")))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_pypicloud_sign_in(snap_compare, size) -> None:
    app = sources_app(signed_in=False).app
    assert snap_compare(app, terminal_size=size, run_before=_then(lambda p: p.app.nav.run_command("pypicloud")))
