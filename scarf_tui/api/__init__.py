"""The async Scarf API layer, for API v1 and v2 behind one interface. Importable without Textual.

    service = make_service("https://api.scarf.sh", token, username="me")   # v2
    packages = await service.list_packages()
    service.capabilities.permission_levels   # what the active version offers

``make_service_for(settings, api_version=...)`` (scarf_tui.api.factory) picks the version the
way the CLI does: --api, $SCARF_API_VERSION, config api_version, then the URL.
"""

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
