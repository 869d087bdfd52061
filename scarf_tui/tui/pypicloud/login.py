"""Signing in to pypicloud: URL, user name and password (never echoed), checked against the
server (GET /api/package/) before the session uses them. Optionally saved to the [pypicloud]
table of config.toml, which stays readable only by the user.

Opened by `:pypicloud` when no account is set, and again whenever the server answers 401.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Static

from scarf_tui.api.errors import ScarfError
from scarf_tui.config import Token
from scarf_tui.tui.common.errors import describe_error
from scarf_tui.tui.common.styles import style_path
from scarf_tui.tui.common.text import safe
from scarf_tui.tui.session import session_of

INTRO = "Sign in to your pypicloud server. The password is checked against the server before it is used."


class PypicloudLogin(ModalScreen[bool]):
    """Dismisses True once a service signed in to the server is in the session."""

    CSS_PATH = style_path("pypicloud.tcss")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="pypicloud_login.cancel")]

    def __init__(self, reason: str | None = None) -> None:
        super().__init__(classes="pypicloud-login")
        self.reason = reason

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Static(Text("pypicloud sign-in", style="bold"), id="login-title")
            yield Static(INTRO, id="login-intro", markup=False)
            yield Label("Server URL")
            yield Input(placeholder="https://pypi.example.com", id="login-url")
            yield Label("User name")
            yield Input(placeholder="user name", id="login-username")
            yield Label("Password")
            yield Input(password=True, placeholder="password, then enter", id="login-password")
            yield Checkbox("Save to config.toml (kept readable only by you)", id="login-save")
            yield Static("", id="login-status")
            with Horizontal(id="login-buttons"):
                yield Button("Sign in", variant="primary", id="login-submit", compact=True)
                yield Button("Cancel", id="login-cancel", compact=True)

    def on_mount(self) -> None:
        session = session_of(self)
        current = session.pypicloud
        url = current.base_url if current is not None else session.pypicloud_url
        username = current.username if current is not None else None
        self.query_one("#login-url", Input).value = url or ""
        self.query_one("#login-username", Input).value = username or ""
        if self.reason:
            self._status(self.reason, error=True)
        first = "#login-password" if url and username else "#login-username" if url else "#login-url"
        self.query_one(first, Input).focus()

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#login-status", Static)
        status.update(Text.assemble(("⚠ " if error else "", "bold"), safe(text)))
        status.set_class(error, "-error")

    def action_cancel(self) -> None:
        self.dismiss(False)

    @on(Button.Pressed, "#login-cancel")
    def _cancel(self) -> None:
        self.dismiss(False)

    @on(Input.Submitted)
    @on(Button.Pressed, "#login-submit")
    def _submit(self) -> None:
        url = self.query_one("#login-url", Input).value.strip()
        username = self.query_one("#login-username", Input).value.strip()
        password = self.query_one("#login-password", Input).value
        missing = [name for name, value in (("the server URL", url), ("a user name", username),
                                            ("the password", password)) if not value]
        if missing:
            self._status(f"Type {' and '.join(missing)} first.", error=True)
            return
        self._status("Signing in…")
        # Wrapped at once: a worker's description is the repr of its arguments.
        self._check(url, username, Token(password), self.query_one("#login-save", Checkbox).value)

    @work(exclusive=True, group="pypicloud-login", exit_on_error=False, description="pypicloud sign-in")
    async def _check(self, url: str, username: str, password: Token, save: bool) -> None:
        from scarf_tui.config import ConfigError, save_values
        from scarf_tui.sources.pypicloud import make_pypicloud_service

        session = session_of(self)
        try:
            service = make_pypicloud_service(url, username, password)
        except ScarfError as err:  # an insecure or malformed URL
            self._status(describe_error(err), error=True)
            return
        try:
            await service.package_names()
        except ScarfError as err:
            await service.aclose()
            self._status(describe_error(err), error=True)
            return
        old, session.pypicloud = session.pypicloud, service
        session.pypicloud_url = service.base_url
        session.pypicloud_not_admin = None
        if old is not None:
            await old.aclose()
        if save:
            try:
                path = save_values(
                    session.config_path,
                    {"pypicloud": {"url": url, "username": username, "password": password.reveal()}},
                )
            except (ConfigError, OSError) as err:
                self.app.notify(describe_error(err), severity="warning", markup=False)
            else:
                self.app.notify(f"pypicloud sign-in saved to {path}.", markup=False)
        self.dismiss(True)


def ask_to_sign_in(node: DOMNode, sentence: str, then: Callable[[], object]) -> None:
    """Open the sign-in dialog (once) with the 401 sentence; run `then` after a success."""
    app = node.app
    if any(isinstance(screen, PypicloudLogin) for screen in app.screen_stack):
        return

    def done(ok: bool | None) -> None:
        if ok:
            then()

    app.push_screen(PypicloudLogin(sentence), done)
