"""The table every list uses: a line-API table that renders only the rows on screen.

DataTable keeps a widget-side copy of every cell and measures every row for column widths, so
clearing and refilling it costs seconds at 20,000 rows. This table holds a reference to the
owner's row sequence and a function that gives a row's cells; filtering or sorting hands it a new
sequence, and only the lines Textual asks for (`render_line`) are built, then cached until the
rows, the cursor or the styles change. Memory is the owner's rows plus a bounded line cache.

Keys are the motions vim and k9s users know (j k g G home end ctrl+f ctrl+b) plus the arrows,
page keys and enter; a click moves the cursor, and a click on the cursor row selects it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import JustifyMethod
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from scarf_tui.tui.common.styles import read_style

PADDING = 1  # blank cells each side of a cell
AUTO_WIDTH_SAMPLE = 1_000  # rows measured for an auto-width column; longer cells end in "…"
EMPTY = Text("")


@dataclass(frozen=True)
class TableColumn:
    key: str
    label: str
    width: int | None = None  # None: as wide as its widest cell (first AUTO_WIDTH_SAMPLE rows)
    flex: bool = False  # takes the width the other columns leave
    justify: JustifyMethod = "left"  # "right" for numbers (a cell whose Text says justify="right" is too)


@dataclass(frozen=True)
class TableRow:
    """A ready-made row for owners that have no row type of their own."""

    key: str
    cells: tuple[Text, ...]


def _row_cells(row: Any) -> Sequence[Text]:
    return row.cells


class VirtualTable(ScrollView, can_focus=True):
    DEFAULT_CSS = read_style("table.tcss")
    COMPONENT_CLASSES = {
        "virtual-table--header",
        "virtual-table--cursor",
        "virtual-table--even-row",
        "virtual-table--odd-row",
    }
    # One id per motion, arrow and vim key together (as `?` always listed them): a remap in
    # [keymap] names every key the motion should have.
    BINDINGS = [
        Binding("up,k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("g,home", "first_row", "First row", show=False, id="table.first_row"),
        Binding("G,end", "last_row", "Last row", show=False, id="table.last_row"),
        Binding("pageup,ctrl+b", "page_up", "Page up", show=False, id="table.page_up"),
        Binding("pagedown,ctrl+f", "page_down", "Page down", show=False, id="table.page_down"),
        Binding("enter", "select_cursor", "Open", show=False, id="table.select"),
    ]

    class RowMessage(Message):
        """About the row at `cursor_row` (key `row_key`)."""

        def __init__(self, table: VirtualTable, cursor_row: int, row_key: str | None) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> VirtualTable:
            return self.table

    class RowHighlighted(RowMessage):
        """The cursor moved to another row."""

    class RowSelected(RowMessage):
        """Enter (or a click on the cursor row)."""

    def __init__(
        self,
        columns: Sequence[TableColumn] = (),
        *,
        cells: Callable[[Any], Sequence[Text]] = _row_cells,
        zebra_stripes: bool = True,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: list[TableColumn] = list(columns)
        self._cells_of = cells
        self.zebra_stripes = zebra_stripes
        self._rows: Sequence[Any] = ()
        self._index: dict[str, int] | None = None  # key -> row, built on first lookup
        self._cursor = -1
        self._auto_widths: dict[str, int] = {}
        self._widths: list[int] = []
        self._lines: LRUCache[tuple[int, bool, bool], Strip] = LRUCache(maxsize=256)
        self._frame: tuple[Style, int] | None = None  # (rich_style, width) while a frame renders

    # --- data ---------------------------------------------------------------------------------
    def set_columns(self, columns: Sequence[TableColumn]) -> None:
        self.columns = list(columns)
        self._measure()

    def set_rows(self, rows: Sequence[Any], *, cursor_key: str | None = None) -> None:
        """Show `rows` (kept by reference). The cursor stays on `cursor_key` when given and
        present, else on the same index, clamped."""
        before = self.cursor_key
        self._rows = rows
        self._index = None
        target = self.index_of(cursor_key) if cursor_key is not None else None
        self._measure()
        if target is None:
            target = min(max(self._cursor, 0), len(rows) - 1)
        self._set_cursor(target, scroll=True, announce=False)
        if self.cursor_key != before:  # another row under the cursor, even at the same index
            self.post_message(VirtualTable.RowHighlighted(self, self._cursor, self.cursor_key))

    def refresh_row_at(self, index: int) -> None:
        """A row's cells changed in place."""
        self._forget(index)
        self.refresh_line(1 + index - self.scroll_offset.y)

    def _forget(self, index: int) -> None:
        """Drop one row's drawn lines (a cursor move or a changed cell redraws that row alone)."""
        for focused in (True, False):
            self._lines.discard((index, focused, False))

    @property
    def rows(self) -> Sequence[Any]:
        return self._rows

    @property
    def row_count(self) -> int:
        return len(self._rows)

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def cursor_key(self) -> str | None:
        return self._rows[self._cursor].key if 0 <= self._cursor < len(self._rows) else None

    def index_of(self, key: str) -> int | None:
        if self._index is None:
            self._index = {row.key: i for i, row in enumerate(self._rows)}
        return self._index.get(key)

    def row_cells(self, index: int) -> Sequence[Text]:
        """A row's cells as the owner gave them."""
        return self._cells_of(self._rows[index])

    def shown_cells(self, index: int) -> dict[str, str]:
        """A row's cells as drawn (cut to their column with "…"), by column key."""
        cells = self._row_of(self._rows[index])
        return {c.key: _fit(cell, w).plain for c, w, cell in zip(self.columns, self._widths, cells, strict=False)}

    # --- cursor -------------------------------------------------------------------------------
    def move_cursor(self, *, row: int, animate: bool = False) -> None:
        del animate  # the DataTable signature; moves here are never animated
        if self._rows:
            self._set_cursor(max(0, min(row, len(self._rows) - 1)), scroll=True, announce=True)

    def _set_cursor(self, row: int, *, scroll: bool, announce: bool) -> None:
        old, self._cursor = self._cursor, row
        if old != row:
            self._forget(old)
            self._forget(row)
            self.refresh()
        if scroll and row >= 0:
            self._scroll_to_cursor()
        if announce and old != row:
            self.post_message(VirtualTable.RowHighlighted(self, row, self.cursor_key))

    def _scroll_to_cursor(self) -> None:
        body = max(1, self.scrollable_content_region.height - 1)  # the header line is fixed
        top = self.scroll_offset.y
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + body:
            self.scroll_to(y=self._cursor - body + 1, animate=False, immediate=True)

    def action_cursor_up(self) -> None:
        self.move_cursor(row=self._cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(row=self._cursor + 1)

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=len(self._rows) - 1)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def action_page_down(self) -> None:
        self.move_cursor(row=self._cursor + self._page())

    def action_page_up(self) -> None:
        self.move_cursor(row=self._cursor - self._page())

    def action_select_cursor(self) -> None:
        if 0 <= self._cursor < len(self._rows):
            self.post_message(VirtualTable.RowSelected(self, self._cursor, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:  # the header
            return
        index = self.scroll_offset.y + event.y - 1
        if not 0 <= index < len(self._rows):
            return
        if index == self._cursor:
            self.action_select_cursor()
        else:
            self._set_cursor(index, scroll=True, announce=True)

    # --- layout -------------------------------------------------------------------------------
    def _measure(self) -> None:
        auto = [(i, c) for i, c in enumerate(self.columns) if c.width is None and not c.flex]
        widest = [len(c.label) for _, c in auto]
        if auto:
            for row in self._rows[:AUTO_WIDTH_SAMPLE]:
                cells = self._row_of(row)  # built once per row, not once per auto column
                for slot, (position, _) in enumerate(auto):
                    widest[slot] = max(widest[slot], cells[position].cell_len)
        self._auto_widths = {c.key: w for (_, c), w in zip(auto, widest, strict=True)}
        self._lay_out()

    def _lay_out(self) -> None:
        widths = [c.width if c.width is not None else self._auto_widths.get(c.key, len(c.label))
                  for c in self.columns]
        fixed = sum(w + 2 * PADDING for w, c in zip(widths, self.columns, strict=True) if not c.flex)
        flexes = [i for i, c in enumerate(self.columns) if c.flex]
        room = self.scrollable_content_region.width or self.size.width
        for i in flexes:
            share = (room - fixed) // len(flexes) - 2 * PADDING
            widths[i] = max(10, share, len(self.columns[i].label))
        self._widths = widths
        total = sum(w + 2 * PADDING for w in widths)
        self.virtual_size = Size(total, len(self._rows) + 1)
        self._lines.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._lay_out()
        if self._cursor >= 0:
            self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()

    def on_focus(self) -> None:
        self.refresh()  # lines are cached per focus state (the cursor's colour follows focus)

    def on_blur(self) -> None:
        self.refresh()

    # --- drawing ------------------------------------------------------------------------------
    def _row_of(self, row: Any) -> Sequence[Text]:
        """A row's cells, one per column (missing ones blank). Owners may build cells on each
        call (ResourceTable's rows do), so a line asks once, not once per column."""
        cells = self._cells_of(row)
        missing = len(self.columns) - len(cells)
        return cells if missing <= 0 else [*cells, *(EMPTY,) * missing]

    def render_lines(self, crop: Region) -> list[Strip]:
        # A frame's lines share the widget's style and width: work them out once per frame, not
        # twice per line (rich_style walks the styles of every ancestor).
        self._frame = (self.rich_style, self.scrollable_content_region.width)
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        rich_style, width = self._frame or (self.rich_style, self.scrollable_content_region.width)
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            strip = self._line(-1, rich_style, width, header=True)
        else:
            index = scroll_y + y - 1
            if not 0 <= index < len(self._rows):
                return Strip.blank(width, rich_style)
            strip = self._line(index, rich_style, width)
        return strip.crop_extend(scroll_x, scroll_x + width, rich_style)

    def _line(self, index: int, rich_style: Style, room: int, *, header: bool = False) -> Strip:
        focused = self.has_focus
        cache_key = (index, focused, header)
        cached = self._lines.get(cache_key)
        if cached is not None:
            return cached
        if header:
            cells: Sequence[Text] = [Text(c.label, justify=c.justify) for c in self.columns]
            style = self.get_component_rich_style("virtual-table--header")
            post: Style | None = None
        else:
            cells = self._row_of(self._rows[index])
            stripe = "virtual-table--even-row" if index % 2 == 0 else "virtual-table--odd-row"
            style = self.get_component_rich_style(stripe) if self.zebra_stripes else Style()
            post = self.get_component_rich_style("virtual-table--cursor") if index == self._cursor else None
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        for cell, width, column in zip(cells, self._widths, self.columns, strict=False):
            length = cell.cell_len  # measured once: cell_len is not cached on a Text
            if length > width:
                cell = _cut(cell, width)
                length = cell.cell_len
            gap = width - length
            right = column.justify == "right" or cell.justify == "right"
            line.append(" " * (PADDING + (gap if right else 0)))
            line.append_text(cell)
            line.append(" " * ((0 if right else gap) + PADDING))
        base = rich_style + style
        segments = list(Segment.apply_style(line.render(self.app.console), base, post))
        full = max(self.virtual_size.width, room)
        strip = Strip(segments).extend_cell_length(full, base + post if post else base)
        self._lines[cache_key] = strip
        return strip


def _fit(cell: Text, width: int) -> Text:
    """A cell cut to its column; "…" says something was cut (the table never cuts silently)."""
    return cell if cell.cell_len <= width else _cut(cell, width)


def _cut(cell: Text, width: int) -> Text:
    cut = cell.copy()
    cut.truncate(width, overflow="ellipsis")
    return cut
