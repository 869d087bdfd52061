"""What every browse screen shares: breadcrumbs, footer, refresh, copy, read-only gating."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.screen import Screen

from scarf_tui.domain import Package
from scarf_tui.tui.common.bottom_bar import BottomBar
from scarf_tui.tui.common.breadcrumbs import Breadcrumbs
from scarf_tui.tui.common.errors import notify_error
from scarf_tui.tui.session import Session, session_of


class BaseScreen(Screen):
    """Subclasses implement compose_body(), crumbs() and reload()."""

    # Each screen focuses what it means to (the table, the tab's pane) once that exists; Textual's
    # auto-focus would grab the first focusable widget (a tab strip, a hidden filter) instead.
    AUTO_FOCUS = ""

    # Actions that change server state: hidden from the footer and refused in read-only mode.
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()

    @property
    def session(self) -> Session:
        return session_of(self)

    def compose(self) -> ComposeResult:
        yield Breadcrumbs()
        yield from self.compose_body()
        yield BottomBar()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_screen_resume(self) -> None:
        self.update_crumbs()
        # The screen stack below the app's default screen and the first list: esc goes back.
        self.query_one(BottomBar).show_hint(can_go_back=len(self.app.screen_stack) > 2)
        # App-level checks (esc Back needs a screen to go back to) depend on the stack, which
        # changed just now: recompute what the footer shows.
        self.call_after_refresh(self.refresh_bindings)

    def crumbs(self) -> list[str]:
        return []

    def update_crumbs(self) -> None:
        try:
            self.query_one(Breadcrumbs).set_parts(self.crumbs())
        except Exception:  # noqa: BLE001 - not composed yet
            pass

    def reload(self) -> None:
        """Re-read everything this screen shows (the app has already dropped the cache)."""

    def copy_target(self) -> str | None:
        """The id or name `y` copies."""
        return None

    def context_package(self) -> Package | None:
        """The package that :perms/:routes/... apply to, if any."""
        return None

    def context_org(self) -> str | None:
        """The organization that :members/:org apply to, if any."""
        return None

    @staticmethod
    def pane_copy_target(pane: object) -> str | None:
        """What `y` copies from an editor pane's selected row: a username, a name, or an id."""
        cursor_item = getattr(pane, "cursor_item", None)
        item = cursor_item() if callable(cursor_item) else None
        for attribute in ("username", "name", "id"):
            value = getattr(item, attribute, None)
            if isinstance(value, str) and value:
                return value
        return None

    def show_error(self, err: BaseException, *, title: str = "") -> str:
        return notify_error(self, err, title=title)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITE_ACTIONS and self.session.read_only:
            return False
        return True
