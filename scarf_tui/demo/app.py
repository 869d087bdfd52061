"""The embedded Scarf server: one Starlette app serving the Scarf API v1 (``/api/v1/...``,
routes_v1) and the Scarf API v2 (``/v2/...``, routes_v2) over one DemoStore, with the request
faults of scarf_tui.demo.faults applied to both. The pypicloud and PurlDB servers are mounted
under /pypicloud and /purldb.

How one store serves two versions is documented in routes_v2.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.routing import Mount

from scarf_tui.demo.common import EXPORT_DISABLED, ApiError, http_error
from scarf_tui.demo.faults import FaultMiddleware, Faults
from scarf_tui.demo.routes_v1 import v1_routes
from scarf_tui.demo.routes_v2 import v2_routes
from scarf_tui.demo.store import DemoStore, build_demo_store


def create_app(store: DemoStore | None = None, faults: Faults | None = None) -> Starlette:
    """The Scarf demo app; the embedded pypicloud and PurlDB servers are mounted under
    /pypicloud and /purldb (each with its own store and no faults), as `demo-server` serves them."""
    from scarf_tui.demo.purldb import create_purldb_app
    from scarf_tui.demo.pypicloud import create_pypicloud_app

    app = Starlette(
        routes=[
            *v1_routes(),
            *v2_routes(),
            Mount("/pypicloud", app=create_pypicloud_app()),
            Mount("/purldb", app=create_purldb_app()),
        ],
        middleware=[Middleware(FaultMiddleware)],
        exception_handlers={HTTPException: http_error},
    )
    app.state.store = store if store is not None else build_demo_store()
    app.state.faults = faults if faults is not None else Faults()
    return app


__all__ = ["create_app", "ApiError", "EXPORT_DISABLED"]
