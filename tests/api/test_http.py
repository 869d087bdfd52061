"""The HTTP layer: HTTPS guard, headers, retries and transport failures.

Fault shapes the demo server cannot produce (a 503 followed by success on the same request, a
POST answered 503, a refused connection, a timeout) use httpx.MockTransport or a closed port.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys

import httpx
import pytest

from scarf_tui import __version__
from scarf_tui.api import make_service
from scarf_tui.api.errors import (
    ConnectionFailed,
    InsecureURL,
    InvalidResponse,
    RateLimited,
    RequestTimeout,
    ScarfError,
    ServerError,
)
from scarf_tui.api.http import check_base_url, is_loopback_host
from scarf_tui.config import Token
from scarf_tui.domain import PackageDraft

SECRET = "sekrit-token-do-not-print"
PACKAGE = {
    "uuid": "u-1",
    "owner": "acme",
    "name": "left-pad",
    "shortDescription": "pads",
    "createdAt": "2026-01-01T00:00:00Z",
}


def recording_transport(answers: list[httpx.Response]) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answers[min(len(seen), len(answers)) - 1]

    return httpx.MockTransport(handler), seen


# --- HTTPS guard ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["https://scarf.sh/api", "http://127.0.0.1:8765/api", "http://127.5.6.7/api", "http://localhost:1/api", "http://[::1]:9/api"],
)
def test_allowed_urls(url: str) -> None:
    assert check_base_url(url) == url


@pytest.mark.parametrize("url", ["http://scarf.sh/api", "http://10.0.0.1/api", "http://localhost.evil.com/api"])
def test_plain_http_to_a_remote_host_is_refused(url: str) -> None:
    with pytest.raises(InsecureURL, match="Refusing to send the API token over plain http://"):
        make_service(url, SECRET)


@pytest.mark.parametrize("url", ["", "scarf.sh/api", "ftp://scarf.sh/api", "https://user:pw@scarf.sh/api"])
def test_malformed_urls_are_refused_with_a_sentence(url: str) -> None:
    with pytest.raises(InsecureURL) as info:
        check_base_url(url)
    assert str(info.value).endswith(".")


def test_in_process_transport_may_use_plain_http() -> None:
    transport, _ = recording_transport([httpx.Response(200, json=[])])
    make_service("http://demo.invalid/api", SECRET, transport=transport)
    # ...but a real network transport does not count as in-process.
    with pytest.raises(InsecureURL):
        make_service("http://demo.invalid/api", SECRET, transport=httpx.AsyncHTTPTransport())


def test_loopback_detection() -> None:
    assert is_loopback_host("LOCALHOST")
    assert is_loopback_host("::1")
    assert not is_loopback_host("localhost.example.com")
    assert not is_loopback_host("api.localhost")  # may be asked of DNS, which may answer anything
    assert not is_loopback_host("192.168.1.1")


# --- headers, base URL and redaction -------------------------------------------------------------


async def test_requests_carry_bearer_token_user_agent_and_v1_path() -> None:
    transport, seen = recording_transport([httpx.Response(200, json=[PACKAGE])])
    service = make_service("https://scarf.example/api/", Token(SECRET), transport=transport)
    packages = await service.list_packages()
    await service.aclose()
    assert [p.name for p in packages] == ["left-pad"]
    (request,) = seen
    assert str(request.url) == "https://scarf.example/api/v1/packages"
    assert request.headers["authorization"] == f"Bearer {SECRET}"
    assert request.headers["user-agent"] == f"scarf-tui/{__version__}"


async def test_token_never_in_reprs() -> None:
    transport, _ = recording_transport([httpx.Response(200, json=[])])
    service = make_service("https://scarf.example/api", SECRET, transport=transport)
    assert SECRET not in repr(service) and SECRET not in str(service)
    assert "'***'" in repr(service)
    assert SECRET not in repr(service._api._client.headers)
    await service.aclose()


# --- retries -------------------------------------------------------------------------------------


async def test_get_is_retried_on_503_then_succeeds() -> None:
    transport, seen = recording_transport(
        [httpx.Response(503, json={"error": "busy"}), httpx.Response(503), httpx.Response(200, json=[PACKAGE])]
    )
    service = make_service("https://scarf.example/api", SECRET, transport=transport, backoff=0.0)
    packages = await service.list_packages()
    await service.aclose()
    assert len(seen) == 3
    assert packages[0].uuid == "u-1"


async def test_get_gives_up_after_max_retries() -> None:
    transport, seen = recording_transport([httpx.Response(500, json={"error": "boom"})])
    service = make_service("https://scarf.example/api", SECRET, transport=transport, backoff=0.0, max_retries=2)
    with pytest.raises(ServerError) as info:
        await service.list_packages()
    await service.aclose()
    assert len(seen) == 3
    assert str(info.value) == "Scarf had a server error (500); try again shortly: boom."


async def test_post_is_not_retried_on_503() -> None:
    transport, seen = recording_transport(
        [httpx.Response(503, json={"error": "busy"}), httpx.Response(201, json=PACKAGE)]
    )
    service = make_service("https://scarf.example/api", SECRET, transport=transport, backoff=0.0)
    with pytest.raises(ServerError):
        await service.create_package(PackageDraft(name="left-pad", short_description="pads"))
    await service.aclose()
    assert [r.method for r in seen] == ["POST"]


async def test_put_and_delete_are_retried() -> None:
    transport, seen = recording_transport([httpx.Response(502), httpx.Response(204)])
    service = make_service("https://scarf.example/api", SECRET, transport=transport, backoff=0.0)
    await service.delete_package("u-1")
    await service.aclose()
    assert [r.method for r in seen] == ["DELETE", "DELETE"]


async def test_retry_after_beyond_the_cap_is_not_waited_out() -> None:
    transport, seen = recording_transport([httpx.Response(429, headers={"Retry-After": "3600"})])
    service = make_service("https://scarf.example/api", SECRET, transport=transport, backoff=0.0)
    with pytest.raises(RateLimited) as info:
        await service.list_packages()
    await service.aclose()
    assert len(seen) == 1
    assert info.value.retry_after == 3600
    assert "try again in 3600 seconds" in str(info.value)


async def test_retry_after_is_honoured_before_retrying() -> None:
    slept: list[float] = []
    real_sleep = asyncio.sleep

    transport, seen = recording_transport(
        [httpx.Response(429, headers={"Retry-After": "0.25"}), httpx.Response(200, json=[])]
    )
    service = make_service("https://scarf.example/api", SECRET, transport=transport, backoff=0.0)
    import scarf_tui.api.http as http_module

    async def recording_sleep(delay: float) -> None:
        slept.append(delay)
        await real_sleep(0)

    http_module.asyncio.sleep = recording_sleep  # type: ignore[attr-defined]
    try:
        assert await service.list_packages() == []
    finally:
        http_module.asyncio.sleep = real_sleep  # type: ignore[attr-defined]
        await service.aclose()
    assert len(seen) == 2
    assert slept == [0.25]


# --- transport failures --------------------------------------------------------------------------


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_connection_refused_sentence() -> None:
    port = closed_port()
    service = make_service(f"http://127.0.0.1:{port}/api", SECRET, backoff=0.0, max_retries=1)
    with pytest.raises(ConnectionFailed) as info:
        await service.list_packages()
    await service.aclose()
    assert str(info.value) == "Could not connect to 127.0.0.1 (connection refused); check the network or the API URL."
    assert SECRET not in str(info.value)


async def test_read_timeout_sentence() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    service = make_service(
        "https://scarf.example/api", SECRET, transport=httpx.MockTransport(handler), backoff=0.0, timeout=2.0
    )
    with pytest.raises(RequestTimeout) as info:
        await service.get_package("left-pad")
    await service.aclose()
    assert str(info.value) == "scarf.example did not answer GET within 2 seconds; try again later."


async def test_real_server_that_never_answers_times_out() -> None:
    # A listening socket that accepts but never replies.
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        service = make_service(f"http://127.0.0.1:{port}/api", SECRET, timeout=0.3, max_retries=0)
        with pytest.raises(RequestTimeout):
            await service.list_packages()
        await service.aclose()


async def test_connect_error_on_post_is_retried_because_nothing_was_sent() -> None:
    calls = 0

    def handler(request: httpx.Request) -> httpx.Response:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise httpx.ConnectError("[Errno 111] Connection refused", request=request)
        return httpx.Response(201, json=PACKAGE)

    service = make_service("https://scarf.example/api", SECRET, transport=httpx.MockTransport(handler), backoff=0.0)
    package = await service.create_package(PackageDraft(name="left-pad", short_description="pads"))
    await service.aclose()
    assert calls == 2 and package.uuid == "u-1"


async def test_redirect_is_reported_not_followed() -> None:
    transport, seen = recording_transport([httpx.Response(302, headers={"Location": "http://evil.example/"})])
    service = make_service("https://scarf.example/api", SECRET, transport=transport)
    with pytest.raises(InvalidResponse, match="redirected"):
        await service.list_packages()
    await service.aclose()
    assert len(seen) == 1


def test_importing_the_api_does_not_import_textual() -> None:
    # (rich may appear: httpx imports it for its own command line when it is installed.)
    code = (
        "import sys, scarf_tui.api, scarf_tui.config, scarf_tui.analytics, scarf_tui.exporting, "
        "scarf_tui.export_cli, scarf_tui.demo.app; print(sorted(m for m in sys.modules if m.startswith('textual')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 429, 500])
async def test_a_server_echoing_the_token_never_gets_it_into_a_message(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        echoed = request.headers["authorization"]
        return httpx.Response(
            status,
            headers={"Retry-After": "9999"},
            json={"error": f"bad header {echoed}", "errors": {echoed: [f"value {echoed}"]}},
        )

    service = make_service(
        "https://scarf.example/api", Token(SECRET), transport=httpx.MockTransport(handler), max_retries=0
    )
    with pytest.raises(ScarfError) as info:
        await service.get_package("x")
    await service.aclose()
    error = info.value
    for text in (str(error), repr(error), repr(getattr(error, "field_errors", ""))):
        assert SECRET not in text


async def test_path_segments_are_escaped_including_dot_segments() -> None:
    transport, seen = recording_transport([httpx.Response(404)])
    service = make_service("https://scarf.example/api", SECRET, transport=transport, max_retries=0)
    for name in ("..", "@acme/ui-kit", "a?b#c%d"):
        with pytest.raises(ScarfError):
            await service.get_package(name)
    await service.aclose()
    assert [r.url.raw_path for r in seen] == [
        b"/api/v1/packages/%2E%2E",
        b"/api/v1/packages/%40acme%2Fui-kit",
        b"/api/v1/packages/a%3Fb%23c%25d",
    ]


# --- URL checks: one sentence each, the host checked is the host connected to ---------------------


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://[::1/api", "its IPv6 address has no closing ']'"),
        ("https://[fe80::1/api", "its IPv6 address has no closing ']'"),
        ("http://127.0.0.1:abc/api", "its port 'abc' is not a number"),
        ("https://scarf.sh:99999/api", "its port 99999 is not between 1 and 65535"),
        ("https://scarf.sh:0/api", "its port 0 is not between 1 and 65535"),
        ("https://sc arf.sh/api", "it contains a space or control character"),
        ("https://scarf.sh/a\tpi", "it contains a space or control character"),
        ("https://xn--zz.example/api", "its host is not a valid international domain name"),
        ("https://a..b/api", "its host 'a..b' is not a valid host name"),
        ("https://-scarf.sh/api", "its host '-scarf.sh' is not a valid host name"),
        ("https://scarf.sh/api?x=1", "it has a query or fragment; give the API's base URL only"),
        ("https://scarf.sh/api#top", "it has a query or fragment; give the API's base URL only"),
    ],
)
def test_unusable_urls_are_one_sentence(url: str, problem: str) -> None:
    with pytest.raises(InsecureURL) as info:
        make_service(url, SECRET)
    shown = url.replace("\t", " ")  # quoted as one line
    assert str(info.value) == f"The API URL {shown!r} is not a valid URL: {problem}."


@pytest.mark.parametrize(
    "url",
    [
        "http://localhost./api",  # the dot makes it a name a resolver may send to DNS
        "http://localhost.localdomain/api",
        "http://127.0.0.1.nip.io/api",
        "http://127.1/api",  # not a literal IP to us; a resolver would read it as one
        "http://0x7f000001/api",
        "http://[::ffff:10.0.0.1]/api",
    ],
)
def test_plain_http_only_to_literal_loopback_or_exactly_localhost(url: str) -> None:
    with pytest.raises(InsecureURL) as info:
        check_base_url(url)
    assert str(info.value).startswith("Refusing to send the API token over plain http:// to ")
    assert not is_loopback_host(httpx.URL(url).host)


def test_https_to_a_trailing_dot_name_and_idna_names_are_fine() -> None:
    assert check_base_url("https://scarf.sh./api") == "https://scarf.sh./api"
    assert check_base_url("https://bücher.example/api/") == "https://bücher.example/api"
    assert check_base_url("https://xn--bcher-kva.example/api") == "https://xn--bcher-kva.example/api"


async def test_the_client_connects_to_the_host_that_was_checked() -> None:
    transport, seen = recording_transport([httpx.Response(200, json=[])])
    # urllib and httpx disagree on where this host ends; httpx's reading is both checked and used.
    with pytest.raises(InsecureURL, match="user name or password"):
        make_service("https://scarf.sh\\@evil.example/api", SECRET, transport=transport)
    service = make_service("https://LOCALHOST:8443/api", SECRET, transport=transport)
    await service.list_packages()
    await service.aclose()
    assert [(r.url.host, r.url.port) for r in seen] == [("localhost", 8443)]
