"""ExportScreen: export aggregates or events to a file from inside the TUI.

A modal form (what, scope, start, end, output) over the same exporting functions the CLI uses.
The export runs in a worker; a ProgressBar follows the progress callback; esc cancels a running
export (an events .part is kept, so starting again resumes it) and closes the dialog otherwise.
Dismisses with the path of the last complete export, or None.
"""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Literal, cast

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from scarf_tui.api.errors import ScarfError
from scarf_tui.domain import parse_day, validate_date_range
from scarf_tui.exporting import (
    EventsExportResult,
    ExportProgress,
    RangeTooLong,
    aggregates_source,
    check_window_budget,
    day_range,
    export_aggregates_to_file,
    export_events,
    format_for_path,
    resolve_events_scope,
)
from scarf_tui.exporting.pixels import pixel_events_scope
from scarf_tui.tui.common.confirm import ConfirmDialog
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.text import safe_str
from scarf_tui.tui.session import session_of

ExportKind = Literal["events", "aggregates"]
ScopeType = Literal["package", "pixels", "pixel", "org", "user"]
EVENT_SCOPES = ("package", "pixels", "pixel")

# (label, value) for the "what" selector; the value is the scope type.
WHAT_OPTIONS: list[tuple[str, ScopeType]] = [
    ("Package events (CSV)", "package"),
    ("Pixel events (CSV)", "pixels"),
    ("One tracking pixel's events (CSV)", "pixel"),
    ("Organization aggregates", "org"),
    ("User aggregates", "user"),
]
SCOPE_PROMPTS: dict[str, str] = {
    "package": "Package (uuid or name)",
    "pixels": "Pixels (every pixel you can see)",
    "pixel": "Tracking pixel id",
    "org": "Organization name",
    "user": "User name",
}
DEFAULT_DAYS = 30


class ExportScreen(ModalScreen[Path | None]):
    """ExportScreen(kind="events", scope="", *, scope_type=None, start=None, end=None, output=None)

    kind:       "events" or "aggregates".
    scope:      package uuid/name (events), organization or user name (aggregates); prefilled.
    scope_type: "package" | "pixels" | "pixel" (events) or "org" | "user" (aggregates); defaults
                to "package" for events and "org" for aggregates.
    owner:      the owner of the pixels ("pixels", "pixel"; API v2), default: the user.
    start, end: prefilled dates, end exclusive (default: the DEFAULT_DAYS days before app.today).
    output:     prefilled output path (default: a name made from the scope and dates).
    """

    CSS_PATH = style_path("export.tcss")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel / close", id="export.cancel"),
        Binding("ctrl+r", "start", "Export", id="export.start"),
    ]

    def __init__(
        self,
        kind: ExportKind = "events",
        scope: str = "",
        *,
        scope_type: ScopeType | None = None,
        start: date | None = None,
        end: date | None = None,
        output: str | Path | None = None,
        owner: str | None = None,
        file_stem: str | None = None,
    ) -> None:
        super().__init__(classes="export-dialog")
        if kind not in ("events", "aggregates"):
            raise ValueError(f"kind must be 'events' or 'aggregates', not {kind!r}")
        default_type: ScopeType = "package" if kind == "events" else "org"
        self._scope_type: ScopeType = scope_type or default_type
        self._scope = scope
        self._start = start
        self._end = end
        self._output = str(output) if output is not None else ""
        self._owner = owner
        # The default file name's stem: the package's name when the scope is its id.
        self._file_stem = file_stem
        self._export_running = False
        self._last_output: Path | None = None

    # --- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        end = self._end or self._today()
        start = self._start or end - timedelta(days=DEFAULT_DAYS)
        with Vertical(id="export-box") as box:
            box.border_title = "Export data"
            with Horizontal(classes="export-row"):
                with Vertical():
                    yield Label("What")
                    yield Select(
                        [(label, value) for label, value in WHAT_OPTIONS],
                        value=self._scope_type,
                        allow_blank=False,
                        id="export-what",
                    )
                with Vertical():
                    yield Label(SCOPE_PROMPTS[self._scope_type], id="export-scope-label")
                    yield Input(value=safe_str(self._scope), id="export-scope")
                    yield Static("", id="export-scope-error", classes="field-error")
            with Horizontal(classes="export-row"):
                with Vertical():
                    yield Label("Start (YYYY-MM-DD, inclusive)")
                    # A prefilled date is kept when tabbed into: typing edits it, it does not replace it.
                    yield Input(value=start.isoformat(), id="export-start", select_on_focus=False)
                    yield Static("", id="export-start-error", classes="field-error")
                with Vertical():
                    yield Label("End (YYYY-MM-DD, exclusive)")
                    yield Input(value=end.isoformat(), id="export-end", select_on_focus=False)
                    yield Static("", id="export-end-error", classes="field-error")
            yield Label("Output file (empty: a name from the scope and dates)")
            yield Input(value=self._output, placeholder="events.csv", id="export-output")
            yield Static("", id="export-output-error", classes="field-error")
            yield ProgressBar(total=None, show_eta=False, id="export-progress")
            yield Static("", id="export-status")
            with Horizontal(id="export-buttons"):
                yield Button("Export (ctrl+r)", id="export-start-button", variant="primary")
                yield Button("Close (esc)", id="export-close-button")

    def on_mount(self) -> None:
        self._sync_scope_input()
        self.query_one("#export-scope" if self._scope_type != "pixels" else "#export-start", Input).focus()

    def _today(self) -> date:
        today = session_of(self).today
        return today if isinstance(today, date) else date.today()

    # --- events from widgets ---------------------------------------------------------------------

    @on(Select.Changed, "#export-what")
    def _what_changed(self, event: Select.Changed) -> None:
        if event.value in SCOPE_PROMPTS:
            self._scope_type = cast(ScopeType, event.value)
            self._sync_scope_input()

    def _sync_scope_input(self) -> None:
        prompt = SCOPE_PROMPTS[self._scope_type]
        if self._scope_type == "pixels" and self._owner:
            prompt = f"Pixels (every tracking pixel of {safe_str(self._owner)})"
        self.query_one("#export-scope-label", Label).update(Text(prompt))
        self.query_one("#export-scope", Input).disabled = self._scope_type == "pixels"
        self.query_one("#export-output", Input).placeholder = (
            "events.csv" if self._scope_type in EVENT_SCOPES else "aggregates.ndjson (.csv, .json)"
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_start()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "export-start-button":
            self.action_start()
        elif event.button.id == "export-close-button":
            self.action_cancel()

    # --- actions ---------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        if self._export_running:
            self.workers.cancel_group(self, "export")
            return
        self.dismiss(self._last_output)

    def action_start(self) -> None:
        if self._export_running:
            return
        request = self._collect()
        if request is None:
            return
        scope_type, _, start, end, _ = request
        limit = session_of(self).settings.limits.max_windows
        if scope_type in EVENT_SCOPES:
            try:
                check_window_budget(start, end, limit)
            except RangeTooLong as err:
                # Asked first, as the CLI's --allow-long-range does: a long export is many requests.
                def confirmed(ok: bool | None) -> None:
                    if ok:
                        self._run_export(*request, max_windows=None)

                self.app.push_screen(
                    ConfirmDialog(f"{err} Export anyway?", [("windows", f"at most {limit:,}", f"{err.windows:,}")]),
                    confirmed,
                )
                return
        self._run_export(*request, max_windows=limit)

    def _collect(self) -> tuple[ScopeType, str, date, date, Path] | None:
        """The validated form, or None with every problem shown under its field. The typed text
        stays in the inputs either way."""
        scope = self.query_one("#export-scope", Input).value.strip()
        problems: dict[str, str | None] = {"scope": None, "start": None, "end": None, "output": None}
        if self._scope_type != "pixels" and not scope:
            problems["scope"] = f"{SCOPE_PROMPTS[self._scope_type]} is required."
        start = end = None
        try:
            start = parse_day(self.query_one("#export-start", Input).value, what="start date")
        except ValueError as exc:
            problems["start"] = str(exc)
        try:
            end = parse_day(self.query_one("#export-end", Input).value, what="end date")
        except ValueError as exc:
            problems["end"] = str(exc)
        if start is not None and end is not None:
            problems["end"] = validate_date_range(start, end)
        output_text = self.query_one("#export-output", Input).value.strip()
        output: Path | None = None
        if start is not None and end is not None:
            output = Path(output_text) if output_text else Path(self._default_name(scope, start, end))
            parent = output.parent if str(output.parent) else Path(".")
            if output.is_dir():
                problems["output"] = f"{output_text!r} is a directory; give a file name."
            elif not parent.is_dir():
                problems["output"] = f"The directory {str(parent)!r} does not exist."
        for name, message in problems.items():
            widget = self.query_one(f"#export-{name}-error", Static)
            widget.update(Text(message or ""))
            widget.set_class(bool(message), "-visible")
        if any(problems.values()) or start is None or end is None or output is None:
            self._status("")
            return None
        return self._scope_type, scope, start, end, output

    def _default_name(self, scope: str, start: date, end: date) -> str:
        named = self._file_stem if self._file_stem and scope == self._scope else scope
        stem = "pixels" if self._scope_type == "pixels" else _file_safe(named) or self._scope_type
        if self._scope_type == "pixel":
            stem = f"pixel-{stem}"
        if self._scope_type in EVENT_SCOPES:
            return f"{stem}-events-{start.isoformat()}-{end.isoformat()}.csv"
        return f"{stem}-aggregates-{start.isoformat()}-{end.isoformat()}.ndjson"

    # --- the export ------------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        self._export_running = running
        for selector in ("#export-what", "#export-scope", "#export-start", "#export-end", "#export-output"):
            widget = self.query_one(selector)
            widget.disabled = running or (selector == "#export-scope" and self._scope_type == "pixels")
        self.query_one("#export-start-button", Button).disabled = running
        self.query_one("#export-close-button", Button).label = "Cancel (esc)" if running else "Close (esc)"

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(Text(text))
        status.set_class(error, "-error")

    def _on_progress(self, progress: ExportProgress) -> None:
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=progress.windows_total, progress=progress.windows_done)
        text = f"{progress.windows_done}/{progress.windows_total} windows, {progress.rows:,} rows"
        if progress.window is not None and progress.windows_done < progress.windows_total:
            text += f"; fetching {day_range(*progress.window)}"
        self._status(text)

    def _on_aggregate_progress(self, progress: ExportProgress) -> None:
        self._status(f"{progress.rows:,} rows")

    @work(exclusive=True, group="export", exit_on_error=False)
    async def _run_export(
        self, scope_type: ScopeType, scope: str, start: date, end: date, output: Path, *, max_windows: int | None
    ) -> None:
        service = session_of(self).api
        self._set_running(True)
        bar = self.query_one("#export-progress", ProgressBar)
        bar.update(total=None, progress=0)
        self._status("Starting…")
        try:
            if scope_type in EVENT_SCOPES:
                if scope_type == "package":
                    events_scope = await resolve_events_scope(service, scope)
                else:
                    pixel_id = scope if scope_type == "pixel" else None
                    events_scope = await pixel_events_scope(service, pixel_id=pixel_id, owner=self._owner)
                result = await export_events(
                    service, events_scope, start, end, output, on_progress=self._on_progress, max_windows=max_windows
                )
                self._show_events_result(result)
            else:
                rows = aggregates_source(
                    service,
                    org=scope if scope_type == "org" else None,
                    user=scope if scope_type == "user" else None,
                    start=start,
                    end=end,
                )
                count = await export_aggregates_to_file(
                    rows, output, format_for_path(output), on_progress=self._on_aggregate_progress
                )
                bar.update(total=1, progress=1)
                self._last_output = output
                self._status(f"Exported {count:,} aggregate rows to {output.resolve()}.")
                self.notify(f"Exported {count:,} aggregate rows to {output.resolve()}.", markup=False)
        except asyncio.CancelledError:
            kept = " The partial file is kept; export again to resume." if scope_type in EVENT_SCOPES else ""
            self._status(f"Cancelled.{kept}", error=True)
            raise
        except (ScarfError, OSError, ValueError) as err:
            message = str(err) if not isinstance(err, OSError) else f"Could not write {output}: {err.strerror or err}."
            self._status(message, error=True)
            self.notify(message, severity="error", markup=False)
        finally:
            self._set_running(False)

    def _show_events_result(self, result: EventsExportResult) -> None:
        if result.complete:
            self._last_output = result.output
            message = (
                f"Exported {result.rows:,} event rows ({result.windows_total} windows) to {result.output.resolve()}."
            )
            self._status(message)
            self.notify(message, markup=False)
            return
        lines = result.problems()
        if result.part.exists():
            lines.append(
                f"Kept {result.rows:,} rows from {result.windows_done} of {result.windows_total} windows "
                f"in {result.part}; export again to fetch the missing dates."
            )
        self._status("\n".join(lines), error=True)
        self.notify(lines[0] if lines else "The export failed.", severity="error", markup=False)

    # --- for tests and callers ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._export_running

    @property
    def last_output(self) -> Path | None:
        return self._last_output


def _file_safe(text: str) -> str:
    """A scope name as a file-name stem: letters, digits, dot, dash, underscore."""
    cleaned = "".join(ch if ch.isalnum() or ch in "._-" else "-" for ch in safe_str(text))
    return re.sub(r"\.{2,}", ".", cleaned).strip("-.")[:60]  # no "..": a name, never a path


__all__ = ["ExportScreen", "WHAT_OPTIONS"]
