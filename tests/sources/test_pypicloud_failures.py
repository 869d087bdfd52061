"""pypicloud failures as one sentence each: credentials, not-an-admin, faults (5xx, 429, invalid
JSON), redirects, size limits, insecure URLs; the password never shows anywhere."""

from __future__ import annotations

import socket

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from scarf_tui.demo.faults import Faults
from scarf_tui.demo.pypicloud import PYPICLOUD_ADMIN, PYPICLOUD_USER, PYPICLOUD_USER_PASSWORD
from scarf_tui.demo.server import running_server
from scarf_tui.sources.errors import (
    BadCredentials,
    NotAdmin,
    SourceError,
    SourceInsecureURL,
    SourceInvalidResponse,
    SourceRateLimited,
    SourceServerError,
    SourceUnavailable,
)
from scarf_tui.sources.pypicloud import make_pypicloud_service

PASSWORD = "correct-horse-battery"


def _no_secret(error: BaseException, secret: str = PASSWORD) -> None:
    for text in (str(error), repr(error), str(error.args)):
        assert secret not in text
    assert error.__cause__ is None and error.__context__ is None


async def test_wrong_password_is_bad_credentials(pypi_as):
    svc = pypi_as(PYPICLOUD_USER, PASSWORD)
    with pytest.raises(BadCredentials) as caught:
        await svc.list_packages()
    assert str(caught.value) == "pypicloud: the user name or password for 'viewer' was rejected (401); sign in again."
    assert caught.value.status == 401 and caught.value.source == "pypicloud"
    _no_secret(caught.value)
    assert PASSWORD not in repr(svc) and PASSWORD not in str(svc)


async def test_no_credentials(pypi_as):
    svc = pypi_as(None, None)
    with pytest.raises(BadCredentials) as caught:
        await svc.list_groups()
    assert str(caught.value) == "pypicloud: this server needs a user name and password (401); sign in."


async def test_not_an_admin_on_admin_paths(pypi_as):
    viewer = pypi_as(PYPICLOUD_USER, PYPICLOUD_USER_PASSWORD)
    for call in (viewer.list_users, viewer.list_groups, viewer.pending_users, viewer.download_acl):
        with pytest.raises(NotAdmin) as caught:
            await call()
        assert str(caught.value) == "pypicloud: 'viewer' is not an admin, so this view is read-only (403)."
    with pytest.raises(NotAdmin):
        await viewer.package_access("acme-sdk")
    # Non-admin paths still work.
    assert "acme-sdk" in await viewer.package_names()


async def test_server_error_after_retries(pypi_as, pypi_faults):
    pypi_faults.error_rate = 1.0
    svc = pypi_as(PYPICLOUD_ADMIN, "demo", max_retries=1)
    with pytest.raises(SourceServerError) as caught:
        await svc.list_users()
    status = Faults(error_rate=1.0).error_status(2)
    detail = "Service temporarily unavailable" if status == 503 else "Internal server error"
    assert str(caught.value) == f"pypicloud: the server had an error ({status}); try again shortly: {detail}."
    assert pypi_faults.requests_seen == 2  # the first try and one retry


async def test_rate_limited_with_a_long_wait_is_not_waited_out(pypi_as, pypi_faults):
    pypi_faults.rate_limit_every = 1
    pypi_faults.retry_after_s = 3600
    svc = pypi_as(PYPICLOUD_ADMIN, "demo")
    with pytest.raises(SourceRateLimited) as caught:
        await svc.list_groups()
    assert str(caught.value) == "pypicloud: the server is rate limiting requests (429); try again in 3600 seconds."
    assert caught.value.retry_after == 3600
    assert pypi_faults.requests_seen == 1


async def test_a_short_rate_limit_is_retried(pypi_as, pypi_faults, pypi_store):
    pypi_faults.rate_limit_every = 2
    pypi_faults.retry_after_s = 0
    svc = pypi_as(PYPICLOUD_ADMIN, "demo")
    assert len(await svc.list_groups()) == len(pypi_store.groups)
    assert len(await svc.list_users()) == 7  # second request: 429, then the retry answers
    assert pypi_faults.requests_seen == 3


async def test_post_is_not_retried_after_an_answer(pypi_as, pypi_faults, pypi_store):
    pypi_faults.error_rate = 1.0
    svc = pypi_as(PYPICLOUD_ADMIN, "demo", max_retries=3)
    with pytest.raises(SourceServerError):
        await svc.approve_user("newcomer")
    assert pypi_faults.requests_seen == 1


async def test_invalid_json(pypi_as, pypi_faults):
    pypi_faults.invalid_json = True
    svc = pypi_as(PYPICLOUD_ADMIN, "demo")
    with pytest.raises(SourceInvalidResponse) as caught:
        await svc.list_users()
    assert str(caught.value) == "pypicloud: the answer to GET /admin/user/ was not valid JSON."


async def test_wrong_shape(pypi_as):
    app = Starlette(routes=[Route("/admin/group/", lambda r: JSONResponse({"groups": ["a"]}))])
    svc = make_pypicloud_service("http://x.invalid", "u", PASSWORD, transport=httpx.ASGITransport(app=app))
    with pytest.raises(SourceInvalidResponse) as caught:
        await svc.list_groups()
    assert str(caught.value) == (
        "pypicloud: the answer to GET /admin/group/ was not in the expected shape (the answer is not a list)."
    )
    await svc.aclose()


async def test_redirects_are_refused():
    # A fault shape the embedded server never produces: a server that redirects.
    app = Starlette(routes=[Route("/admin/user/", lambda r: RedirectResponse("https://elsewhere.example/"))])
    svc = make_pypicloud_service("http://x.invalid", "u", PASSWORD, transport=httpx.ASGITransport(app=app))
    with pytest.raises(SourceInvalidResponse) as caught:
        await svc.list_users()
    assert str(caught.value) == (
        "pypicloud: the server redirected GET /admin/user/ (307); redirects are not followed, "
        "so check the pypicloud URL."
    )
    await svc.aclose()


async def test_oversized_answer_is_not_read(pypi_as):
    app = Starlette(routes=[Route("/admin/user/", lambda r: Response(b"[" + b" " * 3_000_000 + b"]"))])
    svc = make_pypicloud_service(
        "http://x.invalid", "u", PASSWORD, transport=httpx.ASGITransport(app=app), max_body_bytes=1024 * 1024
    )
    with pytest.raises(SourceInvalidResponse) as caught:
        await svc.list_users()
    assert str(caught.value) == "pypicloud: the answer to GET /admin/user/ was larger than 1 MB and was not read."
    await svc.aclose()


def test_plain_http_to_a_remote_host_is_refused():
    with pytest.raises(SourceInsecureURL) as caught:
        make_pypicloud_service("http://pypi.example.com", "me", PASSWORD)
    assert str(caught.value) == (
        "pypicloud: refusing to send the password over plain http:// to pypi.example.com; use https:// "
        "(plain http is allowed only for localhost)."
    )


def test_credentials_in_the_url_are_refused():
    with pytest.raises(SourceInsecureURL) as caught:
        make_pypicloud_service(f"https://me:{PASSWORD}@pypi.example.com", "me", PASSWORD)
    assert str(caught.value) == (
        "pypicloud: the URL must not contain a user name or password; give them in the settings instead."
    )
    _no_secret(caught.value)


def test_not_a_url():
    with pytest.raises(SourceInsecureURL) as caught:
        make_pypicloud_service("pypi.example.com", "me", PASSWORD)
    assert str(caught.value) == "pypicloud: the URL 'pypi.example.com' is not an http(s) URL with a host."


async def test_connection_refused_names_no_secret():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    svc = make_pypicloud_service(f"http://127.0.0.1:{port}", "me", PASSWORD, max_retries=0)
    with pytest.raises(SourceUnavailable) as caught:
        await svc.list_users()
    assert str(caught.value) == "pypicloud: could not connect to 127.0.0.1 (connection refused)."
    _no_secret(caught.value)
    await svc.aclose()


async def test_over_a_loopback_socket(pypi_store):
    from scarf_tui.demo.pypicloud import create_pypicloud_app

    with running_server(create_pypicloud_app(pypi_store)) as url:
        base = url.removesuffix("/api")
        svc = make_pypicloud_service(base, PYPICLOUD_ADMIN, "demo", backoff=0.0)
        try:
            await svc.create_group("socket-group")
            assert "socket-group" in pypi_store.groups
            acl = await svc.download_acl()
            assert "socket-group" in acl.data["groups"]
            bad = make_pypicloud_service(base, PYPICLOUD_ADMIN, PASSWORD, backoff=0.0)
            with pytest.raises(SourceError) as caught:
                await bad.list_users()
            _no_secret(caught.value)
            await bad.aclose()
        finally:
            await svc.aclose()
