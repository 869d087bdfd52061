"""The one host App for testing panes and dialogs outside ScarfApp: a SessionApp with a body
widget above a Footer, so a pane reads the same typed Session it gets in the real app."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING

import httpx
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer, Static

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService
from scarf_tui.config import Settings
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.tui.session import Session, SessionApp

if TYPE_CHECKING:
    from scarf_tui.demo.faults import Faults
    from scarf_tui.demo.store import DemoStore

FIXED_TODAY = date(2026, 11, 20)  # the demo store's anchor day in tests (see tests/conftest.py)
DEMO_BASE_URL = "http://demo.invalid/api"


class PaneHost(SessionApp):
    """Mounts one body widget (a pane) above a footer; dialogs are pushed on top by tests.
    `refused` counts writes the read-only gate turned away."""

    def __init__(
        self,
        service: ScarfService,
        body: Callable[[], Widget] | None = None,
        *,
        read_only: bool = False,
        today: date = FIXED_TODAY,
        username: str | None = "maintainer",
        settings: Settings | None = None,
        close_service: bool = False,
        focus: str = "VirtualTable",
    ) -> None:
        super().__init__()
        self.session = Session(
            settings=settings or Settings(), service=service, username=username, read_only=read_only, today=today
        )
        self.refused = 0
        self._body = body
        self._close_service = close_service
        self._focus = focus

    @property
    def service(self) -> ScarfService:
        return self.session.api

    def compose(self) -> ComposeResult:
        yield self._body() if self._body is not None else Static("host", id="host-body")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_first)

    def _focus_first(self) -> None:
        for widget in self.query(self._focus):
            widget.focus()
            return

    def notify(self, message: str, **kwargs: object) -> None:  # type: ignore[override]
        if message.startswith("Read-only mode:"):
            self.refused += 1
        super().notify(message, **kwargs)  # type: ignore[arg-type]

    async def on_unmount(self) -> None:
        if self._close_service:
            await self.session.api.aclose()


def in_process_service(store: DemoStore, faults: Faults | None = None, **kwargs: object) -> ScarfService:
    """A service over the real demo server, in-process (constructible outside an event loop,
    which the synchronous snapshot tests need)."""
    from scarf_tui.demo.app import create_app
    from scarf_tui.demo.faults import Faults

    return make_service(
        DEMO_BASE_URL,
        DEMO_TOKEN,
        transport=httpx.ASGITransport(app=create_app(store, faults or Faults())),
        backoff=0.0,
        **kwargs,  # type: ignore[arg-type]
    )
