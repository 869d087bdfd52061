"""One start-up for the embedded demo server, used by ``--demo``, ``demo-server``, ``export --demo``
and the tests.

    with contextlib.ExitStack() as stack:
        session = start_demo(stack)              # v2 by default; api_version="v1" for v1
        packages = await session.service.list_packages()

The server runs on a loopback socket (uvicorn in a daemon thread) and stops when ``stack``
closes. It serves both API versions from one port over one store; ``api_version`` only chooses
which one the returned service speaks.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from scarf_tui.demo import DEMO_TOKEN, DEMO_USER

if TYPE_CHECKING:
    from scarf_tui.api.service import ScarfService
    from scarf_tui.demo.faults import Faults
    from scarf_tui.demo.store import DemoStore
    from scarf_tui.sources.purldb import PurldbService
    from scarf_tui.sources.pypicloud import PypicloudService

API_VERSIONS = ("v1", "v2")


@dataclass(frozen=True)
class DemoSession:
    """A running demo server and a service signed in to it.

    ``base_url`` is the API URL a user would configure for this version ("http://127.0.0.1:N/api"
    for v1, "http://127.0.0.1:N/v2" for v2); ``origin`` serves both. ``token_name`` names the
    credential in use (the token itself is not kept here)."""

    service: ScarfService = field(repr=False)
    base_url: str
    origin: str
    api_version: str = "v2"
    username: str = DEMO_USER
    token_name: str = "DEMO_TOKEN"


def start_demo(
    stack: contextlib.ExitStack,
    *,
    today: date | None = None,
    api_version: str = "v2",
    scale: int | None = None,
    hostile: bool = False,
    faults: Faults | None = None,
    store: DemoStore | None = None,
    token: str | None = None,
    username: str | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    packages: int | None = None,
) -> DemoSession:
    """Start the embedded server on 127.0.0.1 (an ephemeral port, closed with ``stack``) and
    return a DemoSession whose service speaks ``api_version`` ("v1" or "v2").

    The dataset includes the "fleet" organization with 120+ packages (``store`` may bring another).
    ``scale`` multiplies the event volume; ``hostile`` adds packages with hostile names;
    ``store``/``faults`` let tests keep a handle on what the server holds and how it fails;
    ``token`` signs in as another demo user (``username`` names that user). ``host``/``port``
    are for ``scarf-tui demo-server`` (port 0 picks a free one; ``origin`` tells which).
    ``packages`` is --demo-scale: add the "atlas" organization with that many packages
    (scarf_tui.demo.scale)."""
    from scarf_tui.api import make_service
    from scarf_tui.demo.app import create_app
    from scarf_tui.demo.loopback import running_server
    from scarf_tui.demo.store import build_demo_store

    if api_version not in API_VERSIONS:
        raise ValueError(f"api_version must be 'v1' or 'v2', not {api_version!r}")
    if store is None:
        store = build_demo_store(hostile=hostile, today=today, events_scale=scale or 1, fleet=True)
        if packages:
            from scarf_tui.demo.scale import add_scaled_org

            add_scaled_org(store, packages)
    served = stack.enter_context(running_server(create_app(store, faults), host=host, port=port))
    origin = served.removesuffix("/api")
    base_url = f"{origin}/api" if api_version == "v1" else f"{origin}/v2"
    service = make_service(base_url, token or DEMO_TOKEN, api_version=api_version, username=username or DEMO_USER)
    return DemoSession(
        service=service,
        base_url=base_url,
        origin=origin,
        api_version=api_version,
        username=username or DEMO_USER,
        token_name="DEMO_TOKEN" if token is None else "a demo user's token",
    )


def start_demo_sources(stack: contextlib.ExitStack) -> tuple[PypicloudService, PurldbService]:
    """The embedded pypicloud and PurlDB servers, each on its own loopback socket (closed with
    ``stack``): a pypicloud service signed in as the demo admin, and a PurlDB service with
    look-ups enabled for every kind of package (the demo's names are public)."""
    from scarf_tui.demo.loopback import running_server
    from scarf_tui.demo.purldb import create_purldb_app
    from scarf_tui.demo.pypicloud import PYPICLOUD_ADMIN, PYPICLOUD_ADMIN_PASSWORD, create_pypicloud_app
    from scarf_tui.sources.purldb import make_purldb_service
    from scarf_tui.sources.pypicloud import make_pypicloud_service
    from scarf_tui.sources.settings import PURLDB_ORIGINS

    pypicloud_url = stack.enter_context(running_server(create_pypicloud_app())).removesuffix("/api")
    purldb_url = stack.enter_context(running_server(create_purldb_app())).removesuffix("/api")
    pypicloud = make_pypicloud_service(pypicloud_url, PYPICLOUD_ADMIN, PYPICLOUD_ADMIN_PASSWORD)
    return pypicloud, make_purldb_service(purldb_url, enabled_for=PURLDB_ORIGINS)


__all__ = ["API_VERSIONS", "DemoSession", "start_demo", "start_demo_sources"]
