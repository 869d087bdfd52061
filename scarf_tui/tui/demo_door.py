"""The one door from the TUI into the embedded servers (an import contract allows only this)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scarf_tui.api.prefetch import FirstPages
    from scarf_tui.api.service import ScarfService
    from scarf_tui.sources.purldb import PurldbService
    from scarf_tui.sources.pypicloud import PypicloudService


def start_demo_session(
    stack: contextlib.ExitStack, *, today: date | None = None, api_version: str = "v2", scale: int | None = None
) -> tuple[ScarfService, str, tuple[PypicloudService, PurldbService]]:
    """The embedded demo server on a loopback socket (streaming needs a real socket), closed
    with `stack`. Returns (service, the demo user's name, the pypicloud and PurlDB it mounts:
    the admin's pypicloud and PurlDB with look-ups enabled). `scale` is --demo-scale: the demo
    organization gets that many packages."""
    from scarf_tui.demo.start import mounted_sources, start_demo

    demo = start_demo(stack, today=today, api_version=api_version, packages=scale)
    return demo.service, demo.username, mounted_sources(demo.origin)


@dataclass(frozen=True)
class DemoStarting:
    """The demo server starting in its child process. `service()` waits for it and builds the
    service, `sources()` starts the other two (call both off the event loop); `first_pages` is
    the first package list on its way (scarf_tui.api.prefetch), None if it could not start."""

    username: str
    service: Callable[[], ScarfService]
    sources: Callable[[], tuple[PypicloudService, PurldbService]]
    first_pages: FirstPages | None = None


def start_demo_in_background(
    stack: contextlib.ExitStack, *, api_version: str = "v2", scale: int | None = None, owner: str | None = None
) -> DemoStarting:
    """Start the demo Scarf server in a child process, which then fetches the first list (of
    `owner`, or the user's) from itself, so the first screen paints meanwhile; `sources()` signs
    in to the pypicloud and PurlDB it also serves. All stop when `stack` closes."""
    from scarf_tui.api.prefetch import FirstPages, first_list_request, line_limit
    from scarf_tui.config import Settings, Token
    from scarf_tui.demo.start import DEMO_TOKEN, DEMO_USER, base_url_for, mounted_sources, spawn_demo_child

    base_url_for("", api_version)  # a bad version is refused before anything starts
    settings = Settings(token=Token(DEMO_TOKEN), username=DEMO_USER)

    def first_list(origin: str) -> dict[str, Any]:
        settings.api_url = base_url_for(origin, api_version)
        return first_list_request(settings, api_version=api_version, username=DEMO_USER, owner=owner)

    inner = contextlib.ExitStack()
    # Returns at once (the socket is bound here); the server's process also fetches the first list.
    child = spawn_demo_child(inner, packages=scale, first_list=first_list)
    base_url = settings.api_url
    first_pages = FirstPages(child.pages, owner, line_limit(settings)) if child.pages is not None else None

    def service() -> ScarfService:
        child.ready()
        from scarf_tui.api import make_service

        return make_service(base_url, DEMO_TOKEN, api_version=api_version, username=DEMO_USER)

    def sources_now() -> tuple[PypicloudService, PurldbService]:
        """pypicloud and PurlDB, as the demo's server mounts them (called once the first list is
        on screen; this process loads no server code)."""
        child.ready()
        return mounted_sources(child.origin)

    def stop() -> None:
        if first_pages is not None:
            first_pages.stop()
        inner.close()

    stack.callback(stop)
    return DemoStarting(username=DEMO_USER, service=service, sources=sources_now, first_pages=first_pages)
