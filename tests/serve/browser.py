"""A small DevTools-protocol driver for a real headless Chromium (Debian's `chromium`).

Used by the browser test and by scripts/screenshots.py:

    with ServedApp(["--demo"]) as served, Chromium(tmp_dir) as browser:
        text = asyncio.run(load_and_read(browser, served.url, until=lambda t: "widget-cli" in t, png=path))

The terminal in the page draws to a canvas, so the text is read from xterm's buffer through page
JavaScript. textual.js keeps its Terminal in a closure; a script added before the page's own
scripts notes every object assigned to a `terminal` property, and the reader takes the one with
an xterm buffer. Every wait has a stall limit and ends with an error saying what it waited for.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aiohttp

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
START_LIMIT = 60.0  # seconds for a process to print its address
PAINT_LIMIT = 90.0  # seconds for the app to draw what we wait for
URL_LINE = re.compile(r"(http://\S+/\?key=\S+)")
DEVTOOLS_LINE = re.compile(r"DevTools listening on (ws://\S+)")

# Runs before textual.js: remembers xterm Terminal objects as textual.js stores them.
HOOK_SCRIPT = """
(() => {
  window.__scarfTerminals = [];
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    set(value) {
      Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
      if (value && value.buffer) window.__scarfTerminals.push(value);
    },
    get() { return undefined; },
  });
})();
"""

READ_SCRIPT = """
(() => {
  const t = (window.__scarfTerminals || []).find(x => x && x.buffer && x.buffer.active);
  if (!t) return null;
  const b = t.buffer.active, lines = [];
  for (let i = 0; i < t.rows; i++) {
    const line = b.getLine(b.viewportY + i);
    lines.push(line ? line.translateToString(true) : "");
  }
  return lines.join("\\n");
})()
"""

FOCUS_SCRIPT = """
(() => {
  const area = document.querySelector(".xterm-helper-textarea");
  if (!area) return false;
  area.focus();
  return document.activeElement === area;
})()
"""


def find_chromium() -> str | None:
    for name in CHROMIUM_NAMES:
        if path := shutil.which(name):
            return path
    return None


def _read_line_matching(stream, pattern: re.Pattern[str], limit: float, what: str) -> re.Match[str]:
    """The first line of `stream` matching `pattern`, read in a thread so a silent process can't
    hang the test; RuntimeError with the lines seen after `limit` seconds or at end of stream."""
    found: list[re.Match[str]] = []
    seen: list[str] = []

    def reader() -> None:
        for raw in iter(stream.readline, b""):
            line = raw.decode("utf-8", "replace")
            seen.append(line[:500])
            if match := pattern.search(line):
                found.append(match)
                return

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    thread.join(limit)
    if not found:
        raise RuntimeError(f"{what} did not start; it printed: {''.join(seen[-20:])!r}")
    return found[0]


def _kill_group(process: subprocess.Popen, limit: float = 15.0) -> None:
    """SIGTERM the process group of `process`, then SIGKILL whatever is left after `limit` s;
    returns when no member of the group is left (zombies of other parents aside)."""
    pgid = process.pid
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            pass
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            if process.poll() is not None and not group_alive(pgid):
                return
            time.sleep(0.1)
    process.wait(limit)


def group_alive(pgid: int) -> list[int]:
    """Pids still in process group `pgid` (from /proc)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


class ServedApp:
    """`python -m scarf_tui serve --port 0 ARGS` in its own process group; `.url` has the key."""

    def __init__(self, args: list[str], env: dict[str, str] | None = None) -> None:
        self.args = args
        self.env = env
        self.process: subprocess.Popen | None = None
        self.url = ""
        self.origin = ""
        self.key = ""
        self.output: collections.deque[str] = collections.deque(maxlen=60)

    def __enter__(self) -> ServedApp:
        command = [sys.executable, "-m", "scarf_tui", "serve", "--port", "0", *self.args]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the app processes die with it
            env=self.env,
        )
        try:
            match = _read_line_matching(self.process.stdout, URL_LINE, START_LIMIT, "scarf-tui serve")
        except BaseException:
            _kill_group(self.process)
            raise
        self.url = match.group(1)
        self.origin, _, self.key = self.url.partition("/?key=")
        # Keep draining the server's output (app processes write their errors there) so a full
        # pipe never blocks it; the last lines explain a page that stays blank.
        threading.Thread(target=self._drain, daemon=True).start()
        return self

    def _drain(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for raw in iter(self.process.stdout.readline, b""):
            self.output.append(raw.decode("utf-8", "replace")[:500])

    def explain(self, error: BaseException) -> str:
        return f"{error}\n--- scarf-tui serve printed (last lines) ---\n{''.join(self.output)}"

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            _kill_group(self.process)


class Chromium:
    """Headless Chromium with a DevTools endpoint, its own profile and process group."""

    def __init__(self, workdir: Path, size: tuple[int, int] = (1280, 800)) -> None:
        self.workdir = Path(workdir)
        self.size = size
        self.process: subprocess.Popen | None = None
        self.devtools_url = ""

    def __enter__(self) -> Chromium:
        binary = find_chromium()
        if binary is None:
            raise RuntimeError("chromium is not installed (apt-get install chromium fonts-symbola).")
        profile = tempfile.mkdtemp(prefix="profile-", dir=self.workdir)
        command = [
            binary,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--hide-scrollbars",
            "--mute-audio",
            f"--user-data-dir={profile}",
            f"--window-size={self.size[0]},{self.size[1]}",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            "about:blank",
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            command.insert(1, "--no-sandbox")  # Chromium's sandbox refuses to run as root
        self.process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            match = _read_line_matching(self.process.stderr, DEVTOOLS_LINE, START_LIMIT, "chromium")
        except BaseException:
            _kill_group(self.process)
            raise
        self.devtools_url = match.group(1)
        # Keep draining stderr so a chatty browser never blocks on a full pipe.
        threading.Thread(target=lambda: [None for _ in iter(self.process.stderr.readline, b"")], daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            _kill_group(self.process)


class Page:
    """One DevTools session on a page target."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self._next = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._next += 1
        ident = self._next
        await self.ws.send_json({"id": ident, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self.ws.receive(), START_LIMIT)
            if message.type != aiohttp.WSMsgType.TEXT:
                raise RuntimeError(f"DevTools connection ended during {method}: {message.type!r}")
            data = json.loads(message.data)
            if data.get("id") == ident:
                if "error" in data:
                    raise RuntimeError(f"{method} failed: {data['error']}")
                return data.get("result", {})

    async def evaluate(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails'].get('text')}")
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, ok: Callable[[Any], bool], what: str, limit: float = PAINT_LIMIT) -> Any:
        """Evaluate `expression` until `ok(value)`; RuntimeError naming `what` and the last value."""
        deadline = time.monotonic() + limit
        value: Any = None
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if ok(value):
                return value
            await asyncio.sleep(0.25)
        raise RuntimeError(f"the page never showed {what}; last value: {str(value)[:2000]!r}")


async def open_page(session: aiohttp.ClientSession, browser: Chromium) -> Page:
    host = browser.devtools_url.split("/devtools/")[0].replace("ws://", "http://")
    async with session.get(f"{host}/json/list") as response:
        targets = await response.json()
    page = next(t for t in targets if t.get("type") == "page")
    ws = await session.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=64 * 1024 * 1024)
    return Page(ws)


async def load_and_read(
    browser: Chromium,
    url: str,
    *,
    until: Callable[[str], bool],
    footer: Callable[[str], bool] | None = None,
    png: Path | None = None,
) -> dict[str, Any]:
    """Open `url`, wait until the terminal text satisfies `until` (and, after focusing the
    terminal, `footer`), optionally save a screenshot. Returns {"text", "html", "status"}."""
    async with aiohttp.ClientSession() as session:
        page = await open_page(session, browser)
        try:
            await page.call("Page.enable")
            await page.call("Runtime.enable")
            await page.call("Page.addScriptToEvaluateOnNewDocument", source=HOOK_SCRIPT)
            width, height = browser.size
            await page.call(
                "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False
            )
            await page.call("Page.navigate", url=url)
            text = await page.wait_for(READ_SCRIPT, lambda v: isinstance(v, str) and until(v), "the expected text")
            await page.wait_for(FOCUS_SCRIPT, lambda v: v is True, "a focused terminal")
            if footer is not None:
                text = await page.wait_for(READ_SCRIPT, lambda v: isinstance(v, str) and footer(v), "the footer")
            html = await page.evaluate("document.documentElement.outerHTML")
            if png is not None:
                shot = await page.call("Page.captureScreenshot", format="png")
                png.write_bytes(base64.b64decode(shot["data"]))
            return {"text": text, "html": html}
        finally:
            await page.ws.close()


async def load_plain(browser: Chromium, url: str) -> dict[str, Any]:
    """Open `url` and return the body text once the document has loaded (for error pages)."""
    async with aiohttp.ClientSession() as session:
        page = await open_page(session, browser)
        try:
            await page.call("Page.enable")
            await page.call("Page.navigate", url=url)
            body = await page.wait_for(
                "document.readyState === 'complete' && document.location.href !== 'about:blank' "
                "? document.body.innerText : null",
                lambda v: isinstance(v, str),
                "a loaded document",
            )
            return {"text": body}
        finally:
            await page.ws.close()
