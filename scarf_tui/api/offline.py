"""The service `--offline` browses with: a real ScarfService whose transport answers nothing.

    service = make_offline_service(settings)      # no byte leaves the process
    await service.create_package(draft)           # raises Offline: OFFLINE_WRITE_SENTENCE

Every write raises ``Offline`` with OFFLINE_WRITE_SENTENCE, every read OFFLINE_READ_SENTENCE;
the screens paint the saved lists (scarf_tui.api.saved) instead.
"""

from __future__ import annotations

from typing import Any

import httpx

from scarf_tui.api.errors import ScarfError
from scarf_tui.api.service import ScarfService

OFFLINE_WRITE_SENTENCE = "Offline: changes are refused (scarf-tui was started with --offline)."
OFFLINE_READ_SENTENCE = (
    "Offline: this is not in the saved lists; start scarf-tui without --offline to fetch it."
)
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Offline(ScarfError):
    """--offline: the request was not sent (a write is refused, a read is not saved)."""


class OfflineTransport(httpx.AsyncBaseTransport):
    """Answers no request: every one raises Offline before anything is sent."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.method.upper() in WRITE_METHODS:
            raise Offline(OFFLINE_WRITE_SENTENCE)
        raise Offline(OFFLINE_READ_SENTENCE)


def make_offline_service(settings: Any, *, api_version: str | None = None, username: str | None = None) -> ScarfService:
    """The service --offline browses with: the settings' version and URL, no network."""
    from scarf_tui.api.factory import make_service_for

    return make_service_for(settings, api_version=api_version, username=username, transport=OfflineTransport(),
                            max_retries=0)


__all__ = ["OFFLINE_READ_SENTENCE", "OFFLINE_WRITE_SENTENCE", "Offline", "OfflineTransport", "make_offline_service"]
