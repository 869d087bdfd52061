"""A screen whose tabs hold panes mounted on first visit, so opening a screen costs one request
and not one per tab. The organization and package screens share it."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.widget import Widget
from textual.widgets import TabbedContent, TabPane

from scarf_tui.tui.common.base_screen import BaseScreen
from scarf_tui.tui.common.virtual_table import VirtualTable

# A pane's table refuses focus while it loads; wait this many 50 ms ticks (30 s) for it.
FOCUS_TRIES = 600


class TabbedScreen(BaseScreen):
    """Subclasses compose a TabbedContent with id "tabs", set DEFAULT_TAB, fill
    `_mounted_panes` with the panes composed up front, and build the others in make_pane()."""

    DEFAULT_TAB = ""
    _mounted_panes: set[str]

    @property
    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active or self.DEFAULT_TAB

    def make_pane(self, tab: str) -> Widget:
        raise NotImplementedError

    def _ensure_pane(self, tab: str, *, focus: bool) -> None:
        if tab not in self._mounted_panes:
            self._mounted_panes.add(tab)
            self._mount_pane(tab, focus)
        elif focus:
            self._focus_pane(tab)

    @work(group="tab-panes", exit_on_error=False)
    async def _mount_pane(self, tab: str, focus: bool) -> None:
        pane = self.query_one(f"#{tab}", TabPane)
        await pane.remove_children()
        await pane.mount(self.make_pane(tab))
        if focus and self.active_tab == tab:
            self._focus_pane(tab)

    def _focus_pane(self, tab: str) -> None:
        """Give the pane's table (or its first focusable widget) focus, so its keys work at once."""
        pane = self.query_one(f"#{tab}", TabPane)
        body: Any = pane.children[0] if pane.children else None
        target: Widget | None = None
        if body is not None and isinstance(getattr(body, "table", None), VirtualTable):
            target = body.table
        if target is None and body is not None and body.can_focus:
            target = body
        if target is None:
            target = next((t for t in pane.query(VirtualTable) if t.display), None)
        if target is None:
            target = next((w for w in pane.query("*") if w.can_focus), None)
        if target is not None:
            self._focus_when_ready(target, tab, FOCUS_TRIES)

    def _focus_when_ready(self, widget: Widget, tab: str, tries: int) -> None:
        """Focus `widget` once it stops loading (a loading widget refuses focus), unless the
        user has moved to another tab meanwhile."""
        if self.active_tab != tab or not widget.is_attached:
            return
        if widget.loading and tries > 0:
            self.set_timer(0.05, lambda: self._focus_when_ready(widget, tab, tries - 1))
            return
        widget.focus()
