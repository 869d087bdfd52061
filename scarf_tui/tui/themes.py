"""Themes: a 16-colour one for terminals that report few colours, a NO_COLOR one, and which
theme the app starts with and keeps.

Both of ours use the terminal's own ANSI colours (`ansi=True`), so nothing is downsampled: the
default theme's orange accent becomes bright red on a 16-colour terminal, which made neutral
text (the chart header, the footer keys) look like an error. The cursor row is reverse video,
which reads the same in any palette and without colour at all.

Which theme the app starts with, strongest first: NO_COLOR (set and non-empty, as no-color.org
asks), then `theme` in config.toml, then the 16-colour theme when the terminal reports few
colours (`TERM` without a 256-colour suffix and no `COLORTERM`, or TEXTUAL_COLOR_SYSTEM), then
Textual's default. A theme chosen with ctrl+p "Change theme" is written to config.toml.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual.app import App
from textual.theme import Theme

from scarf_tui.config import ConfigError, Settings, save_values

THEME_16 = "scarf-16"
THEME_NO_COLOR = "scarf-no-color"

_REVERSE_CURSOR = {
    "ansi-background": "ansi_default",  # Textual's own CSS reads these two in ANSI themes
    "ansi-foreground": "ansi_default",
    "block-cursor-foreground": "ansi_default",
    "block-cursor-background": "ansi_default",
    "block-cursor-text-style": "reverse",
    "block-cursor-blurred-foreground": "ansi_default",
    "block-cursor-blurred-background": "ansi_default",
    "block-cursor-blurred-text-style": "none",
    "input-cursor-text-style": "reverse",
    "input-selection-background": "ansi_default",
    "input-selection-foreground": "ansi_default",
    "screen-selection-background": "ansi_default",
    "screen-selection-foreground": "ansi_default",
    "border-blurred": "ansi_default",
}

SIXTEEN_COLOURS = Theme(
    name=THEME_16,
    ansi=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    accent="ansi_cyan",  # headers, focus borders, footer keys: never red
    warning="ansi_yellow",
    error="ansi_red",  # errors only
    success="ansi_green",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        **_REVERSE_CURSOR,
        "footer-key-foreground": "ansi_cyan",
        "footer-description-foreground": "ansi_default",
        "text-muted": "ansi_bright_black",
    },
)

NO_COLOUR = Theme(
    name=THEME_NO_COLOR,
    ansi=True,
    primary="ansi_default",
    secondary="ansi_default",
    accent="ansi_default",
    warning="ansi_default",
    error="ansi_default",
    success="ansi_default",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        **_REVERSE_CURSOR,
        "footer-key-foreground": "ansi_default",
        "footer-key-background": "ansi_default",
        "footer-description-foreground": "ansi_default",
        "footer-background": "ansi_default",
        "text-muted": "ansi_default",
        "text-primary": "ansi_default",
        "text-accent": "ansi_default",
        "text-warning": "ansi_default",
        "text-error": "ansi_default",
        "text-success": "ansi_default",
    },
)

OUR_THEMES = (SIXTEEN_COLOURS, NO_COLOUR)


def no_color(env: Mapping[str, str]) -> bool:
    """NO_COLOR is set to something (an empty value does not count)."""
    return bool(env.get("NO_COLOR", ""))


def few_colours(env: Mapping[str, str]) -> bool:
    """The terminal reports 16 colours or fewer: TEXTUAL_COLOR_SYSTEM says so, or TERM has no
    256-colour suffix and COLORTERM does not promise true colour. No TERM at all (a test, a
    pipe) says nothing."""
    system = env.get("TEXTUAL_COLOR_SYSTEM", "").strip().lower()
    if system in ("standard", "windows"):
        return True
    if system in ("256", "truecolor"):
        return False
    if env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return False
    term = env.get("TERM", "").strip().lower()
    if not term or term == "dumb":
        return False
    return term.rpartition("-")[2] not in ("256color", "kitty", "direct", "truecolor")


def starting_theme(settings: Settings, env: Mapping[str, str], available: Mapping[str, Theme]) -> str | None:
    """The theme to start with, or None for Textual's default (see the module docstring)."""
    if no_color(env):
        return THEME_NO_COLOR
    if settings.theme and settings.theme in available:
        return settings.theme
    if few_colours(env):
        return THEME_16
    return None


class ThemeKeeper:
    """Registers our themes on the app, applies the starting theme, and writes a theme the user
    picks later (ctrl+p "Change theme") to config.toml as `theme`."""

    def __init__(self, app: App[Any], settings: Settings, env: Mapping[str, str], config_path: Path | None) -> None:
        self.app = app
        self.settings = settings
        self.config_path = config_path
        for theme in OUR_THEMES:
            app.register_theme(theme)
        chosen = starting_theme(settings, env, app.available_themes)
        if chosen is not None:
            app.theme = chosen
        self.current = app.theme

    def watch(self) -> None:
        """Start writing changes (call once the app runs)."""
        self.app.theme_changed_signal.subscribe(self.app, self.changed)

    def changed(self, theme: Theme) -> None:
        if theme.name == self.current:
            return  # the starting theme being applied, or no change
        self.current = theme.name
        self.settings.theme = theme.name
        try:
            save_values(self.config_path, {"theme": theme.name})
        except ConfigError as err:
            self.app.notify(f"Theme {theme.name} is used now but not kept: {err}", severity="warning", markup=False)


__all__ = ["NO_COLOUR", "SIXTEEN_COLOURS", "THEME_16", "THEME_NO_COLOR", "ThemeKeeper", "few_colours", "no_color",
           "starting_theme"]
