"""The async Scarf API layer, for API v1 and v2 behind one interface. Importable without Textual.

    service = make_service("https://api.scarf.sh", token, username="me")   # v2
    packages = await service.list_packages()
    service.capabilities.permission_levels   # what the active version offers

``make_service_for(settings, api_version=...)`` (scarf_tui.api.factory) picks the version the
way the CLI does: --api, $SCARF_API_VERSION, config api_version, then the URL.
"""

import sys
from typing import TYPE_CHECKING, Any

# httpx loads its command-line client (click, rich's console and progress: ~35 ms) when they are
# installed, and does without it when that import fails; nothing here runs httpx's CLI, and a
# None entry makes that import fail at once.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]  # None: "not importable"

# Names load on first use (PEP 562), so importing one submodule (errors, models, saved) does not
# pull in httpx, pydantic and the wire models: the TUI paints its first screen before they load.
_WHERE = {
    **dict.fromkeys(
        ("AuthError", "ConnectionFailed", "ExportNotEnabled", "InsecureURL", "InvalidResponse", "NotFound",
         "RateLimited", "RequestTimeout", "ScarfError", "ServerError", "ValidationFailed"),
        "errors",
    ),
    "make_service": "factory",
    "make_service_for": "factory",
    "DEFAULT_API_URL": "http",
    "Unsupported": "interface",
    "Capabilities": "models",
    "Page": "models",
    "ScarfService": "service",
    "choose_version": "version",
    "effective_api_url": "version",
}

if TYPE_CHECKING:
    from scarf_tui.api.errors import (
        AuthError,
        ConnectionFailed,
        ExportNotEnabled,
        InsecureURL,
        InvalidResponse,
        NotFound,
        RateLimited,
        RequestTimeout,
        ScarfError,
        ServerError,
        ValidationFailed,
    )
    from scarf_tui.api.factory import make_service, make_service_for
    from scarf_tui.api.http import DEFAULT_API_URL
    from scarf_tui.api.interface import Unsupported
    from scarf_tui.api.models import Capabilities, Page
    from scarf_tui.api.service import ScarfService
    from scarf_tui.api.version import choose_version, effective_api_url


def __getattr__(name: str) -> Any:
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'scarf_tui.api' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f"scarf_tui.api.{where}"), name)
    globals()[name] = value
    return value


__all__ = [
    "DEFAULT_API_URL",
    "AuthError",
    "Capabilities",
    "ConnectionFailed",
    "ExportNotEnabled",
    "InsecureURL",
    "InvalidResponse",
    "NotFound",
    "Page",
    "RateLimited",
    "RequestTimeout",
    "ScarfError",
    "ScarfService",
    "ServerError",
    "Unsupported",
    "ValidationFailed",
    "choose_version",
    "effective_api_url",
    "make_service",
    "make_service_for",
]
