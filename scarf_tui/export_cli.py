"""`scarf-tui export …`: aggregates and events to files from the command line.

cli.py wires it in:   add_export_parser(subparsers)   and, for the "export" command,
                      return run_export(args)
The exporting itself is scarf_tui.exporting (headless). This module owns what is CLI: the
arguments and help text, the exit codes (scarf_tui/exit_codes.py, the table every command
shares), and the progress display (scarf_tui/export_progress.py). Every failure is one sentence
on stderr and an exit code; never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from scarf_tui.api.errors import ScarfError, ValidationFailed
from scarf_tui.domain import parse_day, validate_date_range
from scarf_tui.exit_codes import (
    EXIT_AUTH,
    EXIT_BAD_INPUT,
    EXIT_CODES_HELP,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    exit_code_for,
)
from scarf_tui.export_progress import EventsBar, RowsBar, count_of, is_terminal, report_events
from scarf_tui.exporting import (
    AGGREGATE_FORMATS,
    DEFAULT_MAX_WINDOWS,
    EventsScope,
    ExportError,
    OutputFiles,
    OutputRefused,
    RangeTooLong,
    aggregates_source,
    check_output,
    check_window_budget,
    export_aggregates_to_file,
    export_events,
    format_for_path,
    resolve_events_scope,
    write_aggregates,
)
from scarf_tui.exporting.pixels import pixel_events_scope

if TYPE_CHECKING:
    from scarf_tui.api.service import ScarfService

PROG = "scarf-tui export"
Say = Callable[[str], None]

DESCRIPTION = """\
Export data from Scarf to files.

  aggregates  daily download breakdowns of an organization's or a user's packages
              (NDJSON by default; CSV or a JSON array with --format or a .csv/.json file name)
  events      every download/pixel event as CSV; long ranges are fetched in windows of at most
              31 days, written to FILE.part, and renamed to FILE when complete. If a window
              fails, the same command resumes from FILE.part.json without refetching.

Dates are YYYY-MM-DD; --start is inclusive, --end exclusive. An export holds a lock on its
output: a second export to the same file is refused (exit 6). The output must be a regular
file (or not exist yet); a symbolic link is followed only with --follow-symlink."""

FOLLOW_HINT = " Pass --follow-symlink to write to the file it points to."
LONG_RANGE_HINT = " Pass --allow-long-range to export it anyway, or split the range."


class BadInput(Exception):
    """Input the user can fix; str() is the sentence to show."""


class _NoToken(Exception):
    pass


def add_export_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the `export` command (with `aggregates` and `events`) to cli.py's subparsers."""
    parser = subparsers.add_parser(
        "export",
        help="export aggregates or events to a file",
        description=DESCRIPTION,
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _fill_export_parser(parser)
    return parser


def build_parser() -> argparse.ArgumentParser:
    """A stand-alone parser for `scarf-tui export …` (export_main, tests)."""
    parser = argparse.ArgumentParser(
        prog=PROG, description=DESCRIPTION, epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    _fill_export_parser(parser)
    return parser


def _fill_export_parser(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="first day (inclusive)")
    common.add_argument("--end", required=True, metavar="YYYY-MM-DD", help="end day (exclusive)")
    common.add_argument(
        "--follow-symlink",
        action="store_true",
        help="when -o is a symbolic link, write to (and replace) the file it points to; refused otherwise",
    )
    source = common.add_argument_group("server")
    # default=SUPPRESS: when absent here, a `scarf-tui --demo export ...` given before the
    # command (cli.py's own options of the same names) is not overwritten.
    source.add_argument(
        "--demo",
        action="store_true",
        default=argparse.SUPPRESS,
        help="export from the embedded demo server (started on a loopback port) instead of Scarf",
    )
    source.add_argument(
        "--api-url",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="API base URL, e.g. https://scarf.sh/api (default: config.toml or SCARF_API_URL)",
    )
    source.add_argument(
        "--api",
        choices=("v1", "v2"),
        type=str.lower,
        default=argparse.SUPPRESS,
        help="Scarf API version (default: SCARF_API_VERSION, api_version in config.toml, else the URL; --demo: v2)",
    )
    # The demo account to use with --demo ("noexport" shows the no-export-access path).
    source.add_argument("--demo-token", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    kinds = parser.add_subparsers(dest="export_kind", metavar="{aggregates,events,acl}")
    kinds.required = True

    aggregates = kinds.add_parser(
        "aggregates",
        parents=[common],
        help="daily aggregates (NDJSON, CSV or JSON) for an organization or a user",
        description="Export AggregateV1 rows for an organization's or a user's packages.",
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    owner = aggregates.add_mutually_exclusive_group(required=True)
    owner.add_argument("--org", metavar="NAME", help="organization name")
    owner.add_argument("--user", metavar="NAME", help="user name")
    aggregates.add_argument(
        "--format",
        choices=AGGREGATE_FORMATS,
        default=None,
        help="output format (default: from the -o file name: .csv, .json, else ndjson)",
    )
    aggregates.add_argument("-o", "--output", metavar="FILE", help="write to FILE (default: stdout)")

    events = kinds.add_parser(
        "events",
        parents=[common],
        help="events CSV for a package or for all pixels, resumable",
        description=(
            "Export events as CSV, fetched in windows of at most 31 days. Output goes to FILE.part "
            "and is renamed to FILE when every window succeeded; rerun the same command to resume. "
            "Rows are kept exactly as the server sent them; a window whose header differs from the "
            "first window's stops the export."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = events.add_mutually_exclusive_group(required=True)
    what.add_argument("--package", metavar="ID-OR-NAME", help="package uuid or name")
    what.add_argument("--pixels", action="store_true", help="events of every tracking pixel (of --owner on API v2)")
    what.add_argument("--pixel", metavar="ID", help="events of one tracking pixel (API v2; its owner is --owner)")
    events.add_argument(
        "--owner",
        metavar="NAME",
        help="the user or organization owning the package or pixels (API v2 paths are owner-scoped; "
        "pixels default to your username, a package's owner is found when not given)",
    )
    events.add_argument(
        "--package-type",
        metavar="TYPE",
        help="with --package NAME: the library type (docker, npm, pypi, ...) when several packages share the name",
    )
    events.add_argument("-o", "--output", metavar="FILE.csv", required=True, help="the CSV file to write")
    events.add_argument(
        "--fresh",
        action="store_true",
        help="ignore an earlier partial export of FILE and start over",
    )
    events.add_argument(
        "--allow-long-range",
        action="store_true",
        help=f"allow a range that needs more windows than max_windows in config.toml (default {DEFAULT_MAX_WINDOWS})",
    )

    from scarf_tui import acl_cli  # `export acl`: pypicloud's access-control list (its own options)

    acl_cli.add_acl_parser(kinds)


@dataclass(frozen=True, slots=True)
class _Request:
    kind: str
    start: date
    end: date
    files: OutputFiles | None  # None: aggregates to stdout


def export_main(argv: Sequence[str] | None = None) -> int:
    """`scarf-tui export …` on its own: parse argv and run. Returns the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed usage and the problem
        return int(exc.code) if isinstance(exc.code, int) else EXIT_BAD_INPUT
    return run_export(args)


def run_export(args: argparse.Namespace, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    """Run a parsed `export` command. Returns the exit code; messages go to stderr."""
    if getattr(args, "export_kind", None) == "acl":
        from scarf_tui import acl_cli

        return acl_cli.run_acl(args, stdout=stdout, stderr=stderr)
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr

    def say(message: str) -> None:
        err.write(f"{PROG}: {message}\n")
        err.flush()

    request: _Request | None = None
    try:
        request = _check_input(args)
        settings = _load_settings(args)
        max_windows = None if getattr(args, "allow_long_range", False) else _max_windows(settings)
        if request.kind == "events":
            check_window_budget(request.start, request.end, max_windows)  # before any server is asked
        with contextlib.ExitStack() as stack:
            service = _open_service(args, settings, stack)
            return asyncio.run(_run(args, request, service, max_windows, out, err, say))
    except KeyboardInterrupt:
        say(_interrupted(request))
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of stdout went away (e.g. `| head`): it has what it wanted.
        _silence_stdout()
        return EXIT_OK
    except (ScarfError, ExportError) as error:  # before ValueError: an ExportError is one too
        say(f"error: {error}{_hint(error)}")
        return exit_code_for(error)
    except (BadInput, ValueError) as problem:  # ValueError: a range export_events refused
        say(f"error: {problem}")
        return EXIT_BAD_INPUT
    except _NoToken as problem:
        say(f"error: {problem}")
        return EXIT_AUTH
    except OSError as error:
        files = request.files if request is not None else None
        say(f"error: {_os_error_sentence(error, files.part if files else None)}")
        if request is not None and request.kind == "events" and files and files.part.exists():
            say(f"the partial export is kept in {files.part} and the same command resumes it.")
        return EXIT_FAILURE
    except Exception as error:  # noqa: BLE001 - the command's last line of defence: a sentence, never a traceback
        say(f"error: unexpected {type(error).__name__}: {error}")
        return EXIT_FAILURE


def _hint(error: BaseException) -> str:
    """The CLI's way out of a refusal, in its flag names."""
    if isinstance(error, OutputRefused) and error.symlink:
        return FOLLOW_HINT
    if isinstance(error, RangeTooLong):
        return LONG_RANGE_HINT
    return ""


def _interrupted(request: _Request | None) -> str:
    if request is None or request.files is None:
        return "interrupted."
    if request.kind == "events" and request.files.part.exists():
        return f"interrupted; the partial export is kept in {request.files.part} and the same command resumes it."
    return "interrupted; nothing was kept."


def _check_input(args: argparse.Namespace) -> _Request:
    """Dates, range and output, before anything is started or requested."""
    try:
        start = parse_day(args.start, what="start date")
        end = parse_day(args.end, what="end date")
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    if problem := validate_date_range(start, end):
        raise BadInput(problem)
    if args.export_kind == "events" and not getattr(args, "output", None):
        raise BadInput("An events export needs an output file: -o FILE.csv.")
    files = check_output(args.output, follow_symlink=args.follow_symlink) if getattr(args, "output", None) else None
    return _Request(args.export_kind, start, end, files)


def _load_settings(args: argparse.Namespace) -> Any:
    from scarf_tui.config import ConfigError, load_settings

    try:
        return load_settings(getattr(args, "config", None))
    except ConfigError as exc:
        raise BadInput(str(exc)) from None
    except OSError as exc:
        raise BadInput(f"The configuration could not be read: {exc.strerror or exc}.") from None


def _max_windows(settings: Any) -> int:
    """``[limits] max_windows`` from config.toml, or the default."""
    value = getattr(getattr(settings, "limits", None), "max_windows", None)
    return value if isinstance(value, int) and value > 0 else DEFAULT_MAX_WINDOWS


def _open_service(args: argparse.Namespace, settings: Any, stack: contextlib.ExitStack) -> ScarfService:
    """The service to export from: the demo server on a loopback port, or the configured API."""
    if getattr(args, "demo", False):
        from scarf_tui.api.version import demo_version
        from scarf_tui.demo import DEMO_TOKEN
        from scarf_tui.demo.data import USERS
        from scarf_tui.demo.start import start_demo

        version = demo_version(getattr(args, "api", None))
        token = getattr(args, "demo_token", None) or DEMO_TOKEN
        user = next((u.username for u in USERS if u.token == token), None)  # v2 looks in this user's packages
        return start_demo(stack, api_version=version, token=token, username=user).service

    from scarf_tui.api import make_service_for
    from scarf_tui.api.http import reveal_token

    token = reveal_token(settings.token)
    if not token:
        raise _NoToken("No API token is set: set SCARF_API_TOKEN or add token to config.toml (or try --demo).")
    url = getattr(args, "api_url", None) or settings.api_url
    # The TUI's precedence (make_service_for): --api, $SCARF_API_VERSION, api_version, then the URL.
    return make_service_for(replace(settings, api_url=url), api_version=getattr(args, "api", None), token=token)


async def _run(
    args: argparse.Namespace,
    request: _Request,
    service: ScarfService,
    max_windows: int | None,
    out: IO[str],
    err: IO[str],
    say: Say,
) -> int:
    try:
        if request.kind == "aggregates":
            return await _run_aggregates(args, request, service, out, err, say)
        return await _run_events(args, request, service, max_windows, err, say)
    finally:
        await service.aclose()


async def _run_aggregates(
    args: argparse.Namespace, request: _Request, service: ScarfService, out: IO[str], err: IO[str], say: Say
) -> int:
    rows = aggregates_source(service, org=args.org, user=args.user, start=request.start, end=request.end)
    # No bar when rows themselves go to the terminal.
    bar = RowsBar(err, label="aggregates", enabled=not (request.files is None and is_terminal(out)))
    try:
        if request.files is None:
            count = await write_aggregates(rows, out, args.format or "ndjson", on_progress=bar)
        else:
            fmt = args.format or format_for_path(request.files.final)
            count = await export_aggregates_to_file(
                rows, request.files.final, fmt, on_progress=bar, follow_symlink=False
            )
    finally:
        bar.close()
    if request.files is not None:
        say(f"exported {count_of(count, 'aggregate row')} to {args.output}.")
    return EXIT_OK


async def _run_events(
    args: argparse.Namespace,
    request: _Request,
    service: ScarfService,
    max_windows: int | None,
    err: IO[str],
    say: Say,
) -> int:
    assert request.files is not None
    package_type = getattr(args, "package_type", None)
    try:
        if args.pixels or getattr(args, "pixel", None):
            scope: EventsScope = await pixel_events_scope(
                service, pixel_id=getattr(args, "pixel", None), owner=getattr(args, "owner", None)
            )
        else:
            scope = await resolve_events_scope(service, args.package, package_type, owner=getattr(args, "owner", None))
    except ValidationFailed as error:
        if error.status == 409 and not package_type:
            raise BadInput(f"{str(error).rstrip('.')}. Pick one with --package-type TYPE, or pass the uuid.") from None
        raise
    bar = EventsBar(err, label="events", part=str(request.files.part), say=say)
    try:
        # The output was checked (and a link resolved) by _check_input; what is written is its result.
        result = await export_events(
            service,
            scope,
            request.start,
            request.end,
            request.files.final,
            on_progress=bar,
            resume=not args.fresh,
            max_windows=max_windows,
        )
    finally:
        bar.close()
    report_events(result, args.output, say)
    if result.complete:
        return EXIT_OK
    return exit_code_for(result.stopped_by) if result.stopped_by is not None else EXIT_FAILURE


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _os_error_sentence(error: OSError, part: os.PathLike[str] | None) -> str:
    reason = error.strerror or str(error)
    if error.filename:
        return f"Could not write {os.fsdecode(error.filename)!r}: {reason}."
    if part is not None:  # a write to the open FILE.part (a full disk) names no file itself
        return f"Could not write {os.fspath(part)!r}: {reason}."
    return f"A file operation failed: {reason}."


__all__ = ["add_export_parser", "build_parser", "export_main", "run_export"]
