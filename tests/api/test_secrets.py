"""The token never leaks through an error: not in str/repr, not in a printed traceback (plain or
rich with locals, as Textual's crash screen draws it), not through the httpx exception chained
behind it as __cause__/__context__, whose request carries the Authorization header."""

from __future__ import annotations

import io
import socket
import traceback
from collections.abc import Callable

import httpx
import pytest
from rich.console import Console
from rich.traceback import Traceback

from scarf_tui.api import make_service
from scarf_tui.api.errors import (
    AuthError,
    ConnectionFailed,
    ExportNotEnabled,
    InvalidResponse,
    NotFound,
    RateLimited,
    RequestTimeout,
    ScarfError,
    ServerError,
    ValidationFailed,
)
from scarf_tui.config import Settings, Token

SECRET = "tok-SECRET-7f3a9c"
API = "https://scarf.example/api"


def answering(status: int, body: object = None, headers: dict | None = None) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(status, json=body, headers=headers))


def raising(exc_type: type[httpx.TransportError]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_type(f"transport said no to {request.url}", request=request)

    return httpx.MockTransport(handler)


def cut_stream() -> httpx.MockTransport:
    class Torn(httpx.AsyncByteStream):
        async def __aiter__(self):
            yield b"type,time\r\npixel,2026-"
            raise httpx.ReadError("connection reset")

    return httpx.MockTransport(lambda request: httpx.Response(200, stream=Torn()))


async def collect_events(service) -> None:
    from datetime import date

    [e async for e in service.pixel_events(date(2026, 1, 1), date(2026, 1, 2))]


async def list_packages(service) -> None:
    await service.list_packages()


CASES: list[tuple[str, Callable[[], httpx.AsyncBaseTransport], type[ScarfError], Callable]] = [
    ("401", lambda: answering(401, {"error": "bad token"}), AuthError, list_packages),
    ("403", lambda: answering(403), AuthError, list_packages),
    ("404", lambda: answering(404, {"error": "nope"}), NotFound, list_packages),
    ("422", lambda: answering(422, {"errors": {"name": ["taken"]}}), ValidationFailed, list_packages),
    ("429", lambda: answering(429, headers={"Retry-After": "999"}), RateLimited, list_packages),
    ("500", lambda: answering(500, {"error": "boom"}), ServerError, list_packages),
    (
        "bad-json",
        lambda: httpx.MockTransport(lambda r: httpx.Response(200, content=b"{")),
        InvalidResponse,
        list_packages,
    ),
    ("wrong-shape", lambda: answering(200, {"not": "a list"}), InvalidResponse, list_packages),
    ("export-403", lambda: answering(403, {"error": "no export"}), ExportNotEnabled, collect_events),
    ("connect", lambda: raising(httpx.ConnectError), ConnectionFailed, list_packages),
    ("read-timeout", lambda: raising(httpx.ReadTimeout), RequestTimeout, list_packages),
    ("protocol", lambda: raising(httpx.RemoteProtocolError), ConnectionFailed, list_packages),
    ("cut-stream", cut_stream, InvalidResponse, collect_events),
]


def chain(error: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def rich_traceback(error: BaseException) -> str:
    console = Console(file=io.StringIO(), width=300, color_system=None)
    console.print(Traceback.from_exception(type(error), error, error.__traceback__, show_locals=True))
    return console.file.getvalue()


def assert_no_secret(error: BaseException) -> None:
    texts = [str(error), repr(error), "".join(traceback.format_exception(error)), rich_traceback(error)]
    for linked in chain(error):
        texts += [str(linked), repr(linked)]
        request = getattr(linked, "_request", None)  # httpx.RequestError keeps the request here
        if request is not None:
            texts += [repr(request), str(request.headers), repr(request.headers)]
    for text in texts:
        assert SECRET not in text


@pytest.mark.parametrize(("transport", "expected", "call"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
@pytest.mark.parametrize("as_token", [False, True], ids=["str", "Token"])
async def test_no_error_path_shows_the_token(transport, expected, call, as_token) -> None:
    # (No local of this test holds the plain token: the rich traceback shows this frame too.)
    service = make_service(
        API, Token(SECRET) if as_token else SECRET, transport=transport(), backoff=0.0, max_retries=0
    )
    try:
        with pytest.raises(expected) as info:
            await call(service)
    finally:
        await service.aclose()
    assert_no_secret(info.value)


async def test_a_refused_connection_over_the_network_shows_no_token() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    service = make_service(f"http://127.0.0.1:{port}/api", Token(SECRET), backoff=0.0, max_retries=0)
    try:
        with pytest.raises(ConnectionFailed) as info:
            await service.list_packages()
    finally:
        await service.aclose()
    # No httpx error rides along: its request holds the Authorization header.
    assert chain(info.value) == [info.value]
    assert_no_secret(info.value)


async def test_reprs_of_settings_token_service_and_client_hide_the_token() -> None:
    service = make_service(API, Token(SECRET), transport=answering(200, []))
    try:
        for obj in (Token(SECRET), Settings(token=SECRET), service, service._api):
            assert SECRET not in repr(obj) and SECRET not in str(obj) and SECRET not in f"{obj}"
    finally:
        await service.aclose()


async def test_redirects_are_not_followed_so_the_token_stays_with_the_api_host() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(307, headers={"Location": "https://elsewhere.example/steal"})

    service = make_service(API, SECRET, transport=httpx.MockTransport(handler), max_retries=0)
    try:
        assert service._api._client.follow_redirects is False
        with pytest.raises(InvalidResponse, match="redirected"):
            await service.list_packages()
        with pytest.raises(InvalidResponse, match="redirected"):
            await collect_events(service)
    finally:
        await service.aclose()
    assert {r.url.host for r in seen} == {"scarf.example"}


@pytest.mark.parametrize(
    "bad", ["\n", "\r", "\x00", " ", "é", "\u202e"], ids=["lf", "cr", "nul", "space", "non-ascii", "bidi"]
)
def test_a_token_that_cannot_be_a_header_is_refused_without_quoting_it(bad: str) -> None:
    # Sent as is, h11 would refuse the header and its error would quote the whole token.
    with pytest.raises(AuthError) as info:
        make_service(API, f"{SECRET[:4]}{bad}{SECRET[4:]}")
    assert str(info.value).startswith("The API token contains characters no token has")
    assert_no_secret(info.value)
    assert SECRET[4:] not in str(info.value)


async def test_a_transport_error_quoting_the_authorization_header_is_redacted() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.RemoteProtocolError(f"peer choked on {request.headers['authorization']!r}", request=request)

    service = make_service(API, Token(SECRET), transport=httpx.MockTransport(handler), max_retries=0)
    try:
        with pytest.raises(ConnectionFailed) as info:
            await service.list_packages()
    finally:
        await service.aclose()
    assert "***" in str(info.value)
    assert_no_secret(info.value)
