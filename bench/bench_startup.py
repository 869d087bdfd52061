"""First paint: the time from launching a command in a tmux pane until data is on screen,
divided by the same for a bare Textual app measured in the same run.

Contenders (run interleaved, each in a fresh detached tmux session of 120x40):

- floor: a minimal Textual app (Header, Static, Footer); "on screen" = the Static's text;
- scarf-tui against a loopback `scarf-tui demo-server` (API v2, token "demo"), no cache: a fresh
  cache directory per run; "on screen" = the first demo package name in the pane;
- the same with the cache present (filled by an earlier run against the same server);
- `scarf-tui --demo`: the embedded server starts in a child process, the first list is fetched
  by another beside it.

The clock starts just before `tmux new-session` and stops when `tmux capture-pane` first shows
the marker (polled every --poll seconds). tmux's own start-up is inside every figure, floor
included. Prints the median of each contender and its ratio to the floor's median (the target's
figure), and the median of each run's own ratio to the floor measured just before it.

    .venv/bin/python bench/bench_startup.py            # --runs 7 --poll 0.02 --api v2

`--tree DIR` (repeatable) measures other checkouts of scarf-tui (e.g. `git worktree` or `git
archive` of an older commit) in the same interleaved run, against the same floor, so a change is
compared with its parent under one machine state; the exit status follows the first tree.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
SIZE = ("120", "40")
TIMEOUT_S = 60.0
FLOOR_MARKER = "first-paint-floor-ready"
FLOOR_APP = f'''
from textual.app import App
from textual.widgets import Footer, Header, Static


class Floor(App):
    def compose(self):
        yield Header()
        yield Static("{FLOOR_MARKER}")
        yield Footer()


Floor().run()
'''
# Demo package names a first screen shows (any one will do); long enough not to occur by chance.
NAMES = re.compile(
    r"widget-cli|acme-sdk|acme-downloads|labkit|open-notebook|tiny-json|maintainer-tools|blog-assets|"
    r"legacy-thing|dotfiles|anvil-server|svc-\d{3}"
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def tmux(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False)


def time_to_marker(
    command: list[str], marker: re.Pattern[str], env: Mapping[str, str], poll: float,
    linger: Callable[[], bool] | None = None, cwd: Path = ROOT,
) -> float:
    """Seconds from launch until `marker` is in the pane (one retry when a launch shows nothing:
    on a shared machine a tmux session now and then dies at birth). With `linger`, the session
    stays up (untimed) until it returns True. `cwd` is the checkout `-m scarf_tui` runs from."""
    try:
        return _time_to_marker(command, marker, env, poll, linger, cwd)
    except RuntimeError as exc:
        print(f"retrying once: {str(exc).splitlines()[0]}", file=sys.stderr)
        return _time_to_marker(command, marker, env, poll, linger, cwd)


def _time_to_marker(
    command: list[str], marker: re.Pattern[str], env: Mapping[str, str], poll: float,
    linger: Callable[[], bool] | None, cwd: Path,
) -> float:
    name = f"bench-startup-{os.getpid()}-{time.monotonic_ns()}"
    shell = " ".join(_quote(part) for part in command)
    # -e: a running tmux server starts sessions with its own environment, not the client's.
    settings = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
    for _attempt in range(3):  # a tmux server that is just exiting refuses once; start again
        started = time.perf_counter()
        result = subprocess.run(
            ["tmux", "new-session", "-d", "-s", name, "-x", SIZE[0], "-y", SIZE[1], "-c", str(cwd), *settings, shell],
            capture_output=True, text=True, check=False,
        )
        if result.returncode == 0:
            break
        time.sleep(0.2)
    if result.returncode != 0:
        raise RuntimeError(f"tmux new-session failed: {result.stderr.strip()}")
    try:
        while True:
            captured = tmux("capture-pane", "-p", "-t", name)
            pane = captured.stdout
            if marker.search(pane):
                elapsed = time.perf_counter() - started
                deadline = time.monotonic() + TIMEOUT_S
                while linger is not None and not linger() and time.monotonic() < deadline:
                    time.sleep(0.1)
                return elapsed
            if captured.returncode != 0 or time.perf_counter() - started > TIMEOUT_S:
                raise RuntimeError(f"{command[-1]!r}: nothing matched {marker.pattern!r}; the pane showed:\n{pane}")
            time.sleep(poll)
    finally:
        tmux("kill-session", "-t", name)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\"'\"'") + "'"


@contextlib.contextmanager
def demo_server(port: int) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(
        [PYTHON, "-m", "scarf_tui", "demo-server", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the demo server did not start")
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _saved_in(directory: Path) -> Callable[[], bool]:
    return lambda: any(directory.glob("lists-*.json"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--poll", type=float, default=0.02, help="seconds between pane captures")
    parser.add_argument("--api", choices=("v1", "v2"), default="v2", help="the version scarf-tui speaks")
    parser.add_argument("--tree", action="append", type=Path, default=[], metavar="DIR",
                        help="another checkout to measure in the same run (repeatable; this one is first)")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        print("tmux is needed for this benchmark.", file=sys.stderr)
        return 2
    trees = [ROOT, *(t.resolve() for t in args.tree)]

    work = Path(tempfile.mkdtemp(prefix="bench-startup-"))
    floor_file = work / "floor.py"
    floor_file.write_text(FLOOR_APP)
    port = free_port()
    base = {
        "SCARF_TUI_CONFIG": str(work / "no-config.toml"),
        "SCARF_API_TOKEN": "demo",
        "SCARF_USERNAME": "maintainer",
        "SCARF_API_URL": f"http://127.0.0.1:{port}/{'v2' if args.api == 'v2' else 'api'}",
        "SCARF_API_VERSION": args.api,
        "PYTHONDONTWRITEBYTECODE": "",
    }
    scarf = [PYTHON, "-m", "scarf_tui"]
    floor: list[float] = []
    results: dict[Path, dict[str, list[float]]] = {t: {"no cache": [], "cache": [], "--demo": []} for t in trees}
    with demo_server(port):
        time_to_marker([PYTHON, str(floor_file)], re.compile(FLOOR_MARKER), base, args.poll)
        for number, tree in enumerate(trees):
            warm = work / f"warm-cache-{number}"
            # Fill the cache (and warm the OS file cache and the bytecode of every contender)
            # once, untimed: the session stays up until the whole list (every page) is saved.
            time_to_marker(scarf, NAMES, {**base, "SCARF_TUI_CACHE_DIR": str(warm)}, args.poll,
                           linger=_saved_in(warm), cwd=tree)
            if not any(warm.glob("lists-*.json")):
                raise RuntimeError(f"{tree}: the warm-up run saved no list; the cached figure would mean nothing")
            time_to_marker([*scarf, "--demo"], NAMES, {**base, "SCARF_TUI_CACHE_DIR": str(work / "demo-cache")},
                           args.poll, cwd=tree)
        time.sleep(0.5)
        for run in range(args.runs):
            floor.append(time_to_marker([PYTHON, str(floor_file)], re.compile(FLOOR_MARKER), base, args.poll))
            for number, tree in enumerate(trees):
                fresh = work / f"fresh-cache-{number}-{run}"
                warm = work / f"warm-cache-{number}"
                mine = results[tree]
                mine["no cache"].append(
                    time_to_marker(scarf, NAMES, {**base, "SCARF_TUI_CACHE_DIR": str(fresh)}, args.poll, cwd=tree)
                )
                mine["cache"].append(
                    time_to_marker(scarf, NAMES, {**base, "SCARF_TUI_CACHE_DIR": str(warm)}, args.poll, cwd=tree)
                )
                mine["--demo"].append(
                    time_to_marker([*scarf, "--demo"], NAMES, {**base, "SCARF_TUI_CACHE_DIR": str(fresh)},
                                   args.poll, cwd=tree)
                )
            time.sleep(0.2)
    shutil.rmtree(work, ignore_errors=True)

    floor_median = statistics.median(floor)
    targets = {"no cache": 1.6, "cache": 1.3, "--demo": 1.8}
    labels = {
        "no cache": f"scarf-tui vs loopback demo-server ({args.api}), no cache",
        "cache": f"scarf-tui vs loopback demo-server ({args.api}), cache present",
        "--demo": "scarf-tui --demo",
    }
    print(f"first paint in tmux, {args.runs} runs each, interleaved; medians")
    print("(/ floor: median / the floor's median, the figure the targets use; paired: the median of each")
    print(" run's own ratio to the floor measured just before it, steadier when the load drifts)")
    print(f"| {'contender':<55} | median s | / floor | paired | target |")
    print(f"|{'-' * 57}|---------:|--------:|-------:|-------:|")
    floor_label = "bare Textual app (Header, Static, Footer)"
    print(f"| {floor_label:<55} | {floor_median:8.3f} | {1:7.2f} | {1:6.2f} | {'':>6} |")
    worst = 0.0
    for number, tree in enumerate(trees):
        if len(trees) > 1:
            print(f"| {('this checkout' if tree == ROOT else str(tree)):<55} |          |         |        |        |")
        for key, times in results[tree].items():
            ratio = statistics.median(times) / floor_median
            if number == 0:
                worst = max(worst, ratio / targets[key])
            shown_target = f"<= {targets[key]}"
            paired = statistics.median(t / f for t, f in zip(times, floor, strict=True))
            print(f"| {labels[key]:<55} | {statistics.median(times):8.3f} | {ratio:7.2f} | {paired:6.2f} | "
                  f"{shown_target:>6} |")
    samples = {"floor": floor, **{f"{key} [{number}]": times for number, tree in enumerate(trees)
                                  for key, times in results[tree].items()}}
    print("all samples:", {k: [round(t, 3) for t in v] for k, v in samples.items()})
    return 0 if worst <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
