"""The typed state every screen and widget shares, and the one read-only gate.

The App owns one `Session`; nodes reach it with `session_of(node)` instead of reading untyped
attributes off `self.app`. Test hosts subclass `SessionApp` so panes and dialogs run unchanged.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.dom import DOMNode

from scarf_tui.config import Settings
from scarf_tui.tui.common.text import safe_str

if TYPE_CHECKING:  # loaded when first used: the first screen paints before HTTP and the wire models load
    from scarf_tui.api.models import Page
    from scarf_tui.api.prefetch import FirstPages
    from scarf_tui.api.saved import SavedLists
    from scarf_tui.api.service import ScarfService
    from scarf_tui.domain import Package
    from scarf_tui.sources.purldb import PurldbService
    from scarf_tui.sources.pypicloud import PypicloudService

def read_only_sentence(what: str = "this change") -> str:
    """Names what was refused and how to get writes back."""
    return (
        f"Read-only mode: {what} was refused. Start scarf-tui without --read-only "
        "(and without read_only = true in config.toml) to make changes."
    )


READ_ONLY_SENTENCE = read_only_sentence()
def offline_sentence(what: str = "this change") -> str:
    """--offline: names what was refused and how to get writes back."""
    return f"Offline: {what} was refused. Start scarf-tui without --offline to make changes."


OFFLINE_SENTENCE = offline_sentence()


class NoService(RuntimeError):
    """A screen asked for the service before the user logged in or opened the demo."""

    def __init__(self) -> None:
        super().__init__("Not connected yet: log in or open the demo first.")


@dataclass
class Session:
    settings: Settings = field(default_factory=Settings)
    service: ScarfService | None = None
    username: str | None = None
    read_only: bool = False
    today: date = field(default_factory=date.today)
    org: str | None = None
    # The config.toml in use (from --config or SCARF_TUI_CONFIG); None means the default path.
    config_path: Path | None = None
    extra_orgs: list[str] = field(default_factory=list)
    names: dict[str, set[str]] = field(default_factory=lambda: {"package": set(), "org": set()})
    # The other sources (tui/pypicloud, tui/purldb): None until configured or signed in.
    pypicloud: PypicloudService | None = None
    pypicloud_url: str | None = None  # where the pypicloud login screen points
    pypicloud_not_admin: str | None = None  # the 403 sentence once an admin path refused us
    pypicloud_at_start: bool = False  # --pypicloud URL: open it first
    purldb: PurldbService | None = None
    # What the session started and must stop on exit (a demo server opened from the welcome screen).
    resources: contextlib.ExitStack = field(default_factory=contextlib.ExitStack, repr=False)
    # Builds the service when first needed (start-up paints first; the demo server starts meanwhile).
    connect: Callable[[], ScarfService] | None = field(default=None, repr=False)
    # The last-known lists (scarf_tui.cache): painted at once, marked stale, then refreshed.
    saved: SavedLists | None = field(default=None, repr=False)
    offline: bool = False  # --offline: browse the saved lists; every write is refused
    _connecting: Future[ScarfService] | None = field(default=None, init=False, repr=False)
    # Set by the start-up when saved lists paint first: building the service (HTTP and the wire
    # models loading, which would share the interpreter with the painting) waits until the first
    # frame is on the terminal (ScarfApp.on_ready calls first_frame_shown).
    connect_after_first_frame: threading.Event | None = field(default=None, repr=False)
    # The first package list, fetched by a child process while the screen starts (nothing was
    # saved to paint): then the service waits until that list is on screen, not the first frame.
    first_pages: FirstPages | None = field(default=None, repr=False)
    # Start-up work that waits until the first list is on screen (the other sources connecting).
    after_first_list: list[Callable[[], None]] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        self.read_only = bool(self.read_only or self.settings.read_only or self.offline)
        self.username = self.username or self.settings.username

    @property
    def api(self) -> ScarfService:
        """The service, for code that only runs once one exists. While it is being built (start-up
        paints first), this waits for it: every screen gets the same one."""
        if self.service is None and self.connect is not None:
            self._may_connect()  # waiting here for a frame (or list) this thread would paint never ends
            self._adopt(self._connecting_now().result())
        if self.service is None:
            raise NoService()
        return self.service

    async def ready_api(self) -> ScarfService:
        """The service, built off the event loop if it is still pending, so the screen keeps
        painting meanwhile (the demo server starting, HTTP and the wire models loading)."""
        if self.service is None and self.connect is not None:
            import asyncio

            self._adopt(await asyncio.wrap_future(self._connecting_now()))
        return self.api

    def _connecting_now(self) -> Future[ScarfService]:
        """The one build of the service (started on first need, in a thread); a failed build is
        started again by the next caller (`r` retries)."""
        if self._connecting is None:
            connect, gate = self.connect, self.connect_after_first_frame
            built: Future[ScarfService] = Future()

            def run() -> None:
                try:
                    if gate is not None:
                        gate.wait()
                    built.set_result(connect())  # type: ignore[misc]  # connect is set: see callers
                except BaseException as exc:  # noqa: BLE001 - handed to every caller waiting for it
                    self._connecting = None
                    built.set_exception(exc)

            self._connecting = built
            threading.Thread(target=run, name="scarf-connect", daemon=True).start()
        return self._connecting

    def _adopt(self, service: ScarfService) -> None:
        if self.service is None:
            self.service = service
        self.connect = None

    def take_first_pages(self, first: FirstPages) -> None:
        """The first list comes from `first` (a child fetching it while the screen starts): the
        service waits until that list is on screen, and the child stops with the app at the
        latest (a thread still reading it would otherwise hold the event loop's shutdown)."""
        self.first_pages = first
        if self.connect_after_first_frame is None:
            self.connect_after_first_frame = threading.Event()
        self.resources.callback(first.stop)

    def first_frame_shown(self) -> None:
        """The first frame is on the terminal: the service may start building (unless a child
        fetches the first list: then it waits until that list is drawn, see first_pages)."""
        if self.first_pages is None:
            self._may_connect()

    def _may_connect(self) -> None:
        if self.connect_after_first_frame is not None:
            self.connect_after_first_frame.set()

    async def package_pages(self, owner: str | None) -> AsyncIterator[Page[Package]]:
        """The pages of a package list: the first list from the child that fetched it while the
        screen started (once), every other from the service. A child that ended before sending
        anything costs nothing but time: the list is then asked for here."""
        first = self.first_pages
        if first is not None and not first.taken and first.owner == owner:
            from scarf_tui.api.prefetch import PrefetchLost

            sent = False
            try:
                async for page in first.pages():
                    sent = True
                    yield page
                return  # the service may build once this list is drawn (first_list_shown)
            except PrefetchLost:
                self._may_connect()  # the service is needed now
                if sent:
                    raise
            except BaseException:  # the service's own error, or the reading cancelled (r)
                self._may_connect()
                raise
        service = await self.ready_api()
        async for page in service.iter_package_pages(owner=owner):
            yield page

    def first_list_shown(self) -> None:
        """Run `after_first_list` (once, in a background thread): called by the first list."""
        self._may_connect()
        waiting, self.after_first_list = self.after_first_list, []
        if waiting:
            threading.Thread(target=lambda: [job() for job in waiting], name="scarf-after-start", daemon=True).start()

    @property
    def can_connect(self) -> bool:
        """A service exists or is on its way (False: the Welcome screen asks how to connect)."""
        return self.service is not None or self.connect is not None

    def refuses_write(self, node: DOMNode, what: str = "this change") -> bool:
        """The one read-only gate: True (after telling the user what was refused and why) when a
        write must not start."""
        if self.read_only:
            sentence = offline_sentence(what) if self.offline else read_only_sentence(what)
            node.app.notify(sentence, severity="warning")
            return True
        return False

    def configured_orgs(self) -> list[str]:
        """`--org`, config's `orgs` and organizations created this session, each once."""
        names: list[str] = []
        for name in [*([self.org] if self.org else []), *self.settings.orgs, *self.extra_orgs]:
            if name and name not in names:
                names.append(name)
        return names

    def remember_names(self, kind: str, names: Iterable[str]) -> None:
        """Names seen on screen, offered by the `:` command bar's completion."""
        self.names.setdefault(kind, set()).update(safe_str(n) for n in names if n)

    def known_names(self, kind: str) -> set[str]:
        return self.names.get(kind, set())

    def is_me(self, owner: str | None) -> bool:
        return bool(owner) and owner == self.username


class SessionApp(App[int]):
    """An App that carries a Session: ScarfApp, and the test hosts for panes and dialogs."""

    session: Session


def session_of(node: DOMNode) -> Session:
    app = node.app
    if not isinstance(app, SessionApp):
        raise TypeError(f"{type(app).__name__} carries no Session")
    return app.session
