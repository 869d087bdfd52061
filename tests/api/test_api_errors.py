"""Error bodies and statuses -> one readable sentence (pure functions, no server needed)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime

import pytest

from scarf_tui.api.errors import (
    AuthError,
    ExportNotEnabled,
    NotFound,
    RateLimited,
    ServerError,
    ValidationFailed,
    error_from_response,
    parse_error_body,
    parse_retry_after,
    sanitize,
)


def err(status: int, body: object = b"", *, headers: dict | None = None, **kw):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return error_from_response(status, headers or {}, raw, **kw)


def test_sanitize_strips_ansi_and_controls_but_keeps_markup_and_scripts() -> None:
    text = "\x1b[31mred\x1b[0m [@click=app.quit]x[/] 漢字 שלום\x07\x00 end\u202e"
    assert sanitize(text) == "red [@click=app.quit]x[/] 漢字 שלום end"


def test_sanitize_collapses_newlines_and_shortens() -> None:
    assert sanitize("a\nb\r\n\tc") == "a b c"
    long = sanitize("x" * 1000, limit=50)
    assert len(long) == 50 and long.endswith("…")


@pytest.mark.parametrize(
    ("body", "detail", "fields"),
    [
        (b"", None, {}),
        (b"   ", None, {}),
        (b'{"error": "There was a problem in the JSON"}', "There was a problem in the JSON", {}),
        (b'{"errors": {"name": ["should contain only lowercase letters"]}}', None, {"name": ["should contain only lowercase letters"]}),
        (b'{"code": "range-too-long", "message": "Range is too long"}', "Range is too long", {}),
        (b'{"code": "package-must-have-one-domain"}', "package must have one domain", {}),
        (b'{"errors": ["one", "two"]}', "one; two", {}),
        (b"plain words", "plain words", {}),
        (b"<html><body>Bad gateway</body></html>", None, {}),
        (b'{"detail": "nope"}', "nope", {}),
    ],
)
def test_parse_error_body_shapes(body: bytes, detail: str | None, fields: dict) -> None:
    assert parse_error_body(body) == (detail, fields)


def test_401_sentence_and_no_token_variant() -> None:
    e = err(401, {"error": "bad token"})
    assert isinstance(e, AuthError)
    assert str(e).startswith("The API token was rejected")
    e2 = err(401, b"", has_token=False)
    assert isinstance(e2, AuthError) and "No API token is set" in str(e2)


def test_403_export_vs_elsewhere() -> None:
    assert isinstance(err(403, b"", export=True), ExportNotEnabled)
    assert isinstance(err(402, {"error": "pay"}), ExportNotEnabled)
    e = err(403, b"", what="package 'foo'")
    assert isinstance(e, AuthError)
    assert str(e) == "This account is not allowed to access package 'foo' (403)."


def test_404_names_what() -> None:
    e = err(404, {"resource": "app", "error": "not found"}, what="package 'foo'")
    assert isinstance(e, NotFound)
    assert str(e) == "Package 'foo' was not found (404)."
    assert str(err(404)) == "The requested resource was not found (404)."


@pytest.mark.parametrize(
    ("body", "expected_fields", "expected_text"),
    [
        ({"error": "Invalid date range"}, {"": ["Invalid date range"]}, "Invalid date range"),
        ({"errors": {"name": ["is taken", "is too long"]}}, {"name": ["is taken", "is too long"]}, "name: is taken; is too long"),
        ({"code": "incoming-path-missing-variables", "message": "Path misses {version}"}, {"": ["Path misses {version}"]}, "Path misses {version}"),
        (b"", {}, "without saying why"),
    ],
)
def test_422_all_body_shapes(body, expected_fields, expected_text) -> None:
    e = err(422, body)
    assert isinstance(e, ValidationFailed)
    assert e.field_errors == expected_fields
    assert expected_text in str(e)
    assert str(e).startswith("The server rejected the request (422)")


def test_400_is_validation() -> None:
    e = err(400, {"error": "There was a problem in the JSON you submitted"})
    assert isinstance(e, ValidationFailed) and "(400)" in str(e)


def test_429_retry_after_seconds_and_date() -> None:
    e = err(429, b"", headers={"retry-after": "7"})
    assert isinstance(e, RateLimited) and e.retry_after == 7
    assert str(e) == "Scarf is rate limiting requests (429): try again in 7 seconds."
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    when = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(when, now=now) == 30
    assert parse_retry_after("garbage") is None
    assert "try again shortly" in str(err(429))


def test_5xx_sentence_keeps_server_words_sanitized() -> None:
    e = err(503, {"error": "\x1b[31mdown\x1b[0m for [b]maintenance[/b]"})
    assert isinstance(e, ServerError)
    assert str(e) == "Scarf had a server error (503); try again shortly: down for [b]maintenance[/b]."


def test_server_echoing_the_token_is_redacted() -> None:
    e = err(422, {"error": "token s3cr3t-value is not allowed here"}, redact="s3cr3t-value")
    assert "s3cr3t-value" not in str(e) and "s3cr3t-value" not in repr(e)
    assert "***" in str(e)
