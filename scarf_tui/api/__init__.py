"""The async Scarf API layer. Importable without Textual (a test enforces it).

    service = make_service("https://scarf.sh/api", token)
    packages = await service.list_packages()
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
from scarf_tui.api.http import DEFAULT_API_URL
from scarf_tui.api.service import ScarfService, make_service

__all__ = [
    "DEFAULT_API_URL",
    "AuthError",
    "ConnectionFailed",
    "ExportNotEnabled",
    "InsecureURL",
    "InvalidResponse",
    "NotFound",
    "RateLimited",
    "RequestTimeout",
    "ScarfError",
    "ScarfService",
    "ServerError",
    "ValidationFailed",
    "make_service",
]
