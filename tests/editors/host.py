"""A small host App for the editor panes and forms: it has what the real ScarfApp gives them
(service, read_only, refuse_if_read_only, today, username) and nothing else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from collections.abc import Callable
from datetime import date

import httpx
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import Footer, Static

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService
from scarf_tui.demo import DEMO_TOKEN

if TYPE_CHECKING:
    from scarf_tui.demo.faults import Faults
    from scarf_tui.demo.store import DemoStore

FIXED_TODAY = date(2026, 11, 20)


class EditorHost(App[None]):
    """Mounts one body widget (a pane) above a footer; forms are pushed on top by tests."""

    def __init__(
        self,
        service: ScarfService,
        body: Callable[[], Widget] | None = None,
        *,
        read_only: bool = False,
        today: date = FIXED_TODAY,
        username: str = "maintainer",
        close_service: bool = False,
    ) -> None:
        super().__init__()
        self.service = service
        self.read_only = read_only
        self.today = today
        self.username = username
        self.refused = 0
        self._body = body
        self._close_service = close_service

    def compose(self) -> ComposeResult:
        yield self._body() if self._body is not None else Static("host", id="host-body")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self._focus_table)

    def _focus_table(self) -> None:
        for table in self.query("DataTable"):
            table.focus()
            return

    def refuse_if_read_only(self) -> bool:
        if self.read_only:
            self.refused += 1
            self.notify("Read-only mode: changes are switched off.", severity="warning")
            return True
        return False

    async def on_unmount(self) -> None:
        if self._close_service:
            await self.service.aclose()


def in_process_service(store: DemoStore, faults: Faults | None = None, **kwargs: object) -> ScarfService:
    """A service over the real demo server, in-process (used by the sync snapshot tests)."""
    from scarf_tui.demo.app import create_app
    from scarf_tui.demo.faults import Faults

    return make_service(
        "http://demo.invalid/api",
        DEMO_TOKEN,
        transport=httpx.ASGITransport(app=create_app(store, faults or Faults())),
        backoff=0.0,
        **kwargs,  # type: ignore[arg-type]
    )
