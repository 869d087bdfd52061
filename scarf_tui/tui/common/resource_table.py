"""A filterable, sortable table of resources with loading, empty and error states.

k9s grammar: `/` filters as you type (a leading `!` inverts the match), enter accepts the filter
and returns to the table, esc clears it. Sorting by column key (the owner wires keys to columns)
or `s` to cycle. The owner feeds rows (already-safe `Text` cells) and listens for `Opened`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import AwaitMount
from textual.widgets import Input, LoadingIndicator, Static

from scarf_tui.tui.common.text import safe
from scarf_tui.tui.common.virtual_table import TableColumn, VirtualTable


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None = None
    sortable: bool = True
    flex: bool = False  # takes the width the fixed columns leave (content truncated with …)


class Row:
    """One line of a ResourceTable. `cells` are given up front, or made from the item by
    `build` each time the row is drawn, so a 20,000-row list keeps no styled text per row
    (`set_cell` values, such as a trend filled in later, are kept either way). `sort_values`
    and `search_text` are what sorting and `/` read; give them when cells are built."""

    __slots__ = ("key", "item", "sort_values", "search_text", "_cells", "_build", "_haystack")

    def __init__(
        self,
        key: str,
        item: Any,
        cells: dict[str, Text] | None = None,
        sort_values: dict[str, Any] | None = None,
        search_text: str = "",
        build: Callable[[Any], dict[str, Text]] | None = None,
    ) -> None:
        self.key = key
        self.item = item
        self.sort_values = sort_values if sort_values is not None else {}
        self.search_text = search_text
        self._cells = cells if cells is not None else {}
        self._build = build
        self._haystack: str | None = None

    @property
    def cells(self) -> dict[str, Text]:
        if self._build is None:
            return self._cells
        return {**self._build(self.item), **self._cells}

    def set_cell(self, column: str, value: Text) -> None:
        self._cells[column] = value
        self._haystack = None  # a cell may be part of what `/` searches

    def sort_value(self, column: str) -> Any:
        if column in self.sort_values:
            return self.sort_values[column]
        cell = self.cells.get(column)
        return cell.plain.casefold() if cell is not None else ""

    @property
    def haystack(self) -> str:
        """What `/` searches, folded once (filtering 20,000 rows must not fold them per key)."""
        if self._haystack is None:
            self._haystack = (self.search_text or " ".join(c.plain for c in self.cells.values())).casefold()
        return self._haystack


def text_matches(filter_text: str, haystack: str) -> bool:
    """The `/` rule every list shares: a case-blind substring, `!text` for rows without it."""
    inverse = filter_text.startswith("!")
    needle = filter_text[1:] if inverse else filter_text
    if not needle:
        return True
    found = needle.casefold() in haystack.casefold()
    return not found if inverse else found


def narrows(before: str, after: str) -> bool:
    """Whether every row `after` matches also matched `before` (so only those need testing)."""
    return bool(before) and not before.startswith("!") and after.startswith(before)


class FilterInput(Input):
    """The `/` prompt. Enter accepts the filter; esc clears it.

    Both are priority bindings: they run as the app reads the key, before it hands the next key
    of the same burst to the focused widget, so `/text⏎G` (tmux, a paste, a fast typist) sends
    G to the table rather than into the filter."""

    BINDINGS = [
        Binding("enter", "accept", "Accept filter", id="table.filter_accept", priority=True),
        Binding("escape", "clear_filter", "Clear filter", id="table.filter_clear", priority=True),
    ]

    def _owner(self) -> FilterOwner:
        owner = next((node for node in self.ancestors if isinstance(node, FilterOwner)), None)
        if owner is None:
            raise RuntimeError("a FilterInput must sit inside a ResourceTable or an EditorPane")
        return owner

    def action_accept(self) -> None:
        self._owner().accept_filter()

    def action_clear_filter(self) -> None:
        self._owner().clear_filter()


@runtime_checkable
class FilterOwner(Protocol):
    """What holds a FilterInput: a ResourceTable or an EditorPane."""

    def accept_filter(self) -> None: ...

    def clear_filter(self) -> None: ...



class ResourceDataTable(VirtualTable):
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
        self.loading_rows = False
        self._by_key: dict[str, Row] | None = None
        self._filter: FilterInput | None = None
        self._filter_mounted: AwaitMount | None = None

    def compose(self) -> ComposeResult:
        # The filter bar (an Input) and the spinner row are mounted when first needed: a list
        # painted from saved rows builds and styles neither before the first frame.
        keys = [c.key for c in self.columns]

        def cells_in_order(row: Row) -> list[Text]:
            cells = row.cells
            return [cells.get(key, _BLANK) for key in keys]

        yield ResourceDataTable(
            [TableColumn(c.key, c.label, c.width, c.flex) for c in self.columns], cells=cells_in_order, id="table"
        )
        yield Static("", classes="status", id="status")


    # --- parts --------------------------------------------------------------------------------
    @property
    def table(self) -> ResourceDataTable:
        return self.query_one("#table", ResourceDataTable)

    @property
    def filter_input(self) -> FilterInput:
        """The `/` prompt, mounted (hidden, above the table) the first time it is asked for."""
        if self._filter is None:
            self._filter = FilterInput(placeholder=FILTER_PLACEHOLDER, id="filter")
            self._filter.can_focus = False  # only while the filter bar shows
            self._filter_mounted = self._mount_filter_bar(self._filter)
        return self._filter

    def _mount_filter_bar(self, field_: FilterInput) -> AwaitMount:
        bar = Horizontal(id="filter-bar")
        self.mount(bar, before=0)
        return bar.mount(Static("/", classes="prompt"), field_)

    # --- data ---------------------------------------------------------------------------------
    def set_loading(self, loading: bool) -> None:
        # A spinner row rather than `table.loading`: a loading widget cannot take focus, and the
        # table must keep it (and keep showing the previous rows while a refresh runs).
        self.loading_rows = loading
        spinners = self.query_children("#spinner")
        if spinners:
            spinners.first().display = loading
        elif loading:
            self.mount(LoadingIndicator(id="spinner"), before="#status")
        if loading:
            self._set_status(f"loading {self.noun}…")

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.error = None
        self.rows = list(rows)
        self._by_key = None
        self.set_loading(False)
        self.refresh_rows()

    def set_error(self, message: str) -> None:
        """Inline error state: the table keeps what it had; the status line says what failed."""
        self.error = message
        self.set_loading(False)
        self._render_status()

    def update_cell(self, row_key: str, column: str, value: Text, sort_value: Any = None) -> None:
        row = self._rows_by_key().get(row_key)
        if row is None:
            return
        row.set_cell(column, value)
        if sort_value is not None:
            row.sort_values[column] = sort_value
        index = self.table.index_of(row_key)
        if index is not None:
            self.table.refresh_row_at(index)

    def _rows_by_key(self) -> dict[str, Row]:
        if self._by_key is None:
            self._by_key = {row.key: row for row in self.rows}
        return self._by_key

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
        index = self.table.index_of(key)
        if index is not None:
            self.table.move_cursor(row=index)

    # --- filter / sort ------------------------------------------------------------------------
    def refresh_rows(self, *, narrow: bool = False) -> None:
        """Recompute the visible rows and hand them to the table (which draws only what shows).
        `narrow`: the filter only got stricter, so only the rows visible now need testing."""
        current_key = self.table.cursor_key
        inverse = self.filter_text.startswith("!")
        needle = (self.filter_text[1:] if inverse else self.filter_text).casefold()
        extra = self.extra_filter
        source = self._visible if narrow else self.rows
        # text_matches's rule, with the needle and each row's haystack folded once
        visible = [r for r in source
                   if (extra is None or extra(r)) and (not needle or (needle in r.haystack) != inverse)]
        if self.sort_column and not narrow:  # a narrowed list keeps its order
            column = self.sort_column
            visible.sort(key=lambda r: _sortable(r.sort_value(column)), reverse=self.sort_reverse)
        self._visible = visible
        self.table.set_rows(visible, cursor_key=current_key)
        self._render_status()

    def sort_by(self, column: str) -> None:
        if self.sort_column == column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.refresh_rows()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        if text or self._filter is not None:  # no filter and no prompt yet: nothing to clear
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

    async def action_start_filter(self) -> None:
        field_ = self.filter_input
        if self._filter_mounted is not None:
            # Awaited so the keys typed after "/" in one burst wait for the prompt to exist.
            mounted, self._filter_mounted = self._filter_mounted, None
            await mounted
        self._show_filter_bar(True)
        self.screen.set_focus(field_)
        field_.cursor_position = len(field_.value)

    def action_clear_filter(self) -> None:
        self.clear_filter()

    def clear_filter(self) -> None:
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
        before, self.filter_text = self.filter_text, event.value
        self.refresh_rows(narrow=narrows(before, event.value))
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

    @on(VirtualTable.RowSelected, "#table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        event.stop()
        item = self.selected
        if item is not None:
            self.post_message(ResourceTable.Opened(self, item))


_BLANK = Text("")
FILTER_PLACEHOLDER = "filter (start with ! to invert; enter accepts, esc clears)"


def _sortable(value: Any) -> tuple[int, Any]:
    """None sorts last; mixed types never raise."""
    if value is None:
        return (1, "")
    if isinstance(value, (int, float)):
        return (0, value)
    return (0, value) if isinstance(value, str) else (0, str(value))
