"""An unexpected error inside the TUI: one sentence on the terminal, the details in a file.

Textual prints an unhandled exception as a traceback with local variables on stderr when the
app exits. Over SSH that dumps internals on the user's terminal, and the locals of httpx's frames
would hold the request headers. So the app's error console writes into memory instead; after
the app exits, that text goes, with every registered secret redacted, to a new 0600 file in a
0700 directory (the cache directory), and the terminal gets one sentence naming the file.
"""

from __future__ import annotations

import io
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.app import App

from scarf_tui.redaction import redact

CRASH_SENTENCE = (
    "scarf-tui stopped on an internal error. The details, with secrets removed, are in {path}; "
    "please attach that file to a bug report."
)
CRASH_UNSAVED = (
    "scarf-tui stopped on an internal error, and its details could not be saved to {directory} ({reason})."
)


def capture_errors(app: App[Any]) -> io.StringIO:
    """Send what the app would print on stderr at exit (a traceback) into the returned buffer."""
    buffer = io.StringIO()
    app.error_console = Console(
        file=buffer, width=120, color_system=None, markup=False, highlight=False, emoji=False
    )
    return buffer


def report_errors(buffer: io.StringIO, crashed: bool, directory: Path) -> str | None:
    """After the app exits: None when it printed nothing. A crash's details go to a file and the
    sentence to show is returned; anything else it printed is returned as it was (redacted)."""
    text = redact(buffer.getvalue())
    if not text.strip():
        return None
    if not crashed:
        return text.rstrip("\n")
    try:
        path = _write_report(directory, text)
    except OSError as err:
        return CRASH_UNSAVED.format(directory=directory, reason=err.strerror or err)
    return CRASH_SENTENCE.format(path=path)


def _write_report(directory: Path, text: str) -> Path:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(100):
        path = directory / f"crash-{stamp}{'-' + str(n) if n else ''}.txt"
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except FileExistsError:
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        return path
    raise FileExistsError(f"{directory} already holds 100 crash reports from this second")
