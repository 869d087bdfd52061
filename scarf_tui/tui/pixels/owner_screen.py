"""OwnerResourceScreen: one owner's tracking pixels or collections, or why this API version has none.

Both are API v2 resources listed per owner (a user or an organization). On a version without
them the screen shows the sentence of ``capabilities.why_missing`` instead of asking the server
(which would answer 404).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from scarf_tui.api.models import Page
from scarf_tui.tui.common.base_screen import BaseScreen
from scarf_tui.tui.common.editor_pane import EditorPane
from scarf_tui.tui.common.styles import style_path

T = TypeVar("T")


class OwnerPane(EditorPane[T]):
    """An editor pane over one owner's cursor-paginated list. The rows read so far are painted
    as each page arrives (the first at once); the status line says "N so far…" until the last
    page, then how many there are. Subclasses set NOUN and call read_pages() from fetch()."""

    NOUN: ClassVar[str] = "row"

    def __init__(self, owner: str, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.owner = owner
        self.so_far: str | None = None  # "N so far…" while more pages are coming

    async def read_pages(self, pages: AsyncIterator[Page[T]], order: Callable[[T], Any]) -> list[T]:
        collected: list[T] = []
        try:
            async for page in pages:
                collected.extend(page.items)
                if not page.done:
                    self.so_far = page.status
                    self.items = sorted(collected, key=order)
                    self.table.loading = False
                    self.refresh_rows()
        finally:
            self.so_far = None
        return collected

    def status_text(self) -> Text:
        text = super().status_text()
        if self.so_far:
            count = f"{self.so_far} (more pages coming)"
        elif self.loaded and self.items:
            count = f"{len(self.items)} {self.NOUN}{'s' if len(self.items) != 1 else ''}"
        else:
            return text
        return Text(f"{count} · {text.plain}" if text.plain else count, style="dim")


class OwnerResourceScreen(BaseScreen):
    """Subclasses set CAPABILITY (the Capabilities flag and action name), NOUN, COMMAND and
    make_pane(owner)."""

    CSS_PATH = style_path("pixels.tcss")
    CAPABILITY: ClassVar[str] = ""
    NOUN: ClassVar[str] = ""
    COMMAND: ClassVar[str] = ""

    def __init__(self, owner: str | None = None) -> None:
        super().__init__()
        self._owner_arg = owner.strip() if owner else None

    @property
    def owner(self) -> str | None:
        service = self.session.service
        return self._owner_arg or self.session.username or (service.username if service else None)

    def make_pane(self, owner: str) -> EditorPane[Any]:
        raise NotImplementedError

    def missing_reason(self) -> str | None:
        """Why this screen has nothing to list (no such endpoint, no owner), or None."""
        capabilities = self.session.api.capabilities
        if not getattr(capabilities, self.CAPABILITY, False):
            return capabilities.why_missing(self.CAPABILITY) or (
                f"API {capabilities.version} has no {self.NOUN}."
            )
        if not self.owner:
            return f"Whose {self.NOUN}? Type :{self.COMMAND} OWNER, or set your username in config.toml."
        return None

    def compose_body(self) -> ComposeResult:
        reason = self.missing_reason()
        if reason is not None or self.owner is None:
            yield Static(Text(reason or ""), id="owner-missing", classes="owner-missing")
        else:
            yield self.make_pane(self.owner)

    def on_mount(self) -> None:
        self.update_crumbs()

    @property
    def pane(self) -> EditorPane[Any] | None:
        panes = self.query(EditorPane)
        return panes.first() if panes else None

    def crumbs(self) -> list[str]:
        return [self.owner or "?", self.NOUN]

    def reload(self) -> None:
        if (pane := self.pane) is not None:
            pane.reload()

    def copy_target(self) -> str | None:
        pane = self.pane
        item = pane.cursor_item() if pane is not None else None
        value = getattr(item, "id", None)
        return value if isinstance(value, str) and value else None

    def context_org(self) -> str | None:
        owner = self.owner
        return owner if owner and owner != self.session.username else None
