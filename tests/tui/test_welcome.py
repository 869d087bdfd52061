"""First run: no token, no demo -> Welcome. The token is checked against the server before it
is saved (mode 0600), and never shown."""

from __future__ import annotations

import stat
import tomllib

from textual.widgets import Input
from textual.worker import Worker

from scarf_tui.config import Settings
from scarf_tui.tui.packages.list_screen import PackagesScreen
from scarf_tui.tui.welcome import NEED_USERNAME, WelcomeScreen

from .helpers import make_app, press, settle

WRONG = "wrong-token-123"


async def test_welcome_checks_then_saves_the_token(live_server, tmp_path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("SCARF_TUI_CONFIG", str(config))
    app = make_app(None, settings=Settings(api_url=live_server), username=None)
    seen: list[object] = []
    async with app.run_test(size=(80, 24), message_hook=seen.append) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, WelcomeScreen)
        token_input = app.screen.query_one("#token", Input)
        assert token_input.password

        await pilot.press(*WRONG)
        await press(pilot, "enter")
        # Textual logs workers by their description: the checking worker must not carry the token.
        described = [repr(m.worker) + str(m.worker.description) for m in seen if isinstance(m, Worker.StateChanged)]
        assert described and not any(WRONG in text for text in described)
        assert isinstance(app.screen, WelcomeScreen)
        assert not config.exists()
        status = str(app.screen.query_one("#welcome-status").render())
        assert "⚠" in status and WRONG not in status
        assert WRONG not in str(app.export_screenshot())

        token_input.value = ""
        await pilot.press(*"demo")
        await press(pilot, "tab", *"maintainer", "enter")
        assert isinstance(app.screen, PackagesScreen)
        assert app.session.username == "maintainer"
        assert config.exists()
        assert stat.S_IMODE(config.stat().st_mode) == 0o600
        saved = tomllib.loads(config.read_text())
        assert saved["token"] == "demo" and saved["username"] == "maintainer"


async def test_welcome_on_v2_asks_for_the_username(live_server, tmp_path, monkeypatch) -> None:
    """API v2 has no "who am I": without a username the welcome screen says so, keeps the
    token typed, and saves nothing; with it, the token is checked and saved."""
    config = tmp_path / "config.toml"
    monkeypatch.setenv("SCARF_TUI_CONFIG", str(config))
    v2_url = live_server.removesuffix("/api") + "/v2"
    app = make_app(None, settings=Settings(api_url=v2_url), username=None)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press(*"demo")
        await press(pilot, "enter")
        assert isinstance(app.screen, WelcomeScreen)
        assert str(app.screen.query_one("#welcome-status").render()) == NEED_USERNAME
        assert app.screen.query_one("#token", Input).value == "demo"  # nothing typed is lost
        assert app.focused is app.screen.query_one("#username", Input)
        assert not config.exists()
        await press(pilot, *"maintainer", "enter")
        assert isinstance(app.screen, PackagesScreen)
        assert tomllib.loads(config.read_text())["username"] == "maintainer"
