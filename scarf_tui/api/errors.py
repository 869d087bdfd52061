"""The ScarfError family: every failure the API layer can raise, each one readable sentence.

Screens show ``str(err)`` as it is, so every message here is a complete sentence that says what
went wrong and, where there is one, what to do about it. Messages never contain the API token:
ScarfError passes every message through scarf_tui.redaction.redact, and ``sanitize`` redacts
server text before shortening it. Text that came from the server is stripped of control
characters and ANSI escapes (the UI still renders it as data, never as markup).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, datetime

from scarf_tui.redaction import redact, register_secret

# ANSI CSI/OSC sequences, C0/C1 controls and bidi overrides (tab and newline become spaces;
# the rest go). Right-to-left letters themselves are kept: only the invisible overrides go.
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[@-Z\\-_]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_WHITESPACE_RUN = re.compile(r"[\t\n\r ]+")
MAX_SERVER_TEXT = 300


def sanitize(text: object, *, limit: int = MAX_SERVER_TEXT) -> str:
    """Server-provided text made safe for a one-line message: no ANSI, no control characters,
    whitespace runs collapsed, secrets redacted, and only then long text shortened (a cut
    before redacting could leave most of a token behind). Everything else (markup-like
    brackets, wide or right-to-left characters) is kept literally."""
    s = str(text)
    s = _ANSI.sub("", s)
    s = _WHITESPACE_RUN.sub(" ", s)
    # Redacted after the escapes are gone: an escape inside a token would otherwise hide it.
    s = redact(_CONTROL.sub("", s).strip())
    if len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    return s


class ScarfError(Exception):
    """Base of every API-layer failure. ``str(err)`` is one readable sentence."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        message = redact(message)  # the one redaction point every message passes
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r})"


class AuthError(ScarfError):
    """The token was rejected (401) or the account may not do this (403)."""


class ExportNotEnabled(ScarfError):
    """Data export is gated: the account has no export access (402, or 403 on an export path)."""


class NotFound(ScarfError):
    """404: the organization, package, member, route or domain does not exist (or is hidden)."""


class ValidationFailed(ScarfError):
    """400/422 from the server, or a draft that fails client-side checks.

    ``field_errors`` maps a field name (wire or form name) to its problems; "" holds
    problems that belong to no single field."""

    def __init__(
        self,
        message: str,
        *,
        field_errors: Mapping[str, list[str]] | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message, status=status)
        self.field_errors: dict[str, list[str]] = {
            redact(k): [redact(p) for p in v] for k, v in (field_errors or {}).items()
        }


class RateLimited(ScarfError):
    """429 after the retries ran out. ``retry_after`` is in seconds when the server said so."""

    def __init__(self, message: str, *, retry_after: float | None = None, status: int | None = 429) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ServerError(ScarfError):
    """5xx, or any other status the client does not understand."""


class RequestTimeout(ScarfError):
    """The server did not answer in time."""


class ConnectionFailed(ScarfError):
    """No connection could be made (refused, DNS failure, TLS failure, dropped connection)."""


class InvalidResponse(ScarfError):
    """The server answered, but not in the shape the spec promises (bad JSON, missing field,
    a stream cut mid-line)."""


class InsecureURL(ScarfError):
    """The API URL would send the token in clear text, or is not a usable URL at all."""


# ---------------------------------------------------------------------------------------------
# Turning an HTTP error response into one of the above.
# ---------------------------------------------------------------------------------------------


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds: either delta-seconds or an HTTP date. None when absent/unusable."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        # "inf", "nan" and the like are no promise at all.
        return max(0.0, seconds) if math.isfinite(seconds) else None
    from email.utils import parsedate_to_datetime  # the email package: only an HTTP date needs it

    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def seconds_text(seconds: float) -> str:
    """A wait for a sentence: whole seconds, rounded up ("3600 seconds", "1 second"), so an
    HTTP-date Retry-After does not show as "3599.42 seconds"; below one second as given."""
    if seconds >= 1:
        whole = math.ceil(seconds)
        return f"{whole} second" if whole == 1 else f"{whole} seconds"
    return f"{seconds:g} seconds"


def try_again_text(retry_after: float | None) -> str:
    """When to try again after a 429: "in N seconds" from Retry-After; a wait under a second
    (Retry-After: 0 included) is "in a moment", never "in 0 seconds"; none said, "shortly"."""
    if retry_after is None:
        return "try again shortly"
    return f"try again in {seconds_text(retry_after)}" if retry_after >= 1 else "try again in a moment"


# Error values nested deeper than this are not read for words (a hostile body may nest
# thousands of levels).
MAX_ERROR_DEPTH = 8


def _texts(value: object, depth: int = 0) -> list[str]:
    """Flatten a JSON error value (string, list of strings, nested objects) into sentences."""
    if value is None or depth > MAX_ERROR_DEPTH:
        return []
    if isinstance(value, str):
        return [value] if value.strip() else []
    if isinstance(value, list):
        return [t for item in value for t in _texts(item, depth + 1)]
    if isinstance(value, dict):
        for key in ("message", "error", "detail", "msg"):
            if key in value:
                return _texts(value[key], depth + 1)
        return [f"{k}: {t}" for k, v in value.items() for t in _texts(v, depth + 1)]
    return [str(value)]


def parse_error_body(body: bytes) -> tuple[str | None, dict[str, list[str]]]:
    """Understand the error bodies APIs send: ``{"error": ...}``, ``{"errors": {field: [...]}}``,
    ``{"errors": [...]}``, ``{"code", "message"}``, ``{"message"}``, plain text or nothing.

    Returns (overall detail or None, field errors). All text is sanitized."""
    if not body or not body.strip():
        return None, {}
    try:
        data = json.loads(body)
    except RecursionError:
        return None, {}
    except (ValueError, UnicodeDecodeError):
        text = body.decode("utf-8", errors="replace")
        # An HTML error page says nothing useful in one line.
        if text.lstrip().startswith("<"):
            return None, {}
        return sanitize(text) or None, {}
    fields: dict[str, list[str]] = {}
    details: list[str] = []
    if isinstance(data, dict):
        errors = data.get("errors")
        if isinstance(errors, dict):
            for name, problems in errors.items():
                texts = [sanitize(t) for t in _texts(problems)]
                if texts:
                    fields[sanitize(name, limit=80)] = texts
        elif errors is not None:
            details.extend(_texts(errors))
        message = data.get("message")
        if isinstance(message, str) and message.strip():
            details.append(message)
        error = data.get("error")
        if error is not None and not (isinstance(message, str) and message.strip()):
            details.extend(_texts(error))
        if not details and not fields:
            detail = data.get("detail")
            if detail is not None:
                details.extend(_texts(detail))
        code = data.get("code")
        if not details and isinstance(code, str) and code.strip():
            details.append(code.replace("-", " "))
    else:
        details.extend(_texts(data))
    detail = sanitize("; ".join(details)) if details else None
    return detail or None, fields


def _with_detail(sentence: str, detail: str | None) -> str:
    """Append the server's own words to our sentence, once and readably."""
    if not detail or detail.rstrip(".").lower() in sentence.lower():
        return sentence.rstrip(".") + "."
    detail = detail.rstrip(".")
    return f"{sentence.rstrip('.')}: {detail}."


def _capitalized(what: str) -> str:
    return what[:1].upper() + what[1:]


def format_field_errors(fields: Mapping[str, list[str]]) -> str:
    parts = []
    for name, problems in fields.items():
        joined = "; ".join(p.rstrip(".") for p in problems)
        parts.append(f"{name}: {joined}" if name else joined)
    return "; ".join(parts)


def error_from_response(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    method: str = "GET",
    what: str | None = None,
    export: bool = False,
    has_token: bool = True,
    redact: str | None = None,
) -> ScarfError:
    """One ScarfError for one error response.

    what:   what the request was about ("package 'foo'"), used by 404/403 sentences.
    export: the request was a data-export endpoint (aggregates, events), where 403 means
            export access is not enabled for the account.
    redact: the token (registered for redaction; every message is redacted anyway)."""
    register_secret(redact)
    detail, fields = parse_error_body(body)
    subject = what or "the requested resource"

    if status == 401:
        if not has_token:
            return AuthError(
                "No API token is set: set SCARF_API_TOKEN or add token to config.toml "
                "(or run with --demo).",
                status=status,
            )
        return AuthError(
            "The API token was rejected (401): check SCARF_API_TOKEN or the token in config.toml.",
            status=status,
        )
    if status == 402 or (status == 403 and export):
        return ExportNotEnabled(
            _with_detail(
                f"Data export is not enabled for this account ({status}); "
                "Scarf grants export access on request",
                detail,
            ),
            status=status,
        )
    if status == 403:
        return AuthError(
            _with_detail(f"This account is not allowed to access {subject} (403)", detail),
            status=status,
        )
    if status == 404:
        sentence = f"{_capitalized(subject)} was not found (404)"
        # A server sentence that only repeats "(not) found" adds nothing to ours.
        useful = detail if detail and not re.search(r"\bfound\b", detail, re.IGNORECASE) else None
        return NotFound(_with_detail(sentence, useful), status=status)
    if status in (400, 409, 422):
        if fields:
            text = format_field_errors(fields)
            if detail:
                text = f"{detail.rstrip('.')}; {text}"
            message = f"The server rejected the request ({status}): {text.rstrip('.')}."
        elif detail:
            message = f"The server rejected the request ({status}): {detail.rstrip('.')}."
        else:
            message = f"The server rejected the request ({status}) without saying why."
        if detail and not fields:
            fields = {"": [detail]}
        elif detail:
            fields = {"": [detail], **fields}
        return ValidationFailed(message, field_errors=fields, status=status)
    if status == 429:
        retry_after = parse_retry_after(headers.get("retry-after"))
        when = try_again_text(retry_after)
        return RateLimited(
            f"Scarf is rate limiting requests (429): {when}.", retry_after=retry_after, status=status
        )
    if 500 <= status < 600:
        return ServerError(
            _with_detail(f"Scarf had a server error ({status}); try again shortly", detail),
            status=status,
        )
    return ServerError(
        _with_detail(f"Scarf answered {method} for {subject} with unexpected status {status}", detail),
        status=status,
    )
