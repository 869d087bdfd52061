"""Aggregates to a stream or a file: NDJSON (default), CSV or one JSON array.

An aggregates export is one request, so there is nothing to resume: rows stream into FILE.part
under the export lock, and FILE.part becomes FILE only when the stream ended cleanly. On any
failure the .part is removed and the error propagates.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal, Protocol

from scarf_tui.api.csv_stream import aclose_quietly
from scarf_tui.domain import AggregateRow
from scarf_tui.exporting.progress import PROGRESS_EVERY_ROWS, ExportProgress, ProgressCallback, Throttle
from scarf_tui.exporting.target import locked_output, open_part, unlink_quietly

AggregateFormat = Literal["ndjson", "csv", "json"]
AGGREGATE_FORMATS: tuple[str, ...] = ("ndjson", "csv", "json")

# The AggregateV1 fields, in the order the Scarf API v1 reference lists them.
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
    """AggregateV1 as a JSON object: the reference's field names, optional fields only when set."""
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
            self._csv.writerow(["" if record.get(name) is None else str(record[name]) for name in AGGREGATE_COLUMNS])
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
    throttle = Throttle(on_progress)
    writer.begin()
    try:
        async for row in rows:
            writer.write(row)
            if writer.rows % PROGRESS_EVERY_ROWS == 0:
                throttle(ExportProgress(0, 1, writer.rows))
    finally:
        await aclose_quietly(rows)  # closes the HTTP stream even when writing fails
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
    follow_symlink: bool = False,
) -> int:
    """Write aggregates to FILE.part under the export lock and rename it to FILE when the stream
    ended cleanly. Returns the number of rows.

    Raises OutputRefused / OutputBusy (see target.locked_output) before anything is written;
    on any later failure the .part is removed and the error propagates."""
    with locked_output(output, follow_symlink=follow_symlink) as files:
        fmt = fmt or format_for_path(files.final)
        raw = io.BufferedWriter(open_part(files.part, keep=False))
        try:
            with io.TextIOWrapper(raw, encoding="utf-8", newline="") as out:
                count = await write_aggregates(rows, out, fmt, on_progress=on_progress)
                out.flush()
                os.fsync(out.fileno())
            os.replace(files.part, files.final)
        except BaseException:
            unlink_quietly(files.part)
            raise
    return count


class AggregatesService(Protocol):
    """What an aggregates export needs from a service (ScarfService provides it)."""

    def org_aggregates(self, org: str, start: date, end: date) -> AsyncIterator[AggregateRow]: ...

    def user_aggregates(self, username: str, start: date, end: date) -> AsyncIterator[AggregateRow]: ...


def aggregates_source(
    service: AggregatesService, *, org: str | None = None, user: str | None = None, start: date, end: date
) -> AsyncIterator[AggregateRow]:
    """The aggregate rows of an organization or of a user (exactly one of them) in [start, end)."""
    if (org is None) == (user is None):
        raise ValueError("Give exactly one of org or user.")
    if org is not None:
        return service.org_aggregates(org, start, end)
    assert user is not None
    return service.user_aggregates(user, start, end)


__all__ = [
    "AGGREGATE_COLUMNS",
    "AGGREGATE_FORMATS",
    "AggregateFormat",
    "AggregatesService",
    "aggregate_record",
    "aggregates_source",
    "export_aggregates_to_file",
    "format_for_path",
    "write_aggregates",
]
