"""`scarf-tui stats`: the charts pane's figures on stdout, in the manner of pypistats.

    scarf-tui stats PACKAGE | --org ORG [--last 30d | --start YYYY-MM-DD --end YYYY-MM-DD]
        [--by company|cloud|country|platform|version|client|variable] [--rollup day|week|month]
        [--format table|markdown|json|csv] [--compare] [--top N]

The rows come from the same aggregates stream and the same fold (scarf_tui.analytics.Folder)
as the charts pane, over the same range ([today - N days, today), end exclusive), so the numbers
are the pane's; like the pane, weekly and monthly uniques are the server's own count on API v2
(one rollup request) and sums of daily uniques on v1. A package is read from its owner's
aggregates, filtered to its uuid, the way the package screen's charts do it: its owner is a
user when that is you, else an organization.

`table` is drawn with Rich when stdout is a terminal and as plain aligned text otherwise.
Server text (company names, versions, ...) is printed literally, without control characters.
The exit codes are every command's (scarf_tui.exit_codes).
"""

from __future__ import annotations

import argparse
import contextlib
import re
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import date, timedelta
from typing import IO, Any

from scarf_tui.exit_codes import (
    EXIT_AUTH,
    EXIT_BAD_INPUT,
    EXIT_CODES_HELP,
    EXIT_FAILURE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    exit_code_for,
)
from scarf_tui.stats_render import Stats, StatsRequest, render

PROG = "scarf-tui stats"
FORMATS = ("table", "markdown", "json", "csv")
# --by names: the charts pane's breakdowns, "cloud" being short for cloud_provider.
BY_CHOICES = {
    "company": "company",
    "cloud": "cloud_provider",
    "country": "country",
    "platform": "platform",
    "version": "version",
    "client": "client",
    "variable": "variable",
}
MAX_DAYS = 3660



class BadInput(Exception):
    """Input the user can fix; str() is the sentence."""


class _NoToken(Exception):
    pass


# ---------------------------------------------------------------------------------------------
# Parser
# ---------------------------------------------------------------------------------------------


def add_stats_parser(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        "stats",
        help="print download figures (the charts pane's numbers) as a table, Markdown, JSON or CSV",
        description=(
            "Print the download figures of a package or an organization for a date range: a time\n"
            "series, or a breakdown with --by. The numbers are the charts pane's.\n\n"
            "Dates are YYYY-MM-DD; --start is inclusive, --end exclusive; --last Nd means the N days\n"
            "before today."
        ),
        epilog=EXIT_CODES_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("package", nargs="?", metavar="PACKAGE", help="package name or uuid")
    # SUPPRESS: a value given before "stats" (scarf-tui --org acme stats) is kept.
    parser.add_argument("--org", metavar="ORG", default=argparse.SUPPRESS, help="an organization's packages")
    parser.add_argument("--last", metavar="Nd", help="the N days before today (default 30d)")
    parser.add_argument("--start", metavar="YYYY-MM-DD", help="first day (inclusive)")
    parser.add_argument("--end", metavar="YYYY-MM-DD", help="end day (exclusive)")
    parser.add_argument("--by", choices=tuple(BY_CHOICES), help="a breakdown instead of the time series")
    parser.add_argument("--rollup", choices=("day", "week", "month"), default="day", help="series buckets")
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format (default table)")
    parser.add_argument("--compare", action="store_true", help="add the previous period of equal length")
    parser.add_argument("--top", type=int, metavar="N", help="with --by: the N largest, the rest as 'other'")
    parser.add_argument("--owner", metavar="NAME", help="the user or organization whose data holds PACKAGE "
                        "(default: the package's owner)")
    parser.add_argument("--package-type", metavar="TYPE", help="the library type when several packages share PACKAGE")
    parser.add_argument("--demo", action="store_true", default=argparse.SUPPRESS, help="use the embedded demo")
    parser.add_argument("--api-url", metavar="URL", default=argparse.SUPPRESS, help="API base URL")
    parser.add_argument("--api", choices=("v1", "v2"), default=argparse.SUPPRESS,
                        help="the API version (v2 counts weekly and monthly uniques itself)")
    parser.add_argument("--user", metavar="NAME", default=argparse.SUPPRESS, help="your Scarf username")
    parser.add_argument("--config", metavar="PATH", default=argparse.SUPPRESS, help="config.toml to read")
    parser.add_argument("--today", default=None, help=argparse.SUPPRESS)  # tests: a fixed "today"
    return parser


# ---------------------------------------------------------------------------------------------
# Input
# ---------------------------------------------------------------------------------------------


_LAST = re.compile(r"\s*([0-9]{1,5})\s*d\s*")


def parse_request(args: argparse.Namespace, today: date | None = None) -> StatsRequest:
    """The checked request; BadInput with one sentence otherwise."""
    from scarf_tui.domain import parse_day, validate_date_range

    package, org = args.package, getattr(args, "org", None)
    if package and org:
        raise BadInput("Give a PACKAGE or --org ORG, not both.")
    if not package and not org:
        raise BadInput("Name a PACKAGE, or an organization with --org ORG.")
    try:
        today = today or (parse_day(args.today, what="--today date") if args.today else date.today())
        if args.last is not None and (args.start is not None or args.end is not None):
            raise BadInput("Give --last or --start/--end, not both.")
        if args.start is not None or args.end is not None:
            if args.start is None or args.end is None:
                raise BadInput("--start and --end go together (--end is exclusive).")
            start = parse_day(args.start, what="start date")
            end = parse_day(args.end, what="end date")
            if problem := validate_date_range(start, end):
                raise BadInput(problem)
            name = "custom"
        else:
            text = args.last if args.last is not None else "30d"
            match = _LAST.fullmatch(text)
            days = int(match.group(1)) if match else 0
            if not match or not 1 <= days <= MAX_DAYS:
                raise BadInput(f"--last {text!r} is not a number of days from 1d to {MAX_DAYS}d, like 30d.")
            start, end, name = today - timedelta(days=days), today, f"{days}d"
    except ValueError as exc:  # parse_day's sentence
        raise BadInput(str(exc)) from None
    if (end - start).days > MAX_DAYS:
        raise BadInput(f"The range covers {(end - start).days} days; at most {MAX_DAYS} are allowed.")
    if args.top is not None and (args.top < 1 or not args.by):
        raise BadInput("--top N needs --by and an N of at least 1.")
    by = BY_CHOICES[args.by] if args.by else None
    return StatsRequest(
        package, org, start, end, name, by, args.rollup, args.format, args.compare, args.top, args.package_type
    )


# ---------------------------------------------------------------------------------------------
# Computing
# ---------------------------------------------------------------------------------------------


async def compute_stats(service: Any, request: StatsRequest, username: str | None, owner: str | None = None) -> Stats:
    """Fold the range (and the previous one with --compare) exactly as the charts pane does."""
    from scarf_tui.analytics import SERVER_ROLLUPS, Folder, Rollup, period_uniques_async, previous_period
    from scarf_tui.api.errors import ValidationFailed

    package_uuid: str | None = None
    if request.package:
        try:
            package = await service.get_package(request.package, request.package_type)
        except ValidationFailed as error:
            if error.status == 409:
                hint = "Pick one with --package-type TYPE, or pass the uuid."
                raise BadInput(f"{str(error).rstrip('.')}. {hint}") from None
            raise
        package_uuid = package.uuid
        scope_name = owner or package.owner
        kind = "user" if scope_name == username else "org"
        scope = f"package {package.name} ({scope_name})"
        meta = {"package": package.name, "package_uuid": package.uuid, "owner": scope_name}
    else:
        assert request.org is not None
        scope_name, kind = request.org, "org"
        scope = f"organization {request.org}"
        meta = {"org": request.org}

    def stream(start: date, end: date) -> AsyncIterator[Any]:
        if kind == "org":
            return service.org_aggregates(scope_name, start, end)
        return service.user_aggregates(scope_name, start, end)

    async def fold(start: date, end: date) -> Any:
        folder = Folder(package=package_uuid)
        rows = stream(start, end)
        try:
            async for row in rows:
                folder.add_row(row)
        finally:
            aclose = getattr(rows, "aclose", None)
            if aclose is not None:
                await aclose()
        return folder.result(start, end)

    current = await fold(request.start, request.end)
    unit = Rollup(request.rollup)
    if request.by is None and unit is not Rollup.DAY and SERVER_ROLLUPS[unit] in service.capabilities.aggregate_rollups:
        # API v2 counts a week's (month's) uniques itself; adding the days up would overcount.
        rows = service.owner_aggregates(scope_name, request.start, request.end, rollup=SERVER_ROLLUPS[unit],
                                        breakdowns=["total"])
        current.period_uniques[unit] = await period_uniques_async(rows, unit, package_uuid)
    previous = await fold(*previous_period(request.start, request.end)) if request.compare else None
    packages = 1 if package_uuid else max(1, len(current.package_totals))
    return Stats(request, scope, current, previous, packages, meta)


# ---------------------------------------------------------------------------------------------
# Running
# ---------------------------------------------------------------------------------------------


def run_stats(args: argparse.Namespace, *, stdout: IO[str] | None = None, stderr: IO[str] | None = None) -> int:
    """Run a parsed `stats` command; returns the exit code (scarf_tui.exit_codes)."""
    from scarf_tui.api.errors import ScarfError

    out = stdout if stdout is not None else sys.stdout
    err = stderr if stderr is not None else sys.stderr

    def say(message: str) -> None:
        err.write(f"{PROG}: error: {message}\n")
        err.flush()

    try:
        request = parse_request(args)
        with _target(args) as (service, username):
            import asyncio

            stats = asyncio.run(_compute_and_close(service, request, username, args.owner))
        render(stats, out, terminal=_isatty(out))
        out.flush()
    except BadInput as problem:
        say(str(problem))
        return EXIT_BAD_INPUT
    except _NoToken as problem:
        say(str(problem))
        return EXIT_AUTH
    except ScarfError as error:
        say(str(error))
        return exit_code_for(error)
    except BrokenPipeError:
        return EXIT_OK  # `| head` has what it wanted
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except Exception as error:  # noqa: BLE001 - the fold's own errors (bad rows) become a sentence
        from scarf_tui.api.errors import sanitize

        say(f"unexpected {type(error).__name__}: {sanitize(error)}")
        return EXIT_FAILURE
    return EXIT_OK


async def _compute_and_close(service: Any, request: StatsRequest, username: str | None, owner: str | None) -> Stats:
    try:
        return await compute_stats(service, request, username, owner)
    finally:
        await service.aclose()


@contextlib.contextmanager
def _target(args: argparse.Namespace) -> Iterator[tuple[Any, str | None]]:
    """(service, your username): the embedded demo on a loopback port, or the configured API."""
    if getattr(args, "demo", False):
        from scarf_tui.demo.start import start_demo

        with contextlib.ExitStack() as stack:
            from scarf_tui.api.version import demo_version

            # The version `scarf-tui --demo` speaks: both serve the same store, so the totals agree.
            session = start_demo(stack, api_version=demo_version(getattr(args, "api", None)))
            yield session.service, session.username
        return
    from scarf_tui.api import make_service
    from scarf_tui.api.http import check_base_url, reveal_token
    from scarf_tui.api.version import choose_version
    from scarf_tui.config import ConfigError, load_settings

    try:
        settings = load_settings(getattr(args, "config", None))
    except ConfigError as exc:
        raise BadInput(str(exc)) from None
    base_url = check_base_url(getattr(args, "api_url", None) or settings.api_url)
    token = reveal_token(settings.token)
    if not token:
        raise _NoToken("No API token is set: set SCARF_API_TOKEN or add token to config.toml (or try --demo).")
    username = getattr(args, "user", None) or settings.username
    # API v2 scopes packages by owner and has no "who am I": the service needs the username.
    version = choose_version(base_url, flag=getattr(args, "api", None), config_value=settings.api_version)
    service = make_service(base_url, token, api_version=version, username=username, orgs=list(settings.orgs or ()))
    yield service, username


def _isatty(stream: IO[str]) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False


__all__ = ["BadInput", "Stats", "StatsRequest", "add_stats_parser", "compute_stats", "parse_request", "run_stats"]
