"""Data export to files: aggregates (NDJSON, CSV, JSON) and events CSV in <=31-day windows.

No Textual here: the CLI (export_cli.py) and the TUI (screens/export.py) both drive these
functions and get progress through a plain callback.

Events exports are built to survive long ranges and flaky networks:
- the range is split into windows the server accepts (domain.event_windows);
- rows stream to FILE.part, one window after another, never held in memory;
- after each window the file is synced and the sidecar FILE.part.json records the window and
  the byte offset where it ended, so a rerun truncates the .part to the last good offset and
  fetches only what is missing;
- a window that fails is cut back out of the file and named in the result; other windows
  are still fetched unless the failure means no window can succeed (no access, no such
  package, no connection);
- only a complete export is renamed to FILE.
"""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import aclosing
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from scarf_tui.api.errors import (
    AuthError,
    ConnectionFailed,
    ExportNotEnabled,
    InsecureURL,
    NotFound,
    ScarfError,
    ValidationFailed,
)
from scarf_tui.api.v1 import csv_records
from scarf_tui.domain import EVENT_COLUMNS, AggregateRow, Event, event_windows

if TYPE_CHECKING:
    from scarf_tui.api.service import ScarfService

# ---------------------------------------------------------------------------------------------
# Exit codes of `scarf-tui export` (shown by its --help as EXIT_CODES_HELP).
# ---------------------------------------------------------------------------------------------

EXIT_OK = 0
EXIT_FAILURE = 1  # server error, cut stream, timeout, disk error: a partial events export is kept
EXIT_BAD_INPUT = 2  # bad date, end before start, bad option, missing output directory
EXIT_NOT_FOUND = 3  # unknown package, organization or user
EXIT_NO_EXPORT_ACCESS = 4  # the account has no data-export access (ExportNotEnabled)
EXIT_AUTH = 5  # no token, or the token was rejected
EXIT_INTERRUPTED = 130  # Ctrl-C: the .part is kept and a rerun resumes

EXIT_CODES_HELP = """\
exit codes:
  0    export complete
  1    export failed (server error, cut stream, timeout, disk error); events keep FILE.part
       and the same command resumes it
  2    bad input (date not YYYY-MM-DD, end not after start, bad option, missing directory,
       a package name shared by several packages without --package-type)
  3    package, organization or user not found
  4    data export is not enabled for this account
  5    no API token, or the token was rejected
  130  interrupted; events keep FILE.part and the same command resumes it"""


def exit_code_for(error: BaseException) -> int:
    """The CLI exit code for an error that stopped an export."""
    if isinstance(error, ExportNotEnabled):
        return EXIT_NO_EXPORT_ACCESS
    if isinstance(error, NotFound):
        return EXIT_NOT_FOUND
    if isinstance(error, AuthError):
        return EXIT_AUTH
    if isinstance(error, (InsecureURL, ValidationFailed)):
        return EXIT_BAD_INPUT  # e.g. a package name shared by several packages (409)
    return EXIT_FAILURE


# Errors after which no other window can succeed either: stop instead of trying them all.
STOPPING_ERRORS: tuple[type[ScarfError], ...] = (
    AuthError,
    ExportNotEnabled,
    NotFound,
    InsecureURL,
    ConnectionFailed,
)


# ---------------------------------------------------------------------------------------------
# Progress
# ---------------------------------------------------------------------------------------------


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


class _Throttle:
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


class TerminalProgress:
    """A one-line progress bar on a stream (stderr), drawn only when it is a terminal."""

    WIDTH = 24

    def __init__(self, stream: IO[str] | None = None, *, label: str = "export", windows: bool = True) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.label = label
        self.windows = windows  # False: one request (aggregates), count rows only
        self.enabled = _isatty(self.stream)
        self._drawn = False

    def __call__(self, progress: ExportProgress) -> None:
        if not self.enabled:
            return
        if not self.windows:
            self.stream.write(f"\r{self.label}: {progress.rows:,} rows\x1b[K")
            self.stream.flush()
            self._drawn = True
            return
        filled = round(self.WIDTH * progress.fraction)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        line = (
            f"\r{self.label} [{bar}] {progress.windows_done}/{progress.windows_total} "
            f"windows, {progress.rows:,} rows"
        )
        if progress.window is not None and progress.windows_done < progress.windows_total:
            line += f" ({day_range(*progress.window)})"
        self.stream.write(line + "\x1b[K")
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """End the bar's line so later messages start on a fresh one."""
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def day_range(start: date, end: date) -> str:
    """[start, end) as the days it covers, inclusive: 2026-03-01..2026-03-31."""
    last = end - timedelta(days=1)
    return start.isoformat() if last <= start else f"{start.isoformat()}..{last.isoformat()}"


# ---------------------------------------------------------------------------------------------
# Aggregates
# ---------------------------------------------------------------------------------------------

AggregateFormat = Literal["ndjson", "csv", "json"]
AGGREGATE_FORMATS: tuple[str, ...] = ("ndjson", "csv", "json")

# AggregateV1 fields in the seed's order.
AGGREGATE_COLUMNS: tuple[str, ...] = (
    "breakdown",
    "date",
    "package",
    "total",
    "company_name",
    "company_domain",
    "cloud_provider_name",
    "cloud_provider_domain",
    "country",
    "platform",
    "version",
    "client",
    "client_version",
    "variable",
    "value",
    "unique_total",
)


def format_for_path(path: str | os.PathLike[str] | None) -> AggregateFormat:
    """The aggregate format a file name asks for (.csv, .json); NDJSON otherwise."""
    suffix = Path(path).suffix.lower() if path else ""
    if suffix == ".csv":
        return "csv"
    if suffix == ".json":
        return "json"
    return "ndjson"


def aggregate_record(row: AggregateRow) -> dict[str, Any]:
    """AggregateV1 as a JSON object: the seed's field names, optional fields only when set."""
    record: dict[str, Any] = {}
    for name in AGGREGATE_COLUMNS:
        value = getattr(row, name)
        if value is None:
            continue
        record[name] = value.isoformat() if isinstance(value, date) else value
    return record


class _AggregateWriter:
    """Writes one aggregate row at a time in the chosen format to a text stream."""

    def __init__(self, out: IO[str], fmt: AggregateFormat) -> None:
        if fmt not in AGGREGATE_FORMATS:
            raise ValueError(f"Unknown format {fmt!r}; use one of {', '.join(AGGREGATE_FORMATS)}.")
        self.out = out
        self.fmt = fmt
        self.rows = 0
        self._csv = csv.writer(out) if fmt == "csv" else None  # RFC 4180 line ends

    def begin(self) -> None:
        if self._csv is not None:
            self._csv.writerow(AGGREGATE_COLUMNS)
        elif self.fmt == "json":
            self.out.write("[")

    def write(self, row: AggregateRow) -> None:
        if self._csv is not None:
            record = aggregate_record(row)
            self._csv.writerow([_cell(record.get(name)) for name in AGGREGATE_COLUMNS])
        else:
            text = json.dumps(aggregate_record(row), ensure_ascii=False)
            if self.fmt == "json":
                self.out.write(("\n  " if self.rows == 0 else ",\n  ") + text)
            else:
                self.out.write(text + "\n")
        self.rows += 1

    def end(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if self.rows else "]\n")


def _cell(value: object) -> str:
    return "" if value is None else str(value)


async def write_aggregates(
    rows: AsyncIterator[AggregateRow],
    out: IO[str],
    fmt: AggregateFormat = "ndjson",
    *,
    on_progress: ProgressCallback | None = None,
) -> int:
    """Stream aggregate rows to ``out`` as they arrive. Returns the number of rows written.

    A JSON array is written incrementally too (opening bracket first), so memory stays flat."""
    writer = _AggregateWriter(out, fmt)
    throttle = _Throttle(on_progress)
    writer.begin()
    async with aclosing(rows):  # closes the HTTP stream even when writing fails
        async for row in rows:
            writer.write(row)
            if writer.rows % PROGRESS_EVERY_ROWS == 0:
                throttle(ExportProgress(0, 1, writer.rows))
    writer.end()
    out.flush()
    throttle(ExportProgress(1, 1, writer.rows), force=True)
    return writer.rows


async def export_aggregates_to_file(
    rows: AsyncIterator[AggregateRow],
    output: str | os.PathLike[str],
    fmt: AggregateFormat | None = None,
    *,
    on_progress: ProgressCallback | None = None,
) -> int:
    """Write aggregates to FILE.part and rename it to FILE when the stream ended cleanly.

    On any failure the .part is removed (an aggregates export is one request: there is nothing
    to resume) and the error propagates."""
    final = Path(output)
    part = part_path(final)
    fmt = fmt or format_for_path(final)
    try:
        with open(part, "w", encoding="utf-8", newline="") as out:
            count = await write_aggregates(rows, out, fmt, on_progress=on_progress)
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, final)
    except BaseException:
        _unlink_quietly(part)
        raise
    return count


def aggregates_source(
    service: ScarfService, *, org: str | None = None, user: str | None = None, start: date, end: date
) -> AsyncIterator[AggregateRow]:
    if (org is None) == (user is None):
        raise ValueError("Give exactly one of org or user.")
    if org is not None:
        return service.org_aggregates(org, start, end)
    assert user is not None
    return service.user_aggregates(user, start, end)


# ---------------------------------------------------------------------------------------------
# Events
# ---------------------------------------------------------------------------------------------

SIDECAR_FORMAT = "scarf-tui-events-export"
SIDECAR_VERSION = 1


def part_path(final: Path) -> Path:
    return final.with_name(final.name + ".part")


def sidecar_path(final: Path) -> Path:
    return final.with_name(final.name + ".part.json")


@dataclass(frozen=True, slots=True)
class EventsScope:
    """What an events export covers: one package's events, or every pixel's."""

    package_id: str | None  # the package uuid; None means pixel events
    label: str = ""  # for messages: the package's name, or "pixels"

    @property
    def key(self) -> str:
        """Identifies the export in the sidecar, so a rerun for something else never resumes it."""
        return f"package:{self.package_id}" if self.package_id else "pixels"

    def records(self, service: ScarfService) -> WindowRecords:
        """Where one window's rows come from. The service's raw CSV stream of one window is
        preferred (rows are copied byte for byte); a service without it (a future adapter)
        gives Events, which are written as CSV."""
        package_id = self.package_id
        if package_id:
            raw = getattr(service, "stream_package_events_csv", None)
            if raw is not None:
                return lambda start, end: _records_from_lines(raw(package_id, start, end))
            return lambda start, end: _records_from_events(service.package_events(package_id, start, end))
        raw = getattr(service, "stream_pixel_events_csv", None)
        if raw is not None:
            return lambda start, end: _records_from_lines(raw(start, end))
        return lambda start, end: _records_from_events(service.pixel_events(start, end))


# One item of a window: (the window's header, the row's values in header order, the row's bytes
# as the server sent them or None). values None announces the header before any row.
Record = tuple[list[str], list[str] | None, bytes | None]
WindowRecords = Callable[[date, date], AsyncIterator[Record]]


async def _records_from_lines(lines: AsyncIterator[bytes]) -> AsyncIterator[Record]:
    """Raw CSV lines (header first) -> records (see v1.csv_records for multi-line fields)."""
    header: list[str] | None = None
    async with aclosing(csv_records(lines)) as records:  # an early stop closes the HTTP stream now
        async for fields, raw in records:
            if header is None:
                header = [name.strip().lstrip("\ufeff") for name in fields]
                yield header, None, None
                continue
            yield header, fields, raw


async def _records_from_events(events: AsyncIterator[Event]) -> AsyncIterator[Record]:
    header: list[str] = list(EVENT_COLUMNS)
    async with aclosing(events):
        async for event in events:
            extras = [k for k in event.extra if k not in _KNOWN]
            if len(header) != len(EVENT_COLUMNS) + len(extras) or header[len(EVENT_COLUMNS) :] != extras:
                header = list(EVENT_COLUMNS) + extras
            values = ["" if (v := getattr(event, name)) is None else str(v) for name in EVENT_COLUMNS]
            values.extend(event.extra[k] for k in extras)
            yield header, values, None


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
    def exit_code(self) -> int:
        if self.complete:
            return EXIT_OK
        if self.stopped_by is not None:
            return exit_code_for(self.stopped_by)
        return EXIT_FAILURE

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


@dataclass(slots=True)
class _State:
    """What FILE.part.json records: enough to resume at the last completed window."""

    scope: str
    start: date
    end: date
    header: list[str] | None = None  # the header line written at offset 0 (None: not yet)
    columns: list[str] = field(default_factory=lambda: list(EVENT_COLUMNS))  # header + new extras
    windows: dict[str, dict[str, int]] = field(default_factory=dict)  # "start/end" -> offset, rows

    @property
    def offset(self) -> int:
        return max((w["offset"] for w in self.windows.values()), default=0)

    @property
    def rows(self) -> int:
        return sum(w["rows"] for w in self.windows.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "format": SIDECAR_FORMAT,
            "version": SIDECAR_VERSION,
            "scope": self.scope,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "header": self.header,
            "columns": self.columns,
            "windows": [
                {"window": key, "offset": w["offset"], "rows": w["rows"]} for key, w in self.windows.items()
            ],
        }

    @classmethod
    def from_json(cls, data: Any) -> _State:
        if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT:
            raise ValueError("not an events-export sidecar")
        if data.get("version") != SIDECAR_VERSION:
            raise ValueError("unknown sidecar version")
        header = data.get("header")
        columns = data.get("columns")
        if header is not None and not (isinstance(header, list) and all(isinstance(c, str) for c in header)):
            raise ValueError("bad header")
        if not (isinstance(columns, list) and all(isinstance(c, str) for c in columns)):
            raise ValueError("bad columns")
        windows: dict[str, dict[str, int]] = {}
        for item in data.get("windows") or []:
            offset, rows = int(item["offset"]), int(item["rows"])
            if offset < 0 or rows < 0:
                raise ValueError("bad window")
            windows[str(item["window"])] = {"offset": offset, "rows": rows}
        return cls(
            scope=str(data["scope"]),
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            header=header,
            columns=columns,
            windows=windows,
        )


def _window_key(start: date, end: date) -> str:
    return f"{start.isoformat()}/{end.isoformat()}"


def _load_state(sidecar: Path, part: Path, scope: str, start: date, end: date) -> _State | None:
    """The sidecar of an earlier run of the same export, if it is usable for resuming."""
    try:
        state = _State.from_json(json.loads(sidecar.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (state.scope, state.start, state.end) != (scope, start, end):
        return None
    valid = {_window_key(s, e) for s, e in event_windows(start, end)}
    if not set(state.windows) <= valid:
        return None
    try:
        size = part.stat().st_size
    except OSError:
        return None
    if size < state.offset or (state.header is None and state.offset != 0):
        return None
    return state


def _save_state(sidecar: Path, state: _State) -> None:
    tmp = sidecar.with_name(sidecar.name + ".tmp")
    tmp.write_text(json.dumps(state.to_json(), indent=1), encoding="utf-8")
    os.replace(tmp, sidecar)


class _ByteCountingSink:
    """The text sink csv.writer writes to: encodes to UTF-8 and counts bytes, so the offset
    after each window is known without tell() on a text stream."""

    def __init__(self, raw: IO[bytes], offset: int) -> None:
        self.raw = raw
        self.offset = offset

    def write(self, text: str) -> int:
        data = text.encode("utf-8")
        self.raw.write(data)
        self.offset += len(data)
        return len(text)


_KNOWN = frozenset(EVENT_COLUMNS)


async def export_events(
    service: ScarfService,
    scope: EventsScope,
    start: date,
    end: date,
    output: str | os.PathLike[str],
    *,
    on_progress: ProgressCallback | None = None,
    resume: bool = True,
) -> EventsExportResult:
    """Export events in [start, end) to ``output`` (CSV), window by window, resumable.

    Returns the result whether or not every window succeeded; see ``EventsExportResult``.
    Raises ValueError for a bad range, OSError for local file problems; on cancellation
    (asyncio.CancelledError, KeyboardInterrupt) the .part is cut back to the last complete
    window and kept for a rerun."""
    windows = event_windows(start, end)
    final = Path(output)
    part, sidecar = part_path(final), sidecar_path(final)
    fetch = scope.records(service)

    state = _load_state(sidecar, part, scope.key, start, end) if resume else None
    resumed = state is not None and bool(state.windows)
    if state is None:
        state = _State(scope=scope.key, start=start, end=end)
    resumed_windows = len(state.windows)

    result = EventsExportResult(
        output=final,
        part=part,
        windows_total=len(windows),
        windows_done=len(state.windows),
        resumed_windows=resumed_windows,
        rows=state.rows,
    )
    throttle = _Throttle(on_progress)

    def report(window: tuple[date, date] | None, rows: int, *, force: bool = False) -> None:
        throttle(
            ExportProgress(result.windows_done, len(windows), rows, window, resumed_windows), force=force
        )

    raw = open(part, "r+b" if resumed else "wb")  # noqa: SIM115 - closed in the finally below
    try:
        raw.truncate(state.offset)
        raw.seek(state.offset)
        if not resumed:
            _save_state(sidecar, state)
        report(None, result.rows, force=True)
        for w_start, w_end in windows:
            if _window_key(w_start, w_end) in state.windows:
                continue
            if result.stopped_by is not None:
                result.not_attempted.append((w_start, w_end))
                continue
            report((w_start, w_end), result.rows, force=True)
            error = await _write_window(raw, fetch, state, w_start, w_end, result, report)
            if error is not None:
                result.failures.append(WindowFailure(w_start, w_end, str(error), error))
                if isinstance(error, STOPPING_ERRORS):
                    result.stopped_by = error
        report(None, result.rows, force=True)
        if result.complete:
            finishing, raw = raw, None
            _finish(finishing, part, final, state)
            _unlink_quietly(sidecar)
        else:
            raw.flush()
            if not state.windows and isinstance(result.stopped_by, STOPPING_ERRORS):
                # Nothing was fetched and nothing could be: leave no clutter behind.
                raw.close()
                raw = None
                _unlink_quietly(part)
                _unlink_quietly(sidecar)
    finally:
        if raw is not None:
            # Cancelled or failed mid-window: cut the partial window so the .part matches the
            # sidecar, which already describes the last complete window.
            try:
                raw.flush()
                raw.truncate(state.offset)
            finally:
                raw.close()
    return result


async def _write_window(
    raw: IO[bytes],
    fetch: WindowRecords,
    state: _State,
    start: date,
    end: date,
    result: EventsExportResult,
    report: Callable[..., None],
) -> ScarfError | None:
    """Append one window's rows to the .part; on a ScarfError cut them back out and return it."""
    base_offset = state.offset
    saved_header = list(state.header) if state.header is not None else None
    saved_columns = list(state.columns)
    sink = _ByteCountingSink(raw, base_offset)
    writer = csv.writer(sink)  # RFC 4180 line ends, like the server's
    rows_before = result.rows
    rows = 0
    # How this window's header maps onto the file's columns; recomputed when the header changes.
    header: list[str] | None = None
    passthrough = False  # the row's bytes can be copied as they are
    mapping: list[int | None] = []
    id_index: int | None = None
    # Exports are at-least-once: when rows carry an id, drop repeats. An event falls in exactly
    # one window by its time, so the set only spans one window.
    seen_ids: set[str] = set()
    records = fetch(start, end)
    try:
        async with aclosing(records):
            async for row_header, values, row_bytes in records:
                if row_header is not header and row_header != header:
                    header = row_header
                    if state.header is None:
                        # The known columns first, in the seed's order, then the extras.
                        extras = [name for name in header if name not in _KNOWN]
                        state.header = list(EVENT_COLUMNS) + list(dict.fromkeys(extras))
                        state.columns = list(state.header)
                        writer.writerow(state.header)
                    for name in header:
                        if name not in state.columns:
                            state.columns.append(name)
                    # Columns only ever grow at the end: a header that is a prefix of them needs no
                    # remapping (the final rewrite pads the short rows).
                    passthrough = header == state.columns[: len(header)]
                    position = {name: i for i, name in reversed(list(enumerate(header)))}
                    mapping = [position.get(name) for name in state.columns]
                    id_index = position.get("id")
                if values is None:
                    continue
                if id_index is not None and id_index < len(values):
                    event_id = values[id_index]
                    if event_id:
                        if event_id in seen_ids:
                            continue
                        seen_ids.add(event_id)
                if passthrough and row_bytes is not None:
                    if not row_bytes.endswith(b"\n"):
                        row_bytes += b"\r\n"
                    raw.write(row_bytes)
                    sink.offset += len(row_bytes)
                elif passthrough:
                    writer.writerow(values)
                else:
                    width = len(values)
                    writer.writerow([values[i] if i is not None and i < width else "" for i in mapping])
                rows += 1
                if rows % PROGRESS_EVERY_ROWS == 0:
                    report((start, end), rows_before + rows)
    except ScarfError as error:
        raw.flush()
        raw.truncate(base_offset)
        raw.seek(base_offset)
        state.header, state.columns = saved_header, saved_columns
        return error
    raw.flush()
    os.fsync(raw.fileno())
    state.windows[_window_key(start, end)] = {"offset": sink.offset, "rows": rows}
    _save_state(sidecar_path(result.output), state)
    result.windows_done += 1
    result.rows += rows
    return None


def _finish(raw: IO[bytes], part: Path, final: Path, state: _State) -> None:
    """Make the .part the final file: write the header if no row ever did, widen the header when
    later windows brought extra columns, then rename."""
    try:
        if state.header is None:
            sink = _ByteCountingSink(raw, state.offset)
            csv.writer(sink).writerow(EVENT_COLUMNS)
            state.header = list(EVENT_COLUMNS)
        raw.flush()
        os.fsync(raw.fileno())
    finally:
        raw.close()
    if state.columns != state.header:
        _rewrite_with_header(part, state.columns)
    os.replace(part, final)


def _rewrite_with_header(part: Path, columns: list[str]) -> None:
    """Stream the .part into a copy whose header names every column, padding rows written before
    a column first appeared (columns only ever grow at the end, so padding goes at the end)."""
    tmp = part.with_name(part.name + ".rewrite")
    try:
        with open(part, encoding="utf-8", newline="") as src, open(
            tmp, "w", encoding="utf-8", newline=""
        ) as dst:
            reader = csv.reader(src)
            writer = csv.writer(dst)
            next(reader, None)  # the old, narrower header
            writer.writerow(columns)
            width = len(columns)
            for row in reader:
                if len(row) < width:
                    row.extend([""] * (width - len(row)))
                writer.writerow(row)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, part)
    except BaseException:
        _unlink_quietly(tmp)
        raise


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except FileNotFoundError:
        pass


async def resolve_events_scope(
    service: ScarfService, package: str | None, package_type: str | None = None
) -> EventsScope:
    """An EventsScope for ``--package ID-OR-NAME`` or pixels (None). Raises NotFound when the
    package is unknown, ValidationFailed when the name is shared and no package_type picks one."""
    if package is None:
        return EventsScope(None, "pixels")
    found = await service.get_package(package, package_type)
    return EventsScope(found.uuid, found.name)


def read_csv_header(path: str | os.PathLike[str]) -> list[str]:
    """The header of an exported events CSV (used by tests and the TUI's summary)."""
    with open(path, encoding="utf-8", newline="") as f:
        return next(csv.reader(f), [])


__all__ = [
    "AGGREGATE_COLUMNS",
    "AGGREGATE_FORMATS",
    "EXIT_AUTH",
    "EXIT_BAD_INPUT",
    "EXIT_CODES_HELP",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_NO_EXPORT_ACCESS",
    "EXIT_OK",
    "EventsExportResult",
    "EventsScope",
    "ExportProgress",
    "TerminalProgress",
    "WindowFailure",
    "aggregate_record",
    "aggregates_source",
    "day_range",
    "exit_code_for",
    "export_aggregates_to_file",
    "export_events",
    "format_for_path",
    "part_path",
    "read_csv_header",
    "resolve_events_scope",
    "sidecar_path",
    "write_aggregates",
]
