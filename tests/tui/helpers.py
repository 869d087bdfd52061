"""Helpers for driving the real ScarfApp against the embedded demo server."""

from __future__ import annotations

import httpx

from scarf_tui.api import make_service
from scarf_tui.config import Settings
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.store import DemoStore
from scarf_tui.tui.app import ScarfApp
from scarf_tui.tui.session import Session
from tests.pane_host import FIXED_TODAY


def make_app(service, *, close_service_on_exit: bool = False, **session) -> ScarfApp:  # noqa: ANN001, ANN003
    """The real app over `service`, with a Session built from `session` (settings, today,
    username, read_only, org...), defaulting to the demo's user and the fixed test day."""
    session.setdefault("settings", Settings())
    session.setdefault("today", FIXED_TODAY)
    session.setdefault("username", "maintainer")
    return ScarfApp(Session(service=service, **session), close_service_on_exit=close_service_on_exit)


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
