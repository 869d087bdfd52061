"""Pilot: when saved lists paint first, the service (HTTP and the wire models) starts building
only once the first frame is on the terminal, and the refresh still replaces the saved list."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from scarf_tui.config import Settings
from scarf_tui.demo.store import DemoStore
from scarf_tui.tui.app import ScarfApp
from scarf_tui.tui.session import Session
from tests.cache.test_cache_tui import names, saved_lists, status
from tests.pane_host import FIXED_TODAY
from tests.tui.helpers import settle


async def test_the_service_builds_after_the_first_frame(service, demo_store: DemoStore, tmp_path: Path) -> None:  # noqa: ANN001
    order: list[str] = []

    def connect():  # noqa: ANN202
        order.append("connect")
        return service

    session = Session(settings=Settings(), username="maintainer", today=FIXED_TODAY, connect=connect,
                      saved=saved_lists(tmp_path), connect_after_first_frame=threading.Event())
    shown = session.first_frame_shown

    def frame_shown() -> None:
        order.append("frame")
        shown()

    session.first_frame_shown = frame_shown  # type: ignore[method-assign]
    app = ScarfApp(session)
    async with app.run_test(size=(120, 30)) as pilot:
        async with asyncio.timeout(60):  # a gate that never opens fails here instead of hanging
            await settle(pilot)
        expected = sorted(p["name"] for p in demo_store.visible_packages("maintainer"))
        assert names(app) == expected
        assert "cached" not in status(app)
    assert order[:2] == ["frame", "connect"]


def test_asking_for_the_service_directly_never_waits_for_a_frame(service) -> None:  # noqa: ANN001
    """Session.api blocks its caller: it opens the gate rather than wait for a frame that the same
    thread would have to paint."""
    session = Session(settings=Settings(), connect=lambda: service, connect_after_first_frame=threading.Event())
    assert session.api is service
