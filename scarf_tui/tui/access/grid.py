"""AccessGrid: the matrix drawn with Textual's line API, a cell cursor, and fixed headers.

Only the lines on screen are built (`render_line`), and within a line only the columns in view,
so 2,000 packages × 500 users draw as fast as 20 × 5. The first line (user names) and the first
column (package names) stay put while the rest scrolls under them.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from scarf_tui.tui.access.model import FAILED, NONE, PENDING, AccessMatrix
from scarf_tui.tui.common.text import safe_str

LEVEL_STYLES = {
    "blocked": "bold red", "admin": "bold", "owner": "bold", "default": "dim",
    NONE: "dim", PENDING: "dim", FAILED: "bold red",
}
SHOWN = {NONE: "·"}  # how a level reads in its cell
MARK = "✓"
LABEL_MIN, LABEL_MAX = 16, 28  # the package column: at least as wide as its header
CELL_MIN, CELL_MAX = 7, 14  # a user column, without its one blank of padding
LABEL_SAMPLE = 2_000  # package names measured for the first column's width


def fit(text: str, width: int) -> str:
    """`text` cut to `width` cells (ending in "…" when cut), padded to exactly `width`."""
    if cell_len(text) > width:
        text = set_cell_size(text, max(0, width - 1)) + "…"
    return set_cell_size(text, width)


class AccessGrid(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "access-grid--header",
        "access-grid--label",
        "access-grid--cursor",
        "access-grid--marked",
        "access-grid--current",
    }
    BINDINGS = [
        Binding("up,k", "move(0, -1)", "Up", show=False, id="access_grid.up"),
        Binding("down,j", "move(0, 1)", "Down", show=False, id="access_grid.down"),
        Binding("left,h", "move(-1, 0)", "Left", show=False, id="access_grid.left"),
        Binding("right,l", "move(1, 0)", "Right", show=False, id="access_grid.right"),
        Binding("g,home", "first_row", "First package", show=False, id="access_grid.first_row"),
        Binding("G,end", "last_row", "Last package", show=False, id="access_grid.last_row"),
        Binding("pagedown,ctrl+f", "page(1)", "Page down", show=False, id="access_grid.page_down"),
        Binding("pageup,ctrl+b", "page(-1)", "Page up", show=False, id="access_grid.page_up"),
        Binding("0", "first_column", "First user", show=False, id="access_grid.first_column"),
        Binding("dollar_sign", "last_column", "Last user", show=False, id="access_grid.last_column"),
    ]

    class CursorMoved(Message):
        """The cell cursor moved (or what is under it changed)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.matrix: AccessMatrix | None = None
        self.row = 0  # index into matrix.rows
        self.col = 0  # index into matrix.cols
        self.label_width = LABEL_MIN
        self.cell_width = CELL_MIN + 1
        self._styles: dict[str, Style] = {}

    # --- data ---------------------------------------------------------------------------------
    def set_matrix(self, matrix: AccessMatrix | None) -> None:
        self.matrix = matrix
        self.row = self.col = 0
        self.relayout()

    def relayout(self) -> None:
        """The axes changed (a filter, new users): size the columns and keep the cursor inside."""
        matrix = self.matrix
        if matrix is None:
            self.virtual_size = Size(0, 0)
            self.refresh()
            return
        names = (matrix.package_name(i) for i in range(min(len(matrix.packages), LABEL_SAMPLE)))
        widest = max((cell_len(n) for n in names), default=0)
        room = max(LABEL_MIN, (self.size.width or 80) // 3)
        self.label_width = max(LABEL_MIN, min(widest + 2, LABEL_MAX, room))
        longest = max((cell_len(safe_str(u)) for u in matrix.users), default=0)
        self.cell_width = max(CELL_MIN, min(longest, CELL_MAX)) + 1
        self.row = max(0, min(self.row, len(matrix.rows) - 1))
        self.col = max(0, min(self.col, len(matrix.cols) - 1))
        # Room after the last column so the last scroll position is whole columns too.
        columns = len(matrix.cols) * self.cell_width
        # The vertical scrollbar may not be there yet when this runs: count it when rows overflow.
        bar = self.styles.scrollbar_size_vertical if len(matrix.rows) + 2 > self.size.height else 0
        area = max(1, self.size.width - bar - self.label_width)
        spare = (area - columns) % self.cell_width if columns > area else 0
        self.virtual_size = Size(self.label_width + columns + spare, len(matrix.rows) + 1)
        self.refresh()
        self._scroll_to_cursor()
        self.post_message(self.CursorMoved())

    def refresh_package(self, package: int) -> None:
        """One package's cells changed: redraw its line if it is on screen."""
        if self.matrix is None:
            return
        row = self.matrix.row_of(package)
        if row is None:
            return
        y = 1 + row - self.scroll_offset.y
        if 1 <= y < self.size.height:
            self.refresh_line(y)
        if row == self.row:
            self.post_message(self.CursorMoved())

    def cursor_cell(self) -> tuple[int, int] | None:
        """(package index, user index) under the cursor, None in an empty matrix."""
        matrix = self.matrix
        if matrix is None or not matrix.rows or not matrix.cols:
            return None
        return matrix.rows[self.row], matrix.cols[self.col]

    # --- cursor -------------------------------------------------------------------------------
    def move_to(self, row: int, col: int) -> None:
        matrix = self.matrix
        if matrix is None:
            return
        row = max(0, min(row, len(matrix.rows) - 1))
        col = max(0, min(col, len(matrix.cols) - 1))
        if (row, col) != (self.row, self.col):
            self.row, self.col = row, col
            self.refresh()
            self.post_message(self.CursorMoved())
        self._scroll_to_cursor()

    def action_move(self, dx: int, dy: int) -> None:
        self.move_to(self.row + dy, self.col + dx)

    def action_first_row(self) -> None:
        self.move_to(0, self.col)

    def action_last_row(self) -> None:
        self.move_to(len(self.matrix.rows) - 1 if self.matrix else 0, self.col)

    def action_page(self, step: int) -> None:
        self.move_to(self.row + step * max(1, self.scrollable_content_region.height - 2), self.col)

    def action_first_column(self) -> None:
        self.move_to(self.row, 0)

    def action_last_column(self) -> None:
        self.move_to(self.row, len(self.matrix.cols) - 1 if self.matrix else 0)

    def _scroll_to_cursor(self) -> None:
        region = self.scrollable_content_region
        body = max(1, region.height - 1)  # the header line is fixed
        area = max(1, region.width - self.label_width)
        x, y = self.scroll_offset
        if self.row < y:
            y = self.row
        elif self.row >= y + body:
            y = self.row - body + 1
        left = self.col * self.cell_width
        if left < x:
            x = left
        elif left + self.cell_width > x + area:
            # Whole columns scroll, so the first one in view keeps its full name.
            x = -(-(left + self.cell_width - area) // self.cell_width) * self.cell_width
        if (x, y) != tuple(self.scroll_offset):
            self.scroll_to(x=x, y=y, animate=False, immediate=True)

    def on_click(self, event: events.Click) -> None:
        if self.matrix is None or event.y < 1 or event.x < self.label_width:
            return
        x, y = self.scroll_offset
        self.move_to(y + event.y - 1, (x + event.x - self.label_width) // self.cell_width)

    def on_resize(self) -> None:
        self.relayout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()

    def on_focus(self) -> None:
        self._styles.clear()  # the cursor looks different with focus (styles/access.tcss)
        self.refresh()

    def on_blur(self) -> None:
        self._styles.clear()
        self.refresh()

    # --- drawing ------------------------------------------------------------------------------
    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            if name == "access-grid--current":  # emphasis only: the line keeps its own colours
                style = self.get_component_rich_style(name).without_color
            elif name.startswith("access-grid--"):
                style = self.get_component_rich_style(name)
            else:
                style = Style.parse(LEVEL_STYLES.get(name, ""))
            self._styles[name] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        matrix = self.matrix
        if matrix is None:
            return Strip.blank(width, base)
        scroll_x, scroll_y = self.scroll_offset
        if y == 0:
            label = " package \\ user"
            left = [Segment(fit(label, self.label_width), base + self._style("access-grid--header"))]
            return self._join(left, self._header_cells(scroll_x, width), scroll_x, width, base)
        row = scroll_y + y - 1
        if not 0 <= row < len(matrix.rows):
            return Strip.blank(width, base)
        package = matrix.rows[row]
        label_style = base + self._style("access-grid--label")
        if row == self.row:
            label_style += self._style("access-grid--current")
        left = [Segment(fit(" " + matrix.package_name(package), self.label_width), label_style)]
        return self._join(left, self._row_cells(row, package, scroll_x, width), scroll_x, width, base)

    def _visible_columns(self, scroll_x: int, width: int) -> range:
        assert self.matrix is not None
        area = max(0, width - self.label_width)
        first = scroll_x // self.cell_width
        last = min(len(self.matrix.cols), (scroll_x + area) // self.cell_width + 1)
        return range(first, last)

    def _header_cells(self, scroll_x: int, width: int) -> list[Segment]:
        assert self.matrix is not None
        header = self.rich_style + self._style("access-grid--header")
        segments = []
        for col in self._visible_columns(scroll_x, width):
            name = safe_str(self.matrix.users[self.matrix.cols[col]])
            style = header + self._style("access-grid--current") if col == self.col else header
            segments.append(Segment(fit(name, self.cell_width - 1) + " ", style))
        return segments

    def _row_cells(self, row: int, package: int, scroll_x: int, width: int) -> list[Segment]:
        matrix = self.matrix
        assert matrix is not None
        base = self.rich_style
        segments = []
        for col in self._visible_columns(scroll_x, width):
            user = matrix.cols[col]
            level = matrix.level(package, user)
            marked = matrix.is_marked(package, user)
            style = base + self._style(level)
            if marked:
                style += self._style("access-grid--marked")
            if row == self.row and col == self.col:
                style += self._style("access-grid--cursor")
            text = (MARK if marked else " ") + SHOWN.get(level, level)
            segments.append(Segment(fit(text, self.cell_width), style))
        return segments

    def _join(self, left: list[Segment], cells: list[Segment], scroll_x: int, width: int, base: Style) -> Strip:
        """The fixed first column, then the cells shifted by the part of a column scrolled past."""
        area = max(0, width - self.label_width)
        offset = scroll_x % self.cell_width
        body = Strip(cells).crop_extend(offset, offset + area, base)
        return Strip.join([Strip(left).crop_extend(0, self.label_width, base), body])
