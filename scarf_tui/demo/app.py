"""The embedded Scarf server: one Starlette app serving the Scarf API v1 (``/api/v1/...``,
routes_v1) and the Scarf API v2 (``/v2/...``, routes_v2) over one DemoStore, with the request
faults of scarf_tui.demo.faults applied to both. The pypicloud and PurlDB servers are mounted
under /pypicloud and /purldb.

How one store serves two versions is documented in routes_v2.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from scarf_tui.demo.common import EXPORT_DISABLED, ApiError, http_error
from scarf_tui.demo.faults import FaultMiddleware, Faults
from scarf_tui.demo.routes_v1 import v1_routes
from scarf_tui.demo.routes_v2 import v2_routes
from scarf_tui.demo.store import DemoStore, build_demo_store


def create_app(store: DemoStore | None = None, faults: Faults | None = None) -> Starlette:
    """The Scarf demo app; the embedded pypicloud and PurlDB servers are mounted under
    /pypicloud and /purldb (each with its own store and no faults), as `demo-server` serves them.
    Those two are built on their first request: --demo's server answers the Scarf API sooner."""
    app = Starlette(
        routes=[
            *v1_routes(),
            *v2_routes(),
            Mount("/pypicloud", app=_built_when_asked(_pypicloud)),
            Mount("/purldb", app=_built_when_asked(_purldb)),
        ],
        middleware=[Middleware(FaultMiddleware)],
        exception_handlers={HTTPException: http_error},
    )
    app.state.store = store if store is not None else build_demo_store()
    app.state.faults = faults if faults is not None else Faults()
    return app


def _pypicloud() -> ASGIApp:
    from scarf_tui.demo.pypicloud import create_pypicloud_app

    return create_pypicloud_app()


def _purldb() -> ASGIApp:
    from scarf_tui.demo.purldb import create_purldb_app

    return create_purldb_app()


def _built_when_asked(build: Callable[[], ASGIApp]) -> ASGIApp:
    """An ASGI app that builds the real one on its first request."""
    built: list[ASGIApp] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if not built:
            built.append(build())
        await built[0](scope, receive, send)

    return app


__all__ = ["create_app", "ApiError", "EXPORT_DISABLED"]
