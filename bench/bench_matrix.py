"""Access matrix benchmarks (issue 11, benchmarks 3 and 4), through the real app, headless.

3. Fill time: the organization "atlas" with 200 packages (scarf_tui.demo.scale), every request
   delayed 20 ms by the demo server's latency fault, the matrix opened with the default
   concurrency and with concurrency 1, runs interleaved. "Fill" is from the moment the axes
   (packages and members) are on screen until the last package's permissions are in their
   cells; "open" also counts reading the axes. Prints medians and default ÷ 1. Target <= 0.2.
4. Memory: the matrix of 2,000 packages × 50 users (atlas at 2,000 packages, its members cut to
   50 and every grant moved onto them), opened in a fresh subprocess that fills it, then walks
   the grid (last row, last column, pages back up) and prints its peak RSS (ru_maxrss). The
   server runs in this process, so its memory never counts. Also 2,000 × 500 (all members) for
   scale. Target <= 300 MB.

    .venv/bin/python bench/bench_matrix.py                 # both, API v2
    .venv/bin/python bench/bench_matrix.py --api v1 --runs 5 --only fill

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import statistics
import subprocess
import sys
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

FILL_TARGET = 0.2
RSS_TARGET_MB = 300.0
LATENCY_S = 0.020
FILL_PACKAGES = 200
RSS_PACKAGES = 2_000
RSS_USERS = 50
ORG = "atlas"
POLL_S = 0.002


def _peak_rss_mb() -> float:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024  # bytes on macOS, KiB on Linux


def _rss_now_mb() -> float | None:
    """The resident set right now (Linux), beside the peak: what the full matrix holds."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def _store(packages: int, users: int | None):  # noqa: ANN202
    """The demo store with atlas at `packages`; with `users`, atlas keeps that many members
    (the maintainer among them) and every atlas grant is moved onto one of them."""
    from scarf_tui.demo import DEMO_USER
    from scarf_tui.demo.scale import add_scaled_org
    from scarf_tui.demo.store import build_demo_store

    store = build_demo_store(fleet=False)
    add_scaled_org(store, packages)
    if users is not None:
        members = store.members[ORG]
        kept = [DEMO_USER, *sorted(n for n in members if n != DEMO_USER)[: users - 1]]
        store.members[ORG] = {name: members[name] for name in kept}
        others = kept[1:]
        for uuid, package in store.packages.items():
            if package["owner"] != ORG:
                continue
            grants = store.permissions[uuid]
            moved = {others[zlib.crc32(name.encode()) % len(others)]: level for name, level in sorted(grants.items())}
            grants.clear()
            grants.update(moved)
    return store


async def _open_and_fill(service, size: tuple[int, int] = (120, 40), walk: bool = False) -> dict:  # noqa: ANN001
    """Open the matrix of atlas in the real app (headless); times and counts once it is full."""
    from scarf_tui.config import Settings
    from scarf_tui.tui.access.screen import AccessScreen
    from scarf_tui.tui.app import ScarfApp
    from scarf_tui.tui.session import Session

    app = ScarfApp(Session(service=service, settings=Settings(), username="maintainer"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = AccessScreen(ORG)
        opened = time.perf_counter()
        await app.push_screen(screen)
        axes = None
        while True:
            matrix = screen.matrix
            if matrix is not None and axes is None:
                axes = time.perf_counter()
            if matrix is not None and matrix.read_count == len(matrix.packages):
                break
            await asyncio.sleep(POLL_S)
        filled = time.perf_counter()
        assert axes is not None and matrix is not None
        await pilot.pause()
        if walk:  # every line and column drawn at least once at the far ends
            for key in ("G", "dollar_sign", "pageup", "pageup", "0", "g", "l", "j"):
                await pilot.press(key)
        return {
            "open_s": filled - opened,
            "fill_s": filled - axes,
            "packages": len(matrix.packages),
            "users": len(matrix.users),
            "unread": len(matrix.errors),
        }


def fill_benchmark(api: str, runs: int) -> bool:
    from scarf_tui.api import make_service
    from scarf_tui.api.http import DEFAULT_CONCURRENCY
    from scarf_tui.demo import DEMO_TOKEN

    # The server runs in its own process, as a real one would: in this one it would compete with
    # the app for the interpreter, and the figure would measure that contention.
    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(FILL_PACKAGES), str(LATENCY_S)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        origin = server.stdout.readline().strip()
        base_url = origin + ("/api" if api == "v1" else "/v2")
        times: dict[int, list[dict]] = {DEFAULT_CONCURRENCY: [], 1: []}
        for _ in range(runs):
            for concurrency in times:  # interleaved, so load on the machine hits both alike
                service = make_service(base_url, DEMO_TOKEN, api_version=api, username="maintainer",
                                       concurrency=concurrency)

                async def one(service=service) -> dict:  # noqa: ANN001
                    try:
                        return await _open_and_fill(service)
                    finally:
                        await service.aclose()

                times[concurrency].append(asyncio.run(one()))
    finally:
        server.communicate("")  # its stdin closes: it stops
    default, single = times[DEFAULT_CONCURRENCY], times[1]
    first = default[0]
    print(f"\n3. Fill the matrix: {first['packages']} packages × {first['users']} users, {LATENCY_S * 1000:.0f} ms "
          f"latency per request, API {api}, median of {runs} interleaved runs")
    print(f"{'concurrency':>12} {'fill s':>8} {'open s':>8}  fills")
    for concurrency, results in times.items():
        fills = ", ".join(f"{r['fill_s']:.2f}" for r in results)
        print(f"{concurrency:>12} {statistics.median(r['fill_s'] for r in results):>8.3f} "
              f"{statistics.median(r['open_s'] for r in results):>8.3f}  {fills}")
    ratio = statistics.median(r["fill_s"] for r in default) / statistics.median(r["fill_s"] for r in single)
    open_ratio = statistics.median(r["open_s"] for r in default) / statistics.median(r["open_s"] for r in single)
    floor = 1 / DEFAULT_CONCURRENCY
    print(f"fill, default ({DEFAULT_CONCURRENCY}) ÷ 1: {ratio:.3f} (target <= {FILL_TARGET}; "
          f"a perfect pool would give {floor:.3f}) · open to full: {open_ratio:.3f}")
    if any(r["unread"] for r in default + single):
        print("Some packages could not be read: the figures above are not valid.")
        return False
    return ratio <= FILL_TARGET


def serve(packages: int, latency: float) -> None:
    """In the server subprocess: print the origin, serve until stdin closes."""
    from scarf_tui.demo.faults import Faults
    from scarf_tui.demo.start import start_demo

    with contextlib.ExitStack() as stack:
        demo = start_demo(stack, store=_store(packages, None), faults=Faults(latency_s=latency))
        print(demo.origin, flush=True)
        sys.stdin.read()


def child(base_url: str, api: str) -> None:
    """In the subprocess: fill the matrix, walk it, print a JSON line with peak RSS."""
    import scarf_tui.tui.access.screen  # noqa: F401 - the imports count in the baseline
    import scarf_tui.tui.app  # noqa: F401
    from scarf_tui.api import make_service
    from scarf_tui.demo import DEMO_TOKEN

    baseline = _peak_rss_mb()

    async def run() -> dict:
        service = make_service(base_url, DEMO_TOKEN, api_version=api, username="maintainer", timeout=120.0)
        try:
            return await _open_and_fill(service, walk=True)
        finally:
            await service.aclose()

    result = asyncio.run(run())
    result.update(baseline_mb=baseline, peak_mb=_peak_rss_mb(), now_mb=_rss_now_mb())
    print(json.dumps(result))


def rss_benchmark(api: str) -> bool:
    from scarf_tui.demo.start import start_demo

    ok = True
    print(f"\n4. Peak RSS of the app with the matrix full (a fresh process each; API {api})")
    print(f"{'matrix':>18} {'peak MB':>8} {'peak after imports MB':>22} {'RSS at end MB':>14} {'fill s':>7}")
    for users in (RSS_USERS, None):
        with contextlib.ExitStack() as stack:
            demo = start_demo(stack, api_version=api, store=_store(RSS_PACKAGES, users))
            out = subprocess.run(
                [sys.executable, __file__, "--child", demo.origin + ("/api" if api == "v1" else "/v2"), api],
                capture_output=True, text=True, check=False, timeout=1800,
            )
        if out.returncode != 0:
            print(out.stderr[-2000:])
            return False
        result = json.loads(out.stdout.strip().splitlines()[-1])
        shape = f"{result['packages']:,} × {result['users']}"
        now = f"{result['now_mb']:.1f}" if result["now_mb"] is not None else "-"
        print(f"{shape:>18} {result['peak_mb']:>8.1f} {result['baseline_mb']:>22.1f} {now:>14} "
              f"{result['fill_s']:>7.1f}")
        if users == RSS_USERS:
            ok = result["peak_mb"] <= RSS_TARGET_MB and not result["unread"]
    print(f"target <= {RSS_TARGET_MB:.0f} MB at {RSS_PACKAGES:,} × {RSS_USERS}: {'met' if ok else 'NOT met'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api", choices=("v1", "v2"), default="v2")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("fill", "rss"))
    parser.add_argument("--child", nargs=2, metavar=("URL", "API"), help=argparse.SUPPRESS)
    parser.add_argument("--serve", nargs=2, metavar=("PACKAGES", "LATENCY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(int(args.serve[0]), float(args.serve[1]))
        return 0
    if args.child:
        child(*args.child)
        return 0
    ok = True
    if args.only in (None, "fill"):
        ok = fill_benchmark(args.api, args.runs) and ok
    if args.only in (None, "rss"):
        ok = rss_benchmark(args.api) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
