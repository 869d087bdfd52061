"""`scarf-tui keys`: every binding id of the TUI, with the keys in force and what it does.

    scarf-tui keys [--format table|toml] [--config PATH]

The bindings are read from the TUI's classes (scarf_tui.tui.keymap_table) without starting the
app, and config.toml's [keymap] (the file of --config or SCARF_TUI_CONFIG, as for every command)
is applied. ``--format toml`` prints a ``[keymap]`` table ready to paste into config.toml. A
[keymap] entry that names no binding id is reported with one sentence each on stderr, after the
listing, and the exit code is 2. The output is plain text: nothing in it is read as markup.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from scarf_tui.exit_codes import EXIT_BAD_INPUT, EXIT_CODES_HELP, EXIT_OK

if TYPE_CHECKING:
    from scarf_tui.tui.keymap_table import KeyBinding

PROG = "scarf-tui keys"
FORMATS = ("table", "toml")
ID_WIDTH = 34  # columns of the table (wider when an id or its keys need it)
KEYS_WIDTH = 24


def add_keys_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "keys",
        help="list every key binding id with its keys in force (or as a [keymap] table to paste)",
        description=(
            "List every key binding of the TUI by id, grouped by where it applies, with the keys in\n"
            "force (config.toml's [keymap] applied) and what it does. --format toml prints a\n"
            "[keymap] table ready to paste into config.toml."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    # SUPPRESS: a value given before "keys" (scarf-tui --config x keys) is kept.
    parser.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config.toml to read")
    return parser


def run_keys(args: argparse.Namespace, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    """Print the bindings; 2 when the [keymap] names an unknown id (the listing is printed too)."""
    from scarf_tui.config import config_path, load_settings
    from scarf_tui.tui.keymap_table import apply_keymap, default_bindings, unknown_ids

    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    config = getattr(args, "config", None)
    keymap = load_settings(config).keymap  # a bad config file: ConfigError, exit 2 (cli.main)
    defaults = default_bindings()
    bindings = apply_keymap(defaults, keymap)
    text = render_toml(bindings) if args.format == "toml" else render_table(bindings)
    try:
        out.write(text)
        out.flush()
    except BrokenPipeError:  # `| head` has what it wanted
        return EXIT_OK
    unknown = unknown_ids(defaults, keymap)
    if not unknown:
        return EXIT_OK
    shown = config if config is not None else config_path()
    known = [binding.binding_id for binding in defaults]
    for binding_id in unknown:
        err.write(f"{PROG}: {unknown_id_sentence(binding_id, shown, known)}\n")
    err.flush()
    return EXIT_BAD_INPUT


def unknown_id_sentence(binding_id: str, config: object, known: Sequence[str]) -> str:
    """The sentence for a [keymap] entry that names no binding."""
    sentence = f"[keymap] in {plain(str(config))} names {quoted(binding_id)}, which is no binding id"
    close = difflib.get_close_matches(binding_id, known, n=1)
    if close:
        sentence += f" (did you mean {quoted(close[0])}?)"
    return sentence + "; it was not applied."


# --- rendering -----------------------------------------------------------------------------------


def render_table(bindings: Sequence[KeyBinding]) -> str:
    """One block per group ("app (ScarfApp)"), one line per id: id, keys, description; a
    remapped id says its default keys."""
    id_width = max([ID_WIDTH, *(len(b.binding_id) + 2 for b in bindings)])
    keys_width = max([KEYS_WIDTH, *(len(",".join(b.keys)) + 2 for b in bindings)])
    lines = [f"  {'ID':<{id_width}}{'KEYS':<{keys_width}}WHAT"]
    for group, members in _grouped(bindings).items():
        owners = sorted({owner for binding in members for owner in binding.declared_by})
        lines.append("")
        lines.append(f"{group} ({', '.join(owners)})" if owners else group)
        for binding in members:
            what = plain(binding.description)
            if binding.remapped:
                what += f"  (default {','.join(binding.default_keys)})"
            keys = plain(",".join(binding.keys))
            lines.append(f"  {binding.binding_id:<{id_width}}{keys:<{keys_width}}{what}".rstrip())
    return "\n".join(lines) + "\n"


def render_toml(bindings: Sequence[KeyBinding]) -> str:
    """A [keymap] table with every id and its keys in force, a comment per group and per line."""
    lines = [
        "# scarf-tui key bindings: paste into config.toml and edit the keys you want to change.",
        "# Several keys for one id are separated by commas; `scarf-tui keys` lists them.",
        "[keymap]",
    ]
    for group, members in _grouped(bindings).items():
        lines.append(f"# {group}")
        for binding in members:
            keys = quoted(",".join(binding.keys))
            lines.append(f"{quoted(binding.binding_id)} = {keys}  # {plain(binding.description)}")
    return "\n".join(lines) + "\n"


def _grouped(bindings: Sequence[KeyBinding]) -> dict[str, list[KeyBinding]]:
    groups: dict[str, list[KeyBinding]] = {}
    for binding in bindings:
        groups.setdefault(binding.group, []).append(binding)
    return groups


def plain(text: str) -> str:
    """``text`` on one line: control characters (a newline, an escape) shown as \\uXXXX."""
    return "".join(c if c.isprintable() else _escape(c) for c in text)


def _escape(char: str) -> str:
    return f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}"


def quoted(text: str) -> str:
    """``text`` as a TOML basic string (also fine in a sentence)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{plain(escaped)}"'


__all__ = ["add_keys_parser", "render_table", "render_toml", "run_keys", "unknown_id_sentence"]
