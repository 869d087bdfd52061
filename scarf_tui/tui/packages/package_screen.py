"""One package: an overview of every PackageV1 field, and tabs for permissions, routes,
domains and charts. Panes other than the overview mount on first visit, so opening a package
costs one request, not five.

Tab keys: 1 overview, 2 (or p) permissions, 3 routes, 4 domains, 5 charts, 6 PurlDB details
(pypi, python, npm and docker packages), and [ / ] for the
previous / next tab. The charts pane uses digits and `p` for its own views, so while it has focus
[ and ] (which no pane uses) or `:overview`/`:perms` leave it. `p` is kept because it is the
fastest way to a permission edit from the overview.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane

from scarf_tui.api.models import Capabilities
from scarf_tui.domain import LibraryType, Package
from scarf_tui.tui.common.errors import describe_error
from scarf_tui.tui.common.messages import GoBack
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.tabbed_screen import TabbedScreen
from scarf_tui.tui.common.text import format_when, safe
from scarf_tui.tui.packages import actions

# How long (x 50 ms) a tab's table may stay loading and still receive focus when it is ready:
# longer than a slow read with retries, so a slow server does not leave keys going nowhere.

TABS: tuple[tuple[str, str], ...] = (
    ("overview", "Overview"),
    ("permissions", "Permissions"),
    ("routes", "Routes"),
    ("domains", "Domains"),
    ("details", "Details"),  # before charts: charts stays last, so ] from it wraps to the overview
    ("charts", "Charts"),
)
# Kinds PurlDB keys (see scarf_tui.sources.purldb.purl_for_scarf_package).
PURLDB_TYPES = ("pypi", "npm", "docker", "python")


def tab_available(tab: str, library_type: str | None, capabilities: Capabilities) -> bool:
    """Routes exist for file packages; domains for the types the API version keeps them for
    (Capabilities.has_domains: v1 file and python, v2 every type)."""
    if tab == "routes":
        return library_type == LibraryType.FILE.value
    if tab == "domains":
        return capabilities.has_domains(library_type)
    if tab == "details":
        return (library_type or "").lower() in PURLDB_TYPES
    return True


def unavailable_reason(tab: str, capabilities: Capabilities) -> str:
    if tab == "routes":
        return "Routes exist only for file packages."
    if tab == "details":
        return "PurlDB details exist only for pypi, python, npm and docker packages."
    return capabilities.why_missing("domains") or "This package has no domains."


class Overview(VerticalScroll):
    """Every PackageV1 field; the long description scrolls with the rest."""

    def compose(self) -> ComposeResult:
        yield Grid(id="fields")
        yield Static("", id="long-description")

    def show(self, pkg: Package, domains: Text | None = None) -> None:
        grid = self.query_one("#fields", Grid)
        grid.remove_children()
        fields: list[tuple[str, Text]] = [
            ("Name", safe(pkg.name, style="bold")),
            ("Type", safe(pkg.library_type or "(not set)")),
            ("Owner", safe(pkg.owner)),
            ("UUID", safe(pkg.uuid)),
            ("Short description", safe(pkg.short_description)),
            ("Website", safe(pkg.website) if pkg.website else Text("(none)", style="dim")),
            ("Created", Text(format_when(pkg.created_at))),
        ]
        if domains is not None:  # API v2's packages overview (PackageScreen._read_domains)
            fields.append(("Domains", domains))
        widgets: list[Widget] = []
        for label, value in fields:
            widgets.append(Static(label, classes="label"))
            widgets.append(Static(value, classes="value"))
        grid.mount_all(widgets)
        long = pkg.long_description
        body = Text("Long description\n", style="bold")
        body.append_text(safe(long, multiline=True) if long else Text("(none)", style="dim"))
        self.query_one("#long-description", Static).update(body)


class PackageScreen(TabbedScreen):
    CSS_PATH = style_path("package.tcss")
    DEFAULT_TAB = "overview"

    BINDINGS = [
        Binding("1", "tab('overview')", "Overview", id="package.tab_overview"),
        Binding("2", "tab('permissions')", "Perms", id="package.tab_permissions"),
        Binding("p", "tab('permissions')", "Perms", show=False, id="package.permissions"),
        Binding("3", "tab('routes')", "Routes", id="package.tab_routes"),
        Binding("4", "tab('domains')", "Domains", id="package.tab_domains"),
        Binding("5", "tab('charts')", "Charts", id="package.tab_charts"),
        Binding("6", "tab('details')", "Details", id="package.tab_details"),
        Binding("left_square_bracket", "cycle_tab(-1)", "Prev tab", show=False, id="package.prev_tab"),
        Binding("right_square_bracket", "cycle_tab(1)", "Next tab", show=False, id="package.next_tab"),
        Binding("e", "edit", "Edit", id="package.edit"),
        Binding("ctrl+d", "delete", "Delete", show=False, id="package.delete"),
    ]
    WRITE_ACTIONS = frozenset({"edit", "delete"})

    def __init__(self, package: Package, *, tab: str = "overview") -> None:
        super().__init__()
        self.package = package
        self.requested_tab = tab
        self.initial_tab = "overview"  # the requested tab, once compose_body knows the API version
        self._mounted_panes: set[str] = {"overview"}
        self.domains: Text | None = None  # the overview's Domains line, once read (API v2)

    def has_tab(self, tab: str) -> bool:
        return tab_available(tab, self.package.library_type, self.session.api.capabilities)

    def compose_body(self) -> ComposeResult:
        tab = self.requested_tab
        self.initial_tab = tab if tab in dict(TABS) and self.has_tab(tab) else "overview"
        with TabbedContent(initial=self.initial_tab, id="tabs"):
            for tab_id, title in TABS:
                if not self.has_tab(tab_id):
                    continue
                with TabPane(title, id=tab_id):
                    if tab_id == "overview":
                        yield Overview(id="overview-body")
                    else:
                        yield Static("", classes="pane-placeholder")

    def on_mount(self) -> None:
        self.query_one(Overview).show(self.package)
        self.update_crumbs()
        if self.initial_tab != "overview":
            self.action_tab(self.initial_tab)
        else:
            self.query_one(Overview).focus()
        self._reread()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "tab" and parameters and not self.has_tab(str(parameters[0])):
            return False  # hidden: this kind of package has no such tab
        return super().check_action(action, parameters)

    # --- breadcrumbs / context ----------------------------------------------------------------

    def crumbs(self) -> list[str]:
        return [self.package.owner, self.package.name, self.active_tab]

    def copy_target(self) -> str | None:
        """The selected row of the active pane (a username, domain, route id), else the uuid."""
        if self.active_tab != "overview":
            pane = self.query_one(f"#{self.active_tab}", TabPane)
            if pane.children and (target := self.pane_copy_target(pane.children[0])):
                return target
        return self.package.uuid

    def context_package(self) -> Package | None:
        return self.package

    def context_org(self) -> str | None:
        return self.package.owner if self.package.owner != self.session.username else None

    # --- tabs ---------------------------------------------------------------------------------
    def action_tab(self, tab: str) -> None:
        if not self.has_tab(tab):
            self.notify(unavailable_reason(tab, self.session.api.capabilities), severity="warning")
            return
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active != tab:
            tabs.active = tab
        self._ensure_pane(tab, focus=True)
        self.update_crumbs()

    def action_cycle_tab(self, step: int) -> None:
        tabs = [t for t, _ in TABS if self.has_tab(t)]
        index = tabs.index(self.active_tab) if self.active_tab in tabs else 0
        self.action_tab(tabs[(index + step) % len(tabs)])

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # Also reached by clicking a tab (or arrows on the tab strip): hand focus to the pane so
        # its keys work at once instead of staying on the tab strip.
        tab = event.pane.id or "overview"
        self._ensure_pane(tab, focus=True)
        self.update_crumbs()

    def make_pane(self, tab: str) -> Widget:
        pkg = self.package
        if tab == "permissions":
            from scarf_tui.tui.packages.permissions import PermissionsPane

            return PermissionsPane(pkg)
        if tab == "routes":
            from scarf_tui.tui.packages.routes import RoutesPane

            return RoutesPane(pkg)
        if tab == "domains":
            from scarf_tui.tui.packages.domains import DomainsPane

            return DomainsPane(pkg)
        if tab == "charts":
            from scarf_tui.tui.charts.pane import ChartPane

            kind = "user" if pkg.owner == self.session.username else "org"
            return ChartPane(kind, pkg.owner, package_uuid=pkg.uuid, package_name=pkg.name)
        if tab == "details":
            from scarf_tui.sources.purldb import purl_for_scarf_package
            from scarf_tui.tui.purldb.details import DetailsPane

            return DetailsPane(purl_for_scarf_package(pkg.library_type, pkg.owner, pkg.name))
        raise ValueError(f"no pane for tab {tab!r}")

    # --- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        self._reread()
        for tab in list(self._mounted_panes - {"overview"}):
            pane = self.query_one(f"#{tab}", TabPane)
            body: Any = pane.children[0] if pane.children else None
            if body is not None and callable(getattr(body, "reload", None)):
                body.reload()
            else:
                self._mount_pane(tab, tab == self.active_tab)

    @work(exclusive=True, group="package-load", exit_on_error=False)
    async def _reread(self) -> None:
        try:
            pkg = await self.session.api.get_package(self.package.uuid)
        except Exception as err:  # noqa: BLE001 - any failure is shown, never raised into the app
            message = self.show_error(err)
            self.query_one("#long-description", Static).update(
                Text.assemble(("⚠ ", "bold"), safe(message), "  (r: retry)")
            )
            return
        self.package = pkg
        self.query_one(Overview).show(pkg, self.domains)
        self.update_crumbs()
        self._read_domains(pkg)

    @work(exclusive=True, group="package-domains", exit_on_error=False)
    async def _read_domains(self, pkg: Package) -> None:
        """The overview's Domains line, from the owner's overview (API v2; the package list has
        usually read it already, and the service keeps it). v1 has none: no line."""
        service = self.session.api
        if not service.capabilities.overview:
            return
        try:
            found = [o for o in await service.packages_overview(pkg.owner) if o.package.uuid == pkg.uuid]
        except Exception as err:  # noqa: BLE001 - only this line is missing; it says why
            self.domains = Text(f"n/a: {describe_error(err)}", style="dim")
        else:
            names = [d.name for o in found for d in o.domains]
            self.domains = safe(", ".join(names)) if names else Text("(none)", style="dim")
        self.query_one(Overview).show(self.package, self.domains)

    # --- writes -------------------------------------------------------------------------------
    def action_edit(self) -> None:
        def edited(result: Package | None) -> None:
            if result is not None:
                self.package = result
                self.query_one(Overview).show(result, self.domains)
                self._reread()

        actions.edit_package(self, self.package, done=edited)

    def action_delete(self) -> None:
        def done(deleted: bool) -> None:
            if deleted:
                self.post_message(GoBack(reload=True))
            else:
                self._reread()

        actions.delete_package(self, self.package, done=done)
