"""The `scarf-tui` command.

    scarf-tui [--demo [--demo-scale N]] [--org NAME] [--user NAME] [--read-only] [--offline]
              [--api-url URL] [--config PATH] [--log FILE]
    scarf-tui login [--user NAME] [--api-url URL] [--no-verify]
    scarf-tui demo-server [--host 127.0.0.1] [--port 8765] [--faults "latency=0.2,error_rate=0.1"] [--hostile]
                          [--demo-scale N]
    scarf-tui export ...          (scarf_tui/export_cli.py, when present)
    scarf-tui keys [--format table|toml]   (scarf_tui/keys_cli.py)

Problems the user can fix (config file, API URL, bad arguments) print one line on stderr and
exit with status 2, never a traceback. Heavy imports (Textual, uvicorn) happen only in the
command that needs them, so `--version` and `--help` are instant.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import IO, TYPE_CHECKING

from scarf_tui import __version__
from scarf_tui.exit_codes import EXIT_BAD_INPUT, EXIT_INTERRUPTED, EXIT_OK, exit_code_for

if TYPE_CHECKING:
    from scarf_tui.config import Limits, Token

# One exit-code table for every command: scarf_tui/exit_codes.py (and the README's "Exit codes").
EXIT_USAGE = EXIT_BAD_INPUT

DESCRIPTION = "A keyboard-first terminal UI for Scarf: organizations, packages, permissions, downloads."
EPILOG = """\
environment:
  SCARF_API_TOKEN   API token (overrides config.toml)
  SCARF_API_URL     API base URL (default https://scarf.sh/api)
  SCARF_USERNAME    your Scarf username (v1 has no "who am I" endpoint)
  SCARF_TUI_CONFIG  path of config.toml (default: the platform's user config dir)

Try it without an account: scarf-tui --demo"""


class UsageProblem(Exception):
    """Something the user can fix; str() is the one line we print."""


# Subcommands whose modules take a while to import (Rich, the exporters): left out of the parser
# when the command line names none of them, so the TUI starts sooner.
OPTIONAL_COMMANDS = ("export", "serve", "stats", "keys")


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser; given ``argv`` that names no optional subcommand (and no --help), one
    without them."""
    parser = argparse.ArgumentParser(
        prog="scarf-tui",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,  # "--api v2" must never be read as an abbreviation of --api-url
    )
    parser.add_argument("--version", action="version", version=f"scarf-tui {__version__}")
    parser.add_argument("--demo", action="store_true", help="explore the embedded demo server (no account needed)")
    parser.add_argument("--org", metavar="NAME", help="open this organization")
    parser.add_argument("--user", metavar="NAME", help="your Scarf username (default: config or SCARF_USERNAME)")
    parser.add_argument("--read-only", action="store_true", help="disable every write (browse safely)")
    parser.add_argument(
        "--offline", action="store_true", help="browse the last-known lists only (no network; every write refused)"
    )
    add_demo_scale_argument(parser)
    parser.add_argument("--api-url", metavar="URL", help="API base URL (default: config, SCARF_API_URL or https://scarf.sh/api)")
    parser.add_argument("--config", metavar="PATH", help="config.toml to read instead of the default")
    parser.add_argument(
        "--log", metavar="FILE", help="append a debug line per request to FILE (method, path, status, ms, bytes; "
        "never a token or a body); created 0600"
    )
    parser.add_argument(
        "--pypicloud", metavar="URL", help="open this pypicloud server (default: [pypicloud] url or PYPICLOUD_URL)"
    )
    parser.add_argument(
        "--api",
        choices=("v1", "v2"),
        type=str.lower,
        default=None,
        help="Scarf API version (default: SCARF_API_VERSION, api_version in config, else from the URL; "
        "--demo uses v2)",
    )

    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    add_login_parser(subparsers)
    add_demo_server_parser(subparsers)
    if argv is None or _names_a_command(argv):
        _add_optional_subcommands(subparsers)
    for sub in subparsers.choices.values():
        sub.allow_abbrev = False  # subcommands from other modules too
    return parser


_VALUE_OPTIONS = ("--org", "--user", "--api-url", "--config", "--pypicloud", "--api", "--demo-scale", "--log")


def _names_a_command(argv: Sequence[str]) -> bool:
    """True when ``argv`` has a bare word other than an option's value (a subcommand, or a typo
    of one: its error lists every command), or asks for help."""
    words = iter(argv)
    for word in words:
        if word.startswith(("-h", "--h")):
            return True
        if word in _VALUE_OPTIONS:
            next(words, None)
        elif not word.startswith("-"):
            return True
    return False


def add_login_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    login = subparsers.add_parser(
        "login",
        help="store your API token (and username) in config.toml, readable only by you",
        description=(
            "Read the API token (hidden prompt, or one line on stdin), check it against the API "
            "and save it to config.toml with mode 0600. Find the token on https://scarf.sh/user-account."
        ),
    )
    # Also accepted after "login"; SUPPRESS keeps a value given before it.
    login.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help="your Scarf username, saved too")
    login.add_argument("--api-url", metavar="URL", default=argparse.SUPPRESS, help="API base URL, saved too")
    login.add_argument("--no-verify", action="store_true", help="save without checking the token first")
    login.set_defaults(run=run_login)
    return login


def add_demo_server_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    demo = subparsers.add_parser(
        "demo-server",
        help="run the embedded Scarf-compatible server on a socket (for curl and tests)",
        description=(
            "Serve the demo Scarf API v2 at http://HOST:PORT/v2 and v1 at http://HOST:PORT/api, "
            "over one dataset (token: demo)."
        ),
    )
    demo.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    demo.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 picks a free one)")
    demo.add_argument(
        "--faults",
        default="",
        metavar="SPEC",
        help='inject faults, e.g. "latency=0.2,error_rate=0.1,rate_limit_every=5,cut_stream=1"',
    )
    demo.add_argument("--hostile", action="store_true", help="add records with markup, ANSI and control characters")
    add_demo_scale_argument(demo, default=argparse.SUPPRESS)  # also given before "demo-server"
    demo.set_defaults(run=run_demo_server)
    return demo


MAX_DEMO_SCALE = 20_000  # scarf_tui.demo.scale.MAX_SCALE (not imported: --help stays quick)


def _demo_scale(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= MAX_DEMO_SCALE:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_DEMO_SCALE:,}, not {text!r}")
    return int(text)


def add_demo_scale_argument(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument(
        "--demo-scale",
        metavar="N",
        type=_demo_scale,
        default=default,
        help=f"add the demo organization 'atlas' with N packages (up to {MAX_DEMO_SCALE:,}), 500 members "
        "and permissions on every package",
    )


def _add_optional_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Subcommands that live in their own modules: each provides ``add_<name>_parser`` and
    ``run_<name>(args) -> int``."""
    from scarf_tui import export_cli

    export_parser = export_cli.add_export_parser(subparsers)
    export_parser.set_defaults(run=lambda args: export_cli.run_export(args))

    # serve and stats: their modules import aiohttp/Rich/the API only when they run.
    from scarf_tui import serve_cli, stats_cli

    serve_cli.add_serve_parser(subparsers).set_defaults(run=lambda args: serve_cli.run_serve(args))
    stats_cli.add_stats_parser(subparsers).set_defaults(run=lambda args: stats_cli.run_stats(args))

    from scarf_tui import keys_cli  # imports the TUI's modules only when it runs

    keys_cli.add_keys_parser(subparsers).set_defaults(run=lambda args: keys_cli.run_keys(args))


# ---------------------------------------------------------------------------------------------
# Commands
# ---------------------------------------------------------------------------------------------


def launch_tui(args: argparse.Namespace) -> int:
    import gc

    # Start-up allocates much and frees little: the collector waits until the first list is on
    # screen (run_tui turns it back on then), or until the TUI ends.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _launch_tui(args)
    finally:
        if was_enabled:
            gc.enable()


def _launch_tui(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scarf_tui.config import load_settings

    settings = load_settings(args.config)
    if args.api_url:
        settings.api_url = args.api_url.strip()
    if args.read_only:
        settings.read_only = True
    if args.demo_scale and not args.demo:
        raise UsageProblem("--demo-scale needs --demo (or use it with demo-server).")
    if args.offline and args.demo:
        raise UsageProblem("--offline and --demo don't go together: the demo needs no network.")
    from scarf_tui.tui.run import nothing_saved, run_tui, saved_lists_for, start_first_pages

    username = args.user or settings.username
    api = getattr(args, "api", None)
    # Nothing saved to paint: a child process checks the URL and fetches the first list while
    # the screen starts (run_tui waits for its verdict on the URL before the screen).
    first_pages = None
    if not args.demo and settings.token and not args.offline and nothing_saved(settings, api, username):
        first_pages = start_first_pages(settings, api, username, args.org)
    saved = None
    if not args.demo and (settings.token or args.offline):
        try:
            saved = saved_lists_for(settings, getattr(args, "api", None), username, offline=args.offline)
        except ValueError:  # a malformed URL or version: the checks below say what is wrong
            saved = None
    # Refuse an insecure or malformed URL before the screen takes over the terminal. Lists saved
    # for this very URL mean it passed this check before, so start-up skips loading the URL
    # parser (the client checks it again before any request); the child checks it otherwise.
    if not args.demo and first_pages is None and not (saved is not None and saved.cache.names()):
        from scarf_tui.api.urls import check_base_url

        settings.api_url = check_base_url(settings.api_url)

    return run_tui(
        settings,
        demo=args.demo,
        org=args.org,
        username=username,
        config_path=Path(args.config) if args.config else None,
        api_version=getattr(args, "api", None),
        pypicloud_url=getattr(args, "pypicloud", None),
        offline=args.offline,
        demo_scale=args.demo_scale,
        saved=saved,
        first_pages=first_pages,
    )


def run_demo_server(args: argparse.Namespace) -> int:
    from scarf_tui.demo.faults import Faults

    try:
        faults = Faults.parse(args.faults) if args.faults else Faults()
    except ValueError as exc:
        raise UsageProblem(f"--faults: {exc}") from None
    if not 0 <= args.port <= 65535:
        raise UsageProblem(f"--port must be between 0 and 65535, not {args.port}.")

    from scarf_tui.demo.server import serve

    serve(args.host, args.port, faults, hostile=args.hostile, packages=getattr(args, "demo_scale", None))
    return EXIT_OK


def run_login(args: argparse.Namespace) -> int:
    """Ask for the token, check it (and the URL) and write only what was entered (the token,
    and --api-url / --user when given) into the config file in use, in place."""
    import asyncio
    import getpass

    from scarf_tui.api.http import check_base_url, check_token
    from scarf_tui.api.version import UnknownApiVersion, choose_version, effective_api_url
    from scarf_tui.config import Token, config_path, load_settings, save_values

    path = args.config or config_path()
    # The file's own values only: environment overrides must not leak into the file.
    settings = load_settings(path, env={})
    values: dict[str, object] = {}
    # Validated before anything is asked or saved, --no-verify or not.
    api_url = check_base_url(args.api_url.strip() if args.api_url else effective_api_url(settings.api_url))
    if args.api_url:
        values["api_url"] = api_url
    if args.user and args.user.strip():
        values["username"] = args.user.strip()
    try:
        version = choose_version(api_url, flag=getattr(args, "api", None), config_value=settings.api_version)
    except UnknownApiVersion as exc:
        raise UsageProblem(str(exc)) from None

    if sys.stdin.isatty():
        text = getpass.getpass("Scarf API token (input hidden): ")
    else:
        text = sys.stdin.readline()
    token = text.strip()
    if not token:
        raise UsageProblem("No token was given; nothing was saved.")
    check_token(token)  # even with --no-verify: a token that can't be a header is a bad paste
    secret = values["token"] = Token(token)  # registered for redaction before any request
    del text, token  # no local of this frame holds the plain token while the check runs
    username = str(values.get("username") or settings.username or "")
    if version == "v2" and not username and not args.no_verify:
        # API v2 has no "who am I": checking the token needs its user (a second line on stdin).
        if sys.stdin.isatty():
            username = input("Your Scarf username (API v2 cannot tell it from the token): ").strip()
        else:
            username = sys.stdin.readline().strip()
        if not username:
            raise UsageProblem("API v2 needs your Scarf username: pass --user NAME. Nothing was saved.")
        values["username"] = username
    if not args.no_verify:
        asyncio.run(
            _verify_token(api_url, secret, version=version, limits=settings.limits, username=username or None)
        )
    written = save_values(path, values)
    print(f"Saved the token to {written} (readable only by you).", file=sys.stderr)
    return EXIT_OK


async def _verify_token(
    api_url: str,
    token: Token,
    *,
    version: str | None = None,
    limits: Limits | None = None,
    username: str | None = None,
) -> None:
    """One cheap authenticated GET; a rejected token raises AuthError (nothing is saved)."""
    from scarf_tui.api import make_service

    service = make_service(api_url, token, max_retries=1, api_version=version, limits=limits, username=username)
    try:
        await service.list_packages()
    finally:
        await service.aclose()


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None, *, stderr: IO[str] | None = None) -> int:
    from scarf_tui.api.errors import ScarfError
    from scarf_tui.config import ConfigError

    err = stderr or sys.stderr
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    command = getattr(args, "run", None) or launch_tui
    stop_log = None
    try:
        if args.log:
            from scarf_tui.api.request_log import LogFileRefused, start_request_log

            try:
                stop_log = start_request_log(args.log)
            except LogFileRefused as exc:
                raise UsageProblem(str(exc)) from None
        return command(args)
    except UsageProblem as exc:
        print(f"scarf-tui: {exc}", file=err)
        return EXIT_USAGE
    except (ConfigError, ScarfError) as exc:
        print(f"scarf-tui: {exc}", file=err)
        return exit_code_for(exc)  # e.g. a rejected token is 5, a bad config file 2
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    finally:
        if stop_log is not None:
            stop_log()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
