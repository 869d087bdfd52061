"""Pilot: `--demo --demo-scale N` through the TUI's demo door: the servers start in the
background and the organization "atlas" lists N packages on both API versions."""

from __future__ import annotations

import contextlib

import pytest

from scarf_tui.config import Settings
from scarf_tui.demo.scale import SCALE_ORG
from scarf_tui.tui.app import ScarfApp
from scarf_tui.tui.demo_door import start_demo_in_background
from scarf_tui.tui.packages.table import PackageTable
from scarf_tui.tui.session import Session
from tests.tui.helpers import settle

N = 150


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_the_scaled_organization_lists_every_package(version: str) -> None:
    with contextlib.ExitStack() as stack:
        started = start_demo_in_background(stack, api_version=version, scale=N)
        session = Session(settings=Settings(), username=started.username, org=SCALE_ORG.name, connect=started.service)
        app = ScarfApp(session, close_service_on_exit=True)
        async with app.run_test(size=(120, 30)) as pilot:
            await settle(pilot)
            table = app.screen.query_one(PackageTable)
            assert table.org == SCALE_ORG.name
            assert len(table.visible_rows) == N
            status = str(table.query_one("#status").render())
            assert status.startswith(f"{N} of {N} packages")
