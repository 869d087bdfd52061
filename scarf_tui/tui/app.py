"""ScarfApp: the shell. Lifecycle, the global bindings (each with an id, remappable from
config.toml), and the handlers that turn navigation messages into screens.

Navigation pushes screens, so the screen stack *is* the history `esc` walks back through.
Everything else lives beside it: the state in session.py, where to go in navigation.py,
typed-ahead keys in typeahead.py, ctrl+p in palette.py, start-up in run.py.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.events import Key
from textual.widget import Widget

from scarf_tui.tui.common.base_screen import BaseScreen
from scarf_tui.tui.common.command_bar import CommandBar
from scarf_tui.tui.common.messages import GoBack, OpenOrg, OpenOrgs, OpenPackage, OpenPackages, ServiceReady
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.navigation import Navigator
from scarf_tui.tui.session import Session, SessionApp
from scarf_tui.tui.themes import ThemeKeeper
from scarf_tui.tui.typeahead import TypeAhead

if TYPE_CHECKING:
    from textual.command import Provider


# ctrl+p's providers (palette.py) load when the palette first opens, not before the first screen.
def _package_jump() -> type[Provider]:
    from scarf_tui.tui.palette import PackageJumpProvider

    return PackageJumpProvider


def _organization_jump() -> type[Provider]:
    from scarf_tui.tui.palette import OrganizationJumpProvider

    return OrganizationJumpProvider


class ScarfApp(SessionApp):
    TITLE = "scarf-tui"
    # The first screen's file is read with the app's: a screen bringing a file not read yet makes
    # Textual parse every source again as it is pushed.
    CSS_PATH = [style_path("app.tcss"), style_path("packages.tcss")]
    COMMANDS = App.COMMANDS | {_package_jump, _organization_jump}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        # priority: handled as the key arrives, before the keys typed after it are routed to
        # the focused widget (an Input focused still gets its ":" - it consumes printable keys).
        Binding("colon", "command_bar", "Command", id="app.command_bar", priority=True),
        # ? and esc are shown at the right of the bottom bar (common/bottom_bar.py), never clipped.
        Binding("question_mark", "help", "Help", show=False, id="app.help"),
        Binding("escape", "back", "Back", show=False, id="app.back"),
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
        self, session: Session, *, close_service_on_exit: bool = False, env: Mapping[str, str] | None = None
    ) -> None:
        """`env` (the start-up passes os.environ) lets NO_COLOR and a 16-colour TERM pick the
        theme; without it only config.toml's `theme` does (tests stay independent of $TERM)."""
        super().__init__()
        self.session = session
        self.nav = Navigator(self)
        self.typeahead = TypeAhead(self, self.on_event)
        self._close_service_on_exit = close_service_on_exit
        if session.settings.keymap:
            self.set_keymap(dict(session.settings.keymap))
        self.themes = ThemeKeeper(self, session.settings, env or {}, session.config_path)

    # --- lifecycle ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.themes.watch()
        if self.session.saved is not None and self.session.saved.notice:
            self.notify(self.session.saved.notice, severity="warning", markup=False)  # a corrupt cache
        if not self.session.can_connect:
            from scarf_tui.tui.welcome import WelcomeScreen

            self.push_screen(WelcomeScreen())
        else:
            self.nav.open_packages()
            if self.session.org:
                # `--org NAME` lands on that organization's packages; esc goes back to yours.
                self.nav.open_org(self.session.org, tab="packages")
        if self.session.pypicloud_at_start:
            self.nav.open_pypicloud()  # --pypicloud URL: that server first; esc goes back

    def on_ready(self) -> None:
        # Ready comes as the first frame is composed; the frame is written after the next refresh.
        self.call_after_refresh(self.session.first_frame_shown)

    async def on_unmount(self) -> None:
        session = self.session
        services = [session.service] if self._close_service_on_exit else []
        for service in (*services, session.pypicloud, session.purldb):
            if service is not None:
                with contextlib.suppress(Exception):  # noqa: BLE001 - closing on exit must not fail the exit
                    await service.aclose()
        session.resources.close()

    def on_service_ready(self, message: ServiceReady) -> None:
        """Switch to a new service (after login or opening the demo) and show the packages."""
        self.session.service = message.service
        self.session.username = message.username or self.session.username
        self._close_service_on_exit = True
        self.switch_screen(self.nav.packages_screen(None))
        if self.session.org:
            self.nav.open_org(self.session.org, tab="packages")

    # --- navigation messages from screens -----------------------------------------------------
    def on_open_packages(self, message: OpenPackages) -> None:
        self.nav.open_packages(message.org)

    def on_open_package(self, message: OpenPackage) -> None:
        self.nav.open_package(message.target, message.tab)

    def on_open_orgs(self, message: OpenOrgs) -> None:
        self.nav.open_orgs()

    def on_open_org(self, message: OpenOrg) -> None:
        self.nav.open_org(message.name, message.tab)

    def on_go_back(self, message: GoBack) -> None:
        self.nav.go_back(reload=message.reload)

    # --- keys ---------------------------------------------------------------------------------
    async def on_event(self, event: Any) -> None:
        if isinstance(event, Key) and not self.typeahead.arriving(event):
            return
        await super().on_event(event)

    def on_key(self, event: Key) -> None:
        if self.typeahead.came_back(event):
            return
        # In read-only mode the write keys are hidden and inert; say so when one is pressed.
        if self.session.read_only and (what := self._write_keys().get(event.key)):
            event.stop()
            self.session.refuses_write(self, f"“{what}” ({event.key})")

    def _write_keys(self) -> dict[str, str]:
        """Key -> description of the write bindings (a node's WRITE_ACTIONS) on the focus path,
        keymap applied."""
        keys: dict[str, str] = {}
        node: Any = self.screen.focused or self.screen
        while node is not None and node is not self:
            writes = getattr(node, "WRITE_ACTIONS", ())
            for binding in _bindings_of(node):
                if binding.action.partition("(")[0] in writes:
                    keys.update(dict.fromkeys(self._keys_of(binding), binding.description or binding.action))
            node = node.parent
        return keys

    def _keys_of(self, binding: Binding) -> set[str]:
        remapped = self.session.settings.keymap.get(binding.id or "", binding.key)
        return {k.strip() for k in remapped.split(",")}

    # --- actions ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.nav.can_go_back()
        if action == "focus_now":
            return self._focus_keys_free("tab" if parameters and parameters[0] == 1 else "shift+tab")
        if action in ("refresh", "copy", "command_bar"):
            return isinstance(self.screen, BaseScreen) and self.session.can_connect
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
            if any(key in self._keys_of(b) for b in _bindings_of(node)):
                return False
        return True

    def action_focus_now(self, step: int) -> None:
        if step > 0:
            self.screen.focus_next()
        else:
            self.screen.focus_previous()

    async def action_back(self) -> None:
        """esc: walk back through the screens opened (Textual's own pops any screen)."""
        self.nav.go_back()

    def action_refresh(self) -> None:
        if self.session.service is not None:
            self.session.service.invalidate()
        if isinstance(self.screen, BaseScreen):
            self.screen.reload()

    def action_copy(self) -> None:
        self.nav.copy()

    def action_help(self) -> None:
        self.nav.help()

    async def action_command_bar(self) -> None:
        def ran(text: str | None) -> None:
            if text:
                self.nav.run_command(text)

        # A terminal delivers ":orgs⏎" typed quickly (or pasted) as one burst. The binding is a
        # priority one and we await the mount, so the app holds the rest of the burst until the
        # bar's input has focus instead of routing it to the screen below.
        await self.push_screen(CommandBar(self.session.known_names), ran)


def _bindings_of(node: object) -> list[Binding]:
    """The bindings a node's classes declare (public BINDINGS, whole MRO)."""
    if not isinstance(node, (Widget, App)):
        return []
    found: list[Binding] = []
    for cls in type(node).__mro__:
        found.extend(Binding.make_bindings(cls.__dict__.get("BINDINGS", [])))
    return found


__all__ = ["ScarfApp"]
