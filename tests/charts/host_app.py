"""The shared pane host holding one ChartPane. Used by the Pilot and snapshot tests and for
standalone development against the demo server:

    .venv/bin/python tests/charts/host_app.py [org-name]
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx

from scarf_tui.api import make_service
from scarf_tui.api.service import ScarfService
from scarf_tui.config import Settings
from scarf_tui.tui.charts.pane import ChartPane
from tests.pane_host import DEMO_BASE_URL, PaneHost


class ChartHostApp(PaneHost):
    """The shared pane host with one ChartPane as its body (read-only, as in the charts issue)."""

    def __init__(
        self,
        service: ScarfService,
        *,
        today: date,
        scope_kind: str = "org",
        scope_name: str = "acme",
        package_uuid: str | None = None,
        username: str | None = None,
        settings: Settings | None = None,
        owns_service: bool = False,
    ) -> None:
        super().__init__(
            service,
            lambda: ChartPane(scope_kind, scope_name, package_uuid, id="charts"),
            read_only=True,
            today=today,
            username=username,
            settings=settings,
            close_service=owns_service,
            focus="ChartPane",
        )

    @classmethod
    def over_demo(cls, demo_app: Any, token: str, **kwargs: Any) -> ChartHostApp:
        """A host whose own service talks to the demo ASGI app in-process (the service is made
        here and closed with the app, so it also works where pytest fixtures' loops do not reach,
        e.g. in snap_compare)."""
        service = make_service(DEMO_BASE_URL, token, transport=httpx.ASGITransport(app=demo_app), backoff=0.0)
        return cls(service, owns_service=True, **kwargs)


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
