"""Fault injection for the pypicloud and PurlDB demo servers, with the Scarf demo's switches
(scarf_tui.demo.faults.Faults): latency, 429 every Nth request with Retry-After, 5xx by
error_rate, and invalid_json (JSON bodies cut in half). Every path of the app is subject to
them (these servers have no /api prefix of their own to single out).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from scarf_tui.demo.faults import Faults, garble_json


class SourceFaultMiddleware:
    """Pure ASGI middleware reading ``app.state.faults``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        faults: Faults | None = getattr(getattr(scope.get("app"), "state", None), "faults", None)
        if scope["type"] != "http" or faults is None:
            await self.app(scope, receive, send)
            return
        n = faults.next_request()
        if faults.latency_s > 0:
            await asyncio.sleep(faults.latency_s)
        if faults.is_rate_limited(n):
            await send_json(send, 429, {"error": "Too many requests; slow down."},
                            [(b"retry-after", faults.retry_after_header().encode())])
            return
        status = faults.error_status(n)
        if status is not None:
            message = "Service temporarily unavailable." if status == 503 else "Internal server error."
            await send_json(send, status, {"error": message})
            return
        if not faults.invalid_json:
            await self.app(scope, receive, send)
            return
        await self.app(scope, receive, _garbling(send))


def _garbling(send: Any) -> Any:
    """A send that cuts JSON bodies in half (the response start waits for the whole body)."""
    held: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def wrapped(message: dict) -> None:
        if message["type"] == "http.response.start":
            kinds = [v for k, v in message.get("headers") or [] if k.lower() == b"content-type"]
            if not any(b"json" in v for v in kinds):
                held["pass"] = True
                await send(message)
                return
            held["start"] = message
            return
        if held.get("pass") or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = garble_json(b"".join(chunks))
        start = held["start"]
        kept = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        kept.append((b"content-length", str(len(body)).encode()))
        await send({**start, "headers": kept})
        await send({"type": "http.response.body", "body": body})

    return wrapped


async def send_json(send: Any, status: int, payload: dict, headers: list | None = None) -> None:
    body = json.dumps(payload).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    *(headers or [])],
    })
    await send({"type": "http.response.body", "body": body})
