"""`scarf-tui serve`: the same app in a browser, through textual-serve.

    scarf-tui serve [--host 127.0.0.1] [--port 8000] [--public] [--demo] [--org NAME] ...

Each browser tab opens a websocket, and textual-serve starts one app process for it:
``[sys.executable, "-m", "scarf_tui", ...]`` with the web driver. textual-serve itself has no
authentication, so this module puts a random per-run access key in front of every route:

- The key is printed once, as a URL (``http://127.0.0.1:8000/?key=...``). Opening that URL
  stores the key in an HttpOnly, SameSite=Strict cookie scoped to this port's cookie name and
  redirects to ``/``, so the key leaves the address bar.
- Every request without the key (in the cookie, or the ``key`` query parameter) gets 403, and
  the websocket refuses before any app process starts. A websocket whose Origin is another
  site is refused too.
- The Scarf token is never handed to the page, the URL or a served file: the app process reads
  it from its environment (SCARF_API_TOKEN) or config.toml, like the terminal app does.

The page is our own (not textual-serve's template): it loads nothing from a CDN, so it works
offline and its fonts are the ones textual-serve ships.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hmac
import html
import os
import secrets
import shlex
import signal
import socket
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:  # aiohttp comes with textual-serve and is imported only when serving
    from aiohttp import web

PROG = "scarf-tui serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
KEY_PARAM = "key"
MAX_SESSIONS = 8  # app processes at once; each websocket runs one
MAX_WS_MESSAGE = 64 * 1024  # browser -> server messages are keystrokes and resizes
QUIT_LIMIT = 10.0  # seconds an app process gets to quit when its websocket closes
WS_HEARTBEAT = 15.0  # seconds; a peer that stops answering pings is dropped

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2

FORBIDDEN_TEXT = "403 Forbidden: open the URL with the access key that `scarf-tui serve` printed.\n"


class ServeProblem(Exception):
    """Something the user can fix; str() is the sentence to print."""


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------


def add_serve_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "serve",
        help="serve the app to a web browser (textual-serve), guarded by a one-time access key",
        description=(
            "Serve scarf-tui to a web browser. Every browser tab runs its own app process. The page "
            "needs the access key printed at start-up; without it the server answers 403."
        ),
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"interface to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks one)")
    parser.add_argument(
        "--public",
        action="store_true",
        help="allow a non-loopback --host (plain HTTP: anyone who can reach it and has the key gets in)",
    )
    # The app's own options; SUPPRESS keeps a value given before "serve" (scarf-tui --demo serve).
    parser.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="serve the demo")
    parser.add_argument("--org", metavar="NAME", default=argparse.SUPPRESS, help="open this organization")
    parser.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help="your Scarf username")
    parser.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS, help="disable every write")
    parser.add_argument("--api-url", metavar="URL", default=argparse.SUPPRESS, help="API base URL")
    parser.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config.toml to read")
    return parser


# ---------------------------------------------------------------------------------------------
# Pure helpers (tested directly)
# ---------------------------------------------------------------------------------------------


def app_command(args: argparse.Namespace) -> list[str]:
    """The argv of one app process: this interpreter, never a bare `python`. No token in it."""
    argv = [sys.executable, "-m", "scarf_tui"]
    if getattr(args, "demo", False):
        argv.append("--demo")
    for option, attr in (("--org", "org"), ("--user", "user"), ("--api-url", "api_url"), ("--config", "config")):
        value = getattr(args, attr, None)
        if value:
            argv += [option, str(value)]
    if getattr(args, "read_only", False):
        argv.append("--read-only")
    return argv


def check_host(host: str, public: bool) -> str | None:
    """A warning to print for a public host, or None; ServeProblem for a refused one."""
    from scarf_tui.api.http import is_loopback_host

    if is_loopback_host(host.strip("[]")):
        return None
    if not public:
        raise ServeProblem(
            f"Refusing to serve on {host}: it is not a loopback address, so other machines could reach "
            "the app. Add --public to serve there anyway."
        )
    return (
        f"warning: serving on {host} to the network over plain HTTP. Anyone who can reach it and has "
        "the key can use your Scarf account, and the key travels unencrypted."
    )


def url_host(host: str) -> str:
    """The host as written in a URL (IPv6 literals in brackets)."""
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host


def cookie_name(port: int) -> str:
    # Cookies ignore ports: two servers on one host must not overwrite each other's key.
    return f"scarf_tui_key_{port}"


def key_matches(given: str | None, key: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode("utf-8", "replace"), key.encode())


def origin_allowed(origin: str | None, host_header: str) -> bool:
    """A websocket from our own page (Origin = this host) or from a non-browser client (no Origin)."""
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host_header.lower()


def page_html(title: str, websocket_url: str, static_url: str, font_size: int = 16) -> str:
    """The page: textual-serve's terminal script and fonts, from this server only."""
    t, ws, st = html.escape(title), html.escape(websocket_url), html.escape(static_url)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{t}</title>
<link rel="preload" href="{st}fonts/RobotoMono-VariableFont_wght.ttf" as="font" type="font/ttf" crossorigin>
<link rel="stylesheet" href="{st}css/xterm.css">
<style>
@font-face {{
  font-family: "Roboto Mono";
  src: url("{st}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700; font-style: normal; font-display: block;
}}
@font-face {{
  font-family: "Roboto Mono";
  src: url("{st}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
  font-weight: 100 700; font-style: italic; font-display: block;
}}
body {{ background: #0c181f; margin: 0; color: #e8eef2; font-family: "Roboto Mono", monospace; }}
.notice {{ position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; }}
body.-first-byte #starting, #ended {{ display: none; }}
body.-closed #ended {{ display: flex; z-index: 10; background: #0c181f; }}
</style>
<script src="{st}js/textual.js"></script>
</head>
<body>
<div id="starting" class="notice">Starting {t}…</div>
<div id="ended" class="notice">Session ended. Reload the page to start a new one.</div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{ws}" data-font-size="{font_size}"></div>
</body>
</html>
"""


def _font_size(text: str | None) -> int:
    try:
        return max(6, min(48, int(text or "16")))
    except ValueError:
        return 16


# ---------------------------------------------------------------------------------------------
# The server
# ---------------------------------------------------------------------------------------------


def _textual_serve_static() -> Path:
    import textual_serve

    return Path(textual_serve.__file__).resolve().parent / "static"


class GuardedServer:
    """textual-serve's app service behind an access key. Build with a shell command line."""

    def __init__(self, command: str, *, key: str, port: int, title: str = "scarf-tui") -> None:
        from textual_serve.download_manager import DownloadManager

        self.command = command
        self.key = key
        self.port = port
        self.title = title
        self.cookie = cookie_name(port)
        self.downloads = DownloadManager()
        self.sessions = 0

    def make_app(self) -> web.Application:
        from aiohttp import web

        app = web.Application(middlewares=[self._guard], client_max_size=64 * 1024)
        app.add_routes(
            [
                web.get("/", self.handle_index),
                web.get("/ws", self.handle_websocket),
                web.get("/download/{key}", self.handle_download),
                web.static("/static", _textual_serve_static(), show_index=False),
            ]
        )
        return app

    def _authorized(self, request: web.Request) -> bool:
        return key_matches(request.cookies.get(self.cookie), self.key) or key_matches(
            request.query.get(KEY_PARAM), self.key
        )

    @property
    def _guard(self) -> Callable[..., Awaitable[web.StreamResponse]]:
        from aiohttp import web

        @web.middleware
        async def guard(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
            if not self._authorized(request):
                return web.Response(status=403, text=FORBIDDEN_TEXT, headers=_security_headers())
            response = await handler(request)
            for name, value in _security_headers().items():
                response.headers.setdefault(name, value)
            return response

        return guard

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        if KEY_PARAM in request.query:
            # Trade the key in the URL for a cookie, and take it out of the address bar.
            response = web.Response(status=303, headers={"Location": "/"})
            response.set_cookie(self.cookie, self.key, httponly=True, samesite="Strict", path="/")
            return response
        ws_url = f"ws://{request.host}/ws"
        body = page_html(self.title, ws_url, "/static/", _font_size(request.query.get("fontsize")))
        return web.Response(text=body, content_type="text/html", headers=_page_headers(ws_url))

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web

        try:
            meta = await self.downloads.get_download_metadata(request.match_info["key"])
        except KeyError:
            raise web.HTTPNotFound(text="No such download.") from None
        response = web.StreamResponse()
        response.content_type = meta.mime_type
        if meta.encoding:
            response.charset = meta.encoding
        disposition = "inline" if meta.open_method == "browser" else "attachment"
        safe_name = meta.file_name.replace('"', "").replace("\r", "").replace("\n", "")
        response.headers["Content-Disposition"] = f'{disposition}; filename="{safe_name}"'
        await response.prepare(request)
        async for chunk in self.downloads.download(request.match_info["key"]):
            await response.write(chunk)
        await response.write_eof()
        return response

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        from aiohttp import web
        from textual_serve.app_service import AppService

        if not origin_allowed(request.headers.get("Origin"), request.host):
            return web.Response(status=403, text="403 Forbidden: this page is served from another site.\n")
        if self.sessions >= MAX_SESSIONS:
            return web.Response(status=503, text=f"503: {MAX_SESSIONS} sessions are open; close one first.\n")
        websocket = web.WebSocketResponse(heartbeat=WS_HEARTBEAT, max_msg_size=MAX_WS_MESSAGE)
        width = _clamp(request.query.get("width"), 80, 1000)
        height = _clamp(request.query.get("height"), 24, 500)
        await websocket.prepare(request)
        self.sessions += 1

        async def close() -> None:  # the app process said "exit"
            await websocket.close()

        service = AppService(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.downloads,
        )
        try:
            await service.start(width, height)
            await self._pump(websocket, service)
        finally:
            self.sessions -= 1
            with contextlib.suppress(ConnectionError, RuntimeError):
                await service.stop()
            await _reap(getattr(service, "_process", None))  # textual-serve 1.1 keeps it there
            await websocket.close()
        return websocket

    async def _pump(self, websocket: web.WebSocketResponse, service: Any) -> None:
        """Browser messages to the app process: keystrokes, resizes, pings, focus changes."""
        import json

        from aiohttp import WSMsgType

        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                envelope = json.loads(message.data)
                kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
            except (ValueError, TypeError, IndexError, KeyError):
                continue  # not ours: ignore it rather than end the session
            if kind == "stdin" and isinstance(data, str):
                await service.send_bytes(data.encode("utf-8"))
            elif kind == "resize" and isinstance(data, dict):
                await service.set_terminal_size(
                    _clamp(data.get("width"), 80, 1000), _clamp(data.get("height"), 24, 500)
                )
            elif kind == "ping":
                await websocket.send_json(["pong", data])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()


async def _reap(process: Any) -> None:
    """Wait for an app process that was asked to quit; kill it if it doesn't within QUIT_LIMIT."""
    if process is None or process.returncode is not None:
        return
    try:
        await asyncio.wait_for(process.wait(), QUIT_LIMIT)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await process.wait()


def _clamp(value: object, default: int, top: int) -> int:
    try:
        number = int(str(value))
    except ValueError:
        return default
    return max(1, min(top, number))


def _security_headers() -> dict[str, str]:
    return {
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
    }


def _page_headers(ws_url: str) -> dict[str, str]:
    # textual.js injects <style> elements, hence 'unsafe-inline' for styles only.
    return {
        "Content-Security-Policy": (
            f"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
            f"img-src 'self' data:; connect-src 'self' {ws_url}; frame-ancestors 'none'; base-uri 'none'"
        )
    }


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def run_serve(args: argparse.Namespace, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    try:
        warning = _check_args(args)
        if warning:
            print(f"{PROG}: {warning}", file=err, flush=True)
        sock = _listen(args.host, args.port)
    except ServeProblem as problem:
        print(f"{PROG}: error: {problem}", file=err, flush=True)
        return EXIT_BAD_INPUT
    key = secrets.token_urlsafe(24)
    port = sock.getsockname()[1]
    server = GuardedServer(shlex.join(app_command(args)), key=key, port=port)
    what = "the demo" if getattr(args, "demo", False) else "scarf-tui"
    print(
        f"{PROG}: serving {what} at\n\n    http://{url_host(args.host)}:{port}/?{KEY_PARAM}={key}\n\n"
        "Open that URL in a browser; the key in it is needed once per browser. Press Ctrl+C to stop.",
        file=out,
        flush=True,
    )
    try:
        asyncio.run(_serve_forever(server, sock))
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _check_args(args: argparse.Namespace) -> str | None:
    if not 0 <= args.port <= 65535:
        raise ServeProblem(f"--port must be between 0 and 65535, not {args.port}.")
    warning = check_host(args.host, args.public)
    if not getattr(args, "demo", False):
        from scarf_tui.api.errors import InsecureURL
        from scarf_tui.api.http import check_base_url
        from scarf_tui.config import ConfigError, load_settings

        try:
            settings = load_settings(getattr(args, "config", None))
            check_base_url(getattr(args, "api_url", None) or settings.api_url)
        except (ConfigError, InsecureURL) as exc:
            raise ServeProblem(str(exc)) from None
    return warning


def _listen(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return socket.create_server((host.strip("[]"), port), family=family)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise ServeProblem(f"Could not listen on {host}:{port}: {reason}.") from None


async def _serve_forever(server: GuardedServer, sock: socket.socket) -> None:
    from aiohttp import web

    runner = web.AppRunner(server.make_app(), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.SockSite(runner, sock)
    await site.start()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()


__all__ = [
    "GuardedServer",
    "ServeProblem",
    "add_serve_parser",
    "app_command",
    "check_host",
    "page_html",
    "run_serve",
]
