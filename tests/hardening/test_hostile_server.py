"""The real client against the hostile server over a loopback socket: every misbehaviour ends in
its exact sentence (naming the [limits] setting where one applies), and the token it echoes
never reaches a value, a message, a repr or a traceback drawn with locals."""

from __future__ import annotations

import io
import re
import traceback
from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from rich.console import Console
from rich.traceback import Traceback

from scarf_tui.api.errors import InvalidResponse, RequestTimeout, ScarfError
from scarf_tui.api.service import ScarfService
from tests.hardening.conftest import SECRET
from tests.hardening.hostile import BOMB_MB, Hostile, gzip_bomb

START, END = date(2026, 11, 1), date(2026, 11, 2)
Call = Callable[[ScarfService], Awaitable[object]]


async def packages(service: ScarfService) -> object:
    return await service.list_packages()


async def aggregates(service: ScarfService) -> object:
    return [row async for row in service.org_aggregates("acme", START, END)]


async def events_csv(service: ScarfService) -> object:
    return [line async for line in service.stream_pixel_events_csv(START, END)]


def pieces(secret: str = SECRET, size: int = 6) -> list[str]:
    return [secret[i : i + size] for i in range(len(secret) - size + 1)]


def assert_no_token(*texts: str) -> None:
    for text in texts:
        for piece in pieces():
            assert piece not in text, f"{piece!r} of the token in {text[:200]!r}"


def crash_dump(error: BaseException) -> str:
    """The traceback as Textual's crash screen draws it: rich, with every frame's locals."""
    console = Console(file=io.StringIO(), width=300, color_system=None)
    console.print(Traceback.from_exception(type(error), error, error.__traceback__, show_locals=True))
    return console.file.getvalue()


async def failure(connect, hostile: Hostile, mode: str, call: Call, **options: float) -> ScarfError:
    hostile.mode = mode
    service = connect(**options)
    with pytest.raises(ScarfError) as info:
        await call(service)
    error = info.value
    assert_no_token(str(error), repr(error), "".join(traceback.format_exception(error)), crash_dump(error))
    return error


# --- the token echoed in every field ------------------------------------------------------------


async def test_a_token_echoed_in_every_json_value_and_key_arrives_redacted(connect, hostile) -> None:
    (package,) = await connect().list_packages()
    assert (package.uuid, package.owner, package.name, package.library_type) == ("***", "***", "***", "***")
    assert (package.short_description, package.long_description) == ("a package by ***", "***")
    assert package.website == "https://***.example"
    assert_no_token(repr(package))


async def test_a_token_echoed_in_aggregate_rows_arrives_redacted(connect, hostile) -> None:
    rows = await aggregates(connect())
    assert [(r.package, r.company_name, r.total) for r in rows] == [("***", "***", 5)] * 3
    assert_no_token(repr(rows))


async def test_a_token_echoed_in_csv_cells_arrives_redacted(connect, hostile) -> None:
    lines = await events_csv(connect())
    assert lines[1:] == [b"***,p-1,1.0,2026-11-01T00:00:00Z,https://***.example/,***,***=***,o-1\r\n"] * 2


@pytest.mark.parametrize(
    ("mode", "sentence"),
    [
        ("echo-date", "An aggregates line has an invalid 'date' '***' (AggregateV1)."),
        ("echo-total", "An aggregates line has a non-numeric 'total' '***' (AggregateV1)."),
        ("echo-unique", "An aggregates line has a non-numeric 'unique_total' '***' (AggregateV1)."),
        # The value is cut at 40 characters only after the token is out, so no piece survives.
        ("cut-token", "An aggregates line has an invalid 'date' '" + "x" * 39 + "…' (AggregateV1)."),
    ],
)
async def test_a_parse_error_quoting_the_token_shows_it_redacted(connect, hostile, mode: str, sentence: str) -> None:
    error = await failure(connect, hostile, mode, aggregates)
    assert isinstance(error, InvalidResponse)
    assert str(error) == sentence


@pytest.mark.parametrize(
    ("mode", "call", "sentence"),
    [
        ("echo-500", packages, "Scarf had a server error (500); try again shortly: ***."),
        ("echo-422", packages, "The server rejected the request (422): ***; ***: *** is taken; name: ***."),
        ("echo-404", packages, "Your packages was not found (404): ***."),
        ("echo-429", packages, "Scarf is rate limiting requests (429): try again shortly."),
        (
            "echo-403",
            events_csv,
            "Data export is not enabled for this account (403); Scarf grants export access on request: ***.",
        ),
    ],
)
async def test_an_error_answer_echoing_the_token_everywhere_is_redacted(connect, hostile, mode, call, sentence) -> None:
    error = await failure(connect, hostile, mode, call)
    assert str(error) == sentence
    assert_no_token(repr(getattr(error, "field_errors", {})))


# --- bounded memory and time ------------------------------------------------------------------


async def test_a_gzip_bomb_stops_at_the_body_cap(connect, hostile) -> None:
    error = await failure(connect, hostile, "bomb", packages)
    assert str(error) == (
        "The server's answer to GET /v1/packages is larger than 64 MB (limits.max_body_mb), so it was not read further."
    )
    assert BOMB_MB > 64 and len(gzip_bomb()) < 1024 * 1024  # it really is a bomb


async def test_the_body_cap_follows_the_setting(connect, hostile) -> None:
    error = await failure(connect, hostile, "endless", packages, max_body_mb=1)
    assert str(error) == (
        "The server's answer to GET /v1/packages is larger than 1 MB (limits.max_body_mb), so it was not read further."
    )


@pytest.mark.parametrize(
    ("mode", "call", "options", "sentence"),
    [
        ("bomb", aggregates, {}, "A line of the aggregates of organization 'acme' is longer than 1024 KB "
         "(limits.max_line_kb), so the download was stopped."),
        ("endless", aggregates, {"max_line_kb": 64}, "A line of the aggregates of organization 'acme' is longer "
         "than 64 KB (limits.max_line_kb), so the download was stopped."),
        ("endless", events_csv, {"max_line_kb": 64}, "A line of the pixel events is longer than 64 KB "
         "(limits.max_line_kb), so the download was stopped."),
    ],
)
async def test_a_line_that_never_ends_stops_at_the_line_cap(connect, hostile, mode, call, options, sentence) -> None:
    error = await failure(connect, hostile, mode, call, **options)
    assert isinstance(error, InvalidResponse)
    assert str(error) == sentence


async def test_a_trickling_stream_is_stopped_by_the_stall_limit(connect, hostile) -> None:
    # One byte every 0.05 s never adds up to 1 KB within the limit: a stall, though bytes arrive.
    error = await failure(connect, hostile, "trickle", aggregates, stall_seconds=0.5)
    assert isinstance(error, RequestTimeout)
    assert re.fullmatch(
        r"The download from 127\.0\.0\.1 stalled: only \d+ bytes arrived in 0\.5 seconds "
        r"\(limits\.stall_seconds\), so it was stopped\.",
        str(error),
    )


async def test_a_silent_stream_is_stopped_by_the_stall_limit(connect, hostile) -> None:
    error = await failure(connect, hostile, "silent", events_csv, stall_seconds=0.3)
    assert str(error) == (
        "The download from 127.0.0.1 stalled: no data arrived in 0.3 seconds (limits.stall_seconds), so it was stopped."
    )


async def test_a_trickling_answer_read_whole_is_bounded_by_the_timeout(connect, hostile) -> None:
    error = await failure(connect, hostile, "trickle", packages, timeout=0.5)
    assert str(error) == "127.0.0.1 did not answer GET within 0.5 seconds; try again later."


# --- answers of the wrong kind ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "call", "sentence"),
    [
        ("nested", packages, "The server's answer to GET /v1/packages is nested too deeply to read."),
        ("nested", aggregates, "A line of the aggregates of organization 'acme' is nested too deeply to read."),
        ("html", packages, "The server's answer to GET /v1/packages was not valid JSON."),
        ("html", aggregates, "A line of the aggregates of organization 'acme' is not valid JSON."),
        ("html", events_csv, "The server sent text/html for the pixel events (2026-11-01 to 2026-11-02), "
         "not a CSV file (text/csv)."),
    ],
)
async def test_answers_of_the_wrong_kind_are_one_sentence(connect, hostile, mode, call, sentence) -> None:
    error = await failure(connect, hostile, mode, call)
    assert str(error) == sentence


@pytest.mark.parametrize(
    ("status", "sentence"),
    [
        (400, "The server rejected the request (400) without saying why."),
        (404, "Owner 'ada' was not found (404)."),
        (422, "The server rejected the request (422) without saying why."),
        (500, "Scarf had a server error (500); try again shortly."),
    ],
)
async def test_a_deeply_nested_v2_error_body_is_one_sentence(status: int, sentence: str) -> None:
    import httpx

    from scarf_tui.api import make_service

    deep = b'{"code": ' + b"[" * 30_000 + b"]" * 30_000 + b"}"
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=deep))
    service = make_service(
        "https://api.scarf.sh", SECRET, transport=transport, api_version="v2", max_retries=0, username="ada"
    )
    try:
        with pytest.raises(ScarfError) as info:
            await service.list_packages()
    finally:
        await service.aclose()
    assert str(info.value) == sentence
