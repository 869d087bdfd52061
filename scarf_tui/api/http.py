"""The one HTTP client factory: base URL, bearer auth, timeouts, retries, HTTPS guard.

Everything that touches httpx lives here; the service above it sees responses that succeeded
or a ScarfError. The token lives only inside the httpx client's headers (which httpx masks in
its own reprs) and is never logged or put into a message.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json as jsonlib
import random
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from scarf_tui import __version__
from scarf_tui.api.errors import (
    AuthError,
    ConnectionFailed,
    InsecureURL,
    InvalidResponse,
    RateLimited,
    RequestTimeout,
    ScarfError,
    error_from_response,
    parse_retry_after,
    sanitize,
)

DEFAULT_API_URL = "https://scarf.sh/api"
USER_AGENT = f"scarf-tui/{__version__}"
DEFAULT_TIMEOUT = 15.0
DEFAULT_CONCURRENCY = 6
# A Retry-After longer than this is not waited out: the caller gets RateLimited at once.
MAX_RETRY_AFTER = 30.0
# Methods that are safe to repeat. POST is retried only when the connection was never made.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


class RevealableToken(Protocol):
    def reveal(self) -> str: ...


TokenLike = str | RevealableToken | None


def reveal_token(token: TokenLike) -> str | None:
    """The token's text, whether it came as a plain str or as config.Token."""
    if token is None:
        return None
    if isinstance(token, str):
        return token or None
    value = token.reveal()
    return value or None


def is_loopback_host(host: str) -> bool:
    """A loopback IP literal, or "localhost" itself. Not "*.localhost": a plain resolver may
    ask DNS for those, and the answer could point anywhere."""
    host = host.strip("[]").lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_in_process(transport: httpx.AsyncBaseTransport | None) -> bool:
    """True for a transport that never touches the network (httpx.ASGITransport, a test's
    MockTransport): no byte of the request leaves the process."""
    return transport is not None and not isinstance(transport, httpx.AsyncHTTPTransport)


def check_base_url(url: str, *, transport: httpx.AsyncBaseTransport | None = None) -> str:
    """Return the base URL without a trailing slash, or raise InsecureURL.

    Plain http:// is allowed only to loopback hosts, or when an explicit non-network transport
    is given (the in-process demo: ``http://demo.invalid/api`` over httpx.ASGITransport), since
    then no byte leaves the process."""
    text = (url or "").strip()
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = sanitize(text, limit=80) or "(empty)"
        raise InsecureURL(
            f"The API URL {shown!r} is not an http(s) URL with a host, e.g. {DEFAULT_API_URL}."
        )
    if parts.username or parts.password:
        raise InsecureURL("The API URL must not contain a user name or password; use a token.")
    if parts.scheme == "http":
        if not (is_in_process(transport) or is_loopback_host(parts.hostname)):
            raise InsecureURL(
                f"Refusing to send the API token over plain http:// to {sanitize(parts.hostname, limit=80)}; "
                "use https:// (plain http is allowed only for localhost)."
            )
    return text.rstrip("/")


# What a token may hold: visible ASCII. Anything else (a line break or space from a bad paste,
# a non-ASCII letter) cannot travel in a header, and httpx's error about it would quote it.
_TOKEN_TEXT = re.compile(r"[\x21-\x7e]+")


def check_token(secret: str | None) -> None:
    """AuthError, without the token in it, when the token cannot be sent as a header."""
    if secret is not None and not _TOKEN_TEXT.fullmatch(secret):
        raise AuthError(
            "The API token contains characters no token has (a space, line break, control "
            "character or non-ASCII letter); copy it again from https://scarf.sh/user-account."
        )


def build_client(
    base_url: str,
    token: TokenLike,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = DEFAULT_TIMEOUT,
) -> httpx.AsyncClient:
    """The httpx.AsyncClient every request goes through. Paths are relative ("/v1/...")."""
    base_url = check_base_url(base_url, transport=transport)
    headers = {"User-Agent": USER_AGENT}
    secret = reveal_token(token)
    check_token(secret)
    if secret:
        headers["Authorization"] = f"Bearer {secret}"
    return httpx.AsyncClient(
        base_url=base_url,
        headers=headers,
        transport=transport,
        # Connect fails fast; reads may take longer (exports stream for a while between chunks).
        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
        follow_redirects=False,
        # Proxy settings from the environment apply to real hosts, never to loopback or in-process.
        trust_env=transport is None and not is_loopback_host(urlsplit(base_url).hostname or ""),
    )


class ApiClient:
    """httpx plus the policy: concurrency limit, retries with backoff, errors as ScarfError."""

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
    ) -> None:
        self.base_url = check_base_url(base_url, transport=transport)
        self._secret = reveal_token(token)
        self._client = build_client(self.base_url, token, transport=transport, timeout=timeout)
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.backoff = max(0.0, backoff)
        self.max_retry_after = max_retry_after
        self._limit = asyncio.Semaphore(concurrency)
        self._in_process = is_in_process(transport)
        self.host = urlsplit(self.base_url).hostname or self.base_url

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
    ) -> httpx.Response:
        """Send one request (with retries) and return the read, successful response."""
        async with self._limit:
            response = await self._send(method, path, params=params, json=json, what=what, export=export, stream=False)
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
        """The decoded JSON body; InvalidResponse if it is not JSON. Empty bodies give None
        when ``allow_empty`` (writes often answer 200/201/204 with nothing)."""
        response = await self.request(method, path, params=params, json=json, what=what)
        content = response.content
        if not content.strip():
            if allow_empty:
                return None
            raise InvalidResponse(f"The server's answer to {method} {path} was empty; JSON was expected.")
        try:
            return jsonlib.loads(content)
        except (ValueError, UnicodeDecodeError):
            raise InvalidResponse(
                f"The server's answer to {method} {sanitize(path, limit=120)} was not valid JSON."
            ) from None

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
        starts). Read it with ``iter_bytes``; the concurrency slot is held until exit."""
        async with self._limit:
            response = await self._send(method, path, params=params, json=None, what=what, export=export, stream=True)
            try:
                yield response
            finally:
                await response.aclose()

    async def iter_bytes(self, response: httpx.Response) -> AsyncIterator[bytes]:
        """Body chunks as they arrive, with transport failures mapped to ScarfError."""
        failure: ScarfError | None = None
        try:
            async for chunk in response.aiter_bytes():
                if chunk:
                    yield chunk
        except httpx.TimeoutException:
            failure = RequestTimeout(
                f"The download from {self.host} stalled for more than {self.timeout:g} seconds and was stopped."
            )
        except httpx.TransportError as exc:
            failure = InvalidResponse(
                f"The stream from {self.host} was cut before it finished ({_reason(exc, self._secret)})."
            )
        if failure is not None:
            raise failure  # raised outside the handler: see _send

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
    ) -> httpx.Response:
        method = method.upper()
        idempotent = method in IDEMPOTENT_METHODS
        attempt = 0
        while True:
            request = self._client.build_request(method, path, params=params, json=json)
            failure: ScarfError | None = None
            try:
                async with asyncio.timeout(self._deadline(stream)):
                    response = await self._client.send(request, stream=stream)
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
                failure = ConnectionFailed(f"The connection to {self.host} failed ({_reason(exc, self._secret)}); try again.")
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
                redact=self._secret,
            )
            if isinstance(error, RateLimited) and error.retry_after is None:
                error.retry_after = retry_after
            raise error

    def _deadline(self, stream: bool) -> float | None:
        """The overall limit on one send, on top of httpx's per-phase timeouts (which an
        in-process transport such as httpx.ASGITransport ignores).

        A plain request is bounded as a whole. A stream over the network is bounded up to its
        headers (send returns then) and afterwards per read by httpx's read timeout, so a long
        export that keeps delivering never times out. An in-process transport hands over a
        stream's whole body inside send, so a bound there would cap the export's length, not
        a stall: it gets none."""
        if stream and self._in_process:
            return None
        return self.timeout

    async def _read_error_body(self, response: httpx.Response) -> bytes:
        try:
            return await response.aread()
        except httpx.HTTPError:
            return b""
        finally:
            await response.aclose()

    def _delay(self, attempt: int) -> float:
        base = self.backoff * (2**attempt)
        return base + random.uniform(0, base * 0.1) if base else 0.0


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
    "DEFAULT_API_URL",
    "USER_AGENT",
    "build_client",
    "check_base_url",
    "check_token",
    "is_in_process",
    "is_loopback_host",
    "reveal_token",
]
