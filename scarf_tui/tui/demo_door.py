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
    """The demo servers starting in a background thread. `service()` and `sources()` wait
    for them (call them off the event loop)."""

    username: str
    service: Callable[[], ScarfService]
    sources: Callable[[], tuple[PypicloudService, PurldbService]]


def start_demo_in_background(
    stack: contextlib.ExitStack, *, api_version: str = "v2", scale: int | None = None, sources: bool = True
) -> DemoStarting:
    """Start the demo servers in a thread, so the first screen paints meanwhile. They stop
    when `stack` closes (after the thread has finished starting them)."""
    from scarf_tui.demo.start import DEMO_USER

    inner = contextlib.ExitStack()
    scarf: Future[ScarfService] = Future()
    others: Future[tuple[PypicloudService, PurldbService]] = Future()

    def run() -> None:
        try:
            scarf.set_result(start_demo_session(inner, api_version=api_version, scale=scale)[0])
        except BaseException as exc:  # noqa: BLE001 - handed to the screen that waits for the service
            scarf.set_exception(exc)
            others.set_exception(exc)
            return
        if not sources:
            return
        try:
            others.set_result(start_demo_sources(inner))
        except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the sources
            others.set_exception(exc)

    thread = threading.Thread(target=run, name="scarf-demo-start", daemon=True)

    def stop() -> None:
        thread.join(timeout=START_TIMEOUT_S)
        inner.close()

    stack.callback(stop)
    thread.start()
    return DemoStarting(
        username=DEMO_USER,
        service=lambda: scarf.result(timeout=START_TIMEOUT_S),
        sources=lambda: others.result(timeout=START_TIMEOUT_S),
    )
