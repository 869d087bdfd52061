"""`--log FILE`: one debug line per HTTP request, for every client (Scarf, pypicloud, PurlDB).

A line holds the time, the source, the method, the path, the status, the time taken in ms and
the bytes received (as sent, before decompression), e.g.

    2026-12-02T07:30:01.123Z scarf GET /v2/packages?page=*** 200 12 ms 4567 bytes

and nothing else: no header (so never the Authorization header or the token), no request or
response body, and no query value (a value could be a secret; the parameter names stay). The
path is written as sent (percent-encoded, so a newline in a name cannot start a fake line) and
passed through scarf_tui.redaction.redact, so a token echoed into a path shows as ***.

The clients install ``event_hooks(source)``; the hooks do nothing unless the ``scarf_tui.requests``
logger is enabled for DEBUG, which ``start_request_log(path)`` does (scarf_tui/cli.py, for
``--log``). The line is written when the response is closed, so its time and bytes cover the
body as read. The file is created readable only by its owner (0600).
"""

from __future__ import annotations

import errno
import logging
import os
import stat
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from scarf_tui.redaction import REDACTED, redact

LOGGER_NAME = "scarf_tui.requests"
logger = logging.getLogger(LOGGER_NAME)
FILE_MODE = 0o600

Hook = Callable[[Any], Awaitable[None]]


class LogFileRefused(ValueError):
    """The --log file cannot be used; str() is the sentence."""


# --- the hooks -----------------------------------------------------------------------------------


def event_hooks(source: str, secrets: Sequence[str] = ()) -> dict[str, list[Hook]]:
    """httpx event hooks that log each response of a client of ``source`` ("scarf",
    "pypicloud", ...). ``secrets`` are cut out of the path besides the registered ones."""
    started: weakref.WeakKeyDictionary[httpx.Request, float] = weakref.WeakKeyDictionary()

    async def on_request(request: httpx.Request) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            started[request] = time.monotonic()

    async def on_response(response: httpx.Response) -> None:
        start = started.pop(response.request, None)
        if start is None or not logger.isEnabledFor(logging.DEBUG):
            return
        line = _LineWriter(source, response, start, secrets)
        if response.is_closed:  # read whole by the transport already (httpx.MockTransport)
            line.write(len(response.content))
        else:
            response.stream = _CountingStream(response.stream, line)

    return {"request": [on_request], "response": [on_response]}


class _LineWriter:
    __slots__ = ("_method", "_path", "_source", "_start", "_status", "_written")

    def __init__(self, source: str, response: httpx.Response, start: float, secrets: Sequence[str]) -> None:
        self._source = source
        self._method = response.request.method
        self._path = loggable_path(response.request.url.raw_path, secrets)
        self._status = response.status_code
        self._start = start
        self._written = False

    def write(self, size: int) -> None:
        if self._written:
            return
        self._written = True
        ms = (time.monotonic() - self._start) * 1000
        logger.debug("%s %s %s %d %.0f ms %d bytes", self._source, self._method, self._path, self._status, ms, size)


class _CountingStream(httpx.AsyncByteStream):
    """The response's stream, counting the bytes read; closing it writes the line."""

    def __init__(self, inner: Any, line: _LineWriter) -> None:
        self._inner = inner
        self._line = line
        self._size = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        chunk = b""
        try:
            async for chunk in self._inner:
                self._size += len(chunk)
                yield chunk
        finally:
            del chunk  # no server bytes linger in this frame (a crash dump shows locals)

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            self._line.write(self._size)


def loggable_path(raw_path: bytes, secrets: Sequence[str] = ()) -> str:
    """The path as sent, each query value replaced by *** (the names kept), then redacted."""
    text = raw_path.decode("ascii", "replace")
    path, _, query = text.partition("?")
    if query:
        names = [part.partition("=")[0] for part in query.split("&") if part]
        path += "?" + "&".join(f"{name}={REDACTED}" for name in names)
    for secret in secrets:
        if secret and len(secret) >= 3:
            path = path.replace(secret, REDACTED)
    return redact(path)


# --- the file ------------------------------------------------------------------------------------


def open_private_log(path: str | Path) -> int:
    """A descriptor for appending to ``path``: created 0600 when new; an existing file must be
    a regular file of this user (it is made 0600). A symbolic link is refused."""
    shown = str(path)
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0), FILE_MODE)  # a FIFO must not block us
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a symbolic link
            raise LogFileRefused(f"--log {shown} is a symbolic link; name the file itself.") from None
        raise LogFileRefused(f"--log {shown}: cannot open it for writing ({exc.strerror or exc}).") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise LogFileRefused(f"--log {shown} is not a regular file; name a new file or an existing log.")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise LogFileRefused(f"--log {shown} belongs to another user; name a file of your own.")
        if stat.S_IMODE(info.st_mode) != FILE_MODE:
            os.fchmod(fd, FILE_MODE)
    except BaseException:
        os.close(fd)
        raise
    return fd


_active: list[str] = []  # the files being logged to (absolute), for children that log too


def active_log_path() -> str | None:
    """The file ``start_request_log`` is writing to, if any (scarf_tui.api.prefetch's child
    logs its requests there as well)."""
    return _active[-1] if _active else None


def start_request_log(path: str | Path) -> Callable[[], None]:
    """Log every request to ``path`` from now on (see the module's docstring); the returned
    function stops logging and closes the file. LogFileRefused when the file cannot be used."""
    fd = open_private_log(path)
    _active.append(os.path.abspath(path))
    os.set_blocking(fd, True)
    handler = logging.StreamHandler(os.fdopen(fd, "a", encoding="utf-8", errors="replace"))
    formatter = logging.Formatter("%(asctime)s.%(msecs)03dZ %(message)s", datefmt="%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler.setFormatter(formatter)
    previous = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False  # only this file, never a handler someone put on the root logger

    def stop() -> None:
        _active.remove(os.path.abspath(path))
        logger.removeHandler(handler)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]
        handler.close()
        handler.stream.close()

    return stop


__all__ = [
    "LOGGER_NAME", "LogFileRefused", "active_log_path", "event_hooks", "loggable_path", "open_private_log",
    "start_request_log",
]
