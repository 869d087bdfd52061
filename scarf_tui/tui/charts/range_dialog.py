"""Date ranges for the charts pane: the presets and the custom-range dialog.

Every range is [start, end) with end exclusive, the way the export endpoints read
startDate/endDate; "today" is the app's today, so the newest day shown is yesterday (a day that
is complete).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from scarf_tui.domain import parse_day, validate_date_range
from scarf_tui.tui.common.styles import style_path


@dataclass(frozen=True, slots=True)
class DateRange:
    start: date
    end: date  # exclusive
    name: str  # "30d", "this quarter", "custom", ...

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def describe(self) -> str:
        if self.days <= 0:
            return f"{self.name} (no complete day yet)"
        return f"{self.name} {self.start.isoformat()}–{self.last_day.isoformat()}"


PRESETS: tuple[str, ...] = ("7d", "30d", "90d", "this quarter", "last quarter", "12 months")
DEFAULT_PRESET = "30d"


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def preset_range(name: str, today: date) -> DateRange:
    """The range of a preset name, ending before `today` (exclusive)."""
    if name.endswith("d") and name[:-1].isdigit():
        return DateRange(today - timedelta(days=int(name[:-1])), today, name)
    if name == "this quarter":
        return DateRange(quarter_start(today), today, name)
    if name == "last quarter":
        this_q = quarter_start(today)
        return DateRange(quarter_start(this_q - timedelta(days=1)), this_q, name)
    if name == "12 months":
        try:
            start = today.replace(year=today.year - 1)
        except ValueError:  # 29 February
            start = today.replace(year=today.year - 1, day=28)
        return DateRange(start, today, name)
    raise ValueError(f"Unknown date range preset {name!r}.")


def parse_range(start_text: str, end_text: str) -> DateRange:
    """A custom range from two YYYY-MM-DD texts; ValueError carries a readable sentence."""
    start = parse_day(start_text, what="start date")
    end = parse_day(end_text, what="end date")
    if problem := validate_date_range(start, end):
        raise ValueError(problem)
    return DateRange(start, end, "custom")


class ChartRangeDialog(ModalScreen[DateRange | None]):
    """Two date inputs (start inclusive, end exclusive). Invalid input keeps what was typed and
    says what is wrong; enter applies, escape cancels."""

    CSS_PATH = style_path("charts.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="charts_range.cancel"),
    ]

    def __init__(self, current: DateRange) -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="range-box"):
            yield Static("Custom date range", id="range-title")
            yield Label("Start date (first day, YYYY-MM-DD)")
            yield Input(self._current.start.isoformat(), placeholder="YYYY-MM-DD", id="range-start")
            yield Label("End date (exclusive: the day after the last day)")
            yield Input(self._current.end.isoformat(), placeholder="YYYY-MM-DD", id="range-end")
            yield Static("", id="range-error")
            with Horizontal(id="range-buttons"):
                yield Button("Apply (enter)", id="range-apply", variant="primary")
                yield Button("Cancel (esc)", id="range-cancel")

    def on_mount(self) -> None:
        self.query_one("#range-start", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "range-apply":
            self.apply()
        else:
            self.dismiss(None)

    def apply(self) -> None:
        error = self.query_one("#range-error", Static)
        try:
            chosen = parse_range(
                self.query_one("#range-start", Input).value,
                self.query_one("#range-end", Input).value,
            )
        except ValueError as err:
            error.update(Text(str(err)))  # the typed text may hold brackets: never markup
            error.add_class("shown")
            return
        self.dismiss(chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
