"""Big lists: keystroke-to-repaint while filtering, and peak memory, at 20,000 packages.

Two `scarf-tui demo-server` processes serve the demo organization "atlas" at two sizes (default
20,000 and 100 packages; API v2 over a loopback socket, so the server's memory is not counted).
For each size, `scarf-tui --org atlas` runs in a fresh detached tmux session (120x40), as a user
would see it. Once the whole list is in, a filter is typed into `/` one key at a time with
`tmux send-keys`: letters that narrow the list and backspaces that widen it again. Each keystroke
is timed from `send-keys` until `tmux capture-pane` shows the status line for the new filter
(rows and status line change in the same frame), polled every --poll seconds; tmux's own
round trip is inside every figure, at both sizes. Then the app's peak RSS (VmHWM) is read.

- measure 2: median keystroke at 20,000 / the same at 100 (target <= 2.0; the absolute medians
  are printed too);
- measure 4 (list half): peak RSS of scarf-tui with 20,000 packages loaded (target <= 300 MB).

    .venv/bin/python bench/bench_big_list.py            # --big 20000 --small 100 --runs 3
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
# Typed into `/` one key at a time: each word narrows the list, its backspaces widen it again.
WORDS = ("api-", "cache", "web-u", "00017")
TARGET_RATIO = 2.0
TARGET_RSS_MB = 300.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(scale: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [PYTHON, "-m", "scarf_tui", "demo-server", "--port", str(port), "--demo-scale", str(scale)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return server, f"http://127.0.0.1:{port}"
        time.sleep(0.1)
    server.kill()
    raise RuntimeError(f"demo-server --demo-scale {scale} did not start")


def keys_to_type() -> list[tuple[str, str]]:
    """(key for send-keys, the filter the status line shows afterwards)."""
    keys: list[tuple[str, str]] = []
    for word in WORDS:
        keys += [(ch, word[: i + 1]) for i, ch in enumerate(word)]
        keys += [("BSpace", word[:i]) for i in range(len(word) - 1, -1, -1)]
    return keys


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def wait_for(name: str, pattern: re.Pattern[str], poll: float, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while not pattern.search(tmux("capture-pane", "-p", "-t", name)):
        if time.monotonic() > deadline:
            raise RuntimeError(f"never showed {pattern.pattern!r}:\n{tmux('capture-pane', '-p', '-t', name)}")
        time.sleep(poll)


def one_run(url: str, expected: int, poll: float, work: Path) -> tuple[list[float], float]:
    name = f"bench-big-list-{os.getpid()}-{time.monotonic_ns()}"
    env = {
        "SCARF_TUI_CONFIG": str(work / "no-config.toml"),
        "SCARF_TUI_CACHE_DIR": str(work / f"cache-{name}"),  # no saved list: the server's answer
        "SCARF_API_TOKEN": "demo",
        "SCARF_USERNAME": "maintainer",
        "SCARF_API_URL": f"{url}/v2",
        "SCARF_API_VERSION": "v2",
    }
    settings = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
    command = f"{PYTHON} -m scarf_tui --org atlas"
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "120", "-y", "40", "-c", str(ROOT),
                    *settings, command], check=True)
    samples: list[float] = []
    try:
        wait_for(name, re.compile(rf"\b{expected} of {expected} packages(?! so far)"), 0.1)
        time.sleep(1.0)  # the trend column's worker (off above 2,000) and start-up work settle
        tmux("send-keys", "-t", name, "/")
        wait_for(name, re.compile(r"^ /", re.M), poll)
        for key, shown in keys_to_type():
            status = re.compile(rf"of {expected} packages · filter: {re.escape(shown)}(?: ·|$)" if shown
                                else rf"\b{expected} of {expected} packages(?! · filter:)", re.M)
            started = time.perf_counter()
            tmux("send-keys", "-t", name, *(["-l", key] if key != "BSpace" else [key]))
            wait_for(name, status, poll, timeout=30)
            samples.append(time.perf_counter() - started)
        pid = tmux("display-message", "-p", "-t", name, "#{pane_pid}").strip()
        hwm = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines() if line.startswith("VmHWM"))
        rss_mb = int(hwm.split()[1]) / 1024
    finally:
        tmux("kill-session", "-t", name)
    return samples, rss_mb


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", type=int, default=20_000)
    parser.add_argument("--small", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--poll", type=float, default=0.002, help="seconds between pane captures")
    args = parser.parse_args()
    if shutil.which("tmux") is None:
        print("tmux is needed for this benchmark.", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-big-list-"))

    servers = {n: start_server(n) for n in (args.small, args.big)}
    samples: dict[int, list[float]] = {args.small: [], args.big: []}
    rss: dict[int, list[float]] = {args.small: [], args.big: []}
    try:
        for run in range(args.runs):
            for n in (args.small, args.big):  # interleaved: machine noise falls on both sizes
                keys, peak = one_run(servers[n][1], n, args.poll, work)
                samples[n] += keys
                rss[n].append(peak)
                print(f"run {run + 1}, {n:>6,} packages: median keystroke {statistics.median(keys) * 1000:6.1f} ms, "
                      f"peak RSS {peak:.0f} MB", flush=True)
    finally:
        for server, _ in servers.values():
            server.terminate()
            server.wait(10)
        shutil.rmtree(work, ignore_errors=True)

    small, big = statistics.median(samples[args.small]), statistics.median(samples[args.big])
    ratio = big / small
    worst_rss = max(rss[args.big])
    print(f"\nkeystroke-to-repaint, median of {len(samples[args.big])} keys: "
          f"{args.small:,} packages {small * 1000:.1f} ms, {args.big:,} packages {big * 1000:.1f} ms")
    print(f"  90th percentile: {args.small:,}: {quantile(samples[args.small], 0.9) * 1000:.1f} ms, "
          f"{args.big:,}: {quantile(samples[args.big], 0.9) * 1000:.1f} ms")
    print(f"ratio {args.big:,} / {args.small:,}: {ratio:.2f} (target <= {TARGET_RATIO})")
    print(f"peak RSS with {args.big:,} packages: {worst_rss:.0f} MB (target <= {TARGET_RSS_MB:.0f}); "
          f"with {args.small:,}: {max(rss[args.small]):.0f} MB")
    met = ratio <= TARGET_RATIO and worst_rss <= TARGET_RSS_MB
    print("targets met" if met else "TARGET MISSED")
    return 0 if met else 1


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


if __name__ == "__main__":
    sys.exit(main())
