"""Fixtures for the charts pane: a host app over the real demo server, and the numbers the
server holds, read from the demo's own row generator (never from the pane)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pytest
from textual.pilot import Pilot

from scarf_tui.demo import DEMO_TOKEN, DEMO_USER
from scarf_tui.demo.common import aggregate_chunks
from scarf_tui.demo.store import DemoStore

from .host_app import ChartHostApp


def server_rows(store: DemoStore, packages: list[dict], start: date, end: date) -> list[dict]:
    """The AggregateV1 dicts the demo serves for these packages and [start, end)."""
    return [json.loads(line) for chunk in aggregate_chunks(store, packages, start, end) for line in chunk]


@pytest.fixture
def chart_app(demo_app, demo_store) -> Callable[..., ChartHostApp]:
    """make(scope_kind="org", scope_name="acme", token=DEMO_TOKEN, package_uuid=None)."""

    def make(scope_kind: str = "org", scope_name: str = "acme", *, token: str = DEMO_TOKEN,
             package_uuid: str | None = None) -> ChartHostApp:
        return ChartHostApp.over_demo(
            demo_app,
            token,
            today=demo_store.today,
            scope_kind=scope_kind,
            scope_name=scope_name,
            package_uuid=package_uuid,
            username=DEMO_USER,
        )

    return make


async def settle(pilot: Pilot) -> None:
    """Wait until the pane's loading workers are done and the screen has caught up."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
