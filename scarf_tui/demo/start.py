"""One start-up for the embedded demo server, used by ``--demo``, ``demo-server``, ``export --demo``
and the tests.

    with contextlib.ExitStack() as stack:
        session = start_demo(stack)              # v2 by default; api_version="v1" for v1
        packages = await session.service.list_packages()

The server runs on a loopback socket (uvicorn in a daemon thread) and stops when ``stack``
closes. It serves both API versions from one port over one store; ``api_version`` only chooses
which one the returned service speaks.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from scarf_tui.demo import DEMO_TOKEN, DEMO_USER

if TYPE_CHECKING:
    import socket
    import subprocess

    from starlette.applications import Starlette

    from scarf_tui.api.service import ScarfService
    from scarf_tui.demo.faults import Faults
    from scarf_tui.demo.store import DemoStore
    from scarf_tui.sources.purldb import PurldbService
    from scarf_tui.sources.pypicloud import PypicloudService

API_VERSIONS = ("v1", "v2")
CHILD_START_TIMEOUT_S = 60.0  # building 20,000 packages on a slow machine included


@dataclass(frozen=True)
class DemoSession:
    """A running demo server and a service signed in to it.

    ``base_url`` is the API URL a user would configure for this version ("http://127.0.0.1:N/api"
    for v1, "http://127.0.0.1:N/v2" for v2); ``origin`` serves both. ``token_name`` names the
    credential in use (the token itself is not kept here)."""

    service: ScarfService = field(repr=False)
    base_url: str
    origin: str
    api_version: str = "v2"
    username: str = DEMO_USER
    token_name: str = "DEMO_TOKEN"


def start_demo(
    stack: contextlib.ExitStack,
    *,
    today: date | None = None,
    api_version: str = "v2",
    scale: int | None = None,
    hostile: bool = False,
    faults: Faults | None = None,
    store: DemoStore | None = None,
    token: str | None = None,
    username: str | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    packages: int | None = None,
) -> DemoSession:
    """Start the embedded server on 127.0.0.1 (an ephemeral port, closed with ``stack``) and
    return a DemoSession whose service speaks ``api_version`` ("v1" or "v2").

    The dataset includes the "fleet" organization with 120+ packages (``store`` may bring another).
    ``scale`` multiplies the event volume; ``hostile`` adds packages with hostile names;
    ``store``/``faults`` let tests keep a handle on what the server holds and how it fails;
    ``token`` signs in as another demo user (``username`` names that user). ``host``/``port``
    are for ``scarf-tui demo-server`` (port 0 picks a free one; ``origin`` tells which).
    ``packages`` is --demo-scale: add the "atlas" organization with that many packages
    (scarf_tui.demo.scale)."""
    from scarf_tui.api import make_service

    base_url_for("", api_version)  # a bad version is refused before anything starts
    origin = _serve(stack, today=today, scale=scale, hostile=hostile, faults=faults, store=store, host=host,
                    port=port, packages=packages)
    base_url = base_url_for(origin, api_version)
    service = make_service(base_url, token or DEMO_TOKEN, api_version=api_version, username=username or DEMO_USER)
    return DemoSession(
        service=service,
        base_url=base_url,
        origin=origin,
        api_version=api_version,
        username=username or DEMO_USER,
        token_name="DEMO_TOKEN" if token is None else "a demo user's token",
    )


def _serve(
    stack: contextlib.ExitStack,
    *,
    today: date | None = None,
    scale: int | None = None,
    hostile: bool = False,
    faults: Faults | None = None,
    store: DemoStore | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    packages: int | None = None,
    listener: socket.socket | None = None,
) -> str:
    """The server half of start_demo: serve the dataset until `stack` closes; returns the origin
    ("http://127.0.0.1:N"). `listener`: a bound, listening socket to serve instead."""
    app = _demo_app(today=today, scale=scale, hostile=hostile, faults=faults, store=store, packages=packages)
    return _served(stack, app, host=host, port=port, listener=listener)


def _demo_app(
    *,
    today: date | None = None,
    scale: int | None = None,
    hostile: bool = False,
    faults: Faults | None = None,
    store: DemoStore | None = None,
    packages: int | None = None,
) -> Starlette:
    from scarf_tui.demo.app import create_app
    from scarf_tui.demo.store import build_demo_store

    if store is None:
        store = build_demo_store(hostile=hostile, today=today, events_scale=scale or 1, fleet=True)
        if packages:
            from scarf_tui.demo.scale import add_scaled_org

            add_scaled_org(store, packages)
    return create_app(store, faults)


def _served(
    stack: contextlib.ExitStack, app: Starlette, *, host: str = "127.0.0.1", port: int = 0,
    listener: socket.socket | None = None,
) -> str:
    from scarf_tui.demo.loopback import running_server

    served = running_server(app, host=host, port=port, listener=listener)
    return stack.enter_context(served).removesuffix("/api")


# --demo runs the server in a child process (spawn_demo_child), so that building the dataset and
# starting uvicorn use another core while the TUI starts. The parent binds the listening socket
# and hands it over: the origin is known at once, and a request sent before the child serves
# waits in the socket's backlog. The child says this line once it serves.
_CHILD_CODE = "import sys; from scarf_tui.demo.start import serve_in_child; serve_in_child(sys.argv[1:])"
_CHILD_SAYS = "scarf-demo-origin "


@dataclass(frozen=True)
class DemoChild:
    """The demo server's child process: `origin` at once, `ready()` blocks until it serves
    (RuntimeError with one sentence when it could not start)."""

    origin: str
    ready: Callable[[], None] = field(repr=False)
    pages: IO[str] | None = field(default=None, repr=False)  # the first list (spawn_demo_child)


def spawn_demo_child(
    stack: contextlib.ExitStack,
    *,
    packages: int | None = None,
    first_list: Callable[[str], dict[str, Any]] | None = None,
) -> DemoChild:
    """Start the server's child process (stopped when `stack` closes, or when this process ends:
    the child leaves when its stdin closes) on a socket bound here, and return at once.

    `first_list(origin)` is the request of scarf_tui.api.prefetch: before it serves, the child
    fetches that list from its app through the real client (in process) and writes the pages to
    `DemoChild.pages` (one process, where a second child would compete for the same core)."""
    import json
    import os
    import socket
    import subprocess
    import sys
    import threading

    with socket.create_server(("127.0.0.1", 0)) as listener:
        origin = f"http://127.0.0.1:{listener.getsockname()[1]}"
        reading, writing = os.pipe() if first_list is not None else (-1, -1)
        try:
            child = subprocess.Popen(
                [sys.executable, "-c", _CHILD_CODE, str(listener.fileno()), str(packages or 0), str(writing)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                pass_fds=tuple(fd for fd in (listener.fileno(), writing) if fd >= 0),
                start_new_session=True,  # the terminal's signals are for the TUI, which stops the child
                text=True,
            )
        finally:
            if writing >= 0:
                os.close(writing)
    # This process's copy is closed: if the child dies, requests are refused instead of waiting.
    stack.callback(_stop_child, child)
    pages = None
    if first_list is not None:
        pages = os.fdopen(reading, "r", encoding="utf-8")
        assert child.stdin is not None
        with contextlib.suppress(OSError):  # a child that ended at once: ready() says so
            child.stdin.write(json.dumps(first_list(origin)) + "\n")  # its first line; stdin stays open
            child.stdin.flush()
    said: list[str] = []
    once = threading.Lock()

    def ready() -> None:
        import select

        with once:
            if not said:
                assert child.stdout is not None
                answered = select.select([child.stdout], [], [], CHILD_START_TIMEOUT_S)[0]
                said.append(child.stdout.readline() if answered else "")
        if not said[0].startswith(_CHILD_SAYS):
            with contextlib.suppress(subprocess.TimeoutExpired):
                child.wait(timeout=5)
            if child.returncode is None:
                child.kill()
                raise RuntimeError(f"The demo server did not start within {CHILD_START_TIMEOUT_S:.0f} seconds.")
            raise RuntimeError(f"The demo server did not start (exit status {child.returncode}).")

    return DemoChild(origin=origin, ready=ready, pages=pages)


def base_url_for(origin: str, api_version: str) -> str:
    """The API URL a user would configure for the demo server at `origin`."""
    if api_version not in API_VERSIONS:
        raise ValueError(f"api_version must be 'v1' or 'v2', not {api_version!r}")
    return f"{origin}/api" if api_version == "v1" else f"{origin}/v2"


def serve_in_child(argv: list[str]) -> None:
    """The child's side: serve on the socket handed over (argv: its descriptor, the number of
    packages of --demo-scale or 0, the descriptor for the first list's pages or -1), say so on
    stdout, fetch the first list when asked (the request is stdin's first line), and stop when
    stdin closes."""
    import json
    import os
    import socket
    import sys

    listener = socket.socket(fileno=int(argv[0]))
    packages, pages = int(argv[1]) or None, int(argv[2])
    app = _demo_app(packages=packages)
    if pages >= 0:
        from scarf_tui.api.prefetch import send_first_pages

        # The first list first, from the app itself (the real client, in process): the server's
        # own start-up (uvicorn) follows, and requests sent meanwhile wait in the socket's
        # backlog. The pages reach the parent through a thread, so a parent that reads them late
        # (or never: it quit, or r asked the service) never holds the server back.
        out = _Handed(os.fdopen(pages, "w", encoding="utf-8"))
        with contextlib.suppress(ValueError):
            send_first_pages(json.loads(sys.stdin.readline()), out, app=app)
        out.close()
    with contextlib.ExitStack() as stack:
        origin = _served(stack, app, listener=listener)
        print(f"{_CHILD_SAYS}{origin}", flush=True)
        sys.stdin.read()  # returns when the parent closes it or ends


class _Handed(io.TextIOBase):
    """A text stream whose lines a thread writes on to `target` (then closes it), so the writer
    never waits for the reader."""

    def __init__(self, target: IO[str]) -> None:
        import queue
        import threading

        self._lines: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._hand_on, args=(target,), name="scarf-first-list", daemon=True)
        self._thread.start()

    def write(self, text: str) -> int:
        self._lines.put(text)
        return len(text)

    def close(self) -> None:
        self._lines.put(None)
        super().close()

    def _hand_on(self, target: IO[str]) -> None:
        with contextlib.suppress(OSError), target:
            for text in iter(self._lines.get, None):
                target.write(text)
                target.flush()


def _stop_child(child: subprocess.Popen[str]) -> None:
    import subprocess

    with contextlib.suppress(OSError):
        if child.stdin is not None:
            child.stdin.close()
    try:
        child.wait(timeout=5)
    except subprocess.TimeoutExpired:
        child.kill()
        child.wait()


def mounted_sources(origin: str) -> tuple[PypicloudService, PurldbService]:
    """Services for the pypicloud and PurlDB servers the demo app at `origin` mounts (/pypicloud
    and /purldb): the admin's pypicloud, and PurlDB with look-ups enabled for every kind of
    package (the demo's names are public). Loads no server code."""
    from scarf_tui.demo import PYPICLOUD_ADMIN, PYPICLOUD_ADMIN_PASSWORD
    from scarf_tui.sources.purldb import make_purldb_service
    from scarf_tui.sources.pypicloud import make_pypicloud_service
    from scarf_tui.sources.settings import PURLDB_ORIGINS

    pypicloud = make_pypicloud_service(f"{origin}/pypicloud", PYPICLOUD_ADMIN, PYPICLOUD_ADMIN_PASSWORD)
    return pypicloud, make_purldb_service(f"{origin}/purldb", enabled_for=PURLDB_ORIGINS)


__all__ = [
    "API_VERSIONS", "DemoChild", "DemoSession", "base_url_for", "mounted_sources", "serve_in_child", "spawn_demo_child",
    "start_demo",
]
