"""ExportScreen inside ScarfApp, exporting from the demo server on a loopback socket."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, ProgressBar, Static

from scarf_tui.config import Limits, Settings
from scarf_tui.exporting import AGGREGATE_COLUMNS, part_path
from scarf_tui.tui.app import ScarfApp
from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.export_screen import ExportScreen
from tests.tui.helpers import make_app

from .helpers import RANGE_END, RANGE_START, SMALL_NAME, read_csv


def status_text(screen: ExportScreen) -> str:
    return str(screen.query_one("#export-status", Static).render())


async def open_export(app: ScarfApp, pilot, screen: ExportScreen, results: list) -> ExportScreen:
    app.push_screen(screen, results.append)
    await pilot.pause()
    assert app.screen is screen
    return screen


async def test_events_export_runs_in_a_worker_and_fills_the_progress_bar(live_service, tmp_path):
    out = tmp_path / "events.csv"
    app = make_app(live_service)
    results: list = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(
            app, pilot, ExportScreen("events", SMALL_NAME, start=RANGE_START, end=RANGE_END, output=out), results
        )
        await pilot.press("ctrl+r")
        await pilot.pause()
        await screen.workers.wait_for_complete()
        await pilot.pause()

        bar = screen.query_one("#export-progress", ProgressBar)
        assert (bar.total, bar.progress) == (3, 3)
        header, rows = read_csv(out)
        assert rows and {r[1] for r in rows} == {SMALL_NAME}
        assert f"Exported {len(rows):,} event rows (3 windows)" in status_text(screen)
        assert not screen.running

        await pilot.press("escape")
        await pilot.pause()
    assert results == [out]


async def test_bad_dates_are_shown_under_their_fields_and_the_typed_text_stays(live_service, tmp_path):
    out = tmp_path / "events.csv"
    app = make_app(live_service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(app, pilot, ExportScreen("events", SMALL_NAME, output=out), [])
        start = screen.query_one("#export-start", Input)
        start.value = ""
        start.focus()
        await pilot.press(*"2026-02-30")
        end = screen.query_one("#export-end", Input)
        end.value = ""
        end.focus()
        await pilot.press(*"2025-01-01")
        await pilot.press("ctrl+r")
        await pilot.pause()

        start_error = screen.query_one("#export-start-error", Static)
        assert "The start date '2026-02-30' is not a date in YYYY-MM-DD form." in str(start_error.render())
        assert start_error.has_class("-visible")
        assert start.value == "2026-02-30" and end.value == "2025-01-01"
        assert not screen.running and not out.exists()

        # Fix the start only: now the end is before it, and that is named under the end field.
        start.value = "2026-02-01"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not start_error.has_class("-visible")
        assert "must be after the start date 2026-02-01" in str(screen.query_one("#export-end-error", Static).render())
        assert not out.exists()


async def test_server_errors_show_inline_and_keep_the_dialog_open(live_service, tmp_path):
    out = tmp_path / "events.csv"
    app = make_app(live_service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(
            app, pilot, ExportScreen("events", "no-such-package", start=RANGE_START, end=RANGE_END, output=out), []
        )
        await pilot.press("ctrl+r")
        await pilot.pause()
        await screen.workers.wait_for_complete()
        await pilot.pause()

        assert app.screen is screen
        assert "'no-such-package' was not found" in status_text(screen)
        assert screen.query_one("#export-status").has_class("-error")
        assert not out.exists()


async def test_esc_cancels_a_running_export_and_a_second_esc_closes(live_service, demo_faults, tmp_path):
    out = tmp_path / "events.csv"
    demo_faults.latency_s = 2.0  # every request waits, so the export is still running at esc
    app = make_app(live_service)
    results: list = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await open_export(
            app, pilot, ExportScreen("events", SMALL_NAME, start=RANGE_START, end=RANGE_END, output=out), results
        )
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.running

        await pilot.press("escape")
        await screen.workers.wait_for_complete()
        await pilot.pause()

        assert app.screen is screen and not screen.running
        assert "Cancelled" in status_text(screen)
        assert not out.exists()

        demo_faults.latency_s = 0.0
        await pilot.press("escape")
        await pilot.pause()
    assert results == [None]


async def test_aggregates_export_writes_the_format_of_the_file_name(live_service, tmp_path):
    out = tmp_path / "tinytools.csv"
    app = make_app(live_service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(
            app,
            pilot,
            ExportScreen("aggregates", "tinytools", start=RANGE_START, end=RANGE_END, output=out),
            [],
        )
        await pilot.press("ctrl+r")
        await pilot.pause()
        await screen.workers.wait_for_complete()
        await pilot.pause()

        header, rows = read_csv(out)
        assert header == list(AGGREGATE_COLUMNS) and rows
        assert f"Exported {len(rows):,} aggregate rows" in status_text(screen)
        assert not part_path(Path(out)).exists()


async def test_a_range_over_max_windows_is_asked_first(live_service, tmp_path):
    """More windows than [limits] max_windows: the dialog asks before any request; no keeps the
    file unwritten, yes exports."""
    out = tmp_path / "events.csv"
    app = make_app(live_service, settings=Settings(limits=Limits(max_windows=2)))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(
            app, pilot, ExportScreen("events", SMALL_NAME, start=RANGE_START, end=RANGE_END, output=out), []
        )
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert app.screen.changes == [("windows", "at most 2", "3")]
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is screen and not out.exists() and not part_path(out).exists()
        await pilot.press("ctrl+r")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await screen.workers.wait_for_complete()
        await pilot.pause()
        assert "(3 windows)" in status_text(screen)
        assert read_csv(out)[1]


async def test_file_name_from_the_package_name_and_dates_kept_when_tabbed_into(live_service, tmp_path, monkeypatch):
    """The default file is named after the package (made safe: no '/', no '..', no markup), the
    written path is shown in full, and tabbing into a prefilled date does not wipe it."""
    monkeypatch.chdir(tmp_path)
    package = await live_service.get_package(SMALL_NAME)
    app = make_app(live_service)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_export(
            app, pilot,
            ExportScreen("events", package.uuid, file_stem=f"[b]../{SMALL_NAME}", start=RANGE_START, end=RANGE_END),
            [],
        )
        assert app.focused is screen.query_one("#export-scope", Input)
        await pilot.press("tab")
        start = screen.query_one("#export-start", Input)
        assert app.focused is start
        await pilot.press("9")
        assert start.value == f"{RANGE_START.isoformat()}9"  # typed at the end, nothing wiped
        await pilot.press("backspace", "ctrl+r")
        await pilot.pause()
        await screen.workers.wait_for_complete()
        await pilot.pause()
        name = f"b-.-{SMALL_NAME}-events-{RANGE_START.isoformat()}-{RANGE_END.isoformat()}.csv"
        assert (tmp_path / name).exists()
        assert str(tmp_path / name) in status_text(screen)
