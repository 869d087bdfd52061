"""Events export over a real loopback socket: windows, one header, resume, cut streams."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest

from scarf_tui.api.errors import ExportNotEnabled, InvalidResponse, ServerError
from scarf_tui.domain import EVENT_COLUMNS, event_windows
from scarf_tui.exporting import (
    EventsScope,
    ExportProgress,
    day_range,
    export_events,
    part_path,
    sidecar_path,
)

from .helpers import RANGE_END, RANGE_START, SMALL_NAME, SMALL_UUID, read_csv, server_rows

WINDOWS = event_windows(RANGE_START, RANGE_END)
SCOPE = EventsScope(SMALL_UUID, SMALL_NAME)


def test_the_range_needs_three_windows():
    assert [(e - s).days for s, e in WINDOWS] == [31, 31, 8]


async def test_export_splits_into_windows_with_rows_from_each_and_one_header(live_server, live_service, tmp_path):
    out = tmp_path / "events.csv"
    progress: list[ExportProgress] = []

    result = await export_events(live_service, SCOPE, RANGE_START, RANGE_END, out, on_progress=progress.append)

    assert result.complete and not result.failures
    assert result.windows_total == 3 and result.windows_done == 3
    header, rows = read_csv(out)
    assert header[: len(EVENT_COLUMNS)] == list(EVENT_COLUMNS)
    server_header, sent = server_rows(live_server, SMALL_UUID, RANGE_START, RANGE_END)
    assert header == server_header  # the known 16 columns + the extras the server sends
    assert header not in rows  # one header only, not one per window
    assert result.rows == len(rows)
    # Every window contributed rows.
    days = [row[header.index("time")][:10] for row in rows]
    for start, end in WINDOWS:
        assert any(start.isoformat() <= d < end.isoformat() for d in days), day_range(start, end)
    # Exactly what the server holds for the range, at-least-once repeats dropped by id.
    ids = [row[header.index("id")] for row in rows]
    sent_ids = [row[server_header.index("id")] for row in sent]
    assert len(ids) == len(set(ids))
    assert set(ids) == set(sent_ids)
    assert len(sent_ids) > len(set(sent_ids)), "the demo sends a few repeats; they must be dropped"
    # Progress went window by window to the end, and the temporary files are gone.
    done = [p.windows_done for p in progress]
    assert done == sorted(done) and done[-1] == 3
    assert progress[-1].rows == len(rows) and progress[-1].windows_total == 3
    assert not part_path(out).exists() and not sidecar_path(out).exists()


async def test_failed_windows_are_named_and_a_rerun_resumes_without_refetching(
    live_service, demo_faults, tmp_path
):
    out = tmp_path / "events.csv"

    def fail_after_first_window(p: ExportProgress) -> None:
        if p.windows_done >= 1:
            demo_faults.error_rate = 1.0

    result = await export_events(live_service, SCOPE, RANGE_START, RANGE_END, out, on_progress=fail_after_first_window)

    assert not result.complete and result.stopped_by is None and result.kept
    assert result.windows_done == 1
    assert all(isinstance(f.error, ServerError) for f in result.failures)
    assert [(f.start, f.end) for f in result.failures] == WINDOWS[1:]
    described = result.problems()
    last_day = WINDOWS[1][1] - timedelta(days=1)  # the message names the days, end inclusive
    assert described[0].startswith(f"{WINDOWS[1][0].isoformat()}..{last_day.isoformat()} failed: ")
    assert "server error" in described[0]
    # What succeeded is kept: the .part holds window 1 exactly, the sidecar says where it ends.
    assert not out.exists()
    state = json.loads(sidecar_path(out).read_text())
    assert [w["window"] for w in state["windows"]] == [f"{WINDOWS[0][0]}/{WINDOWS[0][1]}"]
    assert state["windows"][0]["offset"] == part_path(out).stat().st_size
    header, kept = read_csv(part_path(out))
    assert len(kept) == state["windows"][0]["rows"] > 0
    assert all(WINDOWS[0][0].isoformat() <= r[header.index("time")][:10] < WINDOWS[0][1].isoformat() for r in kept)

    demo_faults.error_rate = 0.0
    requests_before = demo_faults.requests_seen
    progress: list[ExportProgress] = []
    resumed = await export_events(live_service, SCOPE, RANGE_START, RANGE_END, out, on_progress=progress.append)

    assert resumed.complete and resumed.resumed_windows == 1
    assert progress[0].resumed_windows == 1 and progress[0].windows_done == 1
    assert demo_faults.requests_seen - requests_before == 2  # only the two missing windows
    assert not part_path(out).exists() and not sidecar_path(out).exists()
    # The resumed file is byte for byte what one clean run writes.
    fresh = tmp_path / "fresh.csv"
    await export_events(live_service, SCOPE, RANGE_START, RANGE_END, fresh)
    assert out.read_bytes() == fresh.read_bytes()


@pytest.mark.parametrize("abort", [False, True], ids=["stream-ends-mid-line", "connection-dropped"])
async def test_cut_stream_names_the_failure_and_keeps_nothing_when_no_window_completed(
    live_service, demo_faults, tmp_path, abort
):
    out = tmp_path / "events.csv"
    demo_faults.cut_stream = True
    demo_faults.cut_abort = abort

    result = await export_events(live_service, SCOPE, RANGE_START, RANGE_END, out)

    assert not result.complete and result.stopped_by is None and not result.kept
    assert [(f.start, f.end) for f in result.failures] == WINDOWS
    assert all(isinstance(f.error, InvalidResponse) and "cut" in f.reason for f in result.failures), result.problems()
    assert result.problems()[0].startswith(f"{day_range(*WINDOWS[0])} failed: ")
    assert list(tmp_path.iterdir()) == []  # no final file, no .part, no sidecar, no lock
    assert result.rows == 0


async def test_a_window_cut_after_a_good_one_leaves_only_whole_rows(live_service, demo_faults, tmp_path):
    out = tmp_path / "events.csv"

    def cut_after_first_window(p: ExportProgress) -> None:
        if p.windows_done >= 1:
            demo_faults.cut_stream = True

    result = await export_events(live_service, SCOPE, RANGE_START, RANGE_END, out, on_progress=cut_after_first_window)

    assert result.windows_done == 1 and len(result.failures) == 2
    data = part_path(out).read_bytes()
    assert data.endswith(b"\r\n")
    header, rows = read_csv(part_path(out))
    assert len(rows) == result.rows
    assert all(len(r) == len(header) for r in rows)


async def test_no_export_access_stops_at_once_and_leaves_nothing_behind(live_server, tmp_path):
    from scarf_tui.api import make_service
    from scarf_tui.demo import NOEXPORT_TOKEN

    out = tmp_path / "events.csv"
    service = make_service(live_server, NOEXPORT_TOKEN, backoff=0.0)
    try:
        visitor_package = next(p for p in await service.list_packages())
        result = await export_events(service, EventsScope(visitor_package.uuid), RANGE_START, RANGE_END, out)
    finally:
        await service.aclose()

    assert isinstance(result.stopped_by, ExportNotEnabled) and not result.kept
    assert len(result.failures) == 1 and result.not_attempted == WINDOWS[1:]
    assert "not enabled" in result.failures[0].reason
    assert not out.exists() and not part_path(out).exists() and not sidecar_path(out).exists()


async def test_a_sidecar_for_another_export_is_not_resumed(live_service, tmp_path):
    out = tmp_path / "events.csv"
    part_path(out).write_bytes(b"stale,data\r\n")
    sidecar_path(out).write_text(
        json.dumps(
            {
                "format": "scarf-tui-events-export",
                "version": 1,
                "scope": "package:someone-else",
                "start": RANGE_START.isoformat(),
                "end": RANGE_END.isoformat(),
                "header": ["stale", "data"],
                "columns": ["stale", "data"],
                "windows": [{"window": f"{WINDOWS[0][0]}/{WINDOWS[0][1]}", "offset": 12, "rows": 1}],
            }
        )
    )

    result = await export_events(live_service, SCOPE, RANGE_START, RANGE_END, out)

    assert result.complete and result.resumed_windows == 0
    header, rows = read_csv(out)
    assert header[0] == "type" and ["stale", "data"] not in rows


async def test_cancelling_mid_export_keeps_whole_windows_and_a_rerun_resumes(live_service, tmp_path):
    """What Ctrl-C (CLI) or esc (TUI) does: the task is cancelled inside a window."""
    out = tmp_path / "events.csv"
    task: asyncio.Task | None = None

    def cancel_in_second_window(p: ExportProgress) -> None:
        if p.windows_done == 1 and task is not None:
            task.cancel()  # lands at the next await: inside window 2

    task = asyncio.ensure_future(
        export_events(live_service, SCOPE, RANGE_START, RANGE_END, out, on_progress=cancel_in_second_window)
    )
    with pytest.raises(asyncio.CancelledError):
        await task

    state = json.loads(sidecar_path(out).read_text())
    assert len(state["windows"]) == 1
    assert part_path(out).stat().st_size == state["windows"][0]["offset"]
    assert not out.exists()

    resumed = await export_events(live_service, SCOPE, RANGE_START, RANGE_END, out)
    assert resumed.complete and resumed.resumed_windows == 1
    header, rows = read_csv(out)
    ids = [r[header.index("id")] for r in rows]
    assert len(ids) == len(set(ids)) == resumed.rows


async def test_pixel_events_export(live_service, tmp_path):
    out = tmp_path / "pixels.csv"

    result = await export_events(live_service, EventsScope(None, "pixels"), RANGE_START, RANGE_END, out)

    assert result.complete and result.windows_total == 3
    header, rows = read_csv(out)
    assert rows and {r[header.index("type")] for r in rows} == {"pixel fetch"}
    assert header.count("type") == 1 and header not in rows


async def test_a_reordered_or_new_header_in_a_later_window_stops_the_export_and_keeps_the_earlier_bytes(tmp_path):
    """Stream shapes the demo server never sends, line by line as the real service yields them:
    the first window's header and rows are written as sent (a quoted field spanning lines, a
    repeated id dropped); a later window with its columns in another order stops the export."""
    out = tmp_path / "events.csv"
    first = [
        b"time,type,id\r\n",
        b'2026-09-12T00:00:00Z,file-download,a\r\n',
        b'2026-09-13T00:00:00Z,"pixel\r\n',
        b'fetch",b\r\n',
        b"2026-09-14T00:00:00Z,file-download,a\r\n",  # a repeat of id a: dropped
    ]
    windows = {
        WINDOWS[0]: first,
        WINDOWS[1]: [b"type,time,id\r\n", b"pixel fetch,2026-10-20T00:00:00Z,c\r\n"],
        WINDOWS[2]: [b"time,type,id\r\n"],
    }

    class RawWindows:
        def stream_package_events_csv(self, package_id, start, end):
            return self._lines(windows[(start, end)])

        def stream_pixel_events_csv(self, start, end):
            raise AssertionError("a package export never asks for pixel events")

        async def _lines(self, lines):
            for line in lines:
                yield line

    result = await export_events(RawWindows(), SCOPE, RANGE_START, RANGE_END, out)

    assert not result.complete and result.rows == 2 and result.kept
    assert result.problems() == [
        f"{day_range(*WINDOWS[1])} failed: The events of {day_range(*WINDOWS[1])} have another header than the "
        "file, so the export stops there (the same columns in another order). The file's header is "
        "'time,type,id'; this window's is 'type,time,id'. Export the dates from "
        f"{WINDOWS[1][0].isoformat()} on to another file.",
        f"{day_range(*WINDOWS[2])} not fetched: stopped after the error above",
    ]
    assert part_path(out).read_bytes() == b"".join(first[:4])
