"""What `scarf-tui export` shows while and after it runs: progress callbacks that take
ExportProgress, and the closing lines of an events export.

On a terminal (stderr is a TTY) a rich.progress bar is drawn; otherwise an events export writes
one plain line per finished window (good for logs and CI) and an aggregates export stays quiet.
Only text made here is shown (counts, dates); descriptions are never read as markup.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING

from scarf_tui.exporting import EventsExportResult, ExportProgress, HeaderChanged, day_range

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


def is_terminal(stream: IO[str]) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def _progress(stream: IO[str], *, windows: bool) -> Progress:
    # Imported here, when a bar is drawn: `scarf-tui --help` need not load Rich.
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    console = Console(file=stream, force_terminal=True, highlight=False, markup=False, emoji=False)
    columns = [TextColumn("{task.description}", markup=False), BarColumn()]
    if windows:
        columns.append(MofNCompleteColumn())
        columns.append(TextColumn("windows", markup=False))
    columns.append(TextColumn("{task.fields[rows]:,} rows", markup=False))
    columns.append(TimeElapsedColumn())
    return Progress(*columns, console=console, transient=False)


class EventsBar:
    """Progress of an events export: a bar on a terminal, a line per finished window otherwise.
    The first call announces a resumed export."""

    def __init__(self, stream: IO[str], *, label: str, part: str, say: Callable[[str], None]) -> None:
        self.stream = stream
        self.label = label
        self.part = part
        self.say = say
        self.terminal = is_terminal(stream)
        self._progress: Progress | None = None
        self._task: TaskID | None = None
        self._started = False
        self._reported_done = 0

    def __call__(self, progress: ExportProgress) -> None:
        if not self._started:
            self._started = True
            self._reported_done = progress.windows_done
            if progress.resumed_windows:
                self.say(
                    f"resuming {self.part}: {progress.resumed_windows} of {progress.windows_total} "
                    f"windows were already fetched."
                )
            if self.terminal:
                self._progress = _progress(self.stream, windows=True)
                self._task = self._progress.add_task(
                    self.label, total=progress.windows_total, completed=progress.windows_done, rows=progress.rows
                )
                self._progress.start()
        if self._progress is not None and self._task is not None:
            description = self.label
            if progress.window is not None and progress.windows_done < progress.windows_total:
                description = f"{self.label} {day_range(*progress.window)}"
            self._progress.update(
                self._task, completed=progress.windows_done, rows=progress.rows, description=description
            )
            return
        if progress.windows_done > self._reported_done:
            self._reported_done = progress.windows_done
            self.say(
                f"{progress.windows_done} of {progress.windows_total} windows done, "
                f"{progress.rows:,} row{'' if progress.rows == 1 else 's'} so far."
            )

    def close(self) -> None:
        """Stop the bar so later messages start on a fresh line."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


class RowsBar:
    """Progress of one streamed request (aggregates): a row count on a terminal, else nothing."""

    def __init__(self, stream: IO[str], *, label: str, enabled: bool = True) -> None:
        self.stream = stream
        self.label = label
        self.enabled = enabled and is_terminal(stream)
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __call__(self, progress: ExportProgress) -> None:
        if not self.enabled:
            return
        if self._progress is None:
            self._progress = _progress(self.stream, windows=False)
            self._task = self._progress.add_task(self.label, total=None, rows=0)
            self._progress.start()
        assert self._task is not None
        self._progress.update(self._task, rows=progress.rows)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def report_events(result: EventsExportResult, shown_output: str, say: Callable[[str], None]) -> None:
    """The lines that end an events export: what was exported, or what failed and what was kept."""
    if result.complete:
        windows = count_of(result.windows_total, "window")
        say(f"exported {count_of(result.rows, 'event row')} ({windows}) to {shown_output}.")
        return
    if result.stopped_by is not None and len(result.failures) == 1 and result.windows_done == 0:
        say(f"error: {result.stopped_by}")  # nothing fetched and nothing could be
        return
    for line in result.problems():
        say(line)
    if not result.kept:
        say("nothing was kept.")
        return
    done = f"{result.windows_done} of {result.windows_total} windows"
    kept = f"kept {count_of(result.rows, 'row')} from {done} in {result.part}"
    if isinstance(result.stopped_by, HeaderChanged):
        say(f"{kept}.")  # a rerun would meet the same header: the sentence above says what to do
    else:
        say(f"{kept}; run the same command again to fetch the missing dates.")


def count_of(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


__all__ = ["EventsBar", "RowsBar", "count_of", "is_terminal", "report_events"]
