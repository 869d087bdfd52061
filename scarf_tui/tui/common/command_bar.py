"""The `:` command bar (k9s style): `:pkgs`, `:pkg NAME`, `:org NAME`, `:perms`, `:q` ...

Parsing is pure (`parse_command`) so it is testable without a terminal; the bar itself is a small
modal with tab completion over commands and the names the app already knows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static

# canonical command -> accepted spellings
ALIASES: dict[str, tuple[str, ...]] = {
    "orgs": ("orgs", "organizations", "os"),
    "org": ("org", "organization", "o"),
    "pkgs": ("pkgs", "packages", "ps"),
    "pkg": ("pkg", "package", "p"),
    "perms": ("perms", "permissions", "perm"),
    "routes": ("routes", "route"),
    "domains": ("domains", "domain"),
    "members": ("members", "users"),
    "matrix": ("matrix", "access"),
    "charts": ("charts", "chart", "stats"),
    "overview": ("overview", "info"),
    "export": ("export", "exp"),
    "pixels": ("pixels", "pixel", "px"),
    "collections": ("collections", "collection", "cols"),
    "pypicloud": ("pypicloud", "pypi", "pc"),
    "purl": ("purl",),
    "help": ("help", "h", "?"),
    "quit": ("q", "quit", "q!", "exit"),
}
_LOOKUP = {alias: name for name, spellings in ALIASES.items() for alias in spellings}

# What each command's argument names, for completion.
ARGUMENT_KIND: dict[str, str] = {
    "org": "org",
    "pkgs": "org",
    "members": "org",
    "matrix": "org",
    "pkg": "package",
    "perms": "package",
    "routes": "package",
    "domains": "package",
    "charts": "package",
    "overview": "package",
    "export": "package",
    "pypicloud": "pypicloud",
    "pixels": "org",
    "collections": "org",
}

HELP_LINES = (
    ":pkgs [ORG]   packages (yours, or one org's)",
    ":pkg NAME     open a package",
    ":orgs         organizations",
    ":org NAME     open an organization",
    ":perms :routes :domains :charts [PKG]   a package tab",
    ":members [ORG]   an organization's members",
    ":matrix [ORG]    packages × users: everyone's permission levels (alias :access)",
    ":export [PKG]    export events or aggregates to a file",
    ":pypicloud [users|groups|PKG]   your pypicloud server",
    ":purl pkg:npm/foo@1.2.0   a package's PurlDB details",
    ":pixels [OWNER]  tracking pixels · :collections [OWNER]  docker collections (API v2)",
    ":q            quit",
)


@dataclass(frozen=True)
class Command:
    name: str
    argument: str | None = None


class UnknownCommand(ValueError):
    pass


def parse_command(text: str) -> Command:
    """`"pkg widget-cli"` -> Command("pkg", "widget-cli"). Raises UnknownCommand."""
    text = text.strip().lstrip(":").strip()
    if not text:
        raise UnknownCommand("Type a command, e.g. :pkgs, :pkg NAME, :orgs, :org NAME, :q.")
    verb, _, rest = text.partition(" ")
    name = _LOOKUP.get(verb.casefold())
    if name is None:
        raise UnknownCommand(f"Unknown command :{verb}. Try :pkgs, :pkg NAME, :orgs, :org NAME, :perms, :q.")
    return Command(name, rest.strip() or None)


class CommandSuggester(Suggester):
    """Completes the verb, then the argument from names the app has already loaded."""

    def __init__(self, names: Callable[[str], Iterable[str]]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self._names = names

    async def get_suggestion(self, value: str) -> str | None:
        stripped = value.lstrip(":")
        prefix = value[: len(value) - len(stripped)]
        verb, space, rest = stripped.partition(" ")
        if not space:
            if not verb:
                return None
            for name in ALIASES:
                if name.startswith(verb.casefold()) and name != verb:
                    return prefix + name
            return None
        kind = ARGUMENT_KIND.get(_LOOKUP.get(verb.casefold(), ""))
        if kind is None or not rest:
            return None
        for candidate in sorted(set(self._names(kind))):
            if candidate.casefold().startswith(rest.casefold()) and candidate != rest:
                return f"{prefix}{verb} {candidate}"
        return None


class CommandInput(Input):
    BINDINGS = [
        Binding("tab", "complete", "Complete", id="command_bar.complete"),
    ]

    def action_complete(self) -> None:
        self.action_cursor_right()  # at the end of the value this accepts the suggestion


class CommandBar(ModalScreen[str | None]):
    """Returns the typed command text, or None when dismissed with esc."""

    DEFAULT_CSS = """
    CommandBar { align: left top; background: $background 40%; }
    CommandBar > Vertical { height: auto; width: 100%; margin-top: 1; background: $panel; }
    CommandBar #command-line { height: 1; background: $boost; }
    CommandBar #command-line > .prompt { width: 2; padding-left: 1; color: $accent; text-style: bold; }
    CommandBar CommandInput, CommandBar CommandInput:focus {
        border: none; height: 1; padding: 0; width: 1fr; background: $boost;
    }
    CommandBar .hint { color: $text-muted; padding: 0 1; height: auto; border-top: solid $accent 40%; }
    """

    BINDINGS = [
        Binding("escape", "dismiss_bar", "Close", id="command_bar.close"),
    ]

    def __init__(self, names: Callable[[str], Iterable[str]]) -> None:
        super().__init__()
        self._names = names

    def compose(self) -> ComposeResult:
        with Vertical():
            with Horizontal(id="command-line"):
                yield Static(":", classes="prompt")
                yield CommandInput(
                    placeholder="pkgs  pkg NAME  orgs  org NAME  perms  q   (tab completes, esc closes)",
                    suggester=CommandSuggester(self._names),
                    id="command",
                )
            yield Static("\n".join(HELP_LINES), classes="hint", markup=False)

    def on_mount(self) -> None:
        self.query_one(CommandInput).focus()

    def action_dismiss_bar(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#command")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)
