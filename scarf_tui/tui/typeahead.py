"""Keys typed ahead of a screen change, kept and replayed on the new screen.

Textual routes each key to the focused widget at once, but runs a non-priority binding only
when the key has come back up to the app. Keys typed right after a key that opens a screen
("n" then a name; a paste; keystrokes batched over SSH) have by then been routed to the old
screen, and would be lost there. We note which screen each key was routed to; a key that comes
back after the screen changed is held, then routed again once the new screen has focus (or after
REPLAY_WAIT_S), in the order typed.

Textual has no public hook for "a key arrived" before routing other than `App.on_event`, and
none for "a key came back unhandled" other than an `on_key` handler on the App, so this module
lives on those two and nothing private. tests/tui pins it with burst tests.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from textual.app import App
from textual.events import Key
from textual.screen import Screen
from textual.timer import Timer

REPLAY_WAIT_S = 0.5
REMEMBERED_KEYS = 256  # keys an input consumed never come back: forget the oldest


class TypeAhead:
    def __init__(self, app: App[int], route: Callable[[Key], Awaitable[None]]) -> None:
        self._app = app
        self._route = route  # the app's own event entry, to route a held key again
        self._routed_to: dict[int, tuple[Key, Screen[object]]] = {}
        self._held: list[Key] = []
        self._timer: Timer | None = None
        self._deadline = 0.0

    def arriving(self, event: Key) -> bool:
        """A key arrived from the terminal. False when it must wait behind held keys."""
        if event.is_forwarded:
            return True
        if self._held:
            self._held.append(event)  # keep the order behind the keys being replayed
            return False
        self._routed_to[id(event)] = (event, self._app.screen)
        if len(self._routed_to) > REMEMBERED_KEYS:
            for stale in list(self._routed_to)[: REMEMBERED_KEYS // 2]:
                del self._routed_to[stale]
        return True

    def came_back(self, event: Key) -> bool:
        """A key came back to the app unhandled. True when it was meant for a screen that has
        gone since: it is held for the new screen and the old one must not act on it."""
        routed = self._routed_to.pop(id(event), None)
        if routed is None or routed[0] is not event or routed[1] is self._app.screen:
            return False
        event.prevent_default()
        self._held.append(Key(event.key, event.character))
        if self._timer is None:
            self._deadline = time.monotonic() + REPLAY_WAIT_S
            self._timer = self._app.set_interval(0.01, self._replay)
        return True

    async def _replay(self) -> None:
        if self._app.screen.focused is None and time.monotonic() < self._deadline:
            return  # the new screen is still mounting
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        keys, self._held = self._held, []
        for key in keys:
            await self._route(key)
