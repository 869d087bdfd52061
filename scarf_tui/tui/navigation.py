"""Where the user can go: opening screens, going back, the `:` command table, help and copy.

The app forwards navigation messages here; the screens themselves never import this module.
Screen modules are imported when first opened, so start-up loads only the first screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from scarf_tui.api.errors import NotFound, ScarfError
from scarf_tui.domain import Package
from scarf_tui.tui.common.base_screen import BaseScreen
from scarf_tui.tui.common.command_bar import Command, UnknownCommand, parse_command
from scarf_tui.tui.common.errors import notify_error
from scarf_tui.tui.common.text import safe_str, typed_form
from scarf_tui.tui.session import SessionApp


class Navigator:
    def __init__(self, app: SessionApp) -> None:
        self.app = app
        self.commands: dict[str, Callable[[Command], None]] = {
            "quit": lambda c: self.app.exit(),
            "export": lambda c: self.open_export(c.argument),
            "help": lambda c: self.help(),
            "orgs": lambda c: self.open_orgs(),
            "pkgs": lambda c: self.open_packages(c.argument),
            "org": self._org_command,
            "pkg": self._pkg_command,
            "members": self._members_command,
            "matrix": self._matrix_command,
            "pypicloud": lambda c: self.open_pypicloud(c.argument),
            "purl": lambda c: self.open_purl(c.argument),
            "pixels": lambda c: self.open_owner_screen("pixels", c.argument),
            "collections": lambda c: self.open_owner_screen("collections", c.argument),
        }

    @property
    def here(self) -> BaseScreen | None:
        screen = self.app.screen
        return screen if isinstance(screen, BaseScreen) else None

    # --- opening screens ------------------------------------------------------------------------
    def packages_screen(self, org: str | None) -> Screen[Any]:
        from scarf_tui.tui.packages.list_screen import PackagesScreen

        return PackagesScreen(org)

    def open_packages(self, org: str | None = None) -> None:
        self.app.push_screen(self.packages_screen(org))

    def open_package(self, target: Package | str, tab: str = "overview") -> None:
        if isinstance(target, Package):
            from scarf_tui.tui.packages.package_screen import PackageScreen

            self.app.push_screen(PackageScreen(target, tab=tab))
        else:
            self.app.run_worker(
                self._resolve_and_open_package(target, tab), group="app-resolve", exclusive=True, exit_on_error=False
            )

    async def _resolve_and_open_package(self, ref: str, tab: str) -> None:
        service = self.app.session.service
        if service is None:
            return
        wanted = ref.strip()
        try:
            packages = await service.list_packages()
            found = [p for p in packages if p.uuid == wanted] or [
                p for p in packages if safe_str(p.name) == wanted
            ] or [p for p in packages if typed_form(p.name).casefold() == typed_form(wanted).casefold()]
            if not found:
                found = [await service.get_package(wanted)]
        except ScarfError as err:
            notify_error(self.app, err)
            return
        if len(found) > 1:
            # Same name, several types: let the user pick from a filtered list.
            from scarf_tui.tui.packages.table import PackageTable

            screen = self.packages_screen(None)
            self.app.push_screen(screen)
            screen.call_after_refresh(lambda: screen.query_one("#packages", PackageTable).set_filter(wanted))
            self.app.notify(f"{len(found)} packages are named {wanted}; pick one.", markup=False)
            return
        self.open_package(found[0], tab)

    def open_orgs(self) -> None:
        from scarf_tui.tui.organizations.list_screen import OrganizationsScreen

        self.app.push_screen(OrganizationsScreen())

    def open_org(self, name: str, tab: str = "members") -> None:
        from scarf_tui.tui.organizations.organization_screen import OrganizationScreen

        self.app.push_screen(OrganizationScreen(name, tab=tab))

    def open_access(self, org: str) -> None:
        """The organization's access matrix (packages × users)."""
        from scarf_tui.tui.access.screen import AccessScreen

        self.app.push_screen(AccessScreen(org))

    def open_owner_screen(self, kind: str, owner: str | None = None) -> None:
        """An owner's tracking pixels or collections (API v2): the named owner, else the
        organization in view, else the user."""
        here = self.here
        owner = owner or (here.context_org() if here else None)
        if kind == "pixels":
            from scarf_tui.tui.pixels.screen import PixelsScreen

            self.app.push_screen(PixelsScreen(owner))
        else:
            from scarf_tui.tui.collections.screen import CollectionsScreen

            self.app.push_screen(CollectionsScreen(owner))

    def open_pypicloud(self, where: str | None = None) -> None:
        """`:pypicloud [users|groups|PACKAGE]`; asks to sign in first when no account is set."""
        from scarf_tui.tui.pypicloud.open import open_pypicloud

        open_pypicloud(self.app, where)

    def open_purl(self, text: str | None) -> None:
        """`:purl pkg:npm/foo@1.2.0`: any purl's PurlDB details (a typed purl is always looked up)."""
        from scarf_tui.sources.purldb import purl_typed_by_user
        from scarf_tui.tui.purldb.purl_screen import PurlScreen

        try:
            ref = purl_typed_by_user(text or "")
        except ValueError as err:
            self.app.notify(str(err), severity="warning", markup=False)
            return
        self.app.push_screen(PurlScreen(ref))

    def open_export(self, package: str | None = None) -> None:
        """The export dialog, prefilled from where the user is: a named or current package ->
        its events; an organization -> its aggregates; else the user's aggregates. A charts
        pane on screen lends its date range."""
        from scarf_tui.tui.charts.pane import ChartPane
        from scarf_tui.tui.export_screen import ExportScreen

        here = self.here
        dates: dict[str, Any] = {}
        charts = [c for c in self.app.screen.query(ChartPane) if c.display and c.is_on_screen] if here else []
        if charts:
            dates = {"start": charts[0].date_range.start, "end": charts[0].date_range.end}
        username = self.app.session.username
        if package:
            dialog = ExportScreen("events", package, **dates)
        elif here and (pkg := here.context_package()):
            dialog = ExportScreen("events", pkg.uuid, file_stem=pkg.name, **dates)
        elif here and (org := here.context_org()):
            dialog = ExportScreen("aggregates", org, scope_type="org", **dates)
        elif username:
            dialog = ExportScreen("aggregates", username, scope_type="user", **dates)
        else:
            dialog = ExportScreen("events", **dates)
        self.app.push_screen(dialog)

    def can_go_back(self) -> bool:
        return len(self.app.screen_stack) > 2 and self.here is not None

    def go_back(self, *, reload: bool = False) -> None:
        if self.can_go_back():
            self.app.pop_screen()
            if reload and (below := self.here) is not None:
                below.reload()

    # --- help and copy --------------------------------------------------------------------------
    def help(self) -> None:
        from scarf_tui.tui.help import HelpScreen, help_entries

        screen = self.app.screen
        if isinstance(screen, HelpScreen):
            return
        title = " › ".join(screen.crumbs()) if isinstance(screen, BaseScreen) else type(screen).__name__
        self.app.push_screen(HelpScreen(title or "scarf", help_entries(self.app, screen.active_bindings)))

    def copy(self) -> None:
        target = self.here.copy_target() if self.here else None
        if not target:
            self.app.notify("Nothing selected to copy.", severity="warning")
            return
        self.app.copy_to_clipboard(target)
        self.app.notify(f"Copied {safe_str(target)}", markup=False)

    # --- the `:` command bar --------------------------------------------------------------------
    def run_command(self, text: str) -> None:
        """Carry out one `:` command; unknown input is explained, never fatal."""
        try:
            command = parse_command(text)
        except UnknownCommand as err:
            self.app.notify(str(err), severity="warning", markup=False)
            return
        handler = self.commands.get(command.name, self._tab_command)
        handler(command)

    def _org_command(self, command: Command) -> None:
        here = self.here
        if command.argument:
            # A typed name is checked first, the way :pkg checks its package: an unknown one
            # leaves the user where they are, with a sentence.
            self.app.run_worker(
                self._open_org_if_known(command.argument.strip()), group="app-resolve", exclusive=True,
                exit_on_error=False,
            )
        elif here and (org := here.context_org()):
            self.open_org(org)
        else:
            self.open_orgs()

    async def _open_org_if_known(self, name: str) -> None:
        service = self.app.session.service
        if service is None:
            return
        try:
            await service.get_organization(name)
        except NotFound:
            self.app.notify(f"No organization named {safe_str(name)} is visible to you.", severity="warning",
                            markup=False)
            return
        except ScarfError as err:
            notify_error(self.app, err)
            return
        self.open_org(name)

    def _pkg_command(self, command: Command) -> None:
        here = self.here
        if command.argument:
            self.open_package(command.argument)
        elif here and (pkg := here.context_package()):
            self.open_package(pkg)
        else:
            self.app.notify("Which package? Type :pkg NAME.", severity="warning")

    def _members_command(self, command: Command) -> None:
        from scarf_tui.tui.organizations.organization_screen import OrganizationScreen

        here, arg, screen = self.here, command.argument, self.app.screen
        org = arg or (here.context_org() if here else None)
        if isinstance(screen, OrganizationScreen) and (not arg or arg == screen.org_name):
            screen.action_tab("members")
        elif org:
            self.open_org(org, tab="members")
        else:
            self.app.notify("Which organization? Type :members ORG.", severity="warning")

    def _matrix_command(self, command: Command) -> None:
        """`:matrix [ORG]`: the named organization, the one in view, else one to pick."""
        here = self.here
        org = command.argument or (here.context_org() if here else None) or self.app.session.org
        if org:
            self.open_access(org.strip())
        else:
            self.app.run_worker(self._pick_org_for_access(), group="app-resolve", exclusive=True, exit_on_error=False)

    async def _pick_org_for_access(self) -> None:
        from scarf_tui.tui.common.fields import ChoicePicker

        try:
            service = await self.app.session.ready_api()
            orgs = await service.known_organizations(self.app.session.configured_orgs())
        except ScarfError as err:
            notify_error(self.app, err)
            return
        if not orgs:
            self.app.notify("No organization is visible to you. Type :matrix ORG.", severity="warning")
        elif len(orgs) == 1:
            self.open_access(orgs[0])
        else:
            choices = [safe_str(o) for o in orgs]
            self.app.push_screen(
                ChoicePicker("Access matrix of which organization?", choices),
                lambda picked: self.open_access(picked) if picked else None,
            )

    def _tab_command(self, command: Command) -> None:
        """A package tab (overview, perms, routes, domains, charts), or an organization's charts."""
        from scarf_tui.tui.organizations.organization_screen import OrganizationScreen
        from scarf_tui.tui.packages.package_screen import PackageScreen

        here, arg, name, screen = self.here, command.argument, command.name, self.app.screen
        if name == "charts" and not arg and isinstance(screen, OrganizationScreen) and (
            screen.active_tab != "org-packages" or screen.context_package() is None
        ):
            screen.action_tab("charts")
            return
        tab = {"perms": "permissions"}.get(name, name)
        if arg:
            self.open_package(arg, tab)
        elif isinstance(screen, PackageScreen):
            screen.action_tab(tab)
        elif here and (pkg := here.context_package()):
            self.open_package(pkg, tab)
        elif name == "charts" and here and (org := here.context_org()):
            self.open_org(org, tab="charts")
        else:
            self.app.notify(f"Select a package first, or type :{name} NAME.", severity="warning")
