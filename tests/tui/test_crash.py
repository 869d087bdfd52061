"""An unexpected error in the TUI: a sentence on the terminal, the redacted details in a 0600 file."""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Static

from scarf_tui.tui.crash import CRASH_SENTENCE, capture_errors, report_errors

TOKEN = "tok-crash-0123456789abcdef"
ROOT = Path(__file__).resolve().parents[2]


class Breaks(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("up")

    def on_mount(self) -> None:
        headers = {"Authorization": f"Bearer {TOKEN}"}  # a local, as httpx's frames hold one
        raise RuntimeError(f"boom with {headers['Authorization']}")


class Quits(App[None]):
    def on_mount(self) -> None:
        self.exit()


async def run_headless(app: App[None]) -> None:
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()


SCRIPT = """
import sys
from pathlib import Path
from scarf_tui.redaction import register_secret
from scarf_tui.tui.crash import capture_errors, report_errors
from tests.tui.test_crash import TOKEN, Breaks

register_secret(TOKEN)
app = Breaks()
buffer = capture_errors(app)
app.run(headless=True)
print(report_errors(buffer, crashed=app.return_code == 1, directory=Path(sys.argv[1])), file=sys.stderr)
sys.exit(app.return_code)
"""


def test_a_crash_becomes_one_sentence_and_a_private_redacted_file(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tmp_path / "cache")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, check=False)
    reports = list((tmp_path / "cache").glob("crash-*.txt"))
    assert len(reports) == 1
    # The terminal gets the sentence alone: no traceback, no token.
    assert done.returncode == 1
    assert done.stderr.strip() == CRASH_SENTENCE.format(path=reports[0])
    assert done.stdout == ""
    details = reports[0].read_text()
    assert "RuntimeError" in details and "boom with" in details
    assert TOKEN not in details and "Bearer" in details  # the header is there, its secret is not
    assert stat.S_IMODE(reports[0].stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "cache").stat().st_mode) == 0o700


async def test_a_clean_exit_reports_nothing(tmp_path: Path) -> None:
    app = Quits()
    buffer = capture_errors(app)
    await run_headless(app)
    assert report_errors(buffer, crashed=False, directory=tmp_path) is None
    assert not list(tmp_path.iterdir())


def test_an_unwritable_directory_still_gives_a_sentence(tmp_path: Path) -> None:
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("")
    app = Quits()
    buffer = capture_errors(app)
    buffer.write("Traceback ...\nValueError: x\n")
    sentence = report_errors(buffer, crashed=True, directory=blocked / "cache")
    assert sentence is not None
    assert sentence.startswith("scarf-tui stopped on an internal error, and its details could not be saved to ")
    assert "ValueError" not in sentence
