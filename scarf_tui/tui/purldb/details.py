"""The Details tab: a package's PurlDB record, looked up by purl.

States, each with its own sentence: PurlDB look-ups not enabled for this kind of package (the
pane offers `e` to enable them for the session), not in PurlDB (a normal state, not an error),
found (versions with release dates and licenses; the highlighted version's license, homepage,
repository and download URLs, dependencies and history), or a failure. Resources are read on
demand (`f`, then `m` for more pages).
"""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from scarf_tui.api.errors import ScarfError
from scarf_tui.sources.purldb import LookupState, Page, PurldbService, PurlLookup, PurlPackage, PurlRef, Resource
from scarf_tui.tui.common.errors import describe_error
from scarf_tui.tui.common.styles import read_style
from scarf_tui.tui.common.text import format_when, safe, safe_text
from scarf_tui.tui.common.virtual_table import TableColumn, TableRow, VirtualTable
from scarf_tui.tui.purldb.render import details_renderable, resources_renderable
from scarf_tui.tui.session import session_of

NOT_CONFIGURED = "PurlDB is not set up: set url under [purldb] in config.toml, or PURLDB_URL."
ENABLE_HINT = "Press e to enable PurlDB look-ups for {origin} packages in this session, or E to also save " \
              "it (enabled_for under [purldb] in config.toml)."


class DetailsPane(VerticalScroll):
    DEFAULT_CSS = read_style("purldb.tcss")
    BINDINGS = [
        Binding("e", "enable", "Enable PurlDB", id="purldb.enable"),
        Binding("E", "enable(True)", "Enable and save", id="purldb.enable_save"),
        Binding("f", "resources", "Resources", id="purldb.resources"),
        Binding("m", "more_resources", "More", show=False, id="purldb.more"),
        Binding("r", "refresh", "Reload", id="purldb.refresh"),
    ]

    def __init__(self, ref: PurlRef | None, *, unavailable: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id, classes="purldb-details")
        self.ref = ref
        self.unavailable = unavailable
        self.result: PurlLookup | None = None
        self.selected: PurlPackage | None = None
        self.resource_pages: list[Page[Resource]] = []
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="purl-state")
        table = VirtualTable(
            [TableColumn("version", "version"), TableColumn("released", "released"), TableColumn("license", "license")],
            id="purl-versions",
        )
        table.display = False
        yield table
        yield Static("", id="purl-details")
        yield Static("", id="purl-resources")

    @property
    def service(self) -> PurldbService | None:
        return session_of(self).purldb

    @property
    def state(self) -> str:
        """What the pane shows: "unavailable", "loading", "error", or a LookupState value."""
        if self.ref is None or self.service is None:
            return "unavailable"
        if self.error is not None:
            return "error"
        return self.result.state.value if self.result is not None else "loading"

    def on_mount(self) -> None:
        self.reload()

    def on_focus(self) -> None:
        """Focus goes on to the versions table when there is one (its arrows pick a version)."""
        table = self.query_one("#purl-versions", VirtualTable)
        if table.display and table.row_count:
            table.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "enable":
            return self.result is not None and self.result.state is LookupState.NOT_ENABLED
        if action == "resources":
            return self.selected is not None
        if action == "more_resources":
            return bool(self.resource_pages) and self.resource_pages[-1].has_more
        return True

    # --- reading -------------------------------------------------------------------------------
    def reload(self) -> None:
        self._state(Text("Looking it up in PurlDB…", style="dim"))
        self._lookup()

    def action_refresh(self) -> None:
        if self.service is not None:
            self.service.invalidate()
        self.reload()

    def _state(self, text: Text) -> None:
        self.query_one("#purl-state", Static).update(text)

    @work(exclusive=True, group="purldb-lookup", exit_on_error=False)
    async def _lookup(self) -> None:
        service, ref = self.service, self.ref
        if ref is None or service is None:
            self._state(safe(self.unavailable or NOT_CONFIGURED))
            return
        self.error = None
        try:
            result = await service.lookup(ref)
        except ScarfError as err:
            self.error = describe_error(err)
            self._state(Text.assemble(("⚠ ", "bold"), safe(self.error), "  (r: retry)"))
            self.refresh_bindings()
            return
        self.result = result
        self._show(result)
        self.refresh_bindings()

    def _show(self, result: PurlLookup) -> None:
        table = self.query_one("#purl-versions", VirtualTable)
        sentence = safe(result.sentence(), style="bold" if result.found else "")
        if result.state is LookupState.NOT_ENABLED:
            sentence.append("\n")
            sentence.append_text(safe(ENABLE_HINT.format(origin=result.ref.origin), style="italic"))
        self._state(sentence)
        table.set_rows([])
        table.display = result.found
        self.query_one("#purl-details", Static).update("")
        self.query_one("#purl-resources", Static).update("")
        if not result.found:
            return
        table.set_rows([
            TableRow(pkg.uuid, (safe_text(pkg.version or "—", style="bold"),
                                Text(format_when(pkg.release_date) if pkg.release_date else "—"),
                                safe_text(pkg.declared_license or "—")))
            for pkg in result.packages
        ])
        table.move_cursor(row=0)
        self._select(result.packages[0])
        if self.screen.focused is None or self.screen.focused is self:
            table.focus()

    @on(VirtualTable.RowHighlighted, "#purl-versions")
    def _highlighted(self, event: VirtualTable.RowHighlighted) -> None:
        event.stop()
        if self.result is None:
            return
        uuid = event.row_key
        pkg = next((p for p in self.result.packages if p.uuid == uuid), None)
        if pkg is not None and pkg is not self.selected:
            self._select(pkg)

    def _select(self, pkg: PurlPackage) -> None:
        self.selected = pkg
        self.resource_pages = []
        self.query_one("#purl-resources", Static).update("")
        self.query_one("#purl-details", Static).update(details_renderable(pkg, None))
        self._history(pkg)
        self.refresh_bindings()

    @work(exclusive=True, group="purldb-history", exit_on_error=False)
    async def _history(self, pkg: PurlPackage) -> None:
        """The version's own record (/api/packages/{uuid}/) and its history, then redraw."""
        service = self.service
        if service is None:
            return
        record = pkg
        try:
            record = await service.details(pkg.uuid)
            history = await service.history(pkg.uuid)
        except ScarfError as err:
            history = []
            self.app.notify(describe_error(err), severity="warning", markup=False)
        if self.selected is pkg:
            self.query_one("#purl-details", Static).update(details_renderable(record, history))

    # --- actions -------------------------------------------------------------------------------
    def action_enable(self, save: bool = False) -> None:
        service, result = self.service, self.result
        if service is None or result is None or result.state is not LookupState.NOT_ENABLED:
            return
        origin = result.ref.origin
        service.enable(origin)
        if save:
            self._save_enabled(service)
        else:
            self.app.notify(f"PurlDB look-ups are on for {origin} packages in this session.", markup=False)
        self.reload()

    def _save_enabled(self, service: PurldbService) -> None:
        """Keep the choice: [purldb] enabled_for in the config file in use (edited in place)."""
        from scarf_tui.config import ConfigError, save_values
        from scarf_tui.sources.settings import PURLDB_ORIGINS

        session = session_of(self)
        enabled = [origin for origin in PURLDB_ORIGINS if origin in service.enabled_for]
        try:
            path = save_values(session.config_path, {"purldb": {"enabled_for": enabled}})
        except (ConfigError, OSError) as err:
            self.app.notify(describe_error(err), severity="warning", markup=False)
            return
        session.settings.sources.setdefault("purldb", {})["enabled_for"] = enabled
        self.app.notify(f"PurlDB look-ups are on for {', '.join(enabled)} packages; saved to {path}.", markup=False)

    def action_resources(self) -> None:
        if self.selected is not None:
            self.resource_pages = []
            self._resources(self.selected)

    def action_more_resources(self) -> None:
        if self.selected is not None and self.resource_pages and self.resource_pages[-1].has_more:
            self._resources(self.selected)

    @work(exclusive=True, group="purldb-resources", exit_on_error=False)
    async def _resources(self, pkg: PurlPackage) -> None:
        service, target = self.service, self.query_one("#purl-resources", Static)
        if service is None:
            return
        try:
            if self.resource_pages:
                page = await service.more_resources(self.resource_pages[-1])
            else:
                target.update(Text("\nReading resources…", style="dim"))
                page = await service.resources(pkg.uuid)
        except ScarfError as err:
            target.update(Text.assemble("\n⚠ ", safe(describe_error(err))))
            return
        if self.selected is not pkg:
            return
        if page is not None:
            self.resource_pages.append(page)
        target.update(resources_renderable(self.resource_pages))
        self.refresh_bindings()
