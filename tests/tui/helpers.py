"""Helpers for driving the real ScarfApp against the embedded demo server."""

from __future__ import annotations

from datetime import date

import httpx
from scarf_tui.api import make_service
from scarf_tui.tui.app import ScarfApp
from scarf_tui.config import Settings
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.store import DemoStore

FIXED_TODAY = date(2026, 11, 20)  # the same anchor as tests/conftest.py


def make_app(service, **kwargs) -> ScarfApp:  # noqa: ANN001
    kwargs.setdefault("settings", Settings())
    kwargs.setdefault("today", FIXED_TODAY)
    kwargs.setdefault("username", "maintainer")
    return ScarfApp(service, **kwargs)


async def settle(pilot) -> None:  # noqa: ANN001
    """Let every worker finish (loads start further loads, e.g. the sparkline column)."""
    app = pilot.app
    for _ in range(4):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def press(pilot, *keys: str) -> None:  # noqa: ANN001
    """Press keys one by one, letting the app settle after each (no timing assumptions)."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def service_for(store: DemoStore, faults: Faults | None = None):  # noqa: ANN201
    """An in-process service over the real demo app (constructible outside an event loop,
    which the synchronous snapshot tests need)."""
    return make_service(
        "http://demo.invalid/api",
        DEMO_TOKEN,
        transport=httpx.ASGITransport(app=create_app(store, faults or Faults())),
        backoff=0.0,
    )
