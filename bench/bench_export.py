"""Memory benchmark of the events export: does peak memory stay flat as the export grows?

Starts the embedded demo server on a loopback socket (real streaming, not ASGITransport), then
exports 365 days of events (12 windows of <= 31 days) for the busiest demo package at 1x and 4x
event volume. Each export runs in a fresh subprocess that reports its own peak RSS (ru_maxrss)
minus its peak right after the imports, so the server's memory (in this process) never counts.

    .venv/bin/python bench/bench_export.py            # 1x and 4x
    .venv/bin/python bench/bench_export.py --scales 1 2 4 8

A floor run downloads the same windows at the smallest scale with bare httpx (bytes straight to a
file) for a time reference. Prints rows exported and MB of peak-RSS growth at each scale, and the ratio of growth at the
largest scale to growth at the smallest. Target: <= 50 MB growth at every scale. Memory follows
the largest single window (the per-window set of event ids used to drop at-least-once repeats),
never the number of windows: a short run (93 days, 3 windows) at the smallest scale shows growth
equal to the 365-day run's.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TODAY = date(2026, 11, 20)  # fixed, so every run exports the same rows
DAYS = 365
BUSY_PACKAGE = ("acme", "widget", "docker")  # the most popular demo package
TARGET_MB = 50.0


def _peak_rss_kb() -> int:
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak  # bytes on macOS, KiB on Linux


def child(base_url: str, package_id: str, start: str, end: str, output: str) -> None:
    """Run in the subprocess: one export; print a JSON line with rows and peak RSS."""
    import asyncio

    from scarf_tui.api import make_service
    from scarf_tui.demo import DEMO_TOKEN
    from scarf_tui.exporting import EventsScope, export_events

    baseline = _peak_rss_kb()

    async def run() -> dict:
        service = make_service(base_url, DEMO_TOKEN, timeout=120.0)
        try:
            began = time.perf_counter()
            result = await export_events(
                service,
                EventsScope(package_id, "bench"),
                date.fromisoformat(start),
                date.fromisoformat(end),
                output,
                resume=False,
            )
            seconds = time.perf_counter() - began
        finally:
            await service.aclose()
        return {
            "complete": result.complete,
            "problems": result.problems(),
            "rows": result.rows,
            "windows": result.windows_total,
            "seconds": seconds,
        }

    report = asyncio.run(run())
    report["bytes"] = os.path.getsize(output) if report["complete"] else 0
    report["baseline_kb"] = baseline
    report["peak_kb"] = _peak_rss_kb()
    print(json.dumps(report))


def child_floor(base_url: str, package_id: str, start: str, end: str, output: str) -> None:
    """The floor, in the subprocess: the same windows fetched with bare httpx and their bytes
    appended to a file as they arrive (no parsing, no header handling, no resume bookkeeping)."""
    import asyncio

    import httpx

    from scarf_tui.demo import DEMO_TOKEN
    from scarf_tui.domain import event_windows

    baseline = _peak_rss_kb()

    async def run() -> dict:
        began = time.perf_counter()
        lines = 0
        async with httpx.AsyncClient(headers={"Authorization": f"Bearer {DEMO_TOKEN}"}, timeout=120.0) as client:
            with open(output, "wb") as out:
                for w_start, w_end in event_windows(date.fromisoformat(start), date.fromisoformat(end)):
                    url = f"{base_url}/v1/packages/{package_id}/events/floor.csv"
                    params = {"startDate": w_start.isoformat(), "endDate": w_end.isoformat()}
                    async with client.stream("GET", url, params=params) as response:
                        response.raise_for_status()
                        async for chunk in response.aiter_bytes():
                            out.write(chunk)
                            lines += chunk.count(b"\n")
        return {"complete": True, "problems": [], "rows": lines, "windows": 12, "seconds": time.perf_counter() - began}

    report = asyncio.run(run())
    report["bytes"] = os.path.getsize(output)
    report["baseline_kb"] = baseline
    report["peak_kb"] = _peak_rss_kb()
    print(json.dumps(report))


def measure(scale: int, workdir: Path, days: int = DAYS, *, floor: bool = False) -> dict:
    from scarf_tui.demo.app import create_app
    from scarf_tui.demo.data import PACKAGE_BY_KEY
    from scarf_tui.demo.server import running_server
    from scarf_tui.demo.store import build_demo_store

    package_id = PACKAGE_BY_KEY["/".join(BUSY_PACKAGE)].uuid
    end = TODAY
    start = end - timedelta(days=days)
    output = workdir / f"events-{scale}x-{days}d.csv"
    store = build_demo_store(today=TODAY, events_scale=scale)
    with running_server(create_app(store)) as base_url:
        proc = subprocess.run(
            [
                sys.executable,
                __file__,
                "--floor-child" if floor else "--child",
                base_url,
                package_id,
                start.isoformat(),
                end.isoformat(),
                str(output),
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    if proc.returncode != 0:
        raise SystemExit(f"the {scale}x export process failed:\n{proc.stderr.strip()}")
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    if not report["complete"]:
        raise SystemExit(f"the {scale}x export did not complete: {'; '.join(report['problems'])}")
    output.unlink(missing_ok=True)
    report["scale"] = scale
    report["days"] = days
    report["growth_mb"] = (report["peak_kb"] - report["baseline_kb"]) / 1024
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 4], help="event volumes (default: 1 4)")
    parser.add_argument(
        "--short-days",
        type=int,
        default=93,
        help="also export this many days at the smallest scale, to show memory does not follow "
        "the number of windows (default 93 = 3 windows; 0 skips)",
    )
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--floor-child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return 0
    if args.floor_child:
        child_floor(*args.floor_child)
        return 0

    print(f"events export of {BUSY_PACKAGE[0]}/{BUSY_PACKAGE[1]}, demo server on a loopback socket")

    def show(r: dict) -> None:
        print(
            f"{r['scale']:>4}x {r['days']:>5} {r['windows']:>7} {r['rows']:>10,} {r['bytes'] / 2**20:>8.1f} "
            f"{r['seconds']:>8.1f} {r['rows'] / r['seconds']:>9,.0f} {r['growth_mb']:>14.1f}",
            flush=True,
        )

    reports = []
    short = None
    with tempfile.TemporaryDirectory(prefix="scarf-bench-export-") as tmp:
        floor = measure(min(args.scales), Path(tmp), floor=True)
        print(
            f"floor: bare httpx download of the same {floor['windows']} windows at {min(args.scales)}x, "
            "bytes to a file: "
            f"{floor['seconds']:.1f} s, RSS growth {floor['growth_mb']:.1f} MB",
            flush=True,
        )
        print(
            f"{'scale':>5} {'days':>5} {'windows':>7} {'rows':>10} {'CSV MB':>8} {'seconds':>8} "
            f"{'rows/s':>9} {'RSS growth MB':>14}"
        )
        if args.short_days:
            short = measure(min(args.scales), Path(tmp), args.short_days)
            show(short)
        for scale in args.scales:
            r = measure(scale, Path(tmp))
            reports.append(r)
            show(r)
    low, high = reports[0], reports[-1]
    print(
        f"time ours/floor at {low['scale']}x: {low['seconds'] / floor['seconds']:.2f} "
        f"(the server generates the rows in both; ours also parses every row for its id)"
    )
    if short is not None:
        print(
            f"RSS growth {low['days']}d/{short['days']}d at {low['scale']}x "
            f"({low['windows']} vs {short['windows']} windows): "
            f"{low['growth_mb'] / short['growth_mb'] if short['growth_mb'] > 0 else float('inf'):.2f}"
        )
    ratio = high["growth_mb"] / low["growth_mb"] if low["growth_mb"] > 0 else float("inf")
    worst = max(r["growth_mb"] for r in reports + ([short] if short else []))
    print(
        f"rows {high['scale']}x/{low['scale']}x: {high['rows'] / low['rows']:.2f}; "
        f"RSS growth {high['scale']}x/{low['scale']}x: {ratio:.2f}; "
        f"worst growth {worst:.1f} MB (target <= {TARGET_MB:.0f} MB): "
        f"{'PASS' if worst <= TARGET_MB else 'FAIL'}"
    )
    return 0 if worst <= TARGET_MB else 1


if __name__ == "__main__":
    raise SystemExit(main())
