"""The first list fetched by a child process while the TUI starts (scarf_tui.api.prefetch): the
pages the service itself gives, the service's own errors (limits and redaction included), the
URL check's verdict, nothing fetched twice, and a child that ends early costs only time.

Each test runs the real child (a new interpreter) against a real server on a loopback socket."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from scarf_tui.api import make_service_for
from scarf_tui.api.errors import AuthError, InvalidResponse
from scarf_tui.api.prefetch import FirstPages, PrefetchLost
from scarf_tui.api.urls import check_base_url
from scarf_tui.config import Limits, Settings, Token
from scarf_tui.demo.app import create_app
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.server import running_server
from scarf_tui.demo.store import build_demo_store
from scarf_tui.tui.app import ScarfApp
from scarf_tui.tui.session import Session
from tests.cache.test_cache_tui import names
from tests.hardening.conftest import SECRET
from tests.hardening.hostile import Hostile, create_hostile_app
from tests.hardening.test_tui import assert_no_token
from tests.pane_host import FIXED_TODAY
from tests.tui.helpers import settle

USER = "maintainer"


def recording(app: Any, seen: list[str]) -> Any:
    """The demo app, noting the path of every request it answers."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            seen.append(scope["path"])
        await app(scope, receive, send)

    return wrapped


@pytest.fixture
def demo() -> Iterator[tuple[str, list[str]]]:
    """(origin, paths seen) of the demo server on a loopback socket."""
    seen: list[str] = []
    app = create_app(build_demo_store(today=FIXED_TODAY), Faults())
    with running_server(recording(app, seen)) as base_url:
        yield base_url.removesuffix("/api"), seen


def settings_for(url: str, token: str = "demo", **limits: Any) -> Settings:
    return Settings(api_url=url, token=Token(token), username=USER, limits=Limits(**limits))


async def collect(first: FirstPages) -> list[Any]:
    return [page async for page in first.pages()]


@pytest.mark.parametrize(
    ("version", "path", "owner"), [("v2", "/v2", None), ("v1", "/api", None), ("v2", "/v2", "acme")]
)
async def test_the_child_sends_the_pages_the_service_would(demo, version: str, path: str, owner: str | None) -> None:  # noqa: ANN001
    origin, _ = demo
    settings = settings_for(origin + path)
    first = FirstPages.start(settings, api_version=version, username=USER, owner=owner)
    assert first is not None
    assert first.checked_url() == check_base_url(origin + path)
    pages = await collect(first)
    service = make_service_for(settings, api_version=version, username=USER)
    try:
        expected = [page async for page in service.iter_package_pages(owner=owner)]
    finally:
        await service.aclose()
    assert [[p.uuid for p in page.items] for page in pages] == [[p.uuid for p in page.items] for page in expected]
    assert [(page.so_far, page.done) for page in pages] == [(page.so_far, page.done) for page in expected]
    assert pages[-1].done and pages[-1].items[0] == expected[-1].items[0]  # whole records, dates included


def test_the_token_goes_to_the_childs_stdin_not_its_command_line(demo) -> None:  # noqa: ANN001
    origin, _ = demo
    first = FirstPages.start(settings_for(origin + "/v2", token="tok-on-stdin-only"), api_version="v2",
                             username=USER, owner=None)
    assert first is not None
    try:
        assert not any("tok-on-stdin-only" in part for part in first._child.args)
    finally:
        first.stop()


async def test_a_refused_token_is_the_services_own_error(demo) -> None:  # noqa: ANN001
    origin, _ = demo
    first = FirstPages.start(settings_for(origin + "/v2", token="not-a-demo-token"), api_version="v2",
                             username=USER, owner=None)
    assert first is not None
    with pytest.raises(AuthError) as raised:
        await collect(first)
    service = make_service_for(settings_for(origin + "/v2", token="not-a-demo-token"), api_version="v2")
    with pytest.raises(AuthError) as direct:
        [page async for page in service.iter_package_pages()]
    await service.aclose()
    assert str(raised.value) == str(direct.value)
    assert "not-a-demo-token" not in str(raised.value)


def test_a_url_the_check_refuses_gets_no_verdict() -> None:
    first = FirstPages.start(settings_for("http://scarf.example/v2"), api_version="v2", username=USER, owner=None)
    assert first is not None
    assert first.checked_url() is None  # run_tui then runs the check itself, for its sentence


@pytest.mark.parametrize(
    ("mode", "sentence"),
    [
        ("html", "The server's answer to GET /v1/packages was not valid JSON."),
        ("bomb", "The server's answer to GET /v1/packages is larger than 1 MB (limits.max_body_mb), "
                 "so it was not read further."),
    ],
)
async def test_a_lying_server_gives_the_services_sentence(mode: str, sentence: str) -> None:
    hostile = Hostile(mode=mode)
    with running_server(create_hostile_app(hostile)) as url:
        first = FirstPages.start(settings_for(url, token=SECRET, max_body_mb=1), api_version="v1",
                                 username=USER, owner=None)
        assert first is not None
        with pytest.raises(InvalidResponse) as raised:
            await collect(first)
    assert str(raised.value) == sentence


async def test_a_token_echoed_in_an_error_stays_hidden() -> None:
    hostile = Hostile(mode="echo-404")
    with running_server(create_hostile_app(hostile)) as url:
        first = FirstPages.start(settings_for(url, token=SECRET), api_version="v1", username=USER, owner=None)
        assert first is not None
        with pytest.raises(Exception) as raised:  # noqa: PT011 - whichever the service raises; its text is the point
            await collect(first)
    assert not isinstance(raised.value, PrefetchLost)
    assert_no_token(str(raised.value), repr(raised.value))


async def test_a_child_that_ends_early_leaves_the_list_to_the_service(demo) -> None:  # noqa: ANN001
    origin, seen = demo
    settings = settings_for(origin + "/v2")
    first = FirstPages.start(settings, api_version="v2", username=USER, owner=None)
    assert first is not None
    first.stop()  # killed before it said anything
    with pytest.raises(PrefetchLost):
        await collect(first)

    again = FirstPages.start(settings, api_version="v2", username=USER, owner=None)
    assert again is not None
    again.stop()
    service = make_service_for(settings, api_version="v2", username=USER)
    session = Session(settings=settings, username=USER, connect=lambda: service, first_pages=again)
    pages = [page async for page in session.package_pages(None)]
    await service.aclose()
    assert pages[-1].done and sum(len(p.items) for p in pages) == pages[-1].so_far > 0
    assert session.service is service  # the service fetched it


async def test_the_tui_paints_the_childs_list_and_fetches_nothing_twice(demo) -> None:  # noqa: ANN001
    origin, seen = demo
    settings = settings_for(origin + "/v2")
    first = FirstPages.start(settings, api_version="v2", username=USER, owner=None)
    assert first is not None
    built: list[str] = []

    def connect():  # noqa: ANN202 - the service is built only after the list is on screen
        built.append(f"service after {len(names(app))} rows")
        return make_service_for(settings, api_version="v2", username=USER)

    session = Session(settings=settings, username=USER, today=FIXED_TODAY, connect=connect)
    session.take_first_pages(first)
    app = ScarfApp(session, close_service_on_exit=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        shown = names(app)
    lists = Counter(path for path in seen if path.startswith("/v2/packages/") or path.endswith("/organizations"))
    assert lists and set(lists.values()) == {1}  # each list page was asked for once, by the child
    assert len(built) == 1 and built[0] == f"service after {len(shown)} rows"  # once, after the list was drawn
    service = make_service_for(settings, api_version="v2", username=USER)
    try:
        expected = sorted(p.name for page in [pg async for pg in service.iter_package_pages()] for p in page.items)
    finally:
        await service.aclose()
    assert shown == expected and len(shown) > 20


async def test_with_log_the_childs_requests_are_logged_too(demo, tmp_path) -> None:  # noqa: ANN001
    from scarf_tui.api.request_log import start_request_log

    origin, seen = demo
    log = tmp_path / "requests.log"
    stop = start_request_log(log)
    try:
        first = FirstPages.start(settings_for(origin + "/v2"), api_version="v2", username=USER, owner=None)
        assert first is not None
        await collect(first)
    finally:
        stop()
    lines = log.read_text().splitlines()
    assert len(lines) == len(seen) > 1  # one line per request the server answered, all from the child
    assert all(" scarf GET /v2/" in line and " 200 " in line for line in lines)
    assert "demo" not in log.read_text().replace("/v2/", "")  # no token (nor any header) in the file


async def test_leaving_while_the_list_is_on_its_way_stops_the_child() -> None:
    """A slow first list must not hold the exit: the child is stopped as the app unmounts
    (a thread still reading it would hold the event loop's shutdown until its request ended)."""
    app_under_test = create_app(build_demo_store(today=FIXED_TODAY), Faults(latency_s=30))
    with running_server(app_under_test) as url:
        settings = settings_for(url.removesuffix("/api") + "/v2")
        first = FirstPages.start(settings, api_version="v2", username=USER, owner=None)
        assert first is not None
        session = Session(settings=settings, username=USER, today=FIXED_TODAY,
                          connect=lambda: make_service_for(settings, api_version="v2", username=USER))
        session.take_first_pages(first)  # as run_tui hands it over
        app = ScarfApp(session, close_service_on_exit=True)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert first._child.poll() is None  # still fetching
            await pilot.press("q")
        assert first._child.poll() is not None  # stopped with the app, long before its request ended


async def test_r_while_the_first_list_is_on_its_way_asks_the_service() -> None:
    store = build_demo_store(today=FIXED_TODAY)
    with running_server(create_app(store, Faults(latency_s=1.0))) as url:
        settings = settings_for(url.removesuffix("/api") + "/v2")
        first = FirstPages.start(settings, api_version="v2", username=USER, owner=None)
        assert first is not None
        session = Session(settings=settings, username=USER, today=FIXED_TODAY,
                          connect=lambda: make_service_for(settings, api_version="v2", username=USER))
        session.take_first_pages(first)
        app = ScarfApp(session, close_service_on_exit=True)
        async with app.run_test(size=(120, 30)) as pilot:
            await pilot.pause()
            await pilot.press("r")
            await settle(pilot)
            assert first._child.poll() is not None  # the child's reading ended with its worker
            shown = names(app)
            service = session.api
            expected = sorted(p.name for page in [pg async for pg in service.iter_package_pages()] for p in page.items)
        assert shown == expected and len(shown) > 20


async def test_the_service_gate_opens_once_the_childs_list_is_drawn_not_before(demo) -> None:  # noqa: ANN001
    """The service (HTTP and the wire models loading in a thread) must not share the interpreter
    with the first list's frame: neither the first frame nor the end of the child's pages opens
    its gate; first_list_shown (called once the list's frame is drawn) does."""
    origin, _ = demo
    settings = settings_for(origin + "/v2")
    first = FirstPages.start(settings, api_version="v2", username=USER, owner=None)
    assert first is not None
    def never() -> Any:
        raise AssertionError("the service is not asked for in this test")

    session = Session(settings=settings, username=USER, connect=never)
    session.take_first_pages(first)
    gate = session.connect_after_first_frame
    assert gate is not None
    session.first_frame_shown()
    pages = [page async for page in session.package_pages(None)]
    assert pages[-1].done and not gate.is_set()
    session.first_list_shown()
    assert gate.is_set()
