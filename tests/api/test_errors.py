"""Error bodies and statuses -> one readable sentence (pure functions, no server needed)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
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
        (
            b'{"errors": {"name": ["should contain only lowercase letters"]}}',
            None,
            {"name": ["should contain only lowercase letters"]},
        ),
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
        (
            {"errors": {"name": ["is taken", "is too long"]}},
            {"name": ["is taken", "is too long"]},
            "name: is taken; is too long",
        ),
        (
            {"code": "incoming-path-missing-variables", "message": "Path misses {version}"},
            {"": ["Path misses {version}"]},
            "Path misses {version}",
        ),
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
    now = datetime(2026, 1, 1, tzinfo=UTC)
    when = format_datetime(now + timedelta(seconds=30), usegmt=True)
    assert parse_retry_after(when, now=now) == 30
    assert parse_retry_after("garbage") is None
    assert "try again shortly" in str(err(429))


@pytest.mark.parametrize(
    ("header", "when"),
    [
        ("0", "try again in a moment"),
        ("0.4", "try again in a moment"),
        ("1", "try again in 1 second"),
        ("Thu, 01 Jan 1970 00:00:00 GMT", "try again in a moment"),  # a date already past
    ],
)
def test_429_with_no_wait_to_speak_of_says_a_moment(header, when) -> None:
    assert str(err(429, b"", headers={"retry-after": header})) == f"Scarf is rate limiting requests (429): {when}."


def test_5xx_sentence_keeps_server_words_sanitized() -> None:
    e = err(503, {"error": "\x1b[31mdown\x1b[0m for [b]maintenance[/b]"})
    assert isinstance(e, ServerError)
    assert str(e) == "Scarf had a server error (503); try again shortly: down for [b]maintenance[/b]."


def test_server_echoing_the_token_is_redacted() -> None:
    e = err(422, {"error": "token s3cr3t-value is not allowed here"}, redact="s3cr3t-value")
    assert "s3cr3t-value" not in str(e) and "s3cr3t-value" not in repr(e)
    assert "***" in str(e)


# --- redaction: one registry, applied before any cut ------------------------------------------------

TOKEN = "rEd4ct-Me-9x7Q-2b8K-secret"  # registered by the first test that uses it


@pytest.fixture
def registered() -> str:
    from scarf_tui.redaction import register_secret

    register_secret(TOKEN)
    return TOKEN


def test_sanitize_redacts_before_it_shortens(registered: str) -> None:
    # Cut first, 19 of the 20 characters before the limit would survive.
    text = "x" * 280 + registered + " and more"
    shown = sanitize(text)
    assert shown == "x" * 280 + "***" + " and more"
    short = sanitize("x" * 290 + registered, limit=300)
    assert short == "x" * 290 + "***"
    cut = sanitize("y" * 298 + registered, limit=300)
    assert cut == "y" * 298 + "*…" and "rEd4" not in cut


def test_a_token_cut_short_at_either_end_or_split_by_escapes_is_redacted(registered: str) -> None:
    assert sanitize(f"value {registered[:-1]}") == "value ***"  # cut at the end, by someone else
    assert sanitize(f"{registered[5:]} value") == "*** value"  # starts inside the token
    assert sanitize(f"a {registered[3:-3]} b") == "a *** b"  # a long run from its middle
    assert sanitize(f"{registered[:9]}\x1b[0m{registered[9:]}") == "***"  # an ANSI escape inside it
    assert sanitize(f"x {registered[:4]}") == f"x {registered[:4]}"  # four letters are nobody's secret


def test_every_scarf_error_message_and_field_error_is_redacted(registered: str) -> None:
    error = ValidationFailed(f"bad {registered}", field_errors={registered: [f"is {registered}"]})
    assert (str(error), error.field_errors) == ("bad ***", {"***": ["is ***"]})
    assert str(ServerError(f"The server said {registered}.")) == "The server said ***."
    from scarf_tui.config import ConfigError

    assert str(ConfigError(f"In x, {registered!r} is not a known setting.")) == "In x, '***' is not a known setting."


def test_short_public_tokens_are_not_secrets_that_garble_words() -> None:
    from scarf_tui.redaction import register_secret

    register_secret("demo")  # the demo's public token
    assert sanitize("demo.invalid did not answer") == "demo.invalid did not answer"


def test_a_deeply_nested_error_body_is_read_without_recursion() -> None:
    deep = b'{"error": ' + b"[" * 50_000 + b"]" * 50_000 + b"}"
    assert parse_error_body(deep) == (None, {})
    error = err(500, deep)
    assert str(error) == "Scarf had a server error (500); try again shortly."
    nested = {"errors": {"name": [[[[[[[[[[["too deep to read"]]]]]]]]]]]}}
    assert str(err(422, nested)) == "The server rejected the request (422) without saying why."
