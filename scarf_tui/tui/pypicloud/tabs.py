"""The shared tab logic of the two pypicloud screens: digits and [ ] switch tabs, panes mount
on first visit, `r` re-reads the active pane (also without a Scarf account)."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static, TabbedContent, TabPane

from scarf_tui.tui.common.tabbed_screen import TabbedScreen


class SourceTabs(TabbedScreen):
    TABS: ClassVar[tuple[tuple[str, str], ...]] = ()

    BINDINGS = [
        Binding("1", "tab_number(0)", show=False, id="pypicloud.tab_1"),
        Binding("2", "tab_number(1)", show=False, id="pypicloud.tab_2"),
        Binding("3", "tab_number(2)", show=False, id="pypicloud.tab_3"),
        Binding("left_square_bracket", "cycle_tab(-1)", "Prev tab", show=False, id="pypicloud.prev_tab"),
        Binding("right_square_bracket", "cycle_tab(1)", "Next tab", show=False, id="pypicloud.next_tab"),
    ]

    def __init__(self, *, tab: str | None = None) -> None:
        super().__init__()
        tabs = [t for t, _ in self.TABS]
        self.initial_tab = tab if tab in tabs else self.DEFAULT_TAB
        self._mounted_panes: set[str] = set()

    def compose_body(self) -> ComposeResult:
        with TabbedContent(initial=self.initial_tab, id="tabs"):
            for tab_id, title in self.TABS:
                with TabPane(title, id=tab_id):
                    yield Static("", classes="pane-placeholder")

    def on_mount(self) -> None:
        self.update_crumbs()
        self._ensure_pane(self.initial_tab, focus=True)

    def action_tab(self, tab: str) -> None:
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active != tab:
            tabs.active = tab
        self._ensure_pane(tab, focus=True)
        self.update_crumbs()

    def action_tab_number(self, index: int) -> None:
        if 0 <= index < len(self.TABS):
            self.action_tab(self.TABS[index][0])

    def action_cycle_tab(self, step: int) -> None:
        tabs = [t for t, _ in self.TABS]
        index = tabs.index(self.active_tab) if self.active_tab in tabs else 0
        self.action_tab(tabs[(index + step) % len(tabs)])

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._ensure_pane(event.pane.id or self.DEFAULT_TAB, focus=True)
        self.update_crumbs()

    def pane_body(self, tab: str) -> Any:
        pane = self.query_one(f"#{tab}", TabPane)
        return pane.children[0] if pane.children else None

    def reload(self) -> None:
        for tab in list(self._mounted_panes):
            body = self.pane_body(tab)
            if body is not None and callable(getattr(body, "reload", None)):
                body.reload()

    def copy_target(self) -> str | None:
        return self.pane_copy_target(self.pane_body(self.active_tab))
