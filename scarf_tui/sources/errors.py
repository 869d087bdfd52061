"""One error family for the non-Scarf sources: each failure is one sentence naming the source.

The classes subclass ScarfError (so the UI's one error path shows them as they are) and, where
the meaning is the same, the matching Scarf class too (a 404 is a NotFound, a 429 a
RateLimited with ``retry_after``, a 422 a ValidationFailed with ``field_errors``). Credentials
are the exception: a rejected pypicloud password or PurlDB key is BadCredentials, not the Scarf
AuthError, so nothing mistakes it for a rejected Scarf token.

Error bodies are understood in the shapes the Scalingo API conventions describe
(``{"error": ...}``, ``{"errors": {field: [...]}}``, 402/404/422/5xx) plus plain text; the
server's words are sanitized and any secret the server might echo is cut out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from scarf_tui.api.errors import (
    ConnectionFailed,
    InsecureURL,
    InvalidResponse,
    NotFound,
    RateLimited,
    RequestTimeout,
    ScarfError,
    ServerError,
    ValidationFailed,
    format_field_errors,
    parse_error_body,
    parse_retry_after,
    sanitize,
    try_again_text,
)


class SourceError(ScarfError):
    """A failure talking to a source other than Scarf. ``source`` is its display name."""

    def __init__(self, message: str, *, source: str = "", **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.source = source


class BadCredentials(SourceError):
    """401: the user name and password (pypicloud) or API key (PurlDB) were rejected or missing."""


class NotAdmin(SourceError):
    """403 on an admin path: the account is valid but not an admin; admin views go read-only."""


class SourceForbidden(SourceError):
    """403 elsewhere: the account may not read or change this resource."""


class PaymentRequired(SourceError):
    """402: the server wants a paid plan (or a verified account) for this."""


class SourceNotFound(SourceError, NotFound):
    """404: the package, user, group or file does not exist (or is hidden from this account)."""


class SourceValidationFailed(SourceError, ValidationFailed):
    """400/409/422: the server refused the request's content."""


class SourceRateLimited(SourceError, RateLimited):
    """429 after the retries ran out."""


class SourceServerError(SourceError, ServerError):
    """5xx, or a status the client does not understand."""


class SourceTimeout(SourceError, RequestTimeout):
    """The source did not answer in time (or a download stalled)."""


class SourceUnavailable(SourceError, ConnectionFailed):
    """No connection could be made, or it broke."""


class SourceInvalidResponse(SourceError, InvalidResponse):
    """The source answered, but not in the documented shape (bad JSON, too large, a redirect)."""


class SourceInsecureURL(SourceError, InsecureURL):
    """The source's URL would send credentials in clear text, or is not a usable URL."""


def redact(text: str, secrets: Sequence[str]) -> str:
    """``text`` with every secret (and nothing else) replaced by ***."""
    for secret in secrets:
        if secret and len(secret) >= 3:
            text = text.replace(secret, "***")
    return text


def _sentence(source: str, text: str) -> str:
    text = text.strip()
    return f"{source}: {text.rstrip('.')}."


def _with_detail(source: str, sentence: str, detail: str | None) -> str:
    if not detail or detail.rstrip(".").lower() in sentence.lower():
        return _sentence(source, sentence)
    return _sentence(source, f"{sentence.rstrip('.')}: {detail.rstrip('.')}")


def error_from_response(
    source: str,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    method: str,
    what: str,
    secrets: Sequence[str] = (),
    unauthorized: str,
    forbidden: str | None = None,
    not_admin: str | None = None,
) -> SourceError:
    """One SourceError for one error response.

    what:         what the request was about ("package 'flywheel'"), for 403/404/other sentences.
    unauthorized: the sentence for 401 (it depends on whether credentials were sent).
    not_admin:    when given, a 403 is NotAdmin with this sentence (the request was an admin one).
    forbidden:    the sentence for any other 403 (default: "this account may not access {what}")."""
    detail, fields = parse_error_body(body)
    if detail:
        detail = redact(detail, secrets)
    fields = {redact(k, secrets): [redact(p, secrets) for p in v] for k, v in fields.items()}
    kw: dict[str, Any] = {"source": source, "status": status}

    if status == 401:
        return BadCredentials(_sentence(source, unauthorized), **kw)
    if status == 403:
        if not_admin is not None:
            return NotAdmin(_sentence(source, not_admin), **kw)
        sentence = forbidden or f"this account may not access {what} (403)"
        return SourceForbidden(_with_detail(source, sentence, detail), **kw)
    if status == 402:
        return PaymentRequired(_with_detail(source, f"the server requires payment for {what} (402)", detail), **kw)
    if status == 404:
        # A server sentence that only repeats "(not) found" adds nothing.
        useful = detail if detail and not re.search(r"\bfound\b", detail, re.IGNORECASE) else None
        return SourceNotFound(_with_detail(source, f"{what} was not found (404)", useful), **kw)
    if status in (400, 409, 422):
        if fields:
            text = format_field_errors(fields)
            if detail:
                text = f"{detail.rstrip('.')}; {text}"
            message = _sentence(source, f"the server refused {method} for {what} ({status}): {text}")
        elif detail:
            message = _sentence(source, f"the server refused {method} for {what} ({status}): {detail}")
        else:
            message = _sentence(source, f"the server refused {method} for {what} ({status}) without saying why")
        if detail:
            fields = {"": [detail], **fields}
        return SourceValidationFailed(message, field_errors=fields, **kw)
    if status == 429:
        retry_after = parse_retry_after(headers.get("retry-after"))
        when = try_again_text(retry_after)
        return SourceRateLimited(
            _sentence(source, f"the server is rate limiting requests (429); {when}"),
            retry_after=retry_after,
            **kw,
        )
    if 500 <= status < 600:
        return SourceServerError(
            _with_detail(source, f"the server had an error ({status}); try again shortly", detail), **kw
        )
    return SourceServerError(
        _with_detail(source, f"the server answered {method} for {what} with unexpected status {status}", detail),
        **kw,
    )


def shape_error(source: str, method: str, path: str, problem: str) -> SourceInvalidResponse:
    """The answer parsed as JSON but is not the documented shape."""
    return SourceInvalidResponse(
        _sentence(
            source, f"the answer to {method} {sanitize(path, limit=120)} was not in the expected shape ({problem})"
        ),
        source=source,
    )


__all__ = [
    "BadCredentials",
    "NotAdmin",
    "PaymentRequired",
    "SourceError",
    "SourceForbidden",
    "SourceInsecureURL",
    "SourceInvalidResponse",
    "SourceNotFound",
    "SourceRateLimited",
    "SourceServerError",
    "SourceTimeout",
    "SourceUnavailable",
    "SourceValidationFailed",
    "error_from_response",
    "redact",
    "shape_error",
]
