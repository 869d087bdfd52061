"""EditorPane: a table of server-held rows plus the write cycle the editors share.

Reading and writing both run in workers. A write is: confirm (done by the caller) -> request ->
re-read -> show what the server holds. A failed write shows the server's sentence (notification
and inline), drops the service cache and re-reads, so the table never shows a wished state. A
failed re-read keeps the last rows and says so; `r` tries again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input, Static

from scarf_tui.api.service import ScarfService
from scarf_tui.tui.common.confirm import Change, ConfirmDialog, change_summary
from scarf_tui.tui.common.errors import WRITE_FAILED, describe_error, notify_error
from scarf_tui.tui.common.resource_table import FilterInput, text_matches
from scarf_tui.tui.common.styles import read_style
from scarf_tui.tui.common.text import safe_text
from scarf_tui.tui.common.virtual_table import TableColumn, TableRow, VirtualTable
from scarf_tui.tui.session import session_of

Item = TypeVar("Item")


class EditorPane(Widget, Generic[Item]):
    """Subclasses set COLUMNS, WRITE_ACTIONS, `title()`, `fetch()`, `row_key(item)` and `cells(item)`."""

    DEFAULT_CSS = read_style("editors.tcss")

    COLUMNS: ClassVar[Sequence[tuple[str, str]]] = ()  # (key, label)
    WRITE_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    EMPTY_TEXT: ClassVar[str] = "Nothing here yet."
    HINT: ClassVar[str] = ""
    id_prefix: ClassVar[str] = "editor"

    BINDINGS = [
        # priority: "/name" typed in one burst must land in the filter, not in the table.
        Binding("slash", "start_filter", "Filter", id="pane.filter", priority=True),
        Binding("escape", "peel", "Clear", show=False, id="pane.peel"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=f"editor-pane {classes or ''}".strip())
        self.filter_text = ""
        self.items: list[Item] = []
        self.loaded = False
        self._writing = False
        self._status_error: str | None = None

    # --- what subclasses provide ---------------------------------------------------------------
    def title(self) -> Text:
        raise NotImplementedError

    async def fetch(self) -> list[Item]:
        raise NotImplementedError

    def row_key(self, item: Item) -> str:
        raise NotImplementedError

    def cells(self, item: Item) -> Sequence[Any]:
        raise NotImplementedError

    def hint(self) -> str:
        """The key hint under the title; a pane whose keys depend on the API version overrides it."""
        return self.HINT

    def items_loaded(self) -> None:
        """Called after each successful read, before the table is refilled."""

    def status_text(self) -> Text:
        """The line under the title when nothing went wrong."""
        if self.filter_text:
            shown = len(self.visible_items())
            return Text(f"filter: {self.filter_text} · {shown} of {len(self.items)} · esc clears", style="dim")
        if session_of(self).read_only:
            empty = "Nothing here. " if self.loaded and not self.items else ""
            return Text(f"{empty}Read-only mode: changes are switched off · r reload", style="dim")
        if self.loaded and not self.items:
            return Text(self.EMPTY_TEXT, style="dim")
        return Text(self.hint(), style="dim")

    # --- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self.title(), classes="pane-title")
        yield Static("", classes="pane-status")
        yield FilterInput(placeholder="filter (!text: rows without it) · enter keep · esc clear", classes="pane-filter")
        yield VirtualTable([TableColumn(key, label) for key, label in self.COLUMNS], classes="pane-table")

    def on_mount(self) -> None:
        self._show_status()
        # Only the pane the user sees may take focus: focusing one in a hidden tab would make
        # its TabbedContent switch to that tab behind the user's back.
        if self.screen.focused is None and self._displayed():
            self.table.focus()
        self.reload()

    def _displayed(self) -> bool:
        return all(node.display for node in self.ancestors_with_self if isinstance(node, Widget))

    @property
    def table(self) -> VirtualTable:
        return self.query_one(".pane-table", VirtualTable)

    @property
    def service(self) -> ScarfService:
        return session_of(self).api

    @property
    def busy(self) -> bool:
        return self._writing

    def focus_table(self) -> None:
        self.table.focus()

    def cursor_item(self) -> Item | None:
        key = self.table.cursor_key
        return self.item_by_key(key) if self.items and key is not None else None

    def item_by_key(self, key: str | None) -> Item | None:
        for item in self.items:
            if self.row_key(item) == key:
                return item
        return None

    # --- bindings ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.WRITE_ACTIONS and session_of(self).read_only:
            return False  # hidden from the footer, and the key does nothing
        if action == "peel":
            return self.has_layer()  # nothing to peel: esc goes on to the screen (back)
        if self.is_mounted and self.filter_input.has_focus:
            return False  # typing a filter: enter and the pane's keys belong to the input
        return True

    # --- filter and esc ------------------------------------------------------------------------
    @property
    def filter_input(self) -> Input:
        return self.query_one(".pane-filter", Input)

    def visible_items(self) -> list[Item]:
        if not self.filter_text:
            return self.items
        return [i for i in self.items if text_matches(self.filter_text, " ".join(_plain(c) for c in self.cells(i)))]

    def action_start_filter(self) -> None:
        field_ = self.filter_input
        field_.add_class("-active")
        field_.focus()
        field_.cursor_position = len(field_.value)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.filter_input:
            event.stop()
            self.filter_text = event.value
            self.refresh_rows()

    def accept_filter(self) -> None:
        """Enter in the filter (FilterInput): keep it, and go back to the table."""
        if not self.filter_text:
            self.filter_input.remove_class("-active")
        self.table.focus()

    def has_layer(self) -> bool:
        """Something esc should clear before it leaves the screen (a subclass adds marks)."""
        return bool(self.filter_text) or self.filter_input.has_class("-active")

    def action_peel(self) -> None:
        self.clear_filter()

    def clear_filter(self) -> None:
        self.filter_input.value = ""
        self.filter_text = ""
        self.filter_input.remove_class("-active")
        self.refresh_rows()
        self.table.focus()

    def action_refresh(self) -> None:
        self.service.invalidate()
        self.reload()

    def may_write(self) -> bool:
        """True when a write may start now; otherwise tells the user why not."""
        if session_of(self).refuses_write(self):
            return False
        if self._writing:
            self.app.notify("Still saving the previous change.", severity="warning")
            return False
        return True

    # --- reading -------------------------------------------------------------------------------
    def reload(self) -> None:
        self._load_worker()

    @work(exclusive=True, group="editor-pane-load", exit_on_error=False)
    async def _load_worker(self) -> None:
        await self._load()

    async def _load(self) -> bool:
        self.table.loading = True
        try:
            items = await self.fetch()
        except Exception as err:  # noqa: BLE001 - shown, never raised into the app
            self.table.loading = False
            sentence = describe_error(err)
            self._show_status(f"Could not load: {sentence} Press r to retry.")
            notify_error(self, sentence, title=WRITE_FAILED)
            return False
        self.items = list(items)
        self.loaded = True
        self.items_loaded()
        self.table.loading = False
        self._fill_table()
        self._show_status(None)
        return True

    def _fill_table(self) -> None:
        # The cursor stays on the same row (by key), or on the same line when that row is gone.
        rows = [TableRow(self.row_key(i), tuple(_as_text(c) for c in self.cells(i))) for i in self.visible_items()]
        self.table.set_rows(rows, cursor_key=self.table.cursor_key)

    def refresh_rows(self) -> None:
        """Redraw rows from `self.items` (e.g. after marks changed) without a request."""
        self._fill_table()
        self._show_status(self._status_error)

    def _show_status(self, error: str | None = None) -> None:
        self._status_error = error
        status = self.query_one(".pane-status", Static)
        if error:
            status.update(Text(error, style="bold red"))
            status.add_class("-error")
        else:
            status.update(self.status_text())
            status.remove_class("-error")

    @property
    def status_error(self) -> str | None:
        return self._status_error

    # --- writing -------------------------------------------------------------------------------
    def confirm_write(
        self,
        title: str,
        changes: Sequence[Change],
        request: Callable[[], Awaitable[object]],
        *,
        after: Callable[[], None] | None = None,
    ) -> None:
        """Show the exact change, then (if confirmed) send it, re-read, and say what was saved."""

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.write(request, after=after, changes=changes)

        self.app.push_screen(ConfirmDialog(title, list(changes)), confirmed)

    def write(
        self,
        request: Callable[[], Awaitable[object]],
        *,
        after: Callable[[], None] | None = None,
        changes: Sequence[Change] = (),
    ) -> None:
        """Send one confirmed request, then re-read. `after` runs on success before the re-read;
        `changes` (what, before, after) become the success line."""
        self._writing = True
        self._write_worker(request, after, list(changes))

    @work(exclusive=True, group="editor-pane-write", exit_on_error=False)
    async def _write_worker(
        self, request: Callable[[], Awaitable[object]], after: Callable[[], None] | None, changes: list[Change]
    ) -> None:
        self.table.loading = True
        failure: str | None = None
        try:
            await request()
        except Exception as err:  # noqa: BLE001 - shown, then the server's state is re-read
            failure = describe_error(err)
            notify_error(self, failure, title=WRITE_FAILED)
            # The request may have half-happened (timeout, 5xx): forget cached reads.
            self.service.invalidate()
        else:
            if after is not None:
                after()
            if changes:
                self.app.notify(change_summary(changes), markup=False)
        finally:
            self._writing = False
        loaded = await self._load()
        if failure:
            suffix = "" if loaded else " The table shows the last rows read; press r to re-read."
            self._show_status(f"{failure}{suffix}")

    def after_form(self, result: object) -> None:
        """A form dismissed: re-read what the server holds (whatever the outcome)."""
        self.reload()


def level_text(value: object, *, styles: dict[str, str] | None = None) -> Text:
    """An enum-ish cell, styled by its value (e.g. blocked in red)."""
    text = safe_text(getattr(value, "value", value))
    if styles:
        style = styles.get(text.plain)
        if style:
            text.stylize(style)
    return text


def _plain(cell: object) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def _as_text(cell: object) -> Text:
    return cell if isinstance(cell, Text) else Text(str(cell))
