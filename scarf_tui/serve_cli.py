"""`scarf-tui serve`: the same app in a browser, through textual-serve.

    scarf-tui serve [--host 127.0.0.1] [--port 8000] [--public] [--demo] [--org NAME] ...

Each browser tab opens a websocket, and textual-serve starts one app process for it:
``[sys.executable, "-m", "scarf_tui", ...]`` with the web driver (the options given here are
passed on; the Scarf token never is: the app process reads it from its environment,
SCARF_API_TOKEN, or config.toml, like the terminal app does). serve_web.py puts the random
per-run access key in front of every route; this module checks the options, binds the socket
(loopback unless --public) and prints the key once, as a URL, the way Jupyter does.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
from pathlib import Path
from typing import IO

PROG = "scarf-tui serve"
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000

EXIT_OK = 0
EXIT_BAD_INPUT = 2


class ServeProblem(Exception):
    """Something the user can fix; str() is the sentence to print."""


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------


def add_serve_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "serve",
        help="serve the app to a web browser (textual-serve), guarded by a one-time access key",
        description=(
            "Serve scarf-tui to a web browser. Every browser tab runs its own app process. The page "
            "needs the access key printed at start-up; without it the server answers 403."
        ),
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"interface to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks one)")
    parser.add_argument(
        "--public",
        action="store_true",
        help="allow a non-loopback --host (plain HTTP: anyone who can reach it and has the key gets in)",
    )
    # The app's own options; SUPPRESS keeps a value given before "serve" (scarf-tui --demo serve).
    parser.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="serve the demo")
    parser.add_argument("--org", metavar="NAME", default=argparse.SUPPRESS, help="open this organization")
    parser.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help="your Scarf username")
    parser.add_argument("--read-only", action="store_true", default=argparse.SUPPRESS, help="disable every write")
    parser.add_argument("--api-url", metavar="URL", default=argparse.SUPPRESS, help="API base URL")
    parser.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config.toml to read")
    parser.add_argument(
        "--log", metavar="FILE", default=argparse.SUPPRESS,
        help="every app process appends its request lines to FILE (0600; never a token or a body)",
    )
    return parser


# ---------------------------------------------------------------------------------------------
# Pure helpers (tested directly)
# ---------------------------------------------------------------------------------------------


def app_command(args: argparse.Namespace) -> list[str]:
    """The argv of one app process: this interpreter, never a bare `python`. No token in it."""
    argv = [sys.executable, "-m", "scarf_tui"]
    if getattr(args, "demo", False):
        argv.append("--demo")
    options = (
        ("--org", "org"), ("--user", "user"), ("--api-url", "api_url"), ("--api", "api"), ("--config", "config"),
        ("--demo-scale", "demo_scale"), ("--log", "log"),
    )
    for option, attr in options:
        value = getattr(args, attr, None)
        if value and option == "--log":
            value = Path(value).expanduser().resolve()  # the same file whatever the process's directory
        if value:
            argv += [option, str(value)]
    if getattr(args, "read_only", False):
        argv.append("--read-only")
    return argv


def check_host(host: str, public: bool) -> str | None:
    """A warning to print for a public host, or None; ServeProblem for a refused one."""
    from scarf_tui.api.http import is_loopback_host

    if is_loopback_host(host.strip("[]")):
        return None
    if not public:
        raise ServeProblem(
            f"Refusing to serve on {host}: it is not a loopback address, so other machines could reach "
            "the app. Add --public to serve there anyway."
        )
    return (
        f"warning: serving on {host} to the network over plain HTTP. Anyone who can reach it and has "
        "the key can use your Scarf account, and the key travels unencrypted."
    )


def url_host(host: str) -> str:
    """The host as written in a URL (IPv6 literals in brackets)."""
    if ":" in host and not host.startswith("["):
        return f"[{host}]"
    return host


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def run_serve(args: argparse.Namespace, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr
    try:
        warning = _check_args(args)
        if warning:
            print(f"{PROG}: {warning}", file=err, flush=True)
        sock = _listen(args.host, args.port)
    except ServeProblem as problem:
        print(f"{PROG}: error: {problem}", file=err, flush=True)
        return EXIT_BAD_INPUT
    key = secrets.token_urlsafe(24)
    port = sock.getsockname()[1]
    from scarf_tui.serve_web import KEY_PARAM, GuardedServer, serve_forever

    server = GuardedServer(app_command(args), key=key, port=port)
    what = "the demo" if getattr(args, "demo", False) else "scarf-tui"
    print(
        f"{PROG}: serving {what} at\n\n    http://{url_host(args.host)}:{port}/?{KEY_PARAM}={key}\n\n"
        "Open that URL in a browser; the key in it is needed once per browser. Press Ctrl+C to stop.",
        file=out,
        flush=True,
    )
    try:
        import asyncio

        asyncio.run(serve_forever(server, sock))
    except KeyboardInterrupt:
        pass
    return EXIT_OK


def _check_args(args: argparse.Namespace) -> str | None:
    if not 0 <= args.port <= 65535:
        raise ServeProblem(f"--port must be between 0 and 65535, not {args.port}.")
    warning = check_host(args.host, args.public)
    if not getattr(args, "demo", False):
        from scarf_tui.api.errors import InsecureURL
        from scarf_tui.api.http import check_base_url
        from scarf_tui.config import ConfigError, load_settings

        try:
            settings = load_settings(getattr(args, "config", None))
            check_base_url(getattr(args, "api_url", None) or settings.api_url)
        except (ConfigError, InsecureURL) as exc:
            raise ServeProblem(str(exc)) from None
    return warning


def _listen(host: str, port: int) -> socket.socket:
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        return socket.create_server((host.strip("[]"), port), family=family)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        raise ServeProblem(f"Could not listen on {host}:{port}: {reason}.") from None


__all__ = [
    "ServeProblem",
    "add_serve_parser",
    "app_command",
    "check_host",
    "run_serve",
]
