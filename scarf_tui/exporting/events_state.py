"""FILE.part.json: what an events export has written so far, so a rerun can resume it.

It records the export (scope and range), the header the file starts with, and for every
complete window the byte offset in FILE.part where that window ends. A rerun of the same
export truncates FILE.part to the last offset and fetches only the windows not listed. The
bytes of FILE.part are never read back or decoded: resuming depends on this record alone.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from scarf_tui.domain import event_windows
from scarf_tui.exporting.target import read_regular_file, write_new_file

SIDECAR_FORMAT = "scarf-tui-events-export"
SIDECAR_VERSION = 2  # 2: the header is kept exactly as the first window sent it
MAX_SIDECAR_BYTES = 64 * 1024 * 1024


def window_key(start: date, end: date) -> str:
    return f"{start.isoformat()}/{end.isoformat()}"


@dataclass(slots=True)
class ExportState:
    """The resume record of one events export."""

    scope: str
    start: date
    end: date
    header: list[str] | None = None  # the column names of the header line at offset 0 (None: not yet)
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
            "windows": [{"window": k, "offset": w["offset"], "rows": w["rows"]} for k, w in self.windows.items()],
        }

    @classmethod
    def from_json(cls, data: Any) -> ExportState:
        if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT:
            raise ValueError("not an events-export sidecar")
        if data.get("version") != SIDECAR_VERSION:
            raise ValueError("unknown sidecar version")
        header = data.get("header")
        if header is not None and not (isinstance(header, list) and all(isinstance(c, str) for c in header)):
            raise ValueError("bad header")
        windows: dict[str, dict[str, int]] = {}
        for item in data.get("windows") or []:
            offset, rows = item["offset"], item["rows"]
            if not (isinstance(offset, int) and isinstance(rows, int)) or offset < 0 or rows < 0:
                raise ValueError("bad window")
            windows[str(item["window"])] = {"offset": offset, "rows": rows}
        return cls(
            scope=str(data["scope"]),
            start=date.fromisoformat(data["start"]),
            end=date.fromisoformat(data["end"]),
            header=header,
            windows=windows,
        )


def load_state(sidecar: Path, part: Path, scope: str, start: date, end: date) -> ExportState | None:
    """The record of an earlier run of the same export, if FILE.part can be resumed with it."""
    data = read_regular_file(sidecar, limit=MAX_SIDECAR_BYTES)
    if data is None:
        return None
    try:
        state = ExportState.from_json(json.loads(data))
    except (ValueError, KeyError, TypeError, RecursionError):
        return None
    if (state.scope, state.start, state.end) != (scope, start, end):
        return None
    valid = {window_key(s, e) for s, e in event_windows(start, end)}
    if not set(state.windows) <= valid:
        return None
    try:
        info = os.lstat(part)
    except OSError:
        return None
    if info.st_size < state.offset or (state.header is None and state.offset != 0):
        return None
    return state


def save_state(sidecar: Path, state: ExportState) -> None:
    """Replace FILE.part.json atomically (a crash leaves the old record or the new one)."""
    tmp = sidecar.with_name(sidecar.name + ".tmp")
    write_new_file(tmp, json.dumps(state.to_json(), indent=1).encode("ascii"))
    os.replace(tmp, sidecar)


__all__ = ["ExportState", "load_state", "save_state", "window_key"]
