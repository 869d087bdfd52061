"""A filterable, sortable table of resources with loading, empty and error states.

k9s grammar: `/` filters as you type (a leading `!` inverts the match), enter accepts the filter
and returns to the table, esc clears it. Sorting by column key (the owner wires keys to columns)
or `s` to cycle. The owner feeds rows (already-safe `Text` cells) and listens for `Opened`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import DataTable, Input, LoadingIndicator, Static
from textual.widgets.data_table import ColumnKey

from scarf_tui.tui.common.motion_table import MotionTable
from scarf_tui.tui.common.text import safe


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None = None
    sortable: bool = True
    flex: bool = False  # takes the width the fixed columns leave (content truncated with …)


@dataclass
class Row:
    key: str
    item: Any
    cells: dict[str, Text]
    sort_values: dict[str, Any] = field(default_factory=dict)
    search_text: str = ""

    def sort_value(self, column: str) -> Any:
        if column in self.sort_values:
            return self.sort_values[column]
        return self.cells[column].plain.casefold() if column in self.cells else ""


def text_matches(filter_text: str, haystack: str) -> bool:
    """The `/` rule every list shares: a case-blind substring, `!text` for rows without it."""
    inverse = filter_text.startswith("!")
    needle = filter_text[1:] if inverse else filter_text
    if not needle:
        return True
    found = needle.casefold() in haystack.casefold()
    return not found if inverse else found


class FilterInput(Input):
    """The `/` prompt. Enter accepts the filter; esc clears it.

    Both act synchronously inside the key dispatch, so a fast `enter enter` (accept, then open)
    sends the second enter to the table rather than to this input again."""

    BINDINGS = [
        Binding("enter", "accept", "Accept filter", id="table.filter_accept"),
        Binding("escape", "clear_filter", "Clear filter", id="table.filter_clear"),
    ]

    def action_accept(self) -> None:
        self.query_ancestor(ResourceTable).accept_filter()

    def action_clear_filter(self) -> None:
        self.query_ancestor(ResourceTable).action_clear_filter()



class ResourceDataTable(MotionTable):
    """The table proper; a subclass so styles and bindings can target it."""


class ResourceTable(Vertical):
    """Rows + filter + sort + a status line that doubles as the inline error state."""

    DEFAULT_CSS = """
    ResourceTable { height: 1fr; }
    ResourceTable > #filter-bar { display: none; height: 1; background: $boost; }
    ResourceTable > #filter-bar.-active { display: block; }
    ResourceTable #filter-bar > .prompt { width: 2; padding-left: 1; color: $accent; }
    ResourceTable FilterInput, ResourceTable FilterInput:focus {
        height: 1; border: none; padding: 0; background: $boost; width: 1fr;
    }
    ResourceTable > ResourceDataTable { height: 1fr; }
    ResourceTable > .status { height: 1; padding: 0 1; color: $text-muted; }
    ResourceTable > #spinner { height: 1; }
    ResourceTable > .status.-error { color: $text-error; background: $error-muted; }
    """

    BINDINGS = [
        # priority: "/lab" typed in one burst must land in the filter, not in the table (the
        # keys after "/" are routed before a non-priority binding would run). The filter input
        # itself still gets "/" (it consumes printable keys).
        Binding("slash", "start_filter", "Filter", id="table.filter", priority=True),
        Binding("s", "cycle_sort", "Sort", show=False, id="table.sort_cycle"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="table.filter_clear"),
    ]

    class Opened(Message):
        """The user pressed enter (or clicked) on a row."""

        def __init__(self, table: ResourceTable, item: Any) -> None:
            super().__init__()
            self.table = table
            self.item = item

        @property
        def control(self) -> ResourceTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        noun: str = "rows",
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = list(columns)
        self.noun = noun
        self.rows: list[Row] = []
        self.filter_text = ""
        self.sort_column: str | None = None
        self.sort_reverse = False
        self.extra_filter: Callable[[Row], bool] | None = None
        self.extra_status = ""
        self.error: str | None = None
        self._visible: list[Row] = []
        self.flex_width = 30
        self.loading_rows = False
        self._flex_applied = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="filter-bar"):
            yield Static("/", classes="prompt")
            field_ = FilterInput(placeholder="filter (start with ! to invert; enter accepts, esc clears)", id="filter")
            field_.can_focus = False  # only while the filter bar shows
            yield field_
        table = ResourceDataTable(cursor_type="row", zebra_stripes=True, id="table")
        for column in self.columns:
            table.add_column(column.label, key=column.key, width=column.width)
        yield table
        spinner = LoadingIndicator(id="spinner")
        spinner.display = False
        yield spinner
        yield Static("", classes="status", id="status")


    # --- parts --------------------------------------------------------------------------------
    @property
    def table(self) -> ResourceDataTable:
        return self.query_one("#table", ResourceDataTable)

    @property
    def filter_input(self) -> FilterInput:
        return self.query_one("#filter", FilterInput)

    # --- data ---------------------------------------------------------------------------------
    def set_loading(self, loading: bool) -> None:
        # A spinner row rather than `table.loading`: a loading widget cannot take focus, and the
        # table must keep it (and keep showing the previous rows while a refresh runs).
        self.loading_rows = loading
        self.query_one("#spinner").display = loading
        if loading:
            self._set_status(f"loading {self.noun}…")

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.error = None
        self.rows = list(rows)
        self.set_loading(False)
        self.refresh_rows()

    def set_error(self, message: str) -> None:
        """Inline error state: the table keeps what it had; the status line says what failed."""
        self.error = message
        self.set_loading(False)
        self._render_status()

    def update_cell(self, row_key: str, column: str, value: Text, sort_value: Any = None) -> None:
        for row in self.rows:
            if row.key == row_key:
                row.cells[column] = value
                if sort_value is not None:
                    row.sort_values[column] = sort_value
                break
        if any(r.key == row_key for r in self._visible):
            self.table.update_cell(row_key, column, value, update_width=True)

    @property
    def visible_rows(self) -> list[Row]:
        return list(self._visible)

    @property
    def selected(self) -> Any | None:
        table = self.table
        if not self._visible or table.cursor_row < 0 or table.cursor_row >= len(self._visible):
            return None
        return self._visible[table.cursor_row].item

    def select_key(self, key: str) -> None:
        for index, row in enumerate(self._visible):
            if row.key == key:
                self.table.move_cursor(row=index)
                return

    # --- filter / sort ------------------------------------------------------------------------
    def matches(self, row: Row) -> bool:
        if self.extra_filter is not None and not self.extra_filter(row):
            return False
        return text_matches(self.filter_text, row.search_text or " ".join(c.plain for c in row.cells.values()))

    def refresh_rows(self) -> None:
        table = self.table
        current = self.selected
        current_key = next((r.key for r in self._visible if r.item is current), None)
        visible = [r for r in self.rows if self.matches(r)]
        if self.sort_column:
            column = self.sort_column
            visible.sort(key=lambda r: _sortable(r.sort_value(column)), reverse=self.sort_reverse)
        self._visible = visible
        table.clear()
        for row in visible:
            table.add_row(*(self._cell(row, c) for c in self.columns), key=row.key)
        if current_key is not None:
            self.select_key(current_key)
        self._render_status()

    def _cell(self, row: Row, column: Column) -> Text:
        cell = row.cells.get(column.key, Text(""))
        # Fixed-width columns too: the table would cut a long name silently; "…" says so.
        width = self.flex_width if column.flex else column.width
        if width is not None and cell.cell_len > width:
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis")
        return cell

    def on_resize(self) -> None:
        fixed = sum((c.width or 0) for c in self.columns if not c.flex)
        padding = 2 * len(self.columns) + 2  # cell padding + scrollbar
        width = max(10, self.size.width - fixed - padding)
        if width != self.flex_width or not self._flex_applied:
            self.flex_width = width
            self._flex_applied = True
            for column in self.columns:
                if column.flex:
                    data_column = self.table.columns[ColumnKey(column.key)]
                    data_column.width, data_column.auto_width = width, False
            self.refresh_rows()

    def sort_by(self, column: str) -> None:
        if self.sort_column == column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.refresh_rows()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        if self.filter_input.value != text:
            self.filter_input.value = text
        self._show_filter_bar(bool(text))
        self.refresh_rows()

    # --- status line --------------------------------------------------------------------------
    def _set_status(self, text: str | Text, error: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _render_status(self) -> None:
        if self.error is not None:
            message = Text("⚠ ")
            message.append_text(safe(self.error))
            message.append("  (r: retry)")
            self._set_status(message, error=True)
            return
        if self.loading_rows and not self.rows:
            # Not "no packages": nothing has been read yet (a resize redraws the status).
            self._set_status(f"loading {self.noun}…")
            return
        parts = [f"{len(self._visible)} of {len(self.rows)} {self.noun}"]
        if self.filter_text:
            parts.append(f"filter: {self.filter_text}")
        if self.extra_status:
            parts.append(self.extra_status)
        if self.sort_column:
            label = next((c.label for c in self.columns if c.key == self.sort_column), "")
            parts.append(f"sort: {label} {'↓' if self.sort_reverse else '↑'}")
        if not self.rows:
            parts = [f"no {self.noun}"]
        self._set_status(safe(" · ".join(parts)))

    # --- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "clear_filter":
            return bool(self.filter_text)
        return True

    def action_start_filter(self) -> None:
        field_ = self.filter_input
        self._show_filter_bar(True)
        self.screen.set_focus(field_)
        field_.cursor_position = len(field_.value)

    def action_clear_filter(self) -> None:
        self.set_filter("")
        self.screen.set_focus(self.table)

    def action_cycle_sort(self) -> None:
        keys = [c.key for c in self.columns if c.sortable]
        if not keys:
            return
        if self.sort_column not in keys:
            self.sort_column, self.sort_reverse = keys[0], False
        elif not self.sort_reverse:
            self.sort_reverse = True
        else:
            self.sort_column = keys[(keys.index(self.sort_column) + 1) % len(keys)]
            self.sort_reverse = False
        self.refresh_rows()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.filter_text = event.value
        self.refresh_rows()
        if self._visible:
            self.table.move_cursor(row=0)

    def _show_filter_bar(self, show: bool) -> None:
        # A hidden filter must never hold focus (terminals re-focus on app focus-in).
        self.query_one("#filter-bar").set_class(show, "-active")
        self.filter_input.can_focus = show

    def accept_filter(self) -> None:
        self.filter_text = self.filter_input.value
        if not self.filter_text:
            self._show_filter_bar(False)
        self.screen.set_focus(self.table)

    @on(DataTable.RowSelected, "#table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        item = self.selected
        if item is not None:
            self.post_message(ResourceTable.Opened(self, item))


def _sortable(value: Any) -> tuple[int, Any]:
    """None sorts last; mixed types never raise."""
    if value is None:
        return (1, "")
    if isinstance(value, (int, float)):
        return (0, value)
    return (0, value) if isinstance(value, str) else (0, str(value))
