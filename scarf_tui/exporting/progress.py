"""Progress of an export as plain data, handed to a callback; drawing it is the caller's job."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True, slots=True)
class ExportProgress:
    """A snapshot of an export in flight. ``rows`` counts rows in the output so far (for a
    resumed events export, including the rows kept from the earlier run)."""

    windows_done: int
    windows_total: int
    rows: int
    window: tuple[date, date] | None = None  # the window being fetched, end exclusive
    resumed_windows: int = 0  # windows found complete in FILE.part.json at the start

    @property
    def fraction(self) -> float:
        return self.windows_done / self.windows_total if self.windows_total else 1.0


ProgressCallback = Callable[[ExportProgress], None]

# Progress callbacks fire at least at every window boundary and otherwise at most this often.
PROGRESS_EVERY_ROWS = 1000
PROGRESS_MIN_INTERVAL_S = 0.1


class Throttle:
    """Calls the callback when forced (window boundaries) or when enough time has passed."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self.callback = callback
        self._last = 0.0

    def __call__(self, progress: ExportProgress, *, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if force or now - self._last >= PROGRESS_MIN_INTERVAL_S:
            self._last = now
            self.callback(progress)


def day_range(start: date, end: date) -> str:
    """[start, end) as the days it covers, inclusive: 2026-03-01..2026-03-31."""
    last = end - timedelta(days=1)
    return start.isoformat() if last <= start else f"{start.isoformat()}..{last.isoformat()}"


__all__ = ["PROGRESS_EVERY_ROWS", "ExportProgress", "ProgressCallback", "Throttle", "day_range"]
