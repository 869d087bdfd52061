"""The one HTTP client factory: base URL, bearer auth, timeouts, size and stall limits,
retries, HTTPS guard.

Everything that touches httpx lives here; the service above it sees responses that succeeded
or a ScarfError. The token lives only inside the httpx client's headers (which httpx masks in
its own reprs) and in the redaction registry, which cuts it out of every message.

Bounded against any server (config.Limits, the ``[limits]`` table): an answer read whole stops
at ``max_body_mb`` of decompressed bytes, decompressed in small steps so a gzip bomb never
expands past the cap; a stream line stops at ``max_line_kb``; a stream that delivers less than
1 KB in ``stall_seconds`` is stopped. Each ends in a sentence naming its setting.
"""

from __future__ import annotations

import asyncio
import random
import ssl
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

import httpx

from scarf_tui import __version__
from scarf_tui.api import request_log
from scarf_tui.api.bodies import (
    BodyDecoder,
    decode_json,
    decode_json_line,
    paced,
    read_capped,
    read_truncated,
    split_lines,
)
from scarf_tui.api.errors import (
    ConnectionFailed,
    InvalidResponse,
    RateLimited,
    RequestTimeout,
    ScarfError,
    error_from_response,
    parse_retry_after,
    sanitize,
)
from scarf_tui.api.tokens import TokenLike, check_token, reveal_token
from scarf_tui.api.urls import check_base_url, is_in_process, is_loopback_host
from scarf_tui.config import DEFAULT_API_URL, Limits
from scarf_tui.redaction import redact_bytes, register_secret

USER_AGENT = f"scarf-tui/{__version__}"
DEFAULT_TIMEOUT = 15.0
DEFAULT_CONCURRENCY = 8  # config.toml's `concurrency` overrides it
# A Retry-After longer than this is not waited out: the caller gets RateLimited at once.
MAX_RETRY_AFTER = 30.0
# Methods that are safe to repeat. POST is retried only when the connection was never made.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
# Encodings we undo ourselves, in bounded steps (httpx would expand a whole chunk at once).
ACCEPT_ENCODING = "gzip, deflate"
# An error answer is read this far at most: only its first sentence is ever shown.
MAX_ERROR_BODY = 64 * 1024
# A stream must deliver at least this much in every stall_seconds (or end).
STALL_PROGRESS_BYTES = 1024


def build_client(
    base_url: str,
    token: TokenLike,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> httpx.AsyncClient:
    """The httpx.AsyncClient every request goes through. Paths are relative ("/v1/...")."""
    base_url = check_base_url(base_url, transport=transport)
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": ACCEPT_ENCODING}
    secret = reveal_token(token)
    check_token(secret)
    if secret:
        register_secret(secret)
        headers["Authorization"] = f"Bearer {secret}"
    return httpx.AsyncClient(
        base_url=base_url,
        headers=headers,
        transport=transport,
        verify=_no_tls() if httpx.URL(base_url).scheme == "http" else True,
        # Connect fails fast; reads may take longer (exports stream for a while between chunks).
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        follow_redirects=False,
        # Proxy settings from the environment apply to real hosts, never to loopback or in-process.
        trust_env=transport is None and not is_loopback_host(httpx.URL(base_url).host),
        event_hooks=request_log.event_hooks("scarf"),  # --log FILE: method, path, status, ms, bytes
    )


def _no_tls() -> ssl.SSLContext:
    """For a plain-http client (loopback or in-process only, see check_base_url; `next` links stay
    on that origin and redirects are not followed), which never speaks TLS: a context that
    trusts no certificate, so start-up skips loading the CA bundle (tens of ms) and a TLS
    connection, were one ever made, would fail rather than go unverified."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


class ApiClient:
    """httpx plus the policy: concurrency limit, retries with backoff, size and stall limits,
    errors as ScarfError."""

    def __init__(
        self,
        base_url: str,
        token: TokenLike,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 3,
        backoff: float = 0.5,
        max_retry_after: float = MAX_RETRY_AFTER,
        concurrency: int = DEFAULT_CONCURRENCY,
        limits: Limits | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url, transport=transport)
        self._secret = reveal_token(token)
        self._client = build_client(self.base_url, token, transport=transport, timeout=timeout)
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.backoff = max(0.0, backoff)
        self.max_retry_after = max_retry_after
        self.limits = limits or Limits()
        self.concurrency = max(1, concurrency)  # public: callers size their own worker pools by it
        self._limit = asyncio.Semaphore(self.concurrency)
        self._in_process = is_in_process(transport)
        self.host = httpx.URL(self.base_url).host or self.base_url

    def __repr__(self) -> str:
        token = "'***'" if self._secret else "None"
        return f"ApiClient(base_url={self.base_url!r}, token={token})"

    @property
    def has_token(self) -> bool:
        return self._secret is not None

    async def aclose(self) -> None:
        await self._client.aclose()

    # --- requests ------------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        what: str | None = None,
        export: bool = False,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one request (with retries) and return the successful response, its body read
        (at most limits.max_body_mb, decompressed). `idempotent` marks a write that is safe to
        repeat (setting a permission level): it is retried like a GET; by default the method decides."""
        async with self._limit:
            response = await self._send(
                method, path, params=params, json=json, what=what, export=export, stream=False, idempotent=idempotent
            )
            return response

    async def request_json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        json: Any = None,
        what: str | None = None,
        allow_empty: bool = False,
    ) -> Any:
        """The decoded JSON body, with registered secrets cut out of every string;
        InvalidResponse if it is not JSON. Empty bodies give None when ``allow_empty`` (writes
        often answer 200/201/204 with nothing)."""
        response = await self.request(method, path, params=params, json=json, what=what)
        content = response.content
        shown = sanitize(path, limit=120)
        if not content.strip():
            if allow_empty:
                return None
            raise InvalidResponse(f"The server's answer to {method} {shown} was empty; JSON was expected.")
        return decode_json(content, f"The server's answer to {method} {shown}")

    @asynccontextmanager
    async def stream(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        what: str | None = None,
        export: bool = False,
    ) -> AsyncIterator[httpx.Response]:
        """A successful response whose body is not read yet (retries happen only before the body
        starts). Read it with ``iter_lines`` or ``iter_bytes``; the concurrency slot is held
        until exit."""
        async with self._limit:
            response = await self._send(method, path, params=params, json=None, what=what, export=export, stream=True)
            try:
                yield response
            finally:
                await response.aclose()

    async def iter_bytes(self, response: httpx.Response) -> AsyncIterator[bytes]:
        """Body chunks, decompressed, as they arrive; a stall (less than 1 KB in
        limits.stall_seconds) and transport failures become ScarfError."""
        stall = self.limits.stall_seconds

        def stalled(seen: int) -> ScarfError:
            got = f"only {seen} bytes arrived" if seen else "no data arrived"
            return RequestTimeout(
                f"The download from {self.host} stalled: {got} in {stall:g} seconds "
                "(limits.stall_seconds), so it was stopped."
            )

        failure: ScarfError | None = None
        chunk = piece = tail = b""
        try:
            if response.is_stream_consumed:  # already read by the transport (httpx.MockTransport)
                yield response.content
                return
            decoder = BodyDecoder(response.headers.get("content-encoding"))
            async for chunk in paced(response.aiter_raw(), stall, stalled, progress_bytes=STALL_PROGRESS_BYTES):
                for piece in decoder.decode(chunk):
                    yield piece
            if tail := decoder.flush():
                yield tail
        except httpx.TimeoutException:
            failure = stalled(0)
        except httpx.TransportError as exc:
            failure = InvalidResponse(
                f"The stream from {self.host} was cut before it finished ({_reason(exc, self._secret)})."
            )
        except ScarfError as exc:  # a stall or an undecodable body: caught only to clear the locals
            failure = exc
        if failure is not None:
            chunk = piece = tail = b""  # no server bytes linger in this frame (a crash dump shows locals)
            raise failure  # raised outside the handler: see _send

    def iter_lines(self, response: httpx.Response, *, label: str) -> AsyncIterator[bytes]:
        """The body's lines (each with its b"\\n"; a last line without one when the stream
        ends mid-line), at most limits.max_line_kb each, registered secrets cut out. ``label``
        names the data in the sentence ("the aggregates of organization 'acme'")."""
        kb = self.limits.max_line_kb

        def too_long() -> ScarfError:
            return InvalidResponse(
                f"A line of the {label} is longer than {kb} KB (limits.max_line_kb), so the download was stopped."
            )

        return split_lines(self.iter_bytes(response), self.limits.max_line_bytes, too_long)

    # --- the retry loop --------------------------------------------------------------------------

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None,
        json: Any,
        what: str | None,
        export: bool,
        stream: bool,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        method = method.upper()
        idempotent = method in IDEMPOTENT_METHODS if idempotent is None else idempotent
        # A stream's reads are bounded by the stall limit (iter_bytes); httpx's own read timeout
        # stays behind it as a backstop.
        timeout = httpx.Timeout(
            self.timeout, connect=min(self.timeout, 10.0), read=max(self.timeout, self.limits.stall_seconds + 1)
        ) if stream else httpx.USE_CLIENT_DEFAULT
        attempt = 0
        while True:
            request = self._client.build_request(method, path, params=params, json=json, timeout=timeout)
            failure: ScarfError | None = None
            try:
                async with asyncio.timeout(self._deadline(stream)):
                    response = await self._client.send(request, stream=True)
                    if not stream and response.status_code < 300:
                        response = await self._read_whole(response, method, path)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                # The request never reached the server, so even a POST is safe to repeat.
                if attempt < self.max_retries:
                    await asyncio.sleep(self._delay(attempt))
                    attempt += 1
                    continue
                if isinstance(exc, httpx.ConnectTimeout):
                    failure = RequestTimeout(f"Connecting to {self.host} timed out; check the network or the API URL.")
                else:
                    failure = ConnectionFailed(
                        f"Could not connect to {self.host} ({_reason(exc, self._secret)}); "
                        "check the network or the API URL."
                    )
            except (httpx.TimeoutException, TimeoutError):
                if idempotent and attempt < self.max_retries:
                    await asyncio.sleep(self._delay(attempt))
                    attempt += 1
                    continue
                failure = RequestTimeout(
                    f"{self.host} did not answer {method} within {self.timeout:g} seconds; try again later."
                )
            except httpx.TransportError as exc:
                if idempotent and attempt < self.max_retries:
                    await asyncio.sleep(self._delay(attempt))
                    attempt += 1
                    continue
                failure = ConnectionFailed(
                    f"The connection to {self.host} failed ({_reason(exc, self._secret)}); try again."
                )
            if failure is not None:
                # Raised outside the handler, so no httpx error rides along as __context__: its
                # request holds the Authorization header, and its text may quote it.
                raise failure

            status = response.status_code
            if status < 400:
                if 300 <= status:
                    await response.aclose()
                    raise InvalidResponse(
                        f"The server redirected {method} {sanitize(path, limit=120)} ({status}); check the API URL."
                    )
                return response

            retry_after = parse_retry_after(response.headers.get("retry-after"))
            if idempotent and status in RETRYABLE_STATUSES and attempt < self.max_retries:
                if retry_after is None or retry_after <= self.max_retry_after:
                    await response.aclose()
                    delay = self._delay(attempt)
                    if retry_after is not None:
                        delay = max(delay, retry_after)
                    await asyncio.sleep(delay)
                    attempt += 1
                    continue
            body = await self._read_error_body(response)
            error = error_from_response(
                status,
                response.headers,
                body,
                method=method,
                what=what,
                export=export,
                has_token=self.has_token,
            )
            if isinstance(error, RateLimited) and error.retry_after is None:
                error.retry_after = retry_after
            raise error

    async def _read_whole(self, response: httpx.Response, method: str, path: str) -> httpx.Response:
        """``response`` with its body read and decompressed, at most limits.max_body_mb."""
        mb = self.limits.max_body_mb

        def too_large() -> ScarfError:
            return InvalidResponse(
                f"The server's answer to {method} {sanitize(path, limit=120)} is larger than {mb:g} MB "
                "(limits.max_body_mb), so it was not read further."
            )

        try:
            # Secrets cut out of the raw bytes at once, so no later frame holds them.
            body = redact_bytes(await read_capped(_decoded(response), self.limits.max_body_bytes, too_large))
        finally:
            await response.aclose()
        headers = [(k, v) for k, v in response.headers.multi_items() if k not in ("content-encoding", "content-length")]
        return httpx.Response(response.status_code, headers=headers, content=body, request=response.request)

    def _deadline(self, stream: bool) -> float | None:
        """The overall limit on one send, on top of httpx's per-phase timeouts (which an
        in-process transport such as httpx.ASGITransport ignores).

        A plain request is bounded as a whole, its body included. A stream over the network is
        bounded up to its headers (send returns then) and afterwards by the stall limit, so a
        long export that keeps delivering never times out. An in-process transport hands over a
        stream's whole body inside send, so a bound there would cap the export's length, not
        a stall: it gets none."""
        if stream and self._in_process:
            return None
        return self.timeout

    async def _read_error_body(self, response: httpx.Response) -> bytes:
        """The start of an error answer (only its first sentence is ever shown)."""
        try:
            return redact_bytes(await read_truncated(_decoded(response), MAX_ERROR_BODY))
        except (httpx.HTTPError, ScarfError):
            return b""
        finally:
            await response.aclose()

    def _delay(self, attempt: int) -> float:
        base = self.backoff * (2**attempt)
        return base + random.uniform(0, base * 0.1) if base else 0.0


async def _decoded(response: httpx.Response) -> AsyncIterator[bytes]:
    """The body, decompressed in bounded steps, as it arrives."""
    if response.is_stream_consumed:
        # A transport that hands over a response already read (httpx.MockTransport in tests):
        # httpx decoded it then.
        yield response.content
        return
    decoder = BodyDecoder(response.headers.get("content-encoding"))
    async for chunk in response.aiter_raw():
        for piece in decoder.decode(chunk):
            yield piece
    if tail := decoder.flush():
        yield tail


def _reason(exc: Exception, secret: str | None) -> str:
    """A short, token-free reason from an httpx transport error (h11, for one, quotes a header
    value it refuses, which would be the Authorization header)."""
    text = str(exc)
    if secret:
        text = text.replace(secret, "***")
    text = sanitize(text, limit=120)
    lowered = text.lower()
    if "refused" in lowered or "all connection attempts failed" in lowered:
        return "connection refused"
    if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered:
        return "host name not found"
    if "certificate" in lowered or "ssl" in lowered:
        return "TLS certificate problem"
    return text or type(exc).__name__


__all__ = [
    "ApiClient",
    "Limits",
    "decode_json",
    "decode_json_line",
    "split_lines",
    "DEFAULT_API_URL",
    "USER_AGENT",
    "build_client",
    "check_base_url",
    "check_token",
    "is_in_process",
    "is_loopback_host",
    "reveal_token",
]
