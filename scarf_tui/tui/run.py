"""The one way the CLI starts the TUI: build the Session, start the demo when asked, run."""

from __future__ import annotations

import contextlib
from pathlib import Path

from scarf_tui.config import Settings
from scarf_tui.tui.session import Session


def run_tui(
    settings: Settings,
    *,
    demo: bool = False,
    org: str | None = None,
    username: str | None = None,
    config_path: Path | None = None,
    api_version: str | None = None,
    pypicloud_url: str | None = None,
) -> int:
    """Run the TUI until the user quits; returns the exit status. Without a token (and no
    demo) the app opens on the Welcome screen. `api_version` is --api: it wins over
    $SCARF_API_VERSION, config and the URL; the demo speaks v2 unless asked for v1.
    `pypicloud_url` is --pypicloud: the TUI opens on that server (asking to sign in when no
    user name and password are configured). The demo also serves pypicloud and PurlDB."""
    from scarf_tui.tui.app import ScarfApp

    with contextlib.ExitStack() as stack:
        session = Session(settings=settings, username=username, org=org, config_path=config_path)
        if demo:
            from scarf_tui.tui.demo_door import start_demo_session

            session.service, session.username = start_demo_session(stack, api_version=api_version or "v2")
        elif settings.token:
            from scarf_tui.api import make_service_for

            session.service = make_service_for(settings, api_version=api_version, username=session.username)
        from scarf_tui.tui.pypicloud.connect import connect_sources

        connect_sources(session, settings, pypicloud_url=pypicloud_url, where=str(config_path or "config.toml"))
        if demo and not pypicloud_url:
            from scarf_tui.tui.demo_door import start_demo_sources

            session.pypicloud, session.purldb = start_demo_sources(stack)
        session.pypicloud_at_start = bool(pypicloud_url)
        app = ScarfApp(session, close_service_on_exit=True)
        app.run()
        return app.return_code or 0
