"""A hostile Scarf server: a small Starlette app whose every answer is something a broken or
malicious server could send. ``Hostile.mode`` picks the misbehaviour; the app speaks just enough
of the Scarf API v1 (the package list, an organization's aggregates, events CSV) to be reached
by the real client.

Modes (the same name works on every route unless noted):
  echo          the bearer token it was sent, in every field: JSON values and keys, headers,
                NDJSON values (aggregates' ``date`` stays valid), CSV cells
  echo-date, echo-total, echo-unique
                aggregates only: the token in that field, so the parse error quotes it
  echo-500, echo-422, echo-404, echo-429
                an error answer with the token in every field of the body and in headers
  bomb          a gzip bomb: a few hundred KB that expand to BOMB_MB of zeros
  endless       a line that never ends (bytes without a line break, until the client leaves)
  trickle       one byte every ``trickle_every`` seconds, forever
  silent        headers, then nothing at all
  html          an HTML page with status 200
  nested        JSON nested NESTING levels deep
  cut-token     aggregates only: a line quoting the token cut one character short
"""

from __future__ import annotations

import asyncio
import functools
import json
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

BOMB_MB = 256
NESTING = 100_000
HTML = b"<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1></body></html>\n"
EVENTS_HEADER = "type,package,version,time,referer,user_agent,variables,origin_id\r\n"


@dataclass
class Hostile:
    mode: str = "echo"
    trickle_every: float = 0.05
    # What the server saw and did, for tests to check.
    requests: list[str] = field(default_factory=list)
    bytes_sent: int = 0


@functools.cache
def gzip_bomb(megabytes: int = BOMB_MB) -> bytes:
    """gzip of ``megabytes`` MB of zeros (about 1/1000 of that on the wire)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    block = bytes(1024 * 1024)
    parts = [packer.compress(block) for _ in range(megabytes)]
    parts.append(packer.flush())
    return b"".join(parts)


def _token(request: Request) -> str:
    return request.headers.get("authorization", "").removeprefix("Bearer ").strip()


def _echo_headers(token: str) -> dict[str, str]:
    return {"X-Echo": token, "Retry-After": token, "Link": f"<https://x.example/{token}>; rel=next"}


def _package(token: str) -> dict[str, object]:
    return {
        "uuid": token,
        "owner": token,
        "name": token,
        "shortDescription": f"a package by {token}",
        "longDescription": token,
        "website": f"https://{token}.example",
        "libraryType": token,
        "createdAt": "2026-01-01T00:00:00Z",
        token: token,  # an unknown key, too
    }


def _aggregate(token: str, mode: str) -> dict[str, object]:
    row: dict[str, object] = {
        "breakdown": "company",
        "date": "2026-11-01",
        "package": token if mode == "echo" else "p-1",
        "total": 5,
        "unique_total": 2,
        "company_name": token if mode == "echo" else "Acme",
    }
    if mode == "echo-date":
        row["date"] = token
    elif mode == "echo-total":
        row["total"] = token
    elif mode == "echo-unique":
        row["unique_total"] = token
    elif mode == "cut-token":
        row["date"] = "x" * 290 + token[:-1]  # a cut at 300 characters would keep most of it
    return row


def _nested() -> bytes:
    return b"[" * NESTING + b"]" * NESTING


def _error(state: Hostile, token: str) -> Response:
    status = int(state.mode.removeprefix("echo-"))
    body = {
        "error": f"token {token} is wrong",
        "message": token,
        "errors": {token: [f"{token} is taken"], "name": [token]},
        "code": token,
    }
    return Response(json.dumps(body), status_code=status, media_type="application/json", headers=_echo_headers(token))


async def _stream(state: Hostile, request: Request, first: bytes = b"") -> AsyncIterator[bytes]:
    """The body of a streaming misbehaviour; ends when the client goes away."""
    if first:
        state.bytes_sent += len(first)
        yield first
    if state.mode == "endless":
        chunk = b"x" * 65536
        while not await request.is_disconnected():
            state.bytes_sent += len(chunk)
            yield chunk
    elif state.mode == "trickle":
        while not await request.is_disconnected():
            await asyncio.sleep(state.trickle_every)
            state.bytes_sent += 1
            yield b"x"
    elif state.mode == "silent":
        while not await request.is_disconnected():
            await asyncio.sleep(0.05)


def _common(state: Hostile, request: Request, media: str) -> Response | None:
    """The misbehaviours every route shares; None when the route answers itself."""
    token = _token(request)
    state.requests.append(request.url.path)
    mode = state.mode
    if mode.startswith("echo-") and mode.removeprefix("echo-").isdigit():
        return _error(state, token)
    if mode == "bomb":
        bomb = gzip_bomb()
        state.bytes_sent += len(bomb)
        return Response(bomb, media_type=media, headers={"Content-Encoding": "gzip"})
    if mode == "html":
        return Response(HTML, media_type="text/html")
    if mode in ("endless", "trickle", "silent"):
        return StreamingResponse(_stream(state, request), media_type=media)
    return None


def create_hostile_app(state: Hostile) -> Starlette:
    async def packages(request: Request) -> Response:
        answer = _common(state, request, "application/json")
        if answer is not None:
            return answer
        token = _token(request)
        if state.mode == "nested":
            return Response(_nested(), media_type="application/json")
        return Response(json.dumps([_package(token)]), media_type="application/json", headers=_echo_headers(token))

    async def aggregates(request: Request) -> Response:
        answer = _common(state, request, "application/x-ndjson")
        if answer is not None:
            return answer
        token = _token(request)
        if state.mode == "nested":
            return Response(_nested() + b"\n", media_type="application/x-ndjson")
        line = json.dumps(_aggregate(token, state.mode)).encode() + b"\n"
        return Response(line * 3, media_type="application/x-ndjson", headers=_echo_headers(token))

    async def events(request: Request) -> Response:
        answer = _common(state, request, "text/csv")
        if answer is not None:
            return answer
        token = _token(request)
        row = f"{token},p-1,1.0,2026-11-01T00:00:00Z,https://{token}.example/,{token},{token}={token},o-1\r\n"
        return Response(EVENTS_HEADER + row * 2, media_type="text/csv", headers=_echo_headers(token))

    return Starlette(
        routes=[
            Route("/api/v1/packages", packages),
            Route("/api/v1/organizations/{org}/aggregates", aggregates),
            Route("/api/v1/users/{user}/aggregates", aggregates),
            Route("/api/v1/packages/{owner}/{uuid}/events/{name}", events),
            Route("/api/v1/packages/{uuid}/events/{name}", events),
            Route("/api/v1/pixels/events/{name}", events),
        ]
    )
