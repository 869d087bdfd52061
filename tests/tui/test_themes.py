"""Themes: the 16-colour and NO_COLOR themes, which one the app starts with, and the chosen one
kept in config.toml (scarf_tui/tui/themes.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from scarf_tui.config import Settings, load_settings
from scarf_tui.demo.store import build_demo_store
from scarf_tui.tui.app import ScarfApp
from scarf_tui.tui.session import Session
from scarf_tui.tui.themes import THEME_16, THEME_NO_COLOR, few_colours

from .helpers import FIXED_TODAY, service_for, settle


def themed_app(env: dict[str, str], *, settings: Settings | None = None, config: Path | None = None,
               service=None) -> ScarfApp:  # noqa: ANN001
    session = Session(service=service, settings=settings or Settings(), today=FIXED_TODAY, username="maintainer",
                      config_path=config)
    return ScarfApp(session, close_service_on_exit=service is not None, env=env)


def demo_app(env: dict[str, str], **kwargs) -> ScarfApp:  # noqa: ANN003
    return themed_app(env, service=service_for(build_demo_store(today=FIXED_TODAY)), **kwargs)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"TERM": "xterm"}, True),
        ({"TERM": "linux"}, True),
        ({"TERM": "xterm-16color"}, True),
        ({"TERM": "xterm-256color"}, False),
        ({"TERM": "xterm", "COLORTERM": "truecolor"}, False),
        ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, True),
        ({}, False),
        ({"TERM": "dumb"}, False),
    ],
)
def test_few_colours_reads_term_colorterm_and_textuals_setting(env, expected) -> None:
    assert few_colours(env) is expected


async def test_a_16_colour_terminal_gets_the_16_colour_theme_without_red_for_neutral_text() -> None:
    app = themed_app({"TERM": "xterm"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == THEME_16
        variables = app.theme_variables
        # The default theme's orange accent becomes bright red on 16 colours; ours is cyan.
        assert variables["footer-key-foreground"] == "ansi_cyan"
        assert app.current_theme.accent == "ansi_cyan"
        assert variables["block-cursor-text-style"] == "reverse"


async def test_a_256_colour_terminal_keeps_textuals_default_theme() -> None:
    app = themed_app({"TERM": "xterm-256color"})
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"


async def test_a_theme_picked_in_the_app_is_written_to_config_toml(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('# mine\napi_url = "https://api.scarf.sh/v2"\n', encoding="utf-8")
    app = themed_app({"TERM": "xterm-256color"}, config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "theme" not in tomllib.loads(config.read_text(encoding="utf-8"))  # starting writes nothing
        app.theme = "nord"  # what ctrl+p "Change theme" does
        await settle(pilot)
    text = config.read_text(encoding="utf-8")
    assert text == '# mine\napi_url = "https://api.scarf.sh/v2"\ntheme = "nord"\n'
    assert load_settings(config, env={}).theme == "nord"
    # The next start uses it.
    again = themed_app({"TERM": "xterm"}, settings=load_settings(config, env={}), config=config)
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_no_color_wins_over_the_configured_theme_and_is_not_written(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('theme = "nord"\n', encoding="utf-8")
    app = themed_app({"NO_COLOR": "1", "TERM": "xterm-256color"}, settings=load_settings(config, env={}), config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == THEME_NO_COLOR
        assert app.theme_variables["block-cursor-text-style"] == "reverse"
    assert config.read_text(encoding="utf-8") == 'theme = "nord"\n'


async def test_an_empty_no_color_does_not_count_and_an_unknown_theme_falls_back() -> None:
    app = themed_app({"NO_COLOR": "", "TERM": "xterm-256color"}, settings=Settings(theme="gone-theme"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"


def test_a_theme_that_is_not_a_string_is_refused(tmp_path) -> None:
    from scarf_tui.config import ConfigError

    config = tmp_path / "config.toml"
    config.write_text("theme = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(config, env={})
    assert str(err.value) == f"In {config}, 'theme' must be a theme name, not int."


def test_snapshot_packages_under_no_color(snap_compare, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")  # Textual reads it too (its colour filter)
    assert snap_compare(demo_app({"NO_COLOR": "1"}), terminal_size=(80, 24), run_before=settle)


def test_snapshot_packages_in_16_colours(snap_compare) -> None:
    assert snap_compare(demo_app({"TERM": "xterm"}), terminal_size=(80, 24), run_before=settle)
