"""The first list, fetched by a child process while the TUI starts.

With nothing saved to paint, the TUI's first screen waits for the package list, and in one
process that wait holds HTTP, pydantic and the wire models loading (~0.3 s of CPU) behind
Textual's own start-up. A child process does that part on the other core instead: it checks the
API URL, builds the same service the TUI would (scarf_tui.api.factory), runs
``iter_package_pages`` and writes each page as one JSON line. The TUI paints the pages as they
arrive and builds its own service only after the first list is on screen.

    first = FirstPages.start(settings, api_version="v2", username="me", owner=None)
    url = first.checked_url()          # None: the URL failed the check (run it here for the sentence)
    async for page in first.pages():   # Page[Package]; raises what the service raised
        ...

The child's protocol, one JSON object per line on its stdout:
``{"url": …}`` (the checked URL) or ``{"url_error": true}``, then ``{"page": …}`` per page, then
``{"error": …}`` (the exception the service raised, pickled) if it failed. The request (token
included) goes to the child's stdin, never to its arguments or environment. In ``--demo`` the
demo server's own child speaks it on a pipe (scarf_tui.demo.start.serve_in_child), asking its
app in process before it listens.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import asdict
from typing import IO, TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:  # the parent starts the child before these load (they cost ~15 ms)
    from scarf_tui.api.models import Page
    from scarf_tui.config import Settings
    from scarf_tui.domain import Package

_CHILD_CODE = "from scarf_tui.api.prefetch import serve_first_pages; serve_first_pages()"
# A line of the child's is at most one page of the list (bounded by the response size limit the
# child's client enforces) written as JSON; anything longer is not ours.
_LINE_FACTOR = 4


class Lines(Protocol):
    """Where the child writes its lines (its stdout; in --demo a pipe, through a thread)."""

    def write(self, text: str, /) -> int: ...

    def flush(self) -> None: ...


class PrefetchLost(Exception):
    """The child ended (or said something unreadable) before the list was complete."""

    def __init__(self) -> None:
        super().__init__("The package list stopped arriving (the helper process ended); press r to load it again.")


class FirstPages:
    """The parent's side: one child fetching the first package list (of ``owner``, or None for
    every package the user can see)."""

    def __init__(
        self, reader: IO[str], owner: str | None, line_limit: int, *, child: subprocess.Popen[str] | None = None
    ) -> None:
        self._reader = reader
        self._child = child  # None: a process that goes on after the list (--demo's server) writes it
        self.owner = owner
        self._line_limit = line_limit
        self._verdict: str | None | bool = False  # False: not read yet
        self.taken = False

    @classmethod
    def start(
        cls, settings: Settings, *, api_version: str, username: str | None, owner: str | None
    ) -> FirstPages | None:
        """Start the child (None when it cannot start: the TUI then fetches as usual)."""
        request = first_list_request(settings, api_version=api_version, username=username, owner=owner)
        try:
            child = subprocess.Popen(
                [sys.executable, "-c", _CHILD_CODE],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                start_new_session=True,  # the terminal's signals are for the TUI, which stops the child
                text=True, encoding="utf-8",
            )
        except OSError:
            return None
        assert child.stdout is not None
        first = cls(child.stdout, owner, line_limit(settings), child=child)
        try:
            assert child.stdin is not None
            child.stdin.write(json.dumps(request))
            child.stdin.close()
        except (OSError, ValueError):  # the child ended at once
            first.stop()
            return None
        finally:
            request.clear()
        return first

    def checked_url(self) -> str | None:
        """The API URL as the check left it, or None when it failed the check or the child said
        nothing (the caller runs the check itself, for the sentence and the exit status)."""
        if self._verdict is False:
            said = self._read()
            url = said.get("url") if said else None
            self._verdict = url if isinstance(url, str) else None
            if self._verdict is None:
                self.stop()
        return self._verdict if isinstance(self._verdict, str) else None

    async def pages(self) -> AsyncIterator[Page[Package]]:
        """The pages as the child sends them. Raises the service's own exception when the fetch
        failed, and PrefetchLost when the child ended early or said something unreadable."""
        import asyncio

        from scarf_tui.api.models import Page
        from scarf_tui.cache import record_from_json
        from scarf_tui.domain import Package

        self.taken = True
        try:  # whatever ends the reading (the last page, a failure, the worker cancelled) ends the child
            if await asyncio.to_thread(self.checked_url) is None:  # read here only in --demo (run_tui reads it)
                raise PrefetchLost()
            while True:
                said = await asyncio.to_thread(self._read)
                if said is None:
                    raise PrefetchLost()
                if "error" in said:
                    raise _exception_from(said["error"])
                page = said.get("page")
                if not isinstance(page, dict) or not isinstance(page.get("items"), list):
                    raise PrefetchLost()
                items = [p for p in (record_from_json(Package, i) for i in page["items"]) if isinstance(p, Package)]
                done = bool(page.get("done"))
                yield Page(items=items, so_far=int(page.get("so_far") or 0), done=done,
                           number=int(page.get("number") or 1))
                if done:
                    return
        finally:
            self.stop()

    def _read(self) -> dict[str, Any] | None:
        try:
            line = self._reader.readline(self._line_limit)
            said = json.loads(line) if line.endswith("\n") else None
        except (OSError, ValueError):
            return None
        return said if isinstance(said, dict) else None

    def stop(self) -> None:
        """End the child (it has nothing more to say, or the TUI is leaving); a writer that goes
        on (--demo's server) just stops being read."""
        if self._child is not None:
            with contextlib.suppress(OSError):
                self._child.kill()
            with contextlib.suppress(OSError, subprocess.TimeoutExpired):
                self._child.wait(timeout=5)
        with contextlib.suppress(OSError):
            self._reader.close()


def first_list_request(
    settings: Settings, *, api_version: str, username: str | None, owner: str | None
) -> dict[str, Any]:
    """What the child needs to fetch the first list, token included (send it on a pipe only)."""
    token = settings.token.reveal() if settings.token is not None else None
    return {
        "api_url": settings.api_url,
        "token": token,
        "api_version": api_version,
        "username": username,
        "orgs": list(settings.orgs),
        "limits": asdict(settings.limits),
        "concurrency": settings.concurrency,
        "owner": owner,
        "log": _request_log(),
    }


def line_limit(settings: Settings) -> int:
    """The longest line the parent reads from the child."""
    return settings.limits.max_body_bytes * _LINE_FACTOR


def _request_log() -> str | None:
    """The --log file, when one is being written (the module is loaded only then)."""
    request_log = sys.modules.get("scarf_tui.api.request_log")
    return request_log.active_log_path() if request_log is not None else None


def _exception_from(payload: object) -> Exception:
    """The exception the child's service raised, rebuilt; PrefetchLost when that fails."""
    import base64
    import pickle

    try:
        error = pickle.loads(base64.b64decode(str(payload)))  # noqa: S301 - written by our own child, below
    except Exception:  # noqa: BLE001 - an unreadable report is a lost child
        return PrefetchLost()
    return error if isinstance(error, Exception) else PrefetchLost()


# --- the child's side ------------------------------------------------------------------------


def serve_first_pages() -> None:
    """The child: read the request from stdin, check the URL, fetch the pages, write them to
    stdout."""
    send_first_pages(json.loads(sys.stdin.read()), sys.stdout)


def send_first_pages(request: dict[str, Any], out: Lines, *, app: Any = None) -> None:
    """Check the URL, fetch the pages and write them to `out` (the protocol above). `app`: the
    ASGI app to ask in process (--demo's own server, before it listens) instead of the URL's."""
    import asyncio

    from scarf_tui.config import Limits, Settings, Token

    token = request.pop("token", None)
    settings = Settings(
        api_url=request["api_url"],
        token=Token(token) if token else None,  # registered for redaction as it is made
        api_version=request["api_version"],
        username=request["username"],
        orgs=list(request["orgs"]),
        limits=Limits(**request["limits"]),
        concurrency=request["concurrency"],
    )
    del token
    from scarf_tui.api.errors import ScarfError
    from scarf_tui.api.urls import check_base_url

    if request.get("log"):  # --log: this child's requests go to the same file
        from scarf_tui.api.request_log import LogFileRefused, start_request_log

        with contextlib.suppress(LogFileRefused):
            start_request_log(request["log"])

    try:
        settings.api_url = check_base_url(settings.api_url)
    except ScarfError:
        _say(out, {"url_error": True})
        return
    _say(out, {"url": settings.api_url})
    asyncio.run(_fetch(settings, request["owner"], out, app))


async def _fetch(settings: Settings, owner: str | None, out: Lines, app: Any) -> None:
    from scarf_tui.api.factory import make_service_for
    from scarf_tui.cache import record_to_json

    try:
        transport = None
        if app is not None:
            import httpx

            transport = httpx.ASGITransport(app=app)
        service = make_service_for(
            settings, api_version=settings.api_version, username=settings.username, transport=transport
        )
        try:
            async for page in service.iter_package_pages(owner=owner):
                items = [record_to_json(p) for p in page.items]
                _say(out, {"page": {"items": items, "so_far": page.so_far, "done": page.done, "number": page.number}})
        finally:
            await service.aclose()
    except Exception as exc:  # noqa: BLE001 - handed to the parent, which raises it as its own
        _say(out, {"error": _pickled(exc)})


def _pickled(exc: Exception) -> str:
    import base64
    import pickle

    try:
        data = pickle.dumps(exc)
        pickle.loads(data)  # noqa: S301 - only what was just written: one that can't come back is not sent
    except Exception:  # noqa: BLE001 - the parent then fetches the list itself
        return ""
    return base64.b64encode(data).decode("ascii")


def _say(out: Lines, message: dict[str, Any]) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


__all__ = ["FirstPages", "PrefetchLost", "first_list_request", "line_limit", "send_first_pages", "serve_first_pages"]
