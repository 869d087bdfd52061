"""Run a terminal program in a pseudo-terminal until its screen shows what a test waits for."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Callable

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")
KEEP = 1 << 20  # bytes of output kept for matching and for the failure message


def run_until(
    argv: list[str],
    env: dict[str, str],
    ok: Callable[[str], bool],
    limit: float = 120.0,
    size: tuple[int, int] = (120, 40),
) -> str:
    """Start `argv` on a new pty of `size` columns x rows; return the output (escape sequences
    removed) once `ok` accepts it. The process group is ended either way. AssertionError with
    the last output when the program exits first or `limit` seconds pass without a match."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = {**env, "TERM": "xterm-256color", "COLUMNS": str(size[0]), "LINES": str(size[1])}
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    output = bytearray()
    text = ""
    try:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the program closed the terminal (it exited)
                    chunk = b""
                if not chunk:
                    break
                output += chunk
                del output[:-KEEP]
                text = ANSI.sub("", output.decode("utf-8", "replace"))
                if ok(text):
                    return text
            elif process.poll() is not None:
                break
        try:
            status: int | None = process.wait(5)
        except subprocess.TimeoutExpired:
            status = None
        raise AssertionError(
            f"{argv[0]} never showed what the test waits for (exit status {status}); "
            f"it printed:\n{text[-3000:]}"
        )
    finally:
        _end(process)
        os.close(master)


def _end(process: subprocess.Popen) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(10)
            return
        except subprocess.TimeoutExpired:
            continue
