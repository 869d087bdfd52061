"""The one door from the TUI into the embedded servers (an import contract allows only this)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scarf_tui.api.service import ScarfService
    from scarf_tui.sources.purldb import PurldbService
    from scarf_tui.sources.pypicloud import PypicloudService

START_TIMEOUT_S = 60.0  # building 20,000 packages on a slow machine included


def start_demo_session(
    stack: contextlib.ExitStack, *, today: date | None = None, api_version: str = "v2", scale: int | None = None
) -> tuple[ScarfService, str]:
    """The embedded demo server on a loopback socket (streaming needs a real socket), closed
    with `stack`. Returns (service, the demo user's name). `scale` is --demo-scale: the demo
    organization gets that many packages."""
    from scarf_tui.demo.start import start_demo

    demo = start_demo(stack, today=today, api_version=api_version, packages=scale)
    return demo.service, demo.username


def start_demo_sources(stack: contextlib.ExitStack) -> tuple[PypicloudService, PurldbService]:
    """The embedded pypicloud (signed in as the demo admin) and PurlDB (look-ups enabled)
    servers on loopback sockets, closed with `stack`."""
    from scarf_tui.demo.start import start_demo_sources as start

    return start(stack)


@dataclass(frozen=True)
class DemoStarting:
    """The demo server starting in a background thread. `service()` waits for it and
    `sources()` starts the other two (call both off the event loop)."""

    username: str
    service: Callable[[], ScarfService]
    sources: Callable[[], tuple[PypicloudService, PurldbService]]


def start_demo_in_background(
    stack: contextlib.ExitStack, *, api_version: str = "v2", scale: int | None = None
) -> DemoStarting:
    """Start the demo Scarf server in a thread, so the first screen paints meanwhile;
    `sources()` starts pypicloud and PurlDB when asked. All stop when `stack` closes."""
    from scarf_tui.demo.start import DEMO_USER

    inner = contextlib.ExitStack()
    scarf: Future[ScarfService] = Future()
    starting = threading.Lock()  # the sources start later, in another thread; close waits for them

    def run() -> None:
        try:
            from scarf_tui.demo.start import start_demo_in_child  # the server uses another core

            scarf.set_result(start_demo_in_child(inner, api_version=api_version, packages=scale).service)
        except BaseException as exc:  # noqa: BLE001 - handed to the screen that waits for the service
            scarf.set_exception(exc)

    def sources_now() -> tuple[PypicloudService, PurldbService]:
        """Start pypicloud and PurlDB (called once the first list is on screen)."""
        scarf.result(timeout=START_TIMEOUT_S)  # after the Scarf server, never alongside it
        with starting:
            return start_demo_sources(inner)

    thread = threading.Thread(target=run, name="scarf-demo-start", daemon=True)

    def stop() -> None:
        thread.join(timeout=START_TIMEOUT_S)
        with starting:
            inner.close()

    stack.callback(stop)
    thread.start()
    return DemoStarting(
        username=DEMO_USER,
        service=lambda: scarf.result(timeout=START_TIMEOUT_S),
        sources=sources_now,
    )
