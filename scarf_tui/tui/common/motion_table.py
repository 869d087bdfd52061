"""DataTable plus vim and k9s motions, for the small fixed tables (charts, help, PurlDB versions).

Lists of resources use VirtualTable (virtual_table.py), which has the same motions and ids."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class MotionTable(DataTable):
    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="table.down"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up"),
        Binding("g,home", "first_row", "First row", show=False, id="table.first_row"),
        Binding("G,end", "last_row", "Last row", show=False, id="table.last_row"),
        Binding("ctrl+f", "page_down", "Page down", show=False, id="table.page_down"),
        Binding("ctrl+b", "page_up", "Page up", show=False, id="table.page_up"),
    ]

    def action_first_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=0)

    def action_last_row(self) -> None:
        if self.row_count:
            self.move_cursor(row=self.row_count - 1)
