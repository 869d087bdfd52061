"""The one door from the TUI into the embedded servers (an import contract allows only this)."""

from __future__ import annotations

import contextlib
from datetime import date

from scarf_tui.api.service import ScarfService
from scarf_tui.sources.purldb import PurldbService
from scarf_tui.sources.pypicloud import PypicloudService


def start_demo_session(
    stack: contextlib.ExitStack, *, today: date | None = None, api_version: str = "v2"
) -> tuple[ScarfService, str]:
    """The embedded demo server on a loopback socket (streaming needs a real socket), closed
    with `stack`. Returns (service, the demo user's name)."""
    from scarf_tui.demo.start import start_demo

    demo = start_demo(stack, today=today, api_version=api_version)
    return demo.service, demo.username



def start_demo_sources(stack: contextlib.ExitStack) -> tuple[PypicloudService, PurldbService]:
    """The embedded pypicloud (signed in as the demo admin) and PurlDB (look-ups enabled)
    servers on loopback sockets, closed with `stack`."""
    from scarf_tui.demo.start import start_demo_sources as start

    return start(stack)
