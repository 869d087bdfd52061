"""Horizontal bars for the charts pane's breakdowns, drawn as text.

plotext measures tick labels with len(), so a wide label (漢字) shifts its whole row and a chart of
company names falls apart; rich measures cells. Each row here is: the label cut to fit (by cells,
never interpreted as markup), a bar in eighth-blocks, the count and its share.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from scarf_tui.tui.common.text import safe_str

EIGHTHS = " ▏▎▍▌▋▊▉"


def bar_text(value: float, width: int) -> str:
    """`value` cells (fractional) of bar, never wider than `width`."""
    value = max(0.0, min(float(width), value))
    full = int(value)
    rest = int((value - full) * 8)
    return "█" * full + (EIGHTHS[rest] if rest and full < width else "")


class ChartBars(Widget):
    """Rows of (label, count, percent), largest first; the longest bar fills the width."""

    COMPONENT_CLASSES = {"chart-bars--bar", "chart-bars--other", "chart-bars--number"}

    DEFAULT_CSS = """
    ChartBars {
        height: 1fr;
        padding: 1 1 0 1;
    }
    ChartBars > .chart-bars--bar {
        color: $accent;
    }
    ChartBars > .chart-bars--other {
        color: $text-muted;
    }
    ChartBars > .chart-bars--number {
        color: $text;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, classes=classes)
        self._rows: list[tuple[str, int, float]] = []
        self._other_from: int | None = None

    def set_rows(self, rows: list[tuple[str, int, float]], *, other_last: bool = False) -> None:
        self._rows = [(safe_str(label), n, pct) for label, n, pct in rows]
        self._other_from = len(rows) - 1 if other_last and rows else None
        self.refresh()

    @property
    def rows(self) -> list[tuple[str, int, float]]:
        return list(self._rows)

    def render(self) -> Text:
        width = self.content_size.width
        if not self._rows or width <= 0:
            return Text("")
        numbers = [f"{n:,}" for _, n, _ in self._rows]
        num_w = max(len(s) for s in numbers)
        pct_w = 6  # "100.0%"
        longest = max(cell_len(label) for label, _, _ in self._rows)
        label_w = max(4, min(longest, 28, width // 3))
        bar_w = max(1, width - label_w - num_w - pct_w - 4)
        top = max(n for _, n, _ in self._rows) or 1
        bar_style = self.get_component_rich_style("chart-bars--bar")
        other_style = self.get_component_rich_style("chart-bars--other")
        number_style = self.get_component_rich_style("chart-bars--number")
        out = Text(no_wrap=True, overflow="crop")
        for i, ((label, n, pct), number) in enumerate(zip(self._rows, numbers, strict=True)):
            cell = Text(label)
            cell.truncate(label_w, overflow="ellipsis", pad=True)
            bar = bar_text(n / top * bar_w, bar_w)
            style = other_style if i == self._other_from else bar_style
            if i:
                out.append("\n")
            out.append_text(cell)
            out.append(" ")
            out.append(bar.ljust(bar_w), style=style)
            out.append(f" {number:>{num_w}} {pct:5.1f}%", style=number_style)
        return out
