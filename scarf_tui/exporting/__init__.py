"""Data export to files, headless: aggregates (NDJSON, CSV, JSON) and events CSV in windows.

No Textual, no exit codes, no terminal drawing: the CLI (scarf_tui/export_cli.py) and the TUI
export screen drive these functions, get progress through a plain callback, and turn the
results and exceptions into their own words (exit codes live in scarf_tui/exit_codes.py).

    target.py        the output checks (no directory, device, FIFO; links only on purpose) and
                     the lock that refuses a second writer of the same file
    aggregates.py    one request streamed to FILE.part, renamed to FILE when it ended cleanly
    events.py        windowed, resumable, append-only events CSV
    events_state.py  FILE.part.json, the resume record
    progress.py      ExportProgress and the throttle for callbacks
    errors.py        ExportError and its kinds; HeaderChanged / NotEventsCsv for bad answers
"""

from __future__ import annotations

from scarf_tui.exporting.aggregates import (
    AGGREGATE_COLUMNS,
    AGGREGATE_FORMATS,
    AggregateFormat,
    aggregate_record,
    aggregates_source,
    export_aggregates_to_file,
    format_for_path,
    write_aggregates,
)
from scarf_tui.exporting.errors import (
    ExportError,
    HeaderChanged,
    NotEventsCsv,
    OutputBusy,
    OutputRefused,
    RangeTooLong,
)
from scarf_tui.exporting.events import (
    DEFAULT_MAX_WINDOWS,
    EventsCsvSource,
    EventsExportResult,
    EventsScope,
    WindowFailure,
    check_window_budget,
    export_events,
    resolve_events_scope,
)
from scarf_tui.exporting.progress import ExportProgress, ProgressCallback, day_range
from scarf_tui.exporting.target import OutputFiles, check_output, lock_path, locked_output, part_path, sidecar_path

__all__ = [
    "AGGREGATE_COLUMNS",
    "AGGREGATE_FORMATS",
    "DEFAULT_MAX_WINDOWS",
    "AggregateFormat",
    "EventsCsvSource",
    "EventsExportResult",
    "EventsScope",
    "ExportError",
    "ExportProgress",
    "HeaderChanged",
    "NotEventsCsv",
    "OutputBusy",
    "OutputFiles",
    "OutputRefused",
    "ProgressCallback",
    "RangeTooLong",
    "WindowFailure",
    "aggregate_record",
    "aggregates_source",
    "check_output",
    "check_window_budget",
    "day_range",
    "export_aggregates_to_file",
    "export_events",
    "format_for_path",
    "lock_path",
    "locked_output",
    "part_path",
    "resolve_events_scope",
    "sidecar_path",
    "write_aggregates",
]
