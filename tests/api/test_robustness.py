"""The service against bad answers: timeouts in-process and over a socket, Retry-After as an HTTP
date, JSON of the wrong shape, odd numbers in aggregates, CSV records that cannot be read.

Server-side faults come from the demo server's Faults; shapes it cannot produce (a list item
missing a field, a huge CSV field) come from httpx.MockTransport.
"""

from __future__ import annotations

import json
import math
from collections.abc import Awaitable, Callable
from datetime import date, timedelta

import httpx
import pytest

from scarf_tui.api import make_service
from scarf_tui.api.bodies import DECODE_STEP, BodyDecoder, read_capped, split_lines
from scarf_tui.api.errors import InvalidResponse, RateLimited, RequestTimeout, ScarfError
from scarf_tui.api.service import ScarfService
from scarf_tui.demo import DEMO_TOKEN
from scarf_tui.domain import OrganizationDraft

API = "https://scarf.example/api"
PACKAGE = {"uuid": "u-1", "owner": "acme", "name": "p", "shortDescription": "s", "createdAt": "2026-01-01T00:00:00Z"}


def in_process(demo_app, **kw) -> ScarfService:
    kw.setdefault("backoff", 0.0)
    return make_service("http://demo.invalid/api", DEMO_TOKEN, transport=httpx.ASGITransport(app=demo_app), **kw)


# --- timeouts --------------------------------------------------------------------------------------


async def test_in_process_request_times_out_although_asgi_transport_ignores_httpx_timeouts(
    demo_app, demo_faults
) -> None:
    demo_faults.latency_s = 60.0  # far beyond the limit: without a deadline this test would hang
    service = in_process(demo_app, timeout=0.2, max_retries=1)
    try:
        with pytest.raises(RequestTimeout) as info:
            await service.list_packages()
    finally:
        await service.aclose()
    assert str(info.value) == "demo.invalid did not answer GET within 0.2 seconds; try again later."
    assert demo_faults.requests_seen == 2  # a GET is retried once, then given up


async def test_a_timed_out_post_is_not_repeated(demo_app, demo_store, demo_faults) -> None:
    demo_faults.latency_s = 60.0
    service = in_process(demo_app, timeout=0.2, max_retries=3)
    try:
        with pytest.raises(RequestTimeout):
            await service.create_organization(OrganizationDraft("slow-org", "d", "b@slow.example"))
    finally:
        await service.aclose()
    assert demo_faults.requests_seen == 1
    assert "slow-org" not in demo_store.orgs


async def assert_three_days_arrive_whole(service: ScarfService, today: date) -> None:
    try:
        rows = [r async for r in service.org_aggregates("acme", today - timedelta(days=3), today)]
    finally:
        await service.aclose()
    assert {r.date for r in rows} == {today - timedelta(days=i) for i in (1, 2, 3)}


async def test_a_stream_longer_than_the_timeout_is_not_cut_in_process(demo_app, demo_store, demo_faults) -> None:
    # Chunks 0.03 s apart, ~30 of them: the whole body takes far longer than the 0.2 s limit,
    # which bounds a stall, not an export.
    demo_faults.chunk_delay_s = 0.03
    await assert_three_days_arrive_whole(in_process(demo_app, timeout=0.2, max_retries=0), demo_store.today)


async def test_a_stream_longer_than_the_timeout_is_not_cut_over_a_socket(live_server, demo_store, demo_faults) -> None:
    demo_faults.chunk_delay_s = 0.03
    service = make_service(live_server, DEMO_TOKEN, timeout=0.3, max_retries=0)
    await assert_three_days_arrive_whole(service, demo_store.today)


# --- Retry-After ---------------------------------------------------------------------------------


async def test_retry_after_as_a_far_http_date_is_reported_in_whole_seconds(service, demo_faults) -> None:
    demo_faults.rate_limit_every = 1
    demo_faults.retry_after_date = True
    demo_faults.retry_after_s = 3600
    with pytest.raises(RateLimited) as info:
        await service.list_packages()
    assert demo_faults.requests_seen == 1  # an hour is not waited out
    error = info.value
    assert error.retry_after is not None and 3500 < error.retry_after <= 3600
    assert str(error) == f"Scarf is rate limiting requests (429): try again in {math.ceil(error.retry_after)} seconds."


async def test_retry_after_as_a_past_http_date_is_retried_at_once(service, demo_store, demo_faults) -> None:
    demo_faults.rate_limit_every = 2  # the second request is refused, its retry succeeds
    demo_faults.retry_after_date = True
    demo_faults.retry_after_s = -5
    await service.get_organization("acme")
    packages = await service.list_packages()
    assert demo_faults.requests_seen == 3
    assert len(packages) == len(demo_store.visible_packages("maintainer"))


@pytest.mark.parametrize("value", ["inf", "nan", "soon", ""])
async def test_a_meaningless_retry_after_is_no_promise(value: str) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(429, headers={"Retry-After": value}))
    service = make_service(API, "t", transport=transport, max_retries=0)
    try:
        with pytest.raises(RateLimited) as info:
            await service.list_packages()
    finally:
        await service.aclose()
    assert info.value.retry_after is None
    assert str(info.value) == "Scarf is rate limiting requests (429): try again shortly."


# --- JSON of the wrong shape ---------------------------------------------------------------------


Call = Callable[[ScarfService], Awaitable[object]]
WRONG_SHAPES: list[tuple[str, object, Call, str]] = [
    ("object-for-list", {"packages": [PACKAGE]}, lambda s: s.list_packages(), "is not a list of PackageV1"),
    ("null-for-list", None, lambda s: s.list_members("acme"), "is not a list of OrganizationMemberV1"),
    (
        "package-without-owner",
        [{k: v for k, v in PACKAGE.items() if k != "owner"}],
        lambda s: s.list_packages(),
        "is missing the required field 'owner' (PackageV1)",
    ),
    (
        "member-without-role",
        [{"organizationName": "acme", "username": "ada"}],
        lambda s: s.list_members("acme"),
        "is missing the required field 'role' (OrganizationMemberV1)",
    ),
    (
        "grant-without-level",
        [{"username": "ada"}],
        lambda s: s.list_permissions("u-1"),
        "is missing the required field 'permissionLevel' (PackagePermissionGetV1)",
    ),
    (
        "route-without-template",
        [{"id": "r", "outgoingUrl": "https://x.example/"}],
        lambda s: s.list_routes("u-1"),
        "is missing the required field 'templatePath' (PackageRouteV1)",
    ),
    ("domain-without-name", [{"id": "d"}], lambda s: s.list_domains("u-1"), "is missing the required field 'name'"),
    (
        "organization-without-billing-email",
        {"name": "acme", "description": "", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"},
        lambda s: s.get_organization("acme"),
        "is missing the required field 'billingEmail' (OrganizationV1)",
    ),
    ("list-for-object", [PACKAGE], lambda s: s.get_package("u-1"), "is not a PackageV1 object"),
    ("number-in-list", [PACKAGE, 7], lambda s: s.list_packages(), "is not a PackageV1 object"),
    (
        "bad-date",
        [{**PACKAGE, "createdAt": "yesterday"}],
        lambda s: s.list_packages(),
        "has an invalid 'createdAt' (PackageV1)",
    ),
]


@pytest.mark.parametrize(("body", "call", "fragment"), [c[1:] for c in WRONG_SHAPES], ids=[c[0] for c in WRONG_SHAPES])
async def test_wrong_shapes_become_invalid_response_naming_the_problem(body, call: Call, fragment: str) -> None:
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=json.dumps(body).encode()))
    service = make_service(API, "t", transport=transport, max_retries=0)
    try:
        with pytest.raises(InvalidResponse) as info:
            await call(service)
    finally:
        await service.aclose()
    assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def ndjson_service(lines: list[bytes]) -> ScarfService:
    body = b"\n".join(lines) + b"\n"
    return make_service(API, "t", transport=httpx.MockTransport(lambda r: httpx.Response(200, content=body)))


async def test_numbers_sent_as_text_in_aggregates_are_read_as_numbers() -> None:
    service = ndjson_service(
        [b'{"breakdown":"total","date":"2026-01-01","package":"p","total":"12","unique_total":"5"}']
    )
    try:
        (row,) = [r async for r in service.org_aggregates("acme", date(2026, 1, 1), date(2026, 1, 2))]
    finally:
        await service.aclose()
    assert (row.total, row.unique_total) == (12, 5)


@pytest.mark.parametrize(
    ("line", "fragment"),
    [
        (b'{"breakdown":"total","date":"2026-01-01","package":"p","total":3,"unique_total":"many"}', "'unique_total'"),
        (b'{"breakdown":"total","date":"2026-01-01","package":"p","total":[3]}', "'total'"),
        (b'{"breakdown":"total","date":"2026-01-01","total":3}', "missing the required field 'package'"),
        (b'["breakdown","total"]', "not an AggregateV1 object"),
        (b'{"breakdown":"total","date":"first of may","package":"p","total":3}', "invalid 'date'"),
    ],
    ids=["unique-total-text", "total-list", "no-package", "array", "bad-date"],
)
async def test_unusable_aggregate_lines_are_invalid_response(line: bytes, fragment: str) -> None:
    service = ndjson_service([line])
    try:
        with pytest.raises(InvalidResponse) as info:
            [r async for r in service.org_aggregates("acme", date(2026, 1, 1), date(2026, 1, 2))]
    finally:
        await service.aclose()
    assert fragment in str(info.value)


async def test_an_events_record_csv_cannot_read_is_invalid_response() -> None:
    # Python's csv refuses fields over 128 KiB; that must be a ScarfError, not csv.Error.
    body = b"type,time,user_agent\r\npixel,2026-01-01T00:00:00Z," + b"A" * 200_000 + b"\r\n"
    csv_type = {"content-type": "text/csv"}
    transport = httpx.MockTransport(lambda r: httpx.Response(200, content=body, headers=csv_type))
    service = make_service(API, "t", transport=transport)
    try:
        with pytest.raises(InvalidResponse, match="The events CSV could not be read"):
            [e async for e in service.pixel_events(date(2026, 1, 1), date(2026, 1, 2))]
    finally:
        await service.aclose()


async def test_stopping_an_events_stream_early_frees_its_connection_slot_at_once(demo_app, demo_store) -> None:
    # One request at a time: a stream left open would hold the only slot until garbage
    # collection got round to it.
    service = in_process(demo_app, concurrency=1)
    end = demo_store.today
    uuid = next(u for u, p in demo_store.packages.items() if p["owner"] == "acme" and p["libraryType"] == "docker")
    try:
        events = service.package_events(uuid, end - timedelta(days=40), end)
        first = await anext(events)
        assert service._api._limit.locked()  # the window's stream is open
        await events.aclose()
        assert not service._api._limit.locked()
        assert first.type and await service.list_packages()
    finally:
        await service.aclose()


# --- body and line limits, unit by unit -------------------------------------------------------------



class Source:
    """An async byte source that counts how far it was read."""

    def __init__(self, chunks, *, forever: bytes | None = None) -> None:
        self.chunks = list(chunks)
        self.forever = forever
        self.pulled = 0

    async def __aiter__(self):
        for chunk in self.chunks:
            self.pulled += 1
            yield chunk
        while self.forever is not None:
            self.pulled += 1
            yield self.forever


def too_long() -> ScarfError:
    return InvalidResponse("too long")


async def lines_of(source, max_line: int = 1024) -> list[bytes]:
    return [line async for line in split_lines(source.__aiter__(), max_line, too_long)]


async def test_split_lines_joins_across_chunks_and_keeps_terminators() -> None:
    source = Source([b"a,b\r", b"\nc", b"d", b",e\n\nlast", b" line"])
    assert await lines_of(source) == [b"a,b\r\n", b"cd,e\n", b"\n", b"last line"]


async def test_a_line_without_end_stops_at_the_cap_without_reading_on() -> None:
    source = Source([b"ok\n"], forever=b"x" * 1000)
    with pytest.raises(InvalidResponse, match="too long"):
        await lines_of(source, max_line=8000)
    # 8 chunks of 1000 bytes fit; the 9th crosses the cap and nothing more is read.
    assert source.pulled == 1 + 9


async def test_one_huge_chunk_with_a_long_line_is_refused_at_once() -> None:
    source = Source([b"short\n" + b"y" * 5000 + b"\nnever reached\n"])
    with pytest.raises(InvalidResponse, match="too long"):
        await lines_of(source, max_line=4096)


def test_a_gzip_bomb_is_decoded_in_bounded_steps() -> None:
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(packer.compress(bytes(1 << 20)) for _ in range(64)) + packer.flush()  # 64 MB of zeros
    pieces = BodyDecoder("gzip").decode(bomb)
    first = [next(pieces) for _ in range(3)]
    assert [len(p) for p in first] == [DECODE_STEP] * 3  # nothing was expanded past what was asked


async def test_read_capped_stops_a_bomb_at_the_cap() -> None:
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(packer.compress(bytes(1 << 20)) for _ in range(32)) + packer.flush()
    decoder = BodyDecoder("gzip")
    produced = 0

    async def pieces():
        nonlocal produced
        for piece in decoder.decode(bomb):
            produced += len(piece)
            yield piece

    with pytest.raises(InvalidResponse, match="big"):
        await read_capped(pieces(), 1 << 20, lambda: InvalidResponse("big"))
    assert produced <= (1 << 20) + DECODE_STEP


def asgi_answering(body: bytes, headers: dict[str, str], seen: list[dict[str, str]] | None = None):
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    async def endpoint(request: Request) -> Response:
        if seen is not None:
            seen.append(dict(request.headers))
        return Response(body, headers=headers, media_type="application/json")

    return httpx.ASGITransport(app=Starlette(routes=[Route("/api/v1/packages", endpoint)]))


async def test_an_encoding_we_do_not_read_is_one_sentence() -> None:
    service = make_service(API, "t", transport=asgi_answering(b"\x00\x01", {"Content-Encoding": "br"}), max_retries=0)
    with pytest.raises(InvalidResponse) as info:
        await service.list_packages()
    await service.aclose()
    assert str(info.value) == (
        "The server answered in the content encoding 'br', which scarf-tui does not read (it asks for gzip or deflate)."
    )


@pytest.mark.parametrize("wbits", [15, -15], ids=["zlib-deflate", "raw-deflate"])
async def test_deflate_in_either_shape_is_read_and_only_gzip_and_deflate_are_asked_for(wbits: int) -> None:
    import zlib

    packer = zlib.compressobj(6, zlib.DEFLATED, wbits)
    body = packer.compress(json.dumps([PACKAGE]).encode()) + packer.flush()
    seen: list[dict[str, str]] = []
    transport = asgi_answering(body, {"Content-Encoding": "deflate"}, seen)
    service = make_service(API, "t", transport=transport, max_retries=0)
    assert [p.name for p in await service.list_packages()] == ["p"]
    await service.aclose()
    assert seen[0]["accept-encoding"] == "gzip, deflate"


async def test_a_token_spelled_with_json_escapes_is_redacted_too() -> None:
    from scarf_tui.config import Token

    secret = "esc4ped-T0ken-value-77"
    spelled = "".join(f"\\u{ord(c):04x}" for c in secret)
    body = json.dumps([{**PACKAGE, "name": "x"}]).replace('"x"', f'"{spelled}"').encode()
    service = make_service(API, Token(secret), transport=asgi_answering(body, {}), max_retries=0)
    (package,) = await service.list_packages()
    await service.aclose()
    assert package.name == "***"
