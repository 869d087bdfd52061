"""ScarfApp: the shell. Screens, global bindings (each with an id, remappable from config.toml),
the `:` command bar, back-through-history, the command palette, and run_tui() for the CLI.

Navigation pushes screens, so the screen stack *is* the history `esc` walks back through.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterable
from datetime import date
from functools import partial
from typing import Any

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.command import Hit, Hits, Provider
from textual.events import Key
from textual.screen import Screen
from textual.timer import Timer

from scarf_tui.api.service import ScarfService
from scarf_tui.config import Settings
from scarf_tui.domain import Package
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.command_bar import CommandBar, UnknownCommand, parse_command
from scarf_tui.tui.common.text import safe, safe_str

DEMO_USERNAME = "maintainer"


# ---------------------------------------------------------------------------------------------
# Command palette: jump to any package or organization by name
# ---------------------------------------------------------------------------------------------


class PackageJumpProvider(Provider):
    """ctrl+p: "widget" finds every package whose name matches, opens the chosen one."""

    async def startup(self) -> None:
        app: Any = self.app
        self._packages: list[Package] = []
        if app.service is None:
            return
        with contextlib.suppress(Exception):
            self._packages = await app.service.list_packages()

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app: Any = self.app
        for pkg in self._packages:
            label = safe(f"package {safe_str(pkg.name)}  ({pkg.library_type or '?'}, {safe_str(pkg.owner)})")
            score = max(matcher.match(safe_str(pkg.name)), matcher.match(label.plain))
            if score > 0:
                yield Hit(score, label, partial(app.open_package, pkg), text=label.plain,
                          help="Open this package")

    async def discover(self) -> Hits:
        app: Any = self.app
        for pkg in self._packages[:20]:
            label = safe(f"package {safe_str(pkg.name)}  ({safe_str(pkg.owner)})")
            yield Hit(0.5, label, partial(app.open_package, pkg), text=label.plain)


class OrganizationJumpProvider(Provider):
    """ctrl+p: jump to an organization (owners of your packages plus configured ones)."""

    async def startup(self) -> None:
        app: Any = self.app
        self._names: list[str] = list(app.configured_orgs())
        if app.service is None:
            return
        with contextlib.suppress(Exception):
            packages = await app.service.list_packages()
            for pkg in packages:
                if pkg.owner != app.username and pkg.owner not in self._names:
                    self._names.append(pkg.owner)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app: Any = self.app
        for name in self._names:
            plain = safe_str(name)
            label = safe(f"organization {plain}")
            score = max(matcher.match(plain), matcher.match(label.plain))
            if score > 0:
                yield Hit(score, label, partial(app.open_org, name), text=label.plain,
                          help="Open this organization")


# ---------------------------------------------------------------------------------------------
# The app
# ---------------------------------------------------------------------------------------------


class ScarfApp(App):
    TITLE = "scarf-tui"
    CSS_PATH = style_path("app.tcss")
    COMMANDS = App.COMMANDS | {PackageJumpProvider, OrganizationJumpProvider}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        # priority: handled as the key arrives, before the keys typed after it are routed to
        # the focused widget (an Input focused still gets its ":" - it consumes printable keys).
        Binding("colon", "command_bar", "Command", id="app.command_bar", priority=True),
        Binding("question_mark", "help", "Help", id="app.help"),
        Binding("escape", "back", "Back", id="app.back"),
        Binding("r", "refresh", "Refresh", id="app.refresh"),
        Binding("y", "copy", "Copy id", show=False, id="app.copy"),
        Binding("q", "quit", "Quit", id="app.quit"),
        # Tab moves focus as the key arrives: Textual's own tab binding runs only after the key
        # has visited the focused widget, by which time the rest of a burst ("name⇥description",
        # a paste, keystrokes batched over SSH) has already been typed into the old field.
        # Widgets that use tab themselves (completion, indent) keep it: see check_action.
        Binding("tab", "focus_now(1)", "Next field", show=False, priority=True, id="app.focus_next"),
        Binding("shift+tab", "focus_now(-1)", "Previous field", show=False, priority=True, id="app.focus_previous"),
        Binding("ctrl+c", "quit", "Quit", show=False, id="app.quit_ctrl_c"),
    ]

    def __init__(
        self,
        service: ScarfService | None,
        *,
        settings: Settings,
        read_only: bool = False,
        org: str | None = None,
        today: date | None = None,
        username: str | None = None,
        close_service_on_exit: bool = False,
    ) -> None:
        super().__init__()
        self.service = service
        self.settings = settings
        self.read_only = bool(read_only or settings.read_only)
        self.org = org
        self.today = today or date.today()
        self.username = username or settings.username
        self.extra_orgs: list[str] = []
        self._close_service_on_exit = close_service_on_exit
        self._names: dict[str, set[str]] = {"package": set(), "org": set()}
        self._exit_stack = contextlib.ExitStack()
        self._routed_to: dict[int, tuple[Key, Screen]] = {}
        self._held_keys: list[Key] = []
        self._replay_timer: Timer | None = None
        self._replay_deadline = 0.0
        if settings.keymap:
            self.set_keymap(dict(settings.keymap))

    # --- lifecycle ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        if self.service is None:
            from scarf_tui.tui.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())
        else:
            self.open_packages()
            if self.org:
                # `--org NAME` lands on that organization's packages; esc goes back to yours.
                self.open_org(self.org, tab="packages")

    async def on_unmount(self) -> None:
        if self._close_service_on_exit and self.service is not None:
            with contextlib.suppress(Exception):
                await self.service.aclose()
        self._exit_stack.close()

    def use_service(self, service: ScarfService, *, username: str | None, owned: bool) -> None:
        """Switch to a new service (after login or opening the demo) and show the packages."""
        self.service = service
        self.username = username or self.username
        self._close_service_on_exit = owned
        self.switch_screen(self._packages_screen(None))
        if self.org:
            self.open_org(self.org, tab="packages")

    def start_demo(self) -> ScarfService:
        """The embedded demo server on a loopback socket (streaming needs a real socket)."""
        return start_demo_service(self._exit_stack, today=None)

    # --- state the screens use ----------------------------------------------------------------
    def configured_orgs(self) -> list[str]:
        names: list[str] = []
        for name in [*([self.org] if self.org else []), *self.settings.orgs, *self.extra_orgs]:
            if name and name not in names:
                names.append(name)
        return names

    def remember_names(self, kind: str, names: Iterable[str]) -> None:
        self._names.setdefault(kind, set()).update(safe_str(n) for n in names if n)

    def known_names(self, kind: str) -> set[str]:
        return self._names.get(kind, set())

    def refuse_if_read_only(self) -> bool:
        """True (after telling the user) when a write must not happen."""
        if self.read_only:
            self.notify("Read-only mode: this change was refused.", severity="warning")
            return True
        return False

    # --- keys typed ahead of a screen change -------------------------------------------------
    # Textual routes each key to the focused widget at once, but runs a non-priority binding only
    # when the key has come back up to the app. Keys typed right after a key that opens a screen
    # ("n" then a name; a paste; keystrokes batched over SSH) have by then been routed to the old
    # screen, and would be lost there. We note which screen each key was routed to; a key that
    # comes back after the screen changed is held, then routed again once the new screen has
    # focus (or after REPLAY_WAIT_S), in the order typed.
    REPLAY_WAIT_S = 0.5

    async def on_event(self, event: Any) -> None:
        if isinstance(event, Key) and not event.is_forwarded:
            if self._held_keys:
                self._held_keys.append(event)  # keep the order behind the keys being replayed
                return
            self._routed_to[id(event)] = (event, self.screen)
            if len(self._routed_to) > 256:  # keys an input consumed never come back: forget old ones
                for stale in list(self._routed_to)[:128]:
                    del self._routed_to[stale]
        await super().on_event(event)

    async def _on_key(self, event: Key) -> None:
        routed = self._routed_to.pop(id(event), None)
        if routed is not None and routed[0] is event and routed[1] is not self.screen:
            event.prevent_default()  # not the old screen's key any more: App._on_key must not run
            self._held_keys.append(Key(event.key, event.character))
            if self._replay_timer is None:
                self._replay_deadline = time.monotonic() + self.REPLAY_WAIT_S
                self._replay_timer = self.set_interval(0.01, self._replay_held_keys)
            return
        # In read-only mode the write keys are hidden and inert; say so when one is pressed.
        if self.read_only and event.key in self._write_keys():
            event.stop()
            self.refuse_if_read_only()

    async def _replay_held_keys(self) -> None:
        if self.screen.focused is None and time.monotonic() < self._replay_deadline:
            return  # the new screen is still mounting
        if self._replay_timer is not None:
            self._replay_timer.stop()
            self._replay_timer = None
        keys, self._held_keys = self._held_keys, []
        for key in keys:
            await self.on_event(key)

    def _write_keys(self) -> set[str]:
        """Keys of write bindings (a node's WRITE_ACTIONS) on the focus path, keymap applied."""
        keys: set[str] = set()
        node: Any = self.screen.focused or self.screen
        while node is not None and node is not self:
            writes = getattr(node, "WRITE_ACTIONS", ())
            if writes:
                for cls in type(node).__mro__:
                    for binding in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
                        if binding.action.partition("(")[0] in writes:
                            remapped = self.settings.keymap.get(binding.id or "", binding.key)
                            keys.update(k.strip() for k in remapped.split(","))
            node = node.parent
        return keys

    # --- navigation ---------------------------------------------------------------------------
    def _packages_screen(self, org: str | None) -> Screen:
        from scarf_tui.tui.packages.list_screen import PackagesScreen

        return PackagesScreen(org)

    def open_packages(self, org: str | None = None) -> None:
        self.push_screen(self._packages_screen(org))

    def open_package(self, target: Package | str, tab: str = "overview") -> None:
        if isinstance(target, Package):
            from scarf_tui.tui.packages.package_screen import PackageScreen

            self.push_screen(PackageScreen(target, tab=tab))
        else:
            self._resolve_and_open_package(target, tab)

    @work(exclusive=True, group="app-resolve", exit_on_error=False)
    async def _resolve_and_open_package(self, ref: str, tab: str) -> None:
        service = self.service
        if service is None:
            return
        try:
            packages = await service.list_packages()
            wanted = ref.strip()
            found = [p for p in packages if p.uuid == wanted] or [
                p for p in packages if safe_str(p.name) == wanted
            ] or [p for p in packages if safe_str(p.name).casefold() == wanted.casefold()]
            if not found:
                found = [await service.get_package(wanted)]
        except Exception as err:  # noqa: BLE001
            from scarf_tui.tui.common.base_screen import describe_error

            self.notify(describe_error(err), severity="error", markup=False)
            return
        if len(found) > 1:
            # Same name, several types: let the user pick from a filtered list.
            screen = self._packages_screen(None)
            self.push_screen(screen)
            screen.call_after_refresh(lambda: screen.query_one("#packages").set_filter(wanted))
            self.notify(f"{len(found)} packages are named {wanted}; pick one.", markup=False)
            return
        self.open_package(found[0], tab)

    def open_orgs(self) -> None:
        from scarf_tui.tui.organizations.list_screen import OrganizationsScreen

        self.push_screen(OrganizationsScreen())

    def open_org(self, name: str, tab: str = "members") -> None:
        from scarf_tui.tui.organizations.organization_screen import OrganizationScreen

        self.push_screen(OrganizationScreen(name, tab=tab))

    def open_export(self, package: str | None = None) -> None:
        """The export dialog, prefilled from where the user is: a named or current package ->
        its events; an organization -> its aggregates; else the user's aggregates. A charts
        pane on screen lends its date range."""
        from scarf_tui.tui.common.base_screen import BaseScreen
        from scarf_tui.tui.export_screen import ExportScreen
        from scarf_tui.tui.charts.pane import ChartPane

        screen = self.screen
        here: Any = screen if isinstance(screen, BaseScreen) else None
        dates: dict[str, Any] = {}
        charts = [c for c in screen.query(ChartPane) if c.display and c.is_on_screen] if here else []
        if charts:
            dates = {"start": charts[0].date_range.start, "end": charts[0].date_range.end}
        if package:
            dialog = ExportScreen("events", package, **dates)
        elif here and (pkg := here.context_package()):
            dialog = ExportScreen("events", pkg.uuid, **dates)
        elif here and (org := here.context_org()):
            dialog = ExportScreen("aggregates", org, scope_type="org", **dates)
        elif self.username:
            dialog = ExportScreen("aggregates", self.username, scope_type="user", **dates)
        else:
            dialog = ExportScreen("events", **dates)
        self.push_screen(dialog)

    def go_back(self, *, reload: bool = False) -> None:
        from scarf_tui.tui.common.base_screen import BaseScreen

        if len(self.screen_stack) > 2 and isinstance(self.screen, BaseScreen):
            self.pop_screen()
            if reload:
                screen = self.screen
                if isinstance(screen, BaseScreen):
                    screen.reload()

    # --- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from scarf_tui.tui.common.base_screen import BaseScreen

        if action == "back":
            return len(self.screen_stack) > 2 and isinstance(self.screen, BaseScreen)
        if action == "focus_now":
            return self._focus_keys_free("tab" if parameters and parameters[0] == 1 else "shift+tab")
        if action in ("refresh", "copy", "command_bar"):
            return isinstance(self.screen, BaseScreen) and self.service is not None
        return True

    def _focus_keys_free(self, key: str) -> bool:
        """True when no widget on the focus path wants `key` for itself."""
        focused = self.focused
        if focused is None or focused.loading:
            return False
        for node in focused.ancestors_with_self:
            if node is self.screen:
                break
            if node.check_consume_key(key, "\t" if key == "tab" else None):
                return False
            if node._bindings.key_to_bindings.get(key):
                return False
        return True

    def action_focus_now(self, step: int) -> None:
        if step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    def action_back(self) -> None:  # type: ignore[override]
        self.go_back()

    def action_refresh(self) -> None:
        from scarf_tui.tui.common.base_screen import BaseScreen

        if self.service is not None:
            self.service.invalidate()
        if isinstance(self.screen, BaseScreen):
            self.screen.reload()

    def action_copy(self) -> None:
        from scarf_tui.tui.common.base_screen import BaseScreen

        target = self.screen.copy_target() if isinstance(self.screen, BaseScreen) else None
        if not target:
            self.notify("Nothing selected to copy.", severity="warning")
            return
        self.copy_to_clipboard(target)
        self.notify(f"Copied {safe_str(target)}", markup=False)

    def action_help(self) -> None:
        from scarf_tui.tui.help import HelpScreen, help_entries

        if isinstance(self.screen, HelpScreen):
            return
        from scarf_tui.tui.common.base_screen import BaseScreen

        screen = self.screen
        title = " › ".join(screen.crumbs()) if isinstance(screen, BaseScreen) else type(screen).__name__
        self.push_screen(HelpScreen(title or "scarf", help_entries(self, screen.active_bindings)))

    async def action_command_bar(self) -> None:
        def ran(text: str | None) -> None:
            if text:
                self.run_command(text)

        # A terminal delivers ":orgs⏎" typed quickly (or pasted) as one burst. The binding is a
        # priority one and we await the mount, so the app holds the rest of the burst until the
        # bar's input has focus instead of routing it to the screen below.
        await self.push_screen(CommandBar(self.known_names), ran)

    def run_command(self, text: str) -> None:
        """Carry out one `:` command; unknown input is explained, never fatal."""
        from scarf_tui.tui.common.base_screen import BaseScreen
        from scarf_tui.tui.organizations.organization_screen import OrganizationScreen
        from scarf_tui.tui.packages.package_screen import PackageScreen

        try:
            command = parse_command(text)
        except UnknownCommand as err:
            self.notify(str(err), severity="warning", markup=False)
            return
        screen = self.screen
        here: Any = screen if isinstance(screen, BaseScreen) else None
        arg = command.argument
        name = command.name
        if name == "quit":
            self.exit()
        elif name == "export":
            self.open_export(arg)
        elif name == "help":
            self.action_help()
        elif name == "orgs":
            self.open_orgs()
        elif name == "pkgs":
            self.open_packages(arg)
        elif name == "org":
            org = arg or (here.context_org() if here else None)
            if org:
                self.open_org(org)
            else:
                self.open_orgs()
        elif name == "pkg":
            if arg:
                self.open_package(arg)
            elif here and (pkg := here.context_package()):
                self.open_package(pkg)
            else:
                self.notify("Which package? Type :pkg NAME.", severity="warning")
        elif name == "members":
            org = arg or (here.context_org() if here else None)
            if isinstance(screen, OrganizationScreen) and (not arg or arg == screen.org_name):
                screen.action_tab("members")
            elif org:
                self.open_org(org, tab="members")
            else:
                self.notify("Which organization? Type :members ORG.", severity="warning")
        elif name == "charts" and not arg and isinstance(screen, OrganizationScreen) and (
            screen.active_tab != "org-packages" or screen.context_package() is None
        ):
            screen.action_tab("charts")
        else:  # a package tab: overview, perms, routes, domains, charts
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
                self.notify(f"Select a package first, or type :{name} NAME.", severity="warning")


# ---------------------------------------------------------------------------------------------
# Entry point used by the CLI
# ---------------------------------------------------------------------------------------------


def start_demo_service(stack: contextlib.ExitStack, *, today: date | None = None) -> ScarfService:
    """Start the embedded demo server on a loopback port (closed with `stack`) and return a
    service talking to it with the demo token."""
    from scarf_tui.api import make_service
    from scarf_tui.demo import DEMO_TOKEN
    from scarf_tui.demo.app import create_app
    from scarf_tui.demo.server import running_server
    from scarf_tui.demo.store import build_demo_store

    store = build_demo_store(today=today) if today else build_demo_store()
    base_url = stack.enter_context(running_server(create_app(store)))
    return make_service(base_url, DEMO_TOKEN)


def run_tui(
    settings: Settings,
    demo: bool = False,
    org: str | None = None,
    read_only: bool = False,
    username: str | None = None,
) -> int:
    """Run the TUI. With demo=True the embedded server runs on a loopback socket for the
    session; without a token (and no demo) the app opens on the Welcome screen."""
    with contextlib.ExitStack() as stack:
        service: ScarfService | None = None
        if demo:
            service = start_demo_service(stack)
            username = DEMO_USERNAME
        elif settings.token:
            from scarf_tui.api import make_service

            service = make_service(settings.api_url, settings.token)
        app = ScarfApp(
            service,
            settings=settings,
            read_only=read_only,
            org=org,
            username=username or settings.username,
            close_service_on_exit=True,
        )
        app.run()
        return app.return_code or 0


__all__ = ["ScarfApp", "run_tui", "start_demo_service", "DEMO_USERNAME"]
