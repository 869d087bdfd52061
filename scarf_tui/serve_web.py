"""The web side of `scarf-tui serve`: textual-serve's app service behind a per-run access key.

textual-serve starts one app process per websocket and has no authentication of its own, so
every route here is guarded:

- The key arrives once in the URL (``/?key=...``); the server trades it for an HttpOnly,
  SameSite=Strict cookie named after the port (cookies ignore ports) and redirects to ``/`` so
  the key leaves the address bar.
- A request without the key, in the cookie or the ``key`` parameter, gets 403. The websocket
  refuses before any app process starts, and also when its Origin is another site.
- The page is our own rather than textual-serve's template: it loads textual-serve's script,
  styles and fonts from this server only (nothing from a CDN, so it works offline), and it
  holds neither the key nor the Scarf token.

aiohttp and textual-serve are imported here only; serve_cli.py imports this module when serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import json
import shlex
import signal
import socket
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

KEY_PARAM = "key"
MAX_SESSIONS = 8  # app processes at once; each websocket runs one
MAX_WS_MESSAGE = 64 * 1024  # browser -> server messages are keystrokes and resizes
QUIT_LIMIT = 10.0  # seconds an app process gets to quit when its websocket closes
WS_HEARTBEAT = 15.0  # seconds; a peer that stops answering pings is dropped
FORBIDDEN_TEXT = "403 Forbidden: open the URL with the access key that `scarf-tui serve` printed.\n"


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
    return Path(textual_serve.__file__).resolve().parent / "static"


class GuardedServer:
    """textual-serve's app service behind an access key; each websocket runs `argv`."""

    def __init__(self, argv: list[str], *, key: str, port: int, title: str = "scarf-tui") -> None:
        # textual-serve runs a shell command line; `exec` makes the app replace the shell, so
        # stopping the process stops the app itself, not only a shell around it.
        self.command = "exec " + shlex.join(argv)
        self.key = key
        self.port = port
        self.title = title
        self.cookie = cookie_name(port)
        self.downloads = DownloadManager()
        self.sessions = 0
        self._open: dict[asyncio.Task[Any], web.WebSocketResponse] = {}  # handler -> its websocket

    def make_app(self) -> web.Application:
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
        if KEY_PARAM in request.query:
            # Trade the key in the URL for a cookie, and take it out of the address bar.
            response = web.Response(status=303, headers={"Location": "/"})
            response.set_cookie(self.cookie, self.key, httponly=True, samesite="Strict", path="/")
            return response
        ws_url = f"ws://{request.host}/ws"
        body = page_html(self.title, ws_url, "/static/", _font_size(request.query.get("fontsize")))
        return web.Response(text=body, content_type="text/html", headers=_page_headers(ws_url))

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
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
        if not origin_allowed(request.headers.get("Origin"), request.host):
            return web.Response(status=403, text="403 Forbidden: this page is served from another site.\n")
        if self.sessions >= MAX_SESSIONS:
            return web.Response(status=503, text=f"503: {MAX_SESSIONS} sessions are open; close one first.\n")
        websocket = web.WebSocketResponse(heartbeat=WS_HEARTBEAT, max_msg_size=MAX_WS_MESSAGE)
        width = _clamp(request.query.get("width"), 80, 1000)
        height = _clamp(request.query.get("height"), 24, 500)
        handler = asyncio.current_task()
        assert handler is not None
        self.sessions += 1  # counted before the first await, so two handshakes can't both slip in
        self._open[handler] = websocket

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
            await websocket.prepare(request)
            await service.start(width, height)
            await self._pump(websocket, service)
        finally:
            self.sessions -= 1
            try:
                await _stop(service)
                if websocket.prepared:
                    await websocket.close()
            finally:
                self._open.pop(handler, None)
        return websocket

    async def close_sessions(self) -> None:
        """Close every open page's websocket and wait until its app process has ended."""
        handlers = list(self._open)
        for websocket in list(self._open.values()):
            if websocket.prepared:
                await websocket.close()
        await asyncio.gather(*handlers, return_exceptions=True)

    async def _pump(self, websocket: web.WebSocketResponse, service: Any) -> None:
        """Browser messages to the app process: keystrokes, resizes, pings, focus changes."""
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


async def _stop(service: AppService) -> None:
    """Ask the app process to quit and wait for it; after QUIT_LIMIT seconds kill it, so an app
    that hangs (or ignores the request) can't keep its session, or the server, alive."""
    process = getattr(service, "_process", None)  # textual-serve 1.1 keeps it there
    stopping = asyncio.ensure_future(service.stop())
    cancelled = False
    try:
        await asyncio.wait_for(asyncio.shield(stopping), QUIT_LIMIT)
    except (TimeoutError, asyncio.CancelledError) as exc:
        cancelled = isinstance(exc, asyncio.CancelledError)  # the server is shutting down
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
    except (ConnectionError, RuntimeError):
        pass  # the pipe to a process that already ended
    with contextlib.suppress(ConnectionError, RuntimeError):
        await stopping  # ends once the process's output closes
    if process is not None:
        await process.wait()
    if cancelled:
        raise asyncio.CancelledError


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


async def serve_forever(server: GuardedServer, sock: socket.socket) -> None:
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
        await server.close_sessions()  # each app process gets QUIT_LIMIT seconds to quit
        await runner.cleanup()


__all__ = ["FORBIDDEN_TEXT", "KEY_PARAM", "GuardedServer", "cookie_name", "page_html", "serve_forever"]
