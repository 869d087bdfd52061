"""`scarf-tui export acl -o acl.json`: download pypicloud's access-control list
(``/admin/acl.json.gz``), unpack it and write it as JSON.

The list can hold the users' password hashes, so the file is written readable by the user
alone (0600): to FILE.part first, then renamed over FILE. The pypicloud URL, user name and
password come from ``[pypicloud]`` in config.toml or PYPICLOUD_URL / PYPICLOUD_USERNAME /
PYPICLOUD_PASSWORD (never from a flag, which other users could see in the process list).

export_cli.py registers it: ``add_acl_parser(kinds)`` adds the ``acl`` kind, and its
``run`` default is ``run_acl``. Exit codes are the export commands' own numbers.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import IO, Any

PROG = "scarf-tui export acl"
EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_NOT_FOUND = 3
EXIT_AUTH = 5
EXIT_INTERRUPTED = 130


class BadInput(Exception):
    """Something the user can fix; str() is the sentence."""


def add_acl_parser(kinds: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = kinds.add_parser(
        "acl",
        help="pypicloud's access-control list (users, groups, grants) as JSON",
        description=(
            "Download /admin/acl.json.gz from pypicloud (admins only), unpack it and write it as "
            "JSON to FILE, readable only by you: it can hold password hashes. Settings: [pypicloud] "
            "url, username, password in config.toml, or PYPICLOUD_URL, PYPICLOUD_USERNAME, "
            "PYPICLOUD_PASSWORD."
        ),
    )
    parser.add_argument("-o", "--output", metavar="FILE.json", required=True, help="the JSON file to write")
    parser.add_argument("--pypicloud-url", metavar="URL", help="pypicloud's URL (default: config or PYPICLOUD_URL)")
    parser.add_argument("--pypicloud-user", metavar="NAME", help="user name (default: config or PYPICLOUD_USERNAME)")
    parser.add_argument(
        "--demo", action="store_true", default=argparse.SUPPRESS, help="export from the embedded demo pypicloud"
    )
    parser.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config.toml to read")
    parser.set_defaults(run=run_acl)
    return parser


def run_acl(
    args: argparse.Namespace,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> int:
    """Run a parsed `export acl`. Returns the exit code; messages go to stderr."""
    from scarf_tui.config import ConfigError
    from scarf_tui.sources.errors import (
        BadCredentials,
        NotAdmin,
        SourceError,
        SourceInsecureURL,
        SourceNotFound,
    )

    err = stderr if stderr is not None else sys.stderr
    environ = os.environ if env is None else env

    def say(message: str) -> None:
        err.write(f"{PROG}: {message}\n")
        err.flush()

    try:
        output = _check_output(Path(args.output))
        written = asyncio.run(_export(args, output, environ))
    except (BadInput, ConfigError, SourceInsecureURL) as problem:
        say(f"error: {problem}")
        return EXIT_BAD_INPUT
    except (BadCredentials, NotAdmin) as problem:
        say(f"error: {problem}")
        return EXIT_AUTH
    except SourceNotFound as problem:
        say(f"error: {problem}")
        return EXIT_NOT_FOUND
    except SourceError as problem:
        say(f"error: {problem}")
        return EXIT_FAILURE
    except KeyboardInterrupt:
        say("interrupted; nothing was written.")
        return EXIT_INTERRUPTED
    except OSError as problem:
        say(f"error: could not write {str(args.output)!r} ({problem.strerror or problem}).")
        return EXIT_FAILURE
    say(written)
    return EXIT_OK


def _check_output(output: Path) -> Path:
    if output.is_dir():
        raise BadInput(f"The output {str(output)!r} is a directory; give a file name.")
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise BadInput(f"The directory {str(parent)!r} for the output does not exist.")
    return output


def _config_table(args: argparse.Namespace, env: Mapping[str, str]) -> tuple[dict[str, Any], str]:
    from scarf_tui.config import ConfigError, config_path

    given = getattr(args, "config", None)
    path = Path(given).expanduser() if given else config_path(env)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}, str(path)
    except OSError as exc:
        raise ConfigError(f"The config file {path} cannot be read ({exc.strerror or exc}).") from None
    try:
        return tomllib.loads(raw.decode("utf-8")), str(path)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        raise ConfigError(f"The config file {path} is not valid UTF-8 TOML.") from None


async def _export(args: argparse.Namespace, output: Path, env: Mapping[str, str]) -> str:
    with contextlib.ExitStack() as stack:
        return await _export_with(stack, args, output, env)


async def _export_with(
    stack: contextlib.ExitStack, args: argparse.Namespace, output: Path, env: Mapping[str, str]
) -> str:
    from scarf_tui.sources.pypicloud import acl_json_bytes, make_pypicloud_service

    if getattr(args, "demo", False):
        # The embedded pypicloud on a loopback socket, as --demo does for the TUI (only the
        # service packages speak HTTP, so no in-process transport is built here).
        from scarf_tui.demo.loopback import running_server
        from scarf_tui.demo.pypicloud import PYPICLOUD_ADMIN, PYPICLOUD_ADMIN_PASSWORD, create_pypicloud_app

        demo_url = stack.enter_context(running_server(create_pypicloud_app())).removesuffix("/api")
        service = make_pypicloud_service(demo_url, PYPICLOUD_ADMIN, PYPICLOUD_ADMIN_PASSWORD)
    else:
        from scarf_tui.sources.settings import load_pypicloud_settings

        table, where = _config_table(args, env)
        settings = load_pypicloud_settings(table, env, where=where)
        url = (args.pypicloud_url or "").strip() or settings.url
        username = (args.pypicloud_user or "").strip() or settings.username
        if not url:
            raise BadInput("No pypicloud URL: pass --pypicloud-url, set PYPICLOUD_URL, or add url under [pypicloud].")
        if not username or settings.password is None:
            raise BadInput(
                "No pypicloud user name and password: set PYPICLOUD_USERNAME and PYPICLOUD_PASSWORD, or "
                "username and password under [pypicloud] in config.toml."
            )
        service = make_pypicloud_service(url, username, settings.password)
    async with service:
        acl = await service.download_acl()
    write_private(output, acl_json_bytes(acl))
    data = acl.data
    counts = [_count(data.get("users")), _count(data.get("groups")), _count(data.get("packages"))]
    return (
        f"wrote {counts[0]} users, {counts[1]} groups and {counts[2]} packages to {str(output)!r} "
        "(readable only by you)."
    )


def _count(value: object) -> int:
    return len(value) if isinstance(value, dict | list) else 0


def write_private(output: Path, payload: bytes) -> None:
    """Write ``payload`` to ``output`` with mode 0600: into FILE.part, then renamed over FILE,
    so a reader never sees half a file and an old FILE survives a failed write."""
    part = output.with_name(output.name + ".part")
    try:
        part.unlink()
    except FileNotFoundError:
        pass
    fd = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, output)
    except BaseException:
        part.unlink(missing_ok=True)
        raise


__all__ = ["add_acl_parser", "run_acl", "write_private"]
