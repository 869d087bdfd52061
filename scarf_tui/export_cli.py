"""`scarf-tui export …`: aggregates and events to files from the command line.

cli.py wires it in:   add_export_parser(subparsers)   and, for the "export" command,
                      return run_export(args)
Every failure is one sentence on stderr and an exit code (see EXIT_CODES_HELP); never a
traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO

from scarf_tui.api.errors import ScarfError, ValidationFailed
from scarf_tui.domain import parse_day, validate_date_range
from scarf_tui.exporting import (
    AGGREGATE_FORMATS,
    EXIT_AUTH,
    EXIT_BAD_INPUT,
    EXIT_CODES_HELP,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EventsExportResult,
    TerminalProgress,
    aggregates_source,
    exit_code_for,
    export_aggregates_to_file,
    export_events,
    format_for_path,
    resolve_events_scope,
    write_aggregates,
)

PROG = "scarf-tui export"

DESCRIPTION = """\
Export data from Scarf to files.

  aggregates  daily download breakdowns of an organization's or a user's packages
              (NDJSON by default; CSV or a JSON array with --format or a .csv/.json file name)
  events      every download/pixel event as CSV; long ranges are fetched in windows of at most
              31 days, written to FILE.part, and renamed to FILE when complete. If a window
              fails, the same command resumes from FILE.part.json without refetching.

Dates are YYYY-MM-DD; --start is inclusive, --end exclusive."""


class BadInput(Exception):
    """Input the user can fix; str() is the sentence to show."""


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------


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
        prog=PROG,
        description=DESCRIPTION,
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _fill_export_parser(parser)
    return parser


def _fill_export_parser(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--start", required=True, metavar="YYYY-MM-DD", help="first day (inclusive)")
    common.add_argument("--end", required=True, metavar="YYYY-MM-DD", help="end day (exclusive)")
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
    # The demo account to use with --demo ("noexport" shows the no-export-access path).
    source.add_argument("--demo-token", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    kinds = parser.add_subparsers(dest="export_kind", metavar="{aggregates,events}")
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
            "and is renamed to FILE when every window succeeded; rerun the same command to resume."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    what = events.add_mutually_exclusive_group(required=True)
    what.add_argument("--package", metavar="ID-OR-NAME", help="package uuid or name")
    what.add_argument("--pixels", action="store_true", help="events of every pixel you can see")
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


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Request:
    kind: str
    start: date
    end: date
    output: Path | None


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
    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr

    def say(message: str) -> None:
        err.write(f"{PROG}: {message}\n")
        err.flush()

    try:
        request = _check_input(args)
    except BadInput as problem:
        say(f"error: {problem}")
        return EXIT_BAD_INPUT
    try:
        with _service_target(args) as (base_url, token):
            return asyncio.run(_run(args, request, base_url, token, out, err, say))
    except BadInput as problem:
        say(f"error: {problem}")
        return EXIT_BAD_INPUT
    except _NoToken as problem:
        say(f"error: {problem}")
        return EXIT_AUTH
    except ScarfError as error:
        say(f"error: {error}")
        return exit_code_for(error)
    except BrokenPipeError:
        # The reader of stdout went away (e.g. `| head`): it has what it wanted.
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        if request.kind == "events":
            say("interrupted; the partial export is kept and the same command resumes it.")
        else:
            say("interrupted.")
        return EXIT_INTERRUPTED
    except OSError as error:
        say(f"error: {_os_error_sentence(error)}")
        return EXIT_FAILURE
    except Exception as error:  # noqa: BLE001 - a sentence, never a traceback
        say(f"error: unexpected {type(error).__name__}: {error}")
        return EXIT_FAILURE


def _check_input(args: argparse.Namespace) -> _Request:
    try:
        start = parse_day(args.start, what="start date")
        end = parse_day(args.end, what="end date")
    except ValueError as exc:
        raise BadInput(str(exc)) from None
    if problem := validate_date_range(start, end):
        raise BadInput(problem)
    output = Path(args.output) if getattr(args, "output", None) else None
    if output is not None:
        if output.is_dir():
            raise BadInput(f"The output {str(output)!r} is a directory; give a file name.")
        parent = output.parent if str(output.parent) else Path(".")
        if not parent.is_dir():
            raise BadInput(f"The directory {str(parent)!r} for the output does not exist.")
    if args.export_kind == "events" and output is None:
        raise BadInput("An events export needs an output file: -o FILE.csv.")
    return _Request(args.export_kind, start, end, output)


class _NoToken(Exception):
    pass


@contextmanager
def _service_target(args: argparse.Namespace) -> Iterator[tuple[str, str]]:
    """(base URL, token) to export from: the demo server on a loopback port, or the configured API."""
    if getattr(args, "demo", False):
        from scarf_tui.demo import DEMO_TOKEN
        from scarf_tui.demo.app import create_app
        from scarf_tui.demo.server import running_server
        from scarf_tui.demo.store import build_demo_store

        token = getattr(args, "demo_token", None) or DEMO_TOKEN
        with running_server(create_app(build_demo_store())) as base_url:
            yield base_url, token
        return

    from scarf_tui.api.http import reveal_token
    from scarf_tui.config import ConfigError, load_settings

    try:
        settings = load_settings(getattr(args, "config", None))
    except ConfigError as exc:
        raise BadInput(str(exc)) from None
    except OSError as exc:
        raise BadInput(f"The configuration could not be read: {exc.strerror or exc}.") from None
    base_url = getattr(args, "api_url", None) or settings.api_url
    token = reveal_token(settings.token)
    if not token:
        raise _NoToken(
            "No API token is set: set SCARF_API_TOKEN or add token to config.toml (or try --demo)."
        )
    yield base_url, token


async def _run(
    args: argparse.Namespace,
    request: _Request,
    base_url: str,
    token: str,
    out: IO[str],
    err: IO[str],
    say,
) -> int:
    from scarf_tui.api import make_service

    service = make_service(base_url, token)
    try:
        if request.kind == "aggregates":
            return await _run_aggregates(args, request, service, out, err, say)
        return await _run_events(args, request, service, err, say)
    finally:
        await service.aclose()


async def _run_aggregates(args, request: _Request, service, out: IO[str], err: IO[str], say) -> int:
    rows = aggregates_source(service, org=args.org, user=args.user, start=request.start, end=request.end)
    fmt = args.format or format_for_path(request.output)
    # No bar when rows themselves go to the terminal.
    to_terminal = request.output is None and _isatty(out)
    bar = TerminalProgress(err, label="aggregates", windows=False)
    bar.enabled = bar.enabled and not to_terminal
    try:
        if request.output is None:
            count = await write_aggregates(rows, out, fmt, on_progress=bar)
        else:
            count = await export_aggregates_to_file(rows, request.output, fmt, on_progress=bar)
    finally:
        bar.close()
    if request.output is not None:
        say(f"exported {count:,} aggregate rows to {request.output}.")
    return EXIT_OK


async def _run_events(args, request: _Request, service, err: IO[str], say) -> int:
    assert request.output is not None
    try:
        scope = await resolve_events_scope(
            service, None if args.pixels else args.package, getattr(args, "package_type", None)
        )
    except ValidationFailed as error:
        if error.status == 409 and not getattr(args, "package_type", None):
            raise BadInput(f"{str(error).rstrip('.')}. Pick one with --package-type TYPE, or pass the uuid.") from None
        raise
    bar = TerminalProgress(err, label="events")
    announced = False

    def progress(p) -> None:
        nonlocal announced
        if p.resumed_windows and not announced:
            announced = True
            bar.close()
            say(
                f"resuming {request.output}.part: {p.resumed_windows} of {p.windows_total} "
                f"windows were already fetched."
            )
        bar(p)

    try:
        result = await export_events(
            service,
            scope,
            request.start,
            request.end,
            request.output,
            on_progress=progress,
            resume=not args.fresh,
        )
    finally:
        bar.close()
    _report_events(result, say)
    return result.exit_code


def _report_events(result: EventsExportResult, say) -> None:
    if result.complete:
        say(
            f"exported {result.rows:,} event rows ({result.windows_total} "
            f"window{'s' if result.windows_total != 1 else ''}) to {result.output}."
        )
        return
    if result.stopped_by is not None and not result.part.exists():
        # Nothing fetched and nothing could be (no access, unknown package, no connection).
        say(f"error: {result.stopped_by}")
        return
    for line in result.problems():
        say(line)
    if result.part.exists():
        say(
            f"kept {result.rows:,} rows from {result.windows_done} of {result.windows_total} windows "
            f"in {result.part}; run the same command again to fetch the missing dates."
        )
    else:
        say("nothing was exported.")


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _os_error_sentence(error: OSError) -> str:
    reason = error.strerror or str(error)
    if error.filename:
        return f"Could not write {os.fsdecode(error.filename)!r}: {reason}."
    return f"A file operation failed: {reason}."


__all__ = ["add_export_parser", "build_parser", "export_main", "run_export"]
