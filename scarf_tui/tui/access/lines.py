"""The access screen's words: the progress line, the cursor cell, changes and failures.

Server text (package and user names, sentences) goes into rich Text literally, never markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from scarf_tui.tui.access.model import FAILED, NONE, PENDING, AccessMatrix, Change
from scarf_tui.tui.common.text import safe_text

FAILURES_SHOWN = 5  # sentences listed under the grid; the notification counts the rest


def word(level: str) -> str:
    """A level as the confirmation and the failures say it."""
    return {NONE: "(no access)", PENDING: "(not read)", FAILED: "(not read)"}.get(level, level)


def progress_text(org: str, matrix: AccessMatrix) -> Text:
    """"acme · 120 packages × 14 users · permissions 37/120…" (and unread rows, filters)."""
    total, read = len(matrix.packages), matrix.read_count
    text = safe_text(org, style="bold")
    text.append(f" · {total:,} packages × {len(matrix.users):,} users · ")
    text.append(f"permissions {read:,}/{total:,}" + ("…" if read < total else ""))
    if matrix.errors:
        text.append(f" · {len(matrix.errors)} unread (r retries)", style="bold red")
    if matrix.package_filter or matrix.user_filter:
        text.append(f" · showing {len(matrix.rows):,}×{len(matrix.cols):,}", style="bold")
    return text


def cell_text(matrix: AccessMatrix, package: int, user: int) -> Text:
    """The cursor cell in words, after the count of marks."""
    text = Text()
    if matrix.marks:
        text.append(f"{len(matrix.marks)} marked (a level key sets all) · ", style="bold")
    text.append_text(safe_text(matrix.package_name(package), style="bold"))
    text.append(" × ")
    text.append_text(safe_text(matrix.users[user], style="bold"))
    level = matrix.level(package, user)
    if level == FAILED:
        text.append(": not read: ", style="red")
        text.append_text(safe_text(matrix.errors.get(package, ""), style="red"))
    else:
        text.append(": " + {PENDING: "reading…", NONE: "no access"}.get(level, level))
    return text


def change_rows(matrix: AccessMatrix, changes: Sequence[Change]) -> list[tuple[str, str, str]]:
    """(package · user, before, after) for the confirmation and the success line."""
    return [(f"{matrix.package_name(c.package)} · {c.user}", word(c.before), word(c.after)) for c in changes]


def failure_lines(matrix: AccessMatrix, unapplied: Sequence[Change], failures: dict[int, str]) -> list[str]:
    """One line per change the server does not hold: the change, then its group's sentence (or
    what the server holds instead, when the request itself went through)."""
    lines = []
    for change in unapplied:
        what, before, after = change_rows(matrix, [change])[0]
        now = word(matrix.level_by_name(change.package, change.user))
        lines.append(f"{what}: {before} → {after}: {failures.get(change.package) or f'the server holds {now}.'}")
    return lines


def failures_head(count: int, *, marked: bool) -> str:
    return f"{count} of the changes were not applied" + (" (they stay marked):" if marked else ":")


def failures_text(head: str, lines: Sequence[str]) -> Text:
    text = Text(head, style="bold")
    for line in lines[:FAILURES_SHOWN]:
        text.append("\n")
        text.append_text(safe_text(line))
    if len(lines) > FAILURES_SHOWN:
        text.append(f"\nand {len(lines) - FAILURES_SHOWN} more")
    return text
