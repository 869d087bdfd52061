"""A tiny host for ChartPane: the attributes the pane reads from its app (service, today,
settings, username), a Footer for the keys, nothing else. Used by the Pilot and snapshot tests
and for standalone development against the demo server:

    .venv/bin/python tests/charts/host_app.py [org-name]
"""

from __future__ import annotations

from datetime import date

import httpx
from textual.app import App, ComposeResult
from textual.widgets import Footer

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService
from scarf_tui.tui.charts.pane import ChartPane

DEMO_BASE_URL = "http://demo.invalid/api"


class ChartHostApp(App[None]):
    def __init__(
        self,
        service: ScarfService,
        *,
        today: date,
        scope_kind: str = "org",
        scope_name: str = "acme",
        package_uuid: str | None = None,
        username: str | None = None,
        settings: object | None = None,
        owns_service: bool = False,
    ) -> None:
        super().__init__()
        self.service = service
        self.today = today
        self.username = username
        self.settings = settings
        self.read_only = True
        self._owns_service = owns_service
        self._pane_args = (scope_kind, scope_name, package_uuid)

    @classmethod
    def over_demo(cls, demo_app, token: str, **kwargs) -> ChartHostApp:
        """A host whose own service talks to the demo ASGI app in-process (the service is made
        here and closed with the app, so it also works where pytest fixtures' loops do not reach,
        e.g. in snap_compare)."""
        service = make_service(
            DEMO_BASE_URL, token, transport=httpx.ASGITransport(app=demo_app), backoff=0.0
        )
        return cls(service, owns_service=True, **kwargs)

    def compose(self) -> ComposeResult:
        kind, name, package = self._pane_args
        yield ChartPane(kind, name, package, id="charts")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ChartPane).focus()

    async def on_unmount(self) -> None:
        if self._owns_service:
            await self.service.aclose()


if __name__ == "__main__":
    import sys

    from scarf_tui.demo import DEMO_TOKEN, DEMO_USER
    from scarf_tui.demo.app import create_app
    from scarf_tui.demo.store import build_demo_store

    store = build_demo_store()
    org = sys.argv[1] if len(sys.argv) > 1 else "acme"
    ChartHostApp.over_demo(
        create_app(store), DEMO_TOKEN, today=store.today, scope_name=org, username=DEMO_USER
    ).run()
