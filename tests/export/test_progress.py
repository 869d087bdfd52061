"""The CLI's progress display: a rich.progress bar when stderr is a terminal, plain lines (one per
finished window) otherwise, and nothing for aggregates when stderr is not a terminal."""

from __future__ import annotations

import io
import re
from datetime import date

from scarf_tui.export_progress import EventsBar, RowsBar
from scarf_tui.exporting import ExportProgress

WINDOW = (date(2026, 10, 12), date(2026, 11, 12))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def feed(bar: EventsBar | RowsBar, resumed: int = 0) -> None:
    bar(ExportProgress(resumed, 3, 40 if resumed else 0, None, resumed))
    bar(ExportProgress(1, 3, 40, WINDOW, resumed))
    bar(ExportProgress(2, 3, 1234, None, resumed))
    bar(ExportProgress(3, 3, 5000, None, resumed))
    bar.close()


def test_events_on_a_terminal_draw_a_rich_bar():
    terminal = Terminal()
    said: list[str] = []

    feed(EventsBar(terminal, label="events", part="e.csv.part", say=said.append))

    drawn = ANSI.sub("", terminal.getvalue())
    assert "3/3 windows" in drawn and "5,000 rows" in drawn
    assert said == []  # the bar itself reports; no extra lines


def test_events_elsewhere_write_one_plain_line_per_finished_window():
    pipe = io.StringIO()
    said: list[str] = []

    feed(EventsBar(pipe, label="events", part="e.csv.part", say=said.append), resumed=1)

    assert pipe.getvalue() == ""
    assert said == [
        "resuming e.csv.part: 1 of 3 windows were already fetched.",
        "2 of 3 windows done, 1,234 rows so far.",
        "3 of 3 windows done, 5,000 rows so far.",
    ]


def test_aggregates_draw_a_row_count_only_on_a_terminal():
    terminal, pipe = Terminal(), io.StringIO()

    for stream in (terminal, pipe):
        bar = RowsBar(stream, label="aggregates")
        bar(ExportProgress(0, 1, 1000))
        bar(ExportProgress(1, 1, 2500))
        bar.close()

    assert pipe.getvalue() == ""
    assert "2,500 rows" in ANSI.sub("", terminal.getvalue())


def test_a_bar_is_not_drawn_when_rows_go_to_the_same_terminal():
    terminal = Terminal()

    bar = RowsBar(terminal, label="aggregates", enabled=False)
    bar(ExportProgress(1, 1, 2500))
    bar.close()

    assert terminal.getvalue() == ""
