"""AccessScreen: one organization's packages × users, each cell that user's permission level.

Reading: the packages and members first, then every package's permissions, the service's
concurrency limit at a time, each row filling in as its answer arrives (leaving the screen
cancels what is still in flight). Writing: a level key (or `enter` for a list) on the cursor
cell, or on every cell marked with `space`; the confirmation lists each change (package, user,
before → after), then one request group per package is sent and those packages are read again,
so every cell shows what the server holds. Cells whose change did not take stay marked, and
their sentences are listed under the grid.
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Static

from scarf_tui.domain import Grant, Package
from scarf_tui.tui.access.grid import AccessGrid
from scarf_tui.tui.access.lines import (
    cell_text,
    change_rows,
    failure_lines,
    failures_head,
    failures_text,
    progress_text,
)
from scarf_tui.tui.access.load import ReadOrder, read_permissions, write_changes
from scarf_tui.tui.access.model import FAILED, NONE, PENDING, AccessMatrix, Change
from scarf_tui.tui.common.base_screen import BaseScreen
from scarf_tui.tui.common.confirm import ConfirmDialog, change_summary
from scarf_tui.tui.common.errors import WRITE_FAILED, notify_error
from scarf_tui.tui.common.fields import ChoicePicker
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.text import safe_str
from scarf_tui.tui.packages.permissions import LEVEL_KEYS

PROGRESS_EVERY = 0.1  # seconds between redraws of the progress line while answers arrive


class AccessScreen(BaseScreen):
    CSS_PATH = style_path("access.tcss")

    BINDINGS = [
        # priority, and focus set at once: "/name" or "uname" typed in one burst (a paste, SSH)
        # must land in the filter, not in the grid, where "d" or "a" would start a change.
        Binding("slash", "filter('packages')", "Filter packages", id="access.filter_packages", priority=True),
        Binding("u", "filter('users')", "Filter users", id="access.filter_users", priority=True),
        Binding("a", "set_level('admin')", "Admin", id="access.level_admin"),
        Binding("m", "set_level('member')", "Member", id="access.level_member"),
        Binding("o", "set_level('owner')", "Owner", id="access.level_owner"),
        Binding("d", "set_level('default')", "Default", id="access.level_default"),
        Binding("b", "set_level('blocked')", "Block", id="access.level_blocked"),
        Binding("ctrl+d", "set_level('none')", "Remove access", id="access.remove"),
        Binding("enter", "pick_level", "Level…", id="access.pick_level"),
        # enter in a filter field: focus back on the grid as the key arrives, so keys typed after
        # it in the same burst reach the grid (or the other filter's key), not the field.
        Binding("enter", "keep_filter", "Keep filter", show=False, priority=True, id="access.keep_filter"),
        Binding("space", "toggle_mark", "Mark", id="access.mark"),
        Binding("escape", "peel", "Clear", show=False, id="access.peel"),
    ]
    WRITE_ACTIONS = frozenset({"set_level", "pick_level", "toggle_mark"})

    def __init__(self, org: str) -> None:
        super().__init__()
        self.org = org
        self.matrix: AccessMatrix | None = None
        self.writing = False
        self._status_error: str | None = None
        self._failures: list[str] = []
        self._progress_due = False
        self._reading: ReadOrder | None = None  # the first read of every package, while it lasts
        self._preferred: tuple[int, int, str] | None = None

    def compose_body(self) -> ComposeResult:
        yield Static("", id="access-status")
        yield Static("", id="access-hint")
        with Horizontal(id="access-filters"):
            yield Input(placeholder="packages (!text: without it)", id="access-package-filter")
            yield Input(placeholder="users (!text: without it)", id="access-user-filter")
        yield AccessGrid(id="access-grid")
        yield Static("", id="access-cell")
        yield Static("", id="access-failures")

    def on_mount(self) -> None:
        self.update_crumbs()
        self.grid.focus()
        self.reload()

    @property
    def grid(self) -> AccessGrid:
        return self.query_one(AccessGrid)

    # --- BaseScreen ---------------------------------------------------------------------------
    def crumbs(self) -> list[str]:
        return ["organizations", self.org, "access"]

    def context_org(self) -> str | None:
        return self.org

    def context_package(self) -> Package | None:
        cell = self.grid.cursor_cell()
        return self.matrix.packages[cell[0]] if self.matrix is not None and cell else None

    def copy_target(self) -> str | None:
        cell = self.grid.cursor_cell()
        return self.matrix.users[cell[1]] if self.matrix is not None and cell else self.org

    # --- reading ------------------------------------------------------------------------------
    def reload(self) -> None:
        self._load()

    @work(exclusive=True, group="access-load", exit_on_error=False)
    async def _load(self) -> None:
        self._show_status(None, loading="reading packages and members…")
        try:
            service = await self.session.ready_api()
            packages = await service.list_org_packages(self.org)
            members = await service.list_members(self.org)
        except Exception as err:  # noqa: BLE001 - shown with a retry key, never raised
            self._show_status(f"Could not load: {self.show_error(err)} Press r to retry.")
            return
        packages = sorted(packages, key=lambda p: (safe_str(p.name).casefold(), p.uuid))
        matrix = AccessMatrix(packages, sorted({m.username for m in members}, key=str.casefold))
        old = self.matrix
        if old is not None:
            matrix.marks = set(old.marks)
        matrix.filter_packages(self.query_one("#access-package-filter", Input).value)
        matrix.filter_users(self.query_one("#access-user-filter", Input).value)
        self.matrix = matrix
        self.grid.set_matrix(matrix)
        self._show_status(None)
        # The rows in view first, then the rest in order; rows scrolled or filtered into view
        # meanwhile jump the queue (_prefer_visible).
        self._reading = ReadOrder(dict.fromkeys([*matrix.rows, *range(len(packages))]))
        try:
            await read_permissions(service, matrix.packages, self._reading, self._answer_for(matrix))
        finally:
            self._reading = None
        self._show_status(None)

    def _prefer_visible(self) -> None:
        matrix, reading = self.matrix, self._reading
        if matrix is None or reading is None:
            return
        top = self.grid.scroll_offset.y
        window = (top, self.grid.size.height, matrix.package_filter)
        if window == self._preferred:
            return  # a move within the same rows: they are already at the front
        self._preferred = window
        shown = matrix.rows[top : top + self.grid.size.height]
        reading.prefer([i for i in shown if matrix.grants[i] is None and i not in matrix.errors])

    def _answer_for(self, matrix: AccessMatrix):  # noqa: ANN202 - the callback read_permissions calls
        def answer(index: int, grants: list[Grant] | None, error: str | None) -> None:
            if matrix is not self.matrix:
                return  # a re-read replaced this matrix meanwhile
            if grants is None:
                matrix.set_error(index, error or "The permissions could not be read.")
            elif matrix.set_grants(index, grants):
                self.grid.relayout()  # a grant named a user the member list did not
            self.grid.refresh_package(index)
            self._progress_soon()

        return answer

    def _progress_soon(self) -> None:
        """Redraw the progress line at most every PROGRESS_EVERY seconds: a status line that
        re-lays out the screen on each of 2,000 answers would cost more than the answers."""
        if not self._progress_due:
            self._progress_due = True
            self.set_timer(PROGRESS_EVERY, self._progress_now)

    def _progress_now(self) -> None:
        self._progress_due = False
        self._show_status(self._status_error)

    # --- status lines -------------------------------------------------------------------------
    def _show_status(self, error: str | None, *, loading: str | None = None) -> None:
        self._status_error = error
        status = self.query_one("#access-status", Static)
        status.set_class(bool(error), "-error")
        # One line each (styles/access.tcss): no layout pass, which would cost more than the
        # answers when 2,000 of them arrive.
        if error:
            status.update(Text(error), layout=False)
        elif loading or self.matrix is None:
            status.update(Text(f"{self.org} · {loading or 'loading…'}"), layout=False)
        else:
            status.update(self.progress_text(), layout=False)
        self.query_one("#access-hint", Static).update(Text(self.hint(), style="dim"), layout=False)
        self._show_cell()

    def progress_text(self) -> Text:
        assert self.matrix is not None
        return progress_text(self.org, self.matrix)

    def hint(self) -> str:
        if self.session.read_only:
            return "Read-only mode: changes are switched off · / packages · u users · r reload"
        levels = self.offered_levels()
        keys = "/".join(key for level, key in LEVEL_KEYS.items() if level in levels)
        remove = " · ^d none" if NONE in levels else ""
        return f"{keys} set level{remove} · enter pick · space mark · / packages · u users"

    def _show_cell(self) -> None:
        line = self.query_one("#access-cell", Static)
        matrix, cell = self.matrix, self.grid.cursor_cell()
        if matrix is None or cell is None:
            line.update(Text("No cells: nothing matches the filters." if matrix else "", style="dim"), layout=False)
            return
        text = cell_text(matrix, *cell)
        line.update(text, layout=False)

    @on(AccessGrid.CursorMoved)
    def _cursor_moved(self) -> None:
        self._show_cell()
        self._prefer_visible()

    # --- filters ------------------------------------------------------------------------------
    def action_filter(self, axis: str) -> None:
        field = self.query_one(f"#access-{'package' if axis == 'packages' else 'user'}-filter", Input)
        self.query_one("#access-filters").add_class("-active")
        field.add_class("-active")
        self.set_focus(field)
        field.cursor_position = len(field.value)

    @on(Input.Changed)
    def _filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.matrix is None:
            return
        if event.input.id == "access-package-filter":
            self.matrix.filter_packages(event.value)
        else:
            self.matrix.filter_users(event.value)
        self.grid.relayout()
        self._show_status(self._status_error)
        if event.value:  # typed ahead of an enter that was handled first: keep the field in view
            event.input.add_class("-active")
            self.query_one("#access-filters").add_class("-active")

    def action_keep_filter(self) -> None:
        self.set_focus(self.grid)
        self._tidy_filters()

    @on(Input.Submitted)
    def _filter_kept(self, event: Input.Submitted) -> None:
        event.stop()  # enter reached the field after all (the binding was remapped): same outcome
        self.action_keep_filter()

    def _tidy_filters(self) -> None:
        shown = False
        for field in self.query("#access-filters Input").results(Input):
            keep = bool(field.value) or field.has_focus
            field.set_class(keep, "-active")
            shown = shown or keep
        self.query_one("#access-filters").set_class(shown, "-active")

    def has_layer(self) -> bool:
        return bool(self.matrix and self.matrix.marks) or self.query_one("#access-filters").has_class("-active")

    def action_peel(self) -> None:
        """esc: the marks go first, then the filters, then (the app's esc) the screen."""
        if self.matrix is not None and self.matrix.marks:
            self.matrix.marks.clear()
            self.grid.refresh()
            self._show_cell()
            return
        for field in self.query("#access-filters Input").results(Input):
            field.value = ""
        self.query_one("#access-filters").remove_class("-active")
        for field in self.query("#access-filters Input").results(Input):
            field.remove_class("-active")
        self.grid.focus()

    # --- bindings -----------------------------------------------------------------------------
    def offered_levels(self) -> tuple[str, ...]:
        service = self.session.service
        if service is None:
            return ()
        capabilities = service.capabilities
        return (*capabilities.permission_levels, *((NONE,) if capabilities.can_remove_access else ()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if not super().check_action(action, parameters):
            return False
        if action == "peel":
            return self.has_layer()
        typing = isinstance(self.focused, Input)
        if action == "keep_filter":
            return typing
        if typing:
            return False  # typing a filter: the keys (even "/") belong to the field
        if action == "set_level" and parameters and parameters[0] not in self.offered_levels():
            return False  # a level this API version does not have
        return True

    # --- writing ------------------------------------------------------------------------------
    def _targets(self) -> list[tuple[int, str]]:
        """The marked cells, or the cursor cell when none is marked."""
        matrix, cell = self.matrix, self.grid.cursor_cell()
        if matrix is None:
            return []
        if matrix.marks:
            return matrix.marked_cells()
        return [(cell[0], matrix.users[cell[1]])] if cell else []

    def _may_write(self, what: str) -> bool:
        if self.session.refuses_write(self, what):
            return False
        if self.writing:
            self.notify("Still saving the previous change.", severity="warning")
            return False
        return self.matrix is not None

    def action_toggle_mark(self) -> None:
        cell = self.grid.cursor_cell()
        if self.matrix is None or cell is None or not self._may_write("marking cells"):
            return
        self.matrix.toggle_mark(*cell)
        self.grid.refresh()
        self.grid.move_to(self.grid.row + 1, self.grid.col)
        self._show_cell()

    def action_pick_level(self) -> None:
        targets = self._targets()
        if not targets or self.matrix is None or not self._may_write("this change"):
            return
        current = self.matrix.level_by_name(*targets[0]) if len(targets) == 1 else None
        if len(targets) == 1:
            who = f"{safe_str(targets[0][1])} on {self.matrix.package_name(targets[0][0])}"
        else:
            who = f"{len(targets)} marked cells"

        def picked(level: str | None) -> None:
            if level:
                self.action_set_level(level)

        self.app.push_screen(ChoicePicker(f"Level for {who}", list(self.offered_levels()), current), picked)

    def action_set_level(self, level: str) -> None:
        matrix = self.matrix
        if matrix is None or not self._may_write("this change"):
            return
        targets = self._targets()
        changes = matrix.changes_to(targets, level)
        if not changes:
            unread = [t for t in targets if matrix.level_by_name(*t) in (PENDING, FAILED)]
            note = "Not read yet: wait for the cell, or press r." if unread else f"Already {level}: nothing to change."
            self.notify(note, severity="warning" if unread else "information")
            return
        bulk = bool(matrix.marks)
        rows = change_rows(matrix, changes)
        title = (
            f"Set {len(changes)} permissions in {safe_str(self.org)}?" if len(changes) > 1
            else f"Set {safe_str(changes[0].user)}'s permission on {matrix.package_name(changes[0].package)}?"
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.writing = True
                self._write(changes, bulk)

        self.app.push_screen(ConfirmDialog(title, rows), confirmed)

    @work(exclusive=True, group="access-write", exit_on_error=False)
    async def _write(self, changes: list[Change], bulk: bool) -> None:
        matrix = self.matrix
        assert matrix is not None
        try:
            service = self.session.api
            failures = await write_changes(service, matrix.packages, changes)
            touched = sorted({c.package for c in changes})
            # Re-read what the server holds now, whatever happened.
            service.invalidate()
            matrix.forget(touched)
            for package in touched:
                self.grid.refresh_package(package)
            await read_permissions(service, matrix.packages, touched, self._answer_for(matrix))
        finally:
            self.writing = False
        unapplied = matrix.settle_marks(changes, mark_failed=bulk)
        applied = [c for c in changes if c not in unapplied]
        self.grid.refresh()
        if applied:
            self.notify(change_summary(change_rows(matrix, applied)), markup=False)
        self._show_failures(unapplied, failures)
        self._show_status(self._status_error)

    def _show_failures(self, unapplied: list[Change], failures: dict[int, str]) -> None:
        assert self.matrix is not None
        panel = self.query_one("#access-failures", Static)
        self._failures = failure_lines(self.matrix, unapplied, failures)
        panel.set_class(bool(self._failures), "-shown")
        if not self._failures:
            panel.update("")
            return
        head = failures_head(len(unapplied), marked=bool(self.matrix.marks))
        panel.update(failures_text(head, self._failures))
        notify_error(self, f"{head} {self._failures[0]}", title=WRITE_FAILED)

    @property
    def failures(self) -> list[str]:
        """The sentences under the grid after the last write (tests read them)."""
        return list(self._failures)

