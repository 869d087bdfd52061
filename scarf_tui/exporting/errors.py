"""What stops an export before or while it writes, each as one sentence.

These say what is wrong in words a user of any front end understands; the CLI adds its own
hints (flag names) and maps each class to an exit code, the TUI shows the sentence as it is.
Failures of the server's answer are ScarfError subclasses (scarf_tui.api.errors), because a
window failure is recorded with the API error that caused it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from scarf_tui.api.errors import InvalidResponse


class ExportError(ValueError):
    """Base of the export's own refusals; ``str(err)`` is the sentence to show. A ValueError,
    like the bad range export_events refuses, so a front end that shows a ValueError's sentence
    shows these too."""


class OutputRefused(ExportError):
    """The output path cannot be an export's target: a directory, device, FIFO or socket, a
    missing directory, or a symbolic link that was not meant to be followed."""

    def __init__(self, message: str, *, path: Path, symlink: bool = False) -> None:
        super().__init__(message)
        self.path = path
        self.symlink = symlink  # True: following it on purpose would be allowed


class OutputBusy(ExportError):
    """Another export is writing the same output right now (it holds the lock)."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(message)
        self.path = path


class RangeTooLong(ExportError):
    """The range needs more windows than the limit allows (``[limits] max_windows``)."""

    def __init__(self, start: date, end: date, windows: int, max_windows: int) -> None:
        super().__init__(
            f"{start.isoformat()} to {end.isoformat()} needs {windows:,} windows of at most 31 days, "
            f"more than the limit of {max_windows:,} (max_windows in the [limits] table of config.toml)."
        )
        self.start = start
        self.end = end
        self.windows = windows
        self.max_windows = max_windows


class NotEventsCsv(InvalidResponse):
    """A window's answer is CSV but not an events CSV (no header, or no type/time column)."""


class HeaderChanged(InvalidResponse):
    """A later window's header differs from the one already written: appending its rows would
    mix two layouts in one file, so the export stops there."""


__all__ = ["ExportError", "HeaderChanged", "NotEventsCsv", "OutputBusy", "OutputRefused", "RangeTooLong"]
