"""First run: no token and no --demo. Paste a token (never echoed), we check it against the API
(GET /v1/packages) and only then save it to config.toml (mode 0600). Or open the demo."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Static

from scarf_tui.api.errors import ScarfError
from scarf_tui.tui.common.breadcrumbs import Breadcrumbs
from scarf_tui.tui.common.errors import describe_error
from scarf_tui.tui.common.messages import ServiceReady
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.text import safe
from scarf_tui.tui.session import session_of

NEED_USERNAME = "API v2 cannot tell your username from the token: enter it below the token, then press enter."
INTRO = (
    "scarf-tui needs your Scarf API token. Find it on https://scarf.sh/user-account.\n"
    "It is checked against the API, then saved to your config file (readable only by you)."
)


if TYPE_CHECKING:
    from scarf_tui.config import Token


class WelcomeScreen(Screen):
    CSS_PATH = style_path("welcome.tcss")

    BINDINGS = [
        Binding("f2", "demo", "Open the demo", id="welcome.demo"),
        Binding("ctrl+o", "demo", "Open the demo", show=False, id="welcome.demo_alt"),
    ]

    def compose(self) -> ComposeResult:
        yield Breadcrumbs()
        with Vertical(id="welcome-box"):
            yield Static(Text("Welcome to scarf-tui", style="bold"), id="welcome-title")
            yield Static(INTRO, id="welcome-intro", markup=False)
            yield Label("API token")
            yield Input(password=True, placeholder="paste your token, then enter", id="token")
            yield Label("Your Scarf username (optional; used for your own download trends)")
            yield Input(placeholder="username", id="username")
            yield Static("", id="welcome-status")
            with Horizontal(id="welcome-buttons"):
                yield Button("Check and save", variant="primary", id="save")
                yield Button("Open the demo (F2)", id="demo")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Breadcrumbs).set_parts(["welcome"])
        username = session_of(self).username
        if username:
            self.query_one("#username", Input).value = username
        self.query_one("#token", Input).focus()

    def _status(self, text: Text | str, *, error: bool = False) -> None:
        status = self.query_one("#welcome-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _submit(self) -> None:
        from scarf_tui.config import Token

        # Wrapped at once, so no local of this frame holds the plain text (a crash dump shows
        # locals; Token's repr is redacted, and a worker's description is its arguments' repr).
        token = Token(self.query_one("#token", Input).value.strip())
        if not token:
            self._status("Paste a token first.", error=True)
            self.query_one("#token", Input).focus()
            return
        username = self.query_one("#username", Input).value.strip() or None
        self._status("Checking the token…")
        self._check(token, username)

    @work(exclusive=True, group="welcome-check", exit_on_error=False, description="check the token")
    async def _check(self, token: Token, username: str | None) -> None:
        from scarf_tui.api import make_service_for
        from scarf_tui.config import ConfigError, save_values

        session = session_of(self)
        name = username or session.settings.username
        try:
            service = make_service_for(replace(session.settings, token=token), username=name)
        except ScarfError as err:  # a bad URL from the config or the environment
            self._failed(err)
            return
        if service.capabilities.version == "v2" and not name:
            # API v2 has no "who am I": without the username nothing can be listed.
            await service.aclose()
            self._status(NEED_USERNAME, error=True)
            self.query_one("#username", Input).focus()
            return
        try:
            await service.list_packages()
        except ScarfError as err:  # wrong token, no network, a server that lies...
            await service.aclose()
            self._failed(err)
            return
        # Only what the user typed here goes into the file in use (--config / SCARF_TUI_CONFIG),
        # never flags or environment overrides; other keys and comments stay as they were.
        entered: dict[str, object] = {"token": token}
        if username:
            entered["username"] = username
        try:
            path = save_values(session.config_path, entered)
        except (ConfigError, OSError) as err:  # keep going with the session, say why
            self.app.notify(describe_error(err), severity="warning", markup=False)
        else:
            self.app.notify(f"Token saved to {path}.", markup=False)
        session.settings = replace(session.settings, token=token, username=username or session.settings.username)
        self.post_message(ServiceReady(service, session.settings.username))

    def _failed(self, err: BaseException) -> None:
        message = describe_error(err)
        self._status(Text.assemble(("⚠ ", "bold"), safe(message)), error=True)
        self.app.notify(message, severity="error", markup=False)

    @on(Button.Pressed, "#demo")
    def action_demo(self) -> None:
        self._status("Starting the demo server…")
        self._start_demo()

    @work(exclusive=True, group="welcome-demo", thread=True, exit_on_error=False)
    def _start_demo(self) -> None:
        from scarf_tui.tui.demo_door import start_demo_session

        app = self.app
        session = session_of(self)
        try:
            # The demo serves all three sources: pypicloud and PurlDB (look-ups enabled) too.
            service, username, (session.pypicloud, session.purldb) = start_demo_session(session.resources)
        except (OSError, RuntimeError) as err:
            app.call_from_thread(self._status, f"The demo server did not start: {err}", error=True)
            return
        app.call_from_thread(self.post_message, ServiceReady(service, username))
