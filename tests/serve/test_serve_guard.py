"""`scarf-tui serve`: the access key in front of textual-serve, on a real loopback socket.

The server runs in-process (aiohttp's TestServer binds 127.0.0.1); the "app" it starts per
websocket is a tiny real Python process that writes a marker file, so "no app process starts"
is checked on disk, not by looking at our own counters.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import socket
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from scarf_tui import serve_cli
from scarf_tui.cli import build_parser
from scarf_tui.serve_cli import app_command, check_host, run_serve
from scarf_tui.serve_web import FORBIDDEN_TEXT, GuardedServer, page_html

KEY = "k3y-for-tests_0123456789abcdef"
TOKEN = "scarf-token-that-must-stay-hidden-4242"


def marker_command(marker: Path) -> list[str]:
    """A process that records that it ran, and whether the token reached it via the environment,
    in a marker file and as one data packet of textual-serve's protocol (which the browser gets)."""
    code = (
        "import os, sys; "
        f"seen = str(os.environ.get('SCARF_API_TOKEN') == {TOKEN!r}); "
        f"open({str(marker)!r}, 'w').write(seen); "
        "data = seen.encode(); "
        "sys.stdout.buffer.write(b'__GANGLION__\\n' + b'D' + len(data).to_bytes(4, 'big') + data); "
        "sys.stdout.flush()"
    )
    return [sys.executable, "-c", code]


@pytest.fixture
async def served(tmp_path, monkeypatch):
    monkeypatch.setenv("SCARF_API_TOKEN", TOKEN)
    marker = tmp_path / "app-started"
    guarded = GuardedServer(marker_command(marker), key=KEY, port=8123)
    server = TestServer(guarded.make_app(), host="127.0.0.1")
    await server.start_server()
    try:
        yield server, marker
    finally:
        await server.close()


def jar() -> aiohttp.CookieJar:
    return aiohttp.CookieJar(unsafe=True)  # keep cookies of an IP-address host, as browsers do


def url(server: TestServer, path: str) -> str:
    return f"http://127.0.0.1:{server.port}{path}"


async def test_every_route_without_the_key_is_403(served):
    server, marker = served
    async with aiohttp.ClientSession(cookie_jar=jar()) as http:
        for path in ("/", "/ws", "/static/js/textual.js", "/static/", "/download/abc", "/?key=wrong"):
            async with http.get(url(server, path), allow_redirects=False) as response:
                assert response.status == 403, path
                assert await response.text() == FORBIDDEN_TEXT
                assert "Set-Cookie" not in response.headers
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(url(server, "/ws"))
        assert refused.value.status == 403
    assert not marker.exists()  # no app process was started


async def test_wrong_cookie_is_403(served):
    server, marker = served
    async with aiohttp.ClientSession(cookies={"scarf_tui_key_8123": "nope"}) as http:
        async with http.get(url(server, "/")) as response:
            assert response.status == 403
        with pytest.raises(aiohttp.WSServerHandshakeError):
            await http.ws_connect(url(server, "/ws"))
    assert not marker.exists()


async def test_key_url_sets_a_strict_httponly_cookie_and_leaves_the_address_bar(served):
    server, _ = served
    async with aiohttp.ClientSession(cookie_jar=jar()) as http:
        async with http.get(url(server, f"/?key={KEY}"), allow_redirects=False) as response:
            assert response.status == 303
            assert response.headers["Location"] == "/"
            cookie = response.headers["Set-Cookie"]
        assert cookie.startswith(f"scarf_tui_key_8123={KEY};")
        assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
        async with http.get(url(server, "/")) as page:
            assert page.status == 200
            body = await page.text()
            assert page.headers["Cache-Control"] == "no-store"
            assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
        assert f'data-session-websocket-url="ws://127.0.0.1:{server.port}/ws"' in body
        async with http.get(url(server, "/static/js/textual.js")) as script:
            assert script.status == 200
            served_js = await script.read()
    # Nothing from a CDN (the machine may be offline), and neither secret in what is served.
    assert "https://" not in body and "http://" not in body
    for secret in (TOKEN, KEY):
        assert secret not in body
        assert secret.encode() not in served_js


async def test_websocket_with_the_key_starts_one_app_process_with_the_token_in_its_environment(served):
    server, marker = served
    async with aiohttp.ClientSession(cookie_jar=jar()) as http:
        await (await http.get(url(server, f"/?key={KEY}"), allow_redirects=False)).release()
        ws = await http.ws_connect(url(server, "/ws?width=100&height=30"), origin=f"http://127.0.0.1:{server.port}")
        await ws.send_str(json.dumps(["ping", "hello"]))
        received = [await ws.receive(timeout=60), await ws.receive(timeout=60)]
        await ws.close()
    texts = [json.loads(m.data) for m in received if m.type == aiohttp.WSMsgType.TEXT]
    data = [m.data for m in received if m.type == aiohttp.WSMsgType.BINARY]
    assert texts == [["pong", "hello"]]
    # The app process ran and saw the token in its environment (not in its command line).
    assert data == [b"True"]
    assert marker.read_text() == "True"


async def test_websocket_from_another_site_is_refused(served):
    server, marker = served
    async with aiohttp.ClientSession(cookie_jar=jar()) as http:
        await (await http.get(url(server, f"/?key={KEY}"), allow_redirects=False)).release()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await http.ws_connect(url(server, "/ws"), origin="http://evil.example")
        assert refused.value.status == 403
    assert not marker.exists()


def test_the_app_command_is_this_interpreter_and_carries_no_token(monkeypatch):
    monkeypatch.setenv("SCARF_API_TOKEN", TOKEN)
    args = build_parser().parse_args(["serve", "--demo", "--org", "acme", "--read-only"])
    command = app_command(args)
    assert command == [sys.executable, "-m", "scarf_tui", "--demo", "--org", "acme", "--read-only"]
    assert TOKEN not in " ".join(command)
    # Top-level options given before "serve" count too.
    before = build_parser().parse_args(["--demo", "--api-url", "http://127.0.0.1:9/api", "--api", "v1", "serve"])
    assert app_command(before) == [
        sys.executable, "-m", "scarf_tui", "--demo", "--api-url", "http://127.0.0.1:9/api", "--api", "v1"
    ]
    # The request log and the demo's scale reach every app process (the log as an absolute path:
    # the app processes may start elsewhere).
    logged = build_parser().parse_args(["--demo", "--demo-scale", "300", "serve", "--log", "requests.log"])
    assert app_command(logged) == [
        sys.executable, "-m", "scarf_tui", "--demo", "--demo-scale", "300", "--log", str(Path("requests.log").resolve())
    ]


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1", "[::1]", "127.0.0.2"])
def test_loopback_hosts_need_no_public_flag(host):
    assert check_host(host, public=False) is None


def test_a_public_host_needs_public_and_then_warns():
    with pytest.raises(serve_cli.ServeProblem) as refused:
        check_host("0.0.0.0", public=False)
    assert str(refused.value) == (
        "Refusing to serve on 0.0.0.0: it is not a loopback address, so other machines could reach the app. "
        "Add --public to serve there anyway."
    )
    assert check_host("0.0.0.0", public=True) == (
        "warning: serving on 0.0.0.0 to the network over plain HTTP. Anyone who can reach it and has the key "
        "can use your Scarf account, and the key travels unencrypted."
    )


def _run(argv: list[str]) -> tuple[int, str, str]:
    args = build_parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    return run_serve(args, stdout=out, stderr=err), out.getvalue(), err.getvalue()


def test_run_serve_refuses_a_public_host_without_the_flag():
    code, out, err = _run(["serve", "--demo", "--host", "0.0.0.0"])
    assert code == 2 and out == ""
    assert err == (
        "scarf-tui serve: error: Refusing to serve on 0.0.0.0: it is not a loopback address, so other machines "
        "could reach the app. Add --public to serve there anyway.\n"
    )


def test_run_serve_refuses_a_bad_port():
    code, out, err = _run(["serve", "--demo", "--port", "70000"])
    assert (code, out) == (2, "")
    assert err == "scarf-tui serve: error: --port must be between 0 and 65535, not 70000.\n"


def test_run_serve_reports_a_port_in_use():
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        code, out, err = _run(["serve", "--demo", "--port", str(port)])
    assert (code, out) == (2, "")
    assert err == f"scarf-tui serve: error: Could not listen on 127.0.0.1:{port}: Address already in use.\n"


def test_run_serve_refuses_plain_http_to_another_host(tmp_path, monkeypatch):
    monkeypatch.setenv("SCARF_TUI_CONFIG", str(tmp_path / "config.toml"))
    code, out, err = _run(["serve", "--api-url", "http://scarf.example/api"])
    assert (code, out) == (2, "")
    assert err == (
        "scarf-tui serve: error: Refusing to send the API token over plain http:// to scarf.example; "
        "use https:// (plain http is allowed only for localhost).\n"
    )


def test_page_escapes_what_it_embeds():
    page = page_html('<b>"x"</b>', 'ws://h/ws?a="1"', "/static/")
    assert "<b>" not in page and "&lt;b&gt;&quot;x&quot;&lt;/b&gt;" in page
    assert 'data-session-websocket-url="ws://h/ws?a=&quot;1&quot;"' in page


def test_help_lists_serve():
    assert "serve" in build_parser().format_help()
    assert isinstance(build_parser().parse_args(["serve"]), argparse.Namespace)


async def test_sessions_are_capped_and_a_hung_app_is_killed_when_its_page_closes(tmp_path, monkeypatch):
    from scarf_tui import serve_web

    monkeypatch.setattr(serve_web, "MAX_SESSIONS", 1)
    monkeypatch.setattr(serve_web, "QUIT_LIMIT", 0.5)
    pid_file = tmp_path / "pid"
    # An "app" that ignores the quit request: it only stops when its stdin closes or it is killed.
    hung = (
        f"import os, sys; open({str(pid_file)!r}, 'w').write(str(os.getpid())); "
        "sys.stdout.buffer.write(b'__GANGLION__\\nD' + (5).to_bytes(4, 'big') + b'ready'); sys.stdout.flush(); "
        "sys.stdin.buffer.read()"
    )
    guarded = GuardedServer([sys.executable, "-c", hung], key=KEY, port=8124)
    server = TestServer(guarded.make_app(), host="127.0.0.1")
    await server.start_server()
    try:
        async with aiohttp.ClientSession(cookie_jar=jar()) as http:
            await (await http.get(url(server, f"/?key={KEY}"), allow_redirects=False)).release()
            first = await http.ws_connect(url(server, "/ws"))
            assert (await first.receive(timeout=60)).data == b"ready"  # the app process runs
            with pytest.raises(aiohttp.WSServerHandshakeError) as busy:
                await http.ws_connect(url(server, "/ws"))
            assert busy.value.status == 503
            await first.send_str(json.dumps(["ping", 1]))
            assert json.loads((await first.receive(timeout=60)).data) == ["pong", 1]
            await first.close()
            await guarded.close_sessions()  # the handler has ended the hung app
    finally:
        await server.close()
    pid = int(pid_file.read_text())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
