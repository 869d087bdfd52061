"""The one exit-code table of every `scarf-tui` command (login, export, stats, ...).

Commands return these numbers; ``exit_code_for`` maps an exception that stopped a command to
its code, and EXIT_CODES_HELP is the table as the commands' --help shows it (the README's
"Exit codes" section holds the same table). Importing this module is cheap: the error classes
it maps are imported only when a mapping is asked for.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILURE = 1  # the server failed, a stream broke off, a timeout, a disk error
EXIT_BAD_INPUT = 2  # a bad argument, date, range, URL, config file or output path
EXIT_NOT_FOUND = 3  # unknown package, organization or user
EXIT_NO_EXPORT_ACCESS = 4  # the account has no data-export access
EXIT_AUTH = 5  # no token, or the token was rejected
EXIT_BUSY = 6  # another export is writing the same output file right now
EXIT_INTERRUPTED = 130  # Ctrl-C

# (code, meaning) in the order --help and the README list them.
EXIT_CODE_TABLE: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "success"),
    (EXIT_FAILURE, "the server failed, a stream broke off, a timeout or a disk error; an events export keeps FILE.part "
     "when it holds finished windows, and the same command resumes it"),
    (EXIT_BAD_INPUT, "bad input: an argument, date or range, URL, config file, output path, a range longer than "
     "max_windows without --allow-long-range, or a package name several packages share"),
    (EXIT_NOT_FOUND, "package, organization or user not found"),
    (EXIT_NO_EXPORT_ACCESS, "data export is not enabled for this account"),
    (EXIT_AUTH, "no API token, or the token was rejected"),
    (EXIT_BUSY, "another export is writing the same output file"),
    (EXIT_INTERRUPTED, "interrupted (Ctrl-C)"),
)


def _help_text() -> str:
    import textwrap

    lines = ["exit codes:"]
    for code, meaning in EXIT_CODE_TABLE:
        wrapped = textwrap.wrap(meaning, width=86)
        lines.append(f"  {code:<4} {wrapped[0]}")
        lines.extend(f"       {more}" for more in wrapped[1:])
    return "\n".join(lines)


EXIT_CODES_HELP = _help_text()


def exit_code_for(error: BaseException) -> int:
    """The exit code for an exception that stopped a command."""
    from scarf_tui.api.errors import (
        AuthError,
        ExportNotEnabled,
        InsecureURL,
        NotFound,
        ValidationFailed,
    )
    from scarf_tui.config import ConfigError
    from scarf_tui.exporting.errors import OutputBusy, OutputRefused, RangeTooLong

    if isinstance(error, KeyboardInterrupt):
        return EXIT_INTERRUPTED
    if isinstance(error, ExportNotEnabled):
        return EXIT_NO_EXPORT_ACCESS
    if isinstance(error, NotFound):
        return EXIT_NOT_FOUND
    if isinstance(error, AuthError):
        return EXIT_AUTH
    if isinstance(error, OutputBusy):
        return EXIT_BUSY
    if isinstance(error, (InsecureURL, ValidationFailed, OutputRefused, RangeTooLong, ConfigError)):
        return EXIT_BAD_INPUT  # e.g. a package name shared by several packages (409)
    return EXIT_FAILURE


__all__ = [
    "EXIT_AUTH",
    "EXIT_BAD_INPUT",
    "EXIT_BUSY",
    "EXIT_CODES_HELP",
    "EXIT_CODE_TABLE",
    "EXIT_FAILURE",
    "EXIT_INTERRUPTED",
    "EXIT_NOT_FOUND",
    "EXIT_NO_EXPORT_ACCESS",
    "EXIT_OK",
    "exit_code_for",
]
