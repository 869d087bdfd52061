"""Events to one CSV file, fetched in windows of at most 31 days, resumable and append-only.

- The range is split into windows the server accepts (domain.event_windows); a range that needs
  more than ``max_windows`` of them is refused up front (RangeTooLong).
- The whole export runs under the output's lock (target.locked_output): a second export to the
  same file is refused and cannot disturb this one.
- Each window's answer is checked before anything of it is kept: it must be CSV (the service
  refuses another content type) whose header has the ``type`` and ``time`` columns, and after
  the first window the header must be the one the file already starts with.
- Rows are appended to FILE.part exactly as the server sent them (no decoding, no re-encoding),
  the file's header is the first window's header line as sent, and rows repeated within a
  window (same ``id``) are dropped: exports are at-least-once.
- After each window the file is synced and FILE.part.json records where the window ends, so a
  rerun truncates FILE.part to the last complete window and fetches only what is missing.
- A window that fails is cut back out of the file and named in the result; the others are still
  fetched unless the failure means none can succeed (no access, no such package, no
  connection, an answer that is not an events CSV, a changed header).
- FILE.part is kept only while it holds at least one complete window; a complete export is
  renamed to FILE.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from scarf_tui.api.csv_stream import NotCsv, csv_records, header_fields
from scarf_tui.api.errors import (
    AuthError,
    ConnectionFailed,
    ExportNotEnabled,
    InsecureURL,
    NotFound,
    ScarfError,
    sanitize,
)
from scarf_tui.domain import EVENT_COLUMNS, Package, event_window_count, event_windows, validate_date_range
from scarf_tui.exporting.errors import HeaderChanged, NotEventsCsv, RangeTooLong
from scarf_tui.exporting.events_state import ExportState, load_state, save_state, window_key
from scarf_tui.exporting.progress import PROGRESS_EVERY_ROWS, ExportProgress, ProgressCallback, Throttle, day_range
from scarf_tui.exporting.target import OutputFiles, PartFile, locked_output, unlink_quietly

# The default of ``[limits] max_windows``: about eight and a half years of 31-day windows.
DEFAULT_MAX_WINDOWS = 100

# The columns every events CSV has, per the Scarf API v1 reference's download format.
REQUIRED_COLUMNS = ("type", "time")

# Errors after which no other window can succeed either: stop instead of trying them all.
STOPPING_ERRORS: tuple[type[ScarfError], ...] = (
    AuthError,
    ExportNotEnabled,
    NotFound,
    InsecureURL,
    ConnectionFailed,
    NotCsv,
    NotEventsCsv,
    HeaderChanged,
)

HEADER_SHOWN = 300  # characters of a server's header line quoted in a sentence


class EventsCsvSource(Protocol):
    """What an events export needs from a service: one window's raw CSV lines, header first,
    each line as bytes with its terminator (ScarfService provides these)."""

    def stream_package_events_csv(self, package_id: str, start: date, end: date) -> AsyncIterator[bytes]: ...

    def stream_pixel_events_csv(self, start: date, end: date) -> AsyncIterator[bytes]: ...


@dataclass(frozen=True, slots=True)
class EventsScope:
    """What an events export covers: one package's events, or every pixel's."""

    package_id: str | None  # the package uuid; None means pixel events
    label: str = ""  # for messages: the package's name, or "pixels"

    @property
    def key(self) -> str:
        """Identifies the export in the sidecar, so a rerun for something else never resumes it."""
        return f"package:{self.package_id}" if self.package_id else "pixels"

    def lines(self, source: EventsCsvSource, start: date, end: date) -> AsyncIterator[bytes]:
        if self.package_id:
            return source.stream_package_events_csv(self.package_id, start, end)
        return source.stream_pixel_events_csv(start, end)


@dataclass(frozen=True, slots=True)
class WindowFailure:
    start: date
    end: date  # exclusive
    reason: str
    error: ScarfError | None = None

    def describe(self) -> str:
        return f"{day_range(self.start, self.end)} failed: {self.reason}"


@dataclass(slots=True)
class EventsExportResult:
    output: Path  # the final file; it exists only when ``complete``
    part: Path
    windows_total: int
    windows_done: int  # complete windows in the output (including resumed ones)
    resumed_windows: int  # windows skipped because an earlier run had fetched them
    rows: int  # rows in the output (including resumed ones)
    failures: list[WindowFailure] = field(default_factory=list)
    not_attempted: list[tuple[date, date]] = field(default_factory=list)
    stopped_by: ScarfError | None = None  # an error that made the other windows pointless

    @property
    def complete(self) -> bool:
        return self.windows_done == self.windows_total and not self.failures

    @property
    def kept(self) -> bool:
        """An incomplete export whose FILE.part holds at least one complete window to resume."""
        return not self.complete and self.windows_done > 0 and self.part.exists()

    def problems(self) -> list[str]:
        """One readable line per missing date range."""
        lines = [f.describe() for f in self.failures]
        for start, end in _merge_ranges(self.not_attempted):
            lines.append(f"{day_range(start, end)} not fetched: stopped after the error above")
        return lines


def _merge_ranges(ranges: Iterable[tuple[date, date]]) -> list[tuple[date, date]]:
    merged: list[tuple[date, date]] = []
    for start, end in sorted(ranges):
        if merged and merged[-1][1] == start:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def check_window_budget(start: date, end: date, max_windows: int | None = DEFAULT_MAX_WINDOWS) -> int:
    """The number of windows [start, end) needs; RangeTooLong when it is over ``max_windows``
    (None: no limit). Front ends call this first to ask before a long export."""
    count = event_window_count(start, end)
    if max_windows is not None and count > max_windows:
        raise RangeTooLong(start, end, count, max_windows)
    return count


async def export_events(
    source: EventsCsvSource,
    scope: EventsScope,
    start: date,
    end: date,
    output: str | os.PathLike[str],
    *,
    on_progress: ProgressCallback | None = None,
    resume: bool = True,
    follow_symlink: bool = False,
    max_windows: int | None = DEFAULT_MAX_WINDOWS,
) -> EventsExportResult:
    """Export events in [start, end) to ``output`` (CSV), window by window, resumable.

    Returns the result whether or not every window succeeded; see ``EventsExportResult``.
    Before anything is written raises ValueError for a bad range, RangeTooLong for a range
    over ``max_windows`` windows (None: no limit), OutputRefused / OutputBusy for an output
    that cannot or may not be written now; OSError for local file problems later. On
    cancellation (asyncio.CancelledError, KeyboardInterrupt) FILE.part is cut back to the last
    complete window and kept for a rerun, or removed when it holds none."""
    if problem := validate_date_range(start, end):
        raise ValueError(problem)
    check_window_budget(start, end, max_windows)
    windows = event_windows(start, end)
    with locked_output(output, follow_symlink=follow_symlink) as files:
        return await _export_locked(source, scope, start, end, windows, files, on_progress, resume)


async def _export_locked(
    source: EventsCsvSource,
    scope: EventsScope,
    start: date,
    end: date,
    windows: list[tuple[date, date]],
    files: OutputFiles,
    on_progress: ProgressCallback | None,
    resume: bool,
) -> EventsExportResult:
    loaded = load_state(files.sidecar, files.part, scope.key, start, end) if resume else None
    resumed = loaded is not None and bool(loaded.windows)
    state = loaded if loaded is not None and resumed else ExportState(scope=scope.key, start=start, end=end)
    result = EventsExportResult(
        output=files.final,
        part=files.part,
        windows_total=len(windows),
        windows_done=len(state.windows),
        resumed_windows=len(state.windows),
        rows=state.rows,
    )
    throttle = Throttle(on_progress)

    def report(window: tuple[date, date] | None, rows: int, *, force: bool = False) -> None:
        progress = ExportProgress(result.windows_done, len(windows), rows, window, result.resumed_windows)
        throttle(progress, force=force)

    part = PartFile(files.part, keep=resumed, offset=state.offset)
    try:
        if not resumed:
            save_state(files.sidecar, state)
        report(None, result.rows, force=True)
        for w_start, w_end in windows:
            key = window_key(w_start, w_end)
            if key in state.windows:
                continue
            if result.stopped_by is not None:
                result.not_attempted.append((w_start, w_end))
                continue
            report((w_start, w_end), result.rows, force=True)
            try:
                written = await _write_window(part, source, scope, state, w_start, w_end, result.rows, report)
            except ScarfError as error:
                part.rollback()
                result.failures.append(WindowFailure(w_start, w_end, str(error), error))
                if isinstance(error, STOPPING_ERRORS):
                    result.stopped_by = error
                continue
            state.header = written.header
            state.windows[key] = {"offset": part.commit(), "rows": written.rows}
            save_state(files.sidecar, state)
            result.windows_done += 1
            result.rows += written.rows
        report(None, result.rows, force=True)
        if result.complete:
            _finish(part, files, state)
    finally:
        # Cancelled, failed, or done: cut what is not committed (close is a no-op after _finish),
        # and keep FILE.part only while it holds a complete window.
        part.close()
        if not state.windows:
            _discard(files)
    return result


@dataclass(frozen=True, slots=True)
class _Written:
    header: list[str]
    rows: int


async def _write_window(
    part: PartFile,
    source: EventsCsvSource,
    scope: EventsScope,
    state: ExportState,
    start: date,
    end: date,
    rows_before: int,
    report: Callable[..., None],
) -> _Written:
    """Append one window's rows to FILE.part as sent. Raises ScarfError (the caller cuts the
    window back out): the service's errors, NotEventsCsv, HeaderChanged."""
    header: list[str] | None = None
    id_index: int | None = None
    rows = 0
    # Exports are at-least-once: when rows carry an id, drop repeats. An event falls in exactly
    # one window by its time, so the set only spans one window.
    seen_ids: set[str] = set()
    async with aclosing(csv_records(scope.lines(source, start, end))) as records:
        async for fields, raw in records:
            if header is None:
                header = header_fields(fields)
                _check_header(header, state.header, start, end)
                if state.header is None:
                    _append(part, raw)
                id_index = header.index("id") if "id" in header else None
                continue
            if id_index is not None and id_index < len(fields) and (event_id := fields[id_index]):
                if event_id in seen_ids:
                    continue
                seen_ids.add(event_id)
            _append(part, raw)
            rows += 1
            if rows % PROGRESS_EVERY_ROWS == 0:
                report((start, end), rows_before + rows)
    if header is None:
        raise NotEventsCsv(
            f"The events answer for {day_range(start, end)} is empty; an events CSV starts with a header line."
        )
    return _Written(header, rows)


def _append(part: PartFile, raw: bytes) -> None:
    part.append(raw if raw.endswith(b"\n") else raw + b"\r\n")


def _shown(header: list[str]) -> str:
    return sanitize(",".join(header), limit=HEADER_SHOWN)


def _check_header(header: list[str], first: list[str] | None, start: date, end: date) -> None:
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        columns = " and no ".join(f"'{name}'" for name in missing)
        raise NotEventsCsv(
            f"The answer for {day_range(start, end)} is not an events CSV: its header has no {columns} "
            f"column ({_shown(header)!r})."
        )
    if first is not None and header != first:
        added = [name for name in header if name not in first]
        lost = [name for name in first if name not in header]
        if added or lost:
            change = "; ".join(
                part
                for part in (
                    f"new: {sanitize(', '.join(added), limit=120)}" if added else "",
                    f"gone: {sanitize(', '.join(lost), limit=120)}" if lost else "",
                )
                if part
            )
        else:
            change = "the same columns in another order"
        raise HeaderChanged(
            f"The events of {day_range(start, end)} have another header than the file, so the export "
            f"stops there ({change}). The file's header is {_shown(first)!r}; this window's is "
            f"{_shown(header)!r}. Export the dates from {start.isoformat()} on to another file."
        )


def _finish(part: PartFile, files: OutputFiles, state: ExportState) -> None:
    """Make FILE.part the final file (a header is written if no window ever had one)."""
    if state.header is None:
        part.append((",".join(EVENT_COLUMNS) + "\r\n").encode("ascii"))
    part.commit()
    part.close()
    os.replace(files.part, files.final)
    unlink_quietly(files.sidecar)


def _discard(files: OutputFiles) -> None:
    """Nothing to resume: leave no clutter behind."""
    unlink_quietly(files.part)
    unlink_quietly(files.sidecar)


class PackageLookup(Protocol):
    """Finding the package an events export is for (ScarfService provides it)."""

    async def get_package(
        self, id_or_name: str, package_type: str | None = None, owner: str | None = None
    ) -> Package: ...


async def resolve_events_scope(
    service: PackageLookup, package: str | None, package_type: str | None = None, owner: str | None = None
) -> EventsScope:
    """An EventsScope for ``--package ID-OR-NAME`` or pixels (None). ``owner`` scopes the
    look-up (API v2 paths are owner-scoped; without it the service finds the owner). Raises
    NotFound when the package is unknown, ValidationFailed when the name is shared and no
    package_type picks one."""
    if package is None:
        return EventsScope(None, "pixels")
    found = await service.get_package(package, package_type, owner=owner)
    return EventsScope(found.uuid, found.name)


__all__ = [
    "DEFAULT_MAX_WINDOWS",
    "REQUIRED_COLUMNS",
    "STOPPING_ERRORS",
    "EventsCsvSource",
    "EventsExportResult",
    "EventsScope",
    "PackageLookup",
    "WindowFailure",
    "check_window_budget",
    "export_events",
    "resolve_events_scope",
]
