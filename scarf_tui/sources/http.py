"""The HTTP layer the non-Scarf sources share: the HTTPS guard, auth, size and time limits,
retries, refused redirects, and error responses turned into one-sentence SourceErrors.

It reuses scarf_tui.api.http's decisions (which URLs are safe, what is loopback, what is
in-process) and adds what differs per source: the source's name in every sentence, its own
auth (HTTP Basic for pypicloud, ``Authorization: Token`` for PurlDB) and its own 401/403
wording. Secrets live only in the httpx client's auth/headers and in ``_secrets`` (for
redaction); no repr, message or log line holds them.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from scarf_tui.api.errors import InsecureURL, parse_retry_after, sanitize
from scarf_tui.api.http import USER_AGENT, check_base_url, is_in_process, is_loopback_host
from scarf_tui.api.request_log import event_hooks
from scarf_tui.sources.errors import (
    SourceError,
    SourceInsecureURL,
    SourceInvalidResponse,
    SourceTimeout,
    SourceUnavailable,
    redact,
)

DEFAULT_TIMEOUT = 15.0
DEFAULT_MAX_BODY = 16 * 1024 * 1024
MAX_RETRY_AFTER = 30.0
IDEMPOTENT = frozenset({"GET", "HEAD", "PUT", "DELETE"})
RETRYABLE = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, slots=True)
class ErrorWording:
    """How one request's failures are worded: ``what`` it was about, and whether a 403 means
    "not an admin" (admin paths) rather than "may not access"."""

    what: str
    admin: bool = False


@dataclass(frozen=True, slots=True)
class _Failure:
    error: SourceError
    never_sent: bool


_Outcome = _Failure | tuple[int, httpx.Headers, bytes]

# (status, headers, body, method, wording) -> the SourceError to raise
ErrorMapper = Callable[[int, Mapping[str, str], bytes, str, ErrorWording], SourceError]


def checked_base_url(source: str, url: str, *, transport: httpx.AsyncBaseTransport | None, secret_kind: str) -> str:
    """The base URL without a trailing slash, or SourceInsecureURL in the source's words.
    The decision is scarf_tui.api.http.check_base_url's; only the sentence differs."""
    try:
        return check_base_url(url, transport=transport)
    except InsecureURL:
        pass
    parts = urlsplit((url or "").strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = sanitize(url or "", limit=80) or "(empty)"
        raise SourceInsecureURL(f"{source}: the URL {shown!r} is not an http(s) URL with a host.", source=source)
    if parts.username or parts.password:
        raise SourceInsecureURL(
            f"{source}: the URL must not contain a user name or password; give them in the settings instead.",
            source=source,
        )
    raise SourceInsecureURL(
        f"{source}: refusing to send the {secret_kind} over plain http:// to {sanitize(parts.hostname, limit=80)}; "
        "use https:// (plain http is allowed only for localhost).",
        source=source,
    )


class SourceClient:
    """httpx plus the policy, for one source."""

    def __init__(
        self,
        source: str,
        base_url: str,
        *,
        error_mapper: ErrorMapper,
        auth: httpx.Auth | None = None,
        headers: Mapping[str, str] | None = None,
        secrets: Sequence[str] = (),
        secret_kind: str = "password",
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_retries: int = 2,
        backoff: float = 0.5,
        max_retry_after: float = MAX_RETRY_AFTER,
        concurrency: int = 4,
        max_body_bytes: int = DEFAULT_MAX_BODY,
    ) -> None:
        self.source = source
        self.base_url = checked_base_url(source, base_url, transport=transport, secret_kind=secret_kind)
        self.host = urlsplit(self.base_url).hostname or self.base_url
        self._secrets = tuple(s for s in secrets if s)
        self._map_error = error_mapper
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.backoff = max(0.0, backoff)
        self.max_retry_after = max_retry_after
        self.max_body_bytes = max_body_bytes
        self._limit = asyncio.Semaphore(max(1, concurrency))
        all_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        all_headers.update(headers or {})
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            auth=auth,
            headers=all_headers,
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            follow_redirects=False,
            trust_env=transport is None and not is_loopback_host(self.host),
            event_hooks=event_hooks(source, self._secrets),  # --log FILE
        )
        self._in_process = is_in_process(transport)

    def __repr__(self) -> str:
        secret = "'***'" if self._secrets else "None"
        return f"SourceClient(source={self.source!r}, base_url={self.base_url!r}, secret={secret})"

    @property
    def has_secret(self) -> bool:
        return bool(self._secrets)

    async def aclose(self) -> None:
        await self._client.aclose()

    # --- URLs ----------------------------------------------------------------------------------

    def relative_path(self, url: str) -> tuple[str, dict[str, str]] | None:
        """A link the server gave (a next page, a resources URL) as (path below the base URL,
        query), or None when it points anywhere else: another host or port, or outside the base
        path. Only such same-server links are ever followed, and always over the base URL."""
        try:
            link = httpx.URL(url)
            base = httpx.URL(self.base_url)
        except (httpx.InvalidURL, TypeError, ValueError):
            return None
        if link.is_relative_url:
            link = base.join(url)
        # Only the path and query are used (the request goes to our own base URL, with its
        # scheme), so an http:// link from a server behind a TLS proxy is followed over https.
        if link.scheme not in ("http", "https") or (link.host, link.port) != (base.host, base.port):
            return None
        base_path = base.raw_path.decode("ascii").split("?")[0].rstrip("/")
        raw = link.raw_path.decode("ascii").split("?")[0]
        if not raw.startswith(base_path + "/"):
            return None
        params = {k: v for k, v in link.params.multi_items()}
        return raw[len(base_path):], params

    # --- requests ------------------------------------------------------------------------------

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        data: Mapping[str, str] | None = None,
        wording: ErrorWording,
        max_bytes: int | None = None,
    ) -> tuple[int, bytes]:
        """Send one request (with retries for idempotent methods); return (status, body) of a
        2xx answer, else raise SourceError. The body is read up to ``max_bytes``."""
        method = method.upper()
        limit = self.max_body_bytes if max_bytes is None else max_bytes
        async with self._limit:
            attempt = 0
            while True:
                outcome = await self._attempt(method, path, params, data, limit)
                retry = self._retry_delay(method, outcome, attempt)
                if retry is not None:
                    await asyncio.sleep(retry)
                    attempt += 1
                    continue
                if isinstance(outcome, _Failure):
                    raise outcome.error
                status, headers, body = outcome
                if 200 <= status < 300:
                    return status, body
                if 300 <= status < 400:
                    raise SourceInvalidResponse(
                        f"{self.source}: the server redirected {method} {sanitize(path, limit=120)} ({status}); "
                        f"redirects are not followed, so check the {self.source} URL.",
                        source=self.source,
                        status=status,
                    )
                raise self._map_error(status, headers, body, method, wording)

    def _retry_delay(self, method: str, outcome: _Outcome, attempt: int) -> float | None:
        if attempt >= self.max_retries:
            return None
        base = self.backoff * (2**attempt)
        delay = base + random.uniform(0, base * 0.1) if base else 0.0
        if isinstance(outcome, _Failure):
            # A connection never made is safe to repeat even for POST.
            transient = isinstance(outcome.error, SourceTimeout | SourceUnavailable)
            if outcome.never_sent or (method in IDEMPOTENT and transient):
                return delay
            return None
        status, headers, _ = outcome
        if method not in IDEMPOTENT or status not in RETRYABLE:
            return None
        retry_after = parse_retry_after(headers.get("retry-after"))
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            delay = max(delay, retry_after)
        return delay

    async def _attempt(
        self,
        method: str,
        path: str,
        params: Mapping[str, str] | None,
        data: Mapping[str, str] | None,
        limit: int,
    ) -> _Outcome:
        """One try: the answer, or the SourceError a transport failure becomes. Errors are
        built outside the except blocks, so no httpx exception (whose request carries the
        Authorization header) rides along as __context__."""
        request = self._client.build_request(method, path, params=params, data=data)
        failure: SourceError | None = None
        never_sent = False
        try:
            async with asyncio.timeout(self.timeout):
                response = await self._client.send(request, stream=True)
                try:
                    body = await self._read_limited(response, limit, method, path)
                finally:
                    await response.aclose()
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            never_sent = True
            if isinstance(exc, httpx.ConnectTimeout):
                failure = SourceTimeout(f"{self.source}: connecting to {self.host} timed out.", source=self.source)
            else:
                failure = SourceUnavailable(
                    f"{self.source}: could not connect to {self.host} ({self._reason(exc)}).", source=self.source
                )
        except (httpx.TimeoutException, TimeoutError):
            failure = SourceTimeout(
                f"{self.source}: {self.host} did not answer {method} within {self.timeout:g} seconds.",
                source=self.source,
            )
        except httpx.TransportError as exc:
            failure = SourceUnavailable(
                f"{self.source}: the connection to {self.host} failed ({self._reason(exc)}).", source=self.source
            )
        except SourceError as exc:
            failure = exc
        if failure is not None:
            return _Failure(failure, never_sent)
        return response.status_code, response.headers, body

    async def _read_limited(self, response: httpx.Response, limit: int, method: str, path: str) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise self._too_large(method, path, limit)
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > limit:
                raise self._too_large(method, path, limit)
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, method: str, path: str, limit: int) -> SourceInvalidResponse:
        return SourceInvalidResponse(
            f"{self.source}: the answer to {method} {sanitize(path, limit=120)} was larger than "
            f"{limit // (1024 * 1024) or 1} MB and was not read.",
            source=self.source,
        )

    def _reason(self, exc: Exception) -> str:
        text = sanitize(redact(str(exc), self._secrets), limit=120)
        lowered = text.lower()
        if "refused" in lowered or "all connection attempts failed" in lowered:
            return "connection refused"
        if "name or service not known" in lowered or "nodename nor servname" in lowered or "getaddrinfo" in lowered:
            return "host name not found"
        if "certificate" in lowered or "ssl" in lowered:
            return "TLS certificate problem"
        return text or type(exc).__name__


def seg(value: str) -> str:
    """One URL path segment: everything but unreserved characters escaped ("." and ".." too,
    which URL normalization would otherwise resolve away)."""
    text = quote(str(value), safe="")
    return text.replace(".", "%2E") if text in (".", "..") else text


def decode_json(source: str, method: str, path: str, body: bytes) -> Any:
    """The JSON value of a body, or SourceInvalidResponse naming the request."""
    import json

    if not body.strip():
        raise SourceInvalidResponse(
            f"{source}: the answer to {method} {sanitize(path, limit=120)} was empty; JSON was expected.",
            source=source,
        )
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise SourceInvalidResponse(
            f"{source}: the answer to {method} {sanitize(path, limit=120)} was not valid JSON.", source=source
        ) from None


__all__ = ["ErrorMapper", "ErrorWording", "SourceClient", "checked_base_url", "decode_json", "seg"]
