"""One organization: its details, and tabs for members, packages and charts.

Tab keys: 1 members, 2 packages, 3 charts, [ / ] previous / next tab (the charts pane uses digits
itself, so [ and ] are the way out of it). `e` edits the organization, `n` creates a package in it.
"""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Static, TabbedContent, TabPane

from scarf_tui.domain import Organization, Package
from scarf_tui.tui.common.messages import OpenPackage
from scarf_tui.tui.common.resource_table import ResourceTable
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.tabbed_screen import TabbedScreen
from scarf_tui.tui.common.text import format_when, safe
from scarf_tui.tui.packages import actions
from scarf_tui.tui.packages.table import PackageTable

# How long (x 50 ms) a tab's table may stay loading and still receive focus when it is ready:
# longer than a slow read with retries, so a slow server does not leave keys going nowhere.

TABS: tuple[tuple[str, str], ...] = (
    ("members", "Members"),
    ("org-packages", "Packages"),
    ("org-charts", "Charts"),
)
TAB_ALIASES = {"members": "members", "packages": "org-packages", "charts": "org-charts"}


def details_table(org: Organization) -> Table:
    """Two label/value column pairs, so the details leave room for the tabs at 80x24."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(ratio=1, overflow="ellipsis", no_wrap=True)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(no_wrap=True)
    website = safe(org.website) if org.website else Text("(none)", style="dim")
    table.add_row("Name", safe(org.name, style="bold"), "Created", Text(format_when(org.created_at)))
    table.add_row("Website", website, "Updated", Text(format_when(org.updated_at)))
    table.add_row("Billing", safe(org.billing_email), "", "")
    description = Table.grid(padding=(0, 1))
    description.add_column(style="bold", no_wrap=True)
    description.add_column(ratio=1)
    description.add_row("About  ", safe(org.description))
    outer = Table.grid(expand=True)
    outer.add_column(ratio=1)
    outer.add_row(table)
    outer.add_row(description)
    return outer


class OrganizationScreen(TabbedScreen):
    CSS_PATH = style_path("organization.tcss")
    DEFAULT_TAB = "members"

    BINDINGS = [
        Binding("1", "tab('members')", "Members", id="organization.tab_members"),
        Binding("2", "tab('packages')", "Packages", id="organization.tab_packages"),
        Binding("3", "tab('charts')", "Charts", id="organization.tab_charts"),
        Binding("left_square_bracket", "cycle_tab(-1)", "Prev tab", show=False, id="organization.prev_tab"),
        Binding("right_square_bracket", "cycle_tab(1)", "Next tab", show=False, id="organization.next_tab"),
        Binding("e", "edit", "Edit org", id="organization.edit"),
        Binding("n", "new_package", "New package", id="organization.new_package"),
        Binding("x", "access_matrix", "Access matrix", id="organization.access_matrix"),
    ]
    WRITE_ACTIONS = frozenset({"edit", "new_package"})

    def __init__(self, name: str, *, tab: str = "members") -> None:
        super().__init__()
        self.org_name = name
        self.organization: Organization | None = None
        self.initial_tab = TAB_ALIASES.get(tab, "members")
        self._mounted_panes: set[str] = set()

    def compose_body(self) -> ComposeResult:
        yield Static("", id="details")
        # Start on the wanted tab: starting on members would mount (and load) that pane too.
        with TabbedContent(initial=self.initial_tab, id="tabs"):
            for tab_id, title in TABS:
                with TabPane(title, id=tab_id):
                    yield Static("", classes="pane-placeholder")

    def on_mount(self) -> None:
        self.update_crumbs()
        self.action_tab(next(k for k, v in TAB_ALIASES.items() if v == self.initial_tab))
        self._load()

    # --- breadcrumbs / context ----------------------------------------------------------------

    def crumbs(self) -> list[str]:
        tab = next((k for k, v in TAB_ALIASES.items() if v == self.active_tab), "members")
        return ["organizations", self.org_name, tab]

    def copy_target(self) -> str | None:
        """The selected package's uuid or member's username, else the organization's name."""
        pkg = self.context_package()
        if pkg is not None:
            return pkg.uuid
        if self.active_tab == "members":
            pane = self.query_one("#members", TabPane)
            if pane.children and (target := self.pane_copy_target(pane.children[0])):
                return target
        return self.org_name

    def context_org(self) -> str | None:
        return self.org_name

    def context_package(self) -> Package | None:
        if self.active_tab != "org-packages":
            return None
        tables = self.query(PackageTable)
        return tables.first().selected if tables else None

    # --- data ---------------------------------------------------------------------------------
    def reload(self) -> None:
        self._load()
        for tab in list(self._mounted_panes):
            pane = self.query_one(f"#{tab}", TabPane)
            body: Any = pane.children[0] if pane.children else None
            if isinstance(body, PackageTable):
                body.load()
            elif body is not None and callable(getattr(body, "reload", None)):
                body.reload()
            else:
                self._mount_pane(tab, tab == self.active_tab)

    @work(exclusive=True, group="org-load", exit_on_error=False)
    async def _load(self) -> None:
        details = self.query_one("#details", Static)
        details.loading = True
        try:
            org = await self.session.api.get_organization(self.org_name)
        except Exception as err:  # noqa: BLE001 - shown inline with a retry key, never raised
            message = self.show_error(err)
            details.loading = False
            details.update(Text.assemble(("⚠ ", "bold"), safe(message), "  (r: retry)"))
            details.add_class("-error")
            return
        self.organization = org
        details.loading = False
        details.remove_class("-error")
        details.update(details_table(org))

    # --- tabs ---------------------------------------------------------------------------------
    def action_tab(self, tab: str) -> None:
        pane_id = TAB_ALIASES.get(tab, tab)
        tabs = self.query_one("#tabs", TabbedContent)
        if tabs.active != pane_id:
            tabs.active = pane_id
        self._ensure_pane(pane_id, focus=True)
        self.update_crumbs()

    def action_cycle_tab(self, step: int) -> None:
        order = [t for t, _ in TABS]
        index = order.index(self.active_tab) if self.active_tab in order else 0
        target = order[(index + step) % len(order)]
        self.action_tab(next(k for k, v in TAB_ALIASES.items() if v == target))

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        # Also reached by clicking a tab: hand focus to the pane so its keys work at once.
        self._ensure_pane(event.pane.id or "members", focus=True)
        self.update_crumbs()

    def make_pane(self, tab: str) -> Widget:
        if tab == "members":
            from scarf_tui.tui.organizations.members import MembersPane

            return MembersPane(self.org_name)
        if tab == "org-packages":
            return PackageTable(self.org_name, id="org-package-table")
        if tab == "org-charts":
            from scarf_tui.tui.charts.pane import ChartPane

            return ChartPane("org", self.org_name)
        raise ValueError(f"no pane for tab {tab!r}")

    @on(ResourceTable.Opened, "#org-package-table")
    def _open_package(self, event: ResourceTable.Opened) -> None:
        event.stop()
        self.post_message(OpenPackage(event.item))

    def action_access_matrix(self) -> None:
        """x: every package × member of this organization, with their levels."""
        from scarf_tui.tui.access.screen import AccessScreen

        self.app.push_screen(AccessScreen(self.org_name))

    # --- writes -------------------------------------------------------------------------------
    def action_edit(self) -> None:
        if self.session.refuses_write(self):
            return
        if self.organization is None:
            self.notify("The organization has not loaded yet.", severity="warning")
            return
        from scarf_tui.tui.organizations.form import OrganizationFormScreen

        def edited(result: object) -> None:
            if result:
                self.session.api.invalidate()
                self._load()

        self.app.push_screen(OrganizationFormScreen(existing=self.organization), edited)

    def action_new_package(self) -> None:
        def created(result: Package | None) -> None:
            if result is not None:
                for table in self.query(PackageTable):
                    table.load()

        actions.create_package(self, org=self.org_name, done=created)
