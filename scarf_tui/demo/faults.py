"""Fault injection for the demo server, so clients meet real failure shapes over real HTTP.

Faults is mutable: tests flip fields on a running app. Every decision is deterministic: a request
counter (per Faults object) plus `seed` decide which requests fail, never wall-clock randomness.

Applied to every /api and /v2 request, in this order: latency -> 429 every Nth -> 5xx by error_rate.
Then, per response: invalid_json garbles JSON bodies (and one line of NDJSON streams);
cut_stream ends NDJSON/CSV streams in the middle of a line after cut_after_rows lines.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

from scarf_tui.demo.data import unit

# CLI spellings -> field names
ALIASES = {
    "latency": "latency_s",
    "rate_limit": "rate_limit_every",
    "retry_after": "retry_after_s",
    "cut": "cut_stream",
    "cut_after": "cut_after_rows",
    "chunk_delay": "chunk_delay_s",
}


@dataclass
class Faults:
    latency_s: float = 0.0  # sleep before answering each request
    error_rate: float = 0.0  # fraction of requests answered 500/503
    rate_limit_every: int = 0  # every Nth request -> 429 with Retry-After (0: never)
    retry_after_s: int = 1
    retry_after_date: bool = False  # send Retry-After as an HTTP date (now + retry_after_s)
    cut_stream: bool = False  # NDJSON/CSV streams stop mid-line after cut_after_rows lines
    invalid_json: bool = False  # JSON endpoints answer a non-JSON body with a JSON content type
    seed: int = 0
    cut_after_rows: int = 25
    cut_abort: bool = False  # with cut_stream: drop the connection instead of ending cleanly
    chunk_delay_s: float = 0.0  # sleep between stream chunks (to watch progress over a socket)
    foreign_next: bool = False  # v2 cursor pages link `next` to another host
    absolute_next: bool = False  # v2 cursor pages link `next` with an absolute same-origin URL
    requests_seen: int = field(default=0, compare=False)

    @classmethod
    def parse(cls, text: str | None) -> Faults:
        """Parse "latency=0.2,error_rate=0.1,cut_stream=1" (aliases: latency, rate_limit,
        retry_after, cut, cut_after, chunk_delay). Empty, "none" or "off" -> no faults."""
        faults = cls()
        text = (text or "").strip()
        if text.lower() in ("", "none", "off"):
            return faults
        known = {f.name: f for f in fields(cls) if f.name != "requests_seen"}
        for item in text.split(","):
            item = item.strip()
            if not item:
                continue
            key, sep, value = item.partition("=")
            key = ALIASES.get(key.strip(), key.strip())
            if key not in known:
                names = ", ".join(sorted(set(known) | set(ALIASES)))
                raise ValueError(f"Unknown fault {key!r}; known faults: {names}.")
            value = value.strip() if sep else "1"
            kind = type(getattr(faults, key))
            try:
                if kind is bool:
                    if value.lower() not in ("1", "0", "true", "false", "yes", "no", "on", "off"):
                        raise ValueError
                    setattr(faults, key, value.lower() in ("1", "true", "yes", "on"))
                else:
                    setattr(faults, key, kind(value))
            except ValueError:
                raise ValueError(f"Fault {key} needs a {kind.__name__} value, not {value!r}.") from None
        if not 0.0 <= faults.error_rate <= 1.0:
            raise ValueError("Fault error_rate must be between 0 and 1.")
        return faults

    def describe(self) -> str:
        active = [
            f"{f.name}={getattr(self, f.name)}"
            for f in fields(self)
            if f.name not in ("requests_seen", "seed", "retry_after_s", "cut_after_rows")
            and getattr(self, f.name)
        ]
        return ", ".join(active) or "none"

    # --- per-request decisions ---------------------------------------------------------------

    def next_request(self) -> int:
        self.requests_seen += 1
        return self.requests_seen

    def is_rate_limited(self, n: int) -> bool:
        return self.rate_limit_every > 0 and n % self.rate_limit_every == 0

    def retry_after_header(self) -> str:
        """Retry-After in either form HTTP allows: delta-seconds, or an HTTP date."""
        if self.retry_after_date:
            when = datetime.now(UTC) + timedelta(seconds=self.retry_after_s)
            return format_datetime(when, usegmt=True)
        return str(self.retry_after_s)

    def error_status(self, n: int) -> int | None:
        if self.error_rate <= 0:
            return None
        if unit("fault", self.seed, n) < self.error_rate:
            return 503 if unit("fault-kind", self.seed, n) < 0.5 else 500
        return None


def garble_json(body: bytes) -> bytes:
    """A body that is not JSON: the real body cut in half (always unparsable)."""
    if len(body) < 4:
        return b"<html>bad gateway</html>"
    return body[: len(body) // 2]


class FaultMiddleware:
    """Pure ASGI middleware (streaming stays streaming) applying the request-level faults."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].startswith(("/api/", "/v2/")):
            await self.app(scope, receive, send)
            return
        faults: Faults | None = scope["app"].state.faults if "app" in scope else None
        if faults is None:
            await self.app(scope, receive, send)
            return
        n = faults.next_request()
        if faults.latency_s > 0:
            await asyncio.sleep(faults.latency_s)
        if faults.is_rate_limited(n):
            await _send_json(send, 429, {"error": "Too many requests; slow down."},
                             [(b"retry-after", faults.retry_after_header().encode())])
            return
        status = faults.error_status(n)
        if status is not None:
            message = "Service temporarily unavailable." if status == 503 else "Internal server error."
            await _send_json(send, status, {"error": message})
            return
        await self.app(scope, receive, send)


async def _send_json(send: Any, status: int, payload: dict, headers: list | None = None) -> None:
    body = json.dumps(payload).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    *(headers or [])],
    })
    await send({"type": "http.response.body", "body": body})
