"""Regenerate screenshots/*.svg from the embedded demo (120x40, fixed date, so re-runs only
change what the UI changed), and screenshots/browser.png: `scarf-tui serve --demo` in a real
headless Chromium (Debian's `chromium`; that one shows today's demo data).

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--only packages,package]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402
from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input  # noqa: E402

from scarf_tui.api import make_service  # noqa: E402
from scarf_tui.config import Settings  # noqa: E402
from scarf_tui.demo import DEMO_TOKEN, DEMO_USER  # noqa: E402
from scarf_tui.demo.app import create_app  # noqa: E402
from scarf_tui.demo.store import build_demo_store  # noqa: E402
from scarf_tui.tui.app import ScarfApp  # noqa: E402
from scarf_tui.tui.session import Session  # noqa: E402

TODAY = date(2026, 11, 20)
SIZE = (120, 40)

Driver = Callable[[ScarfApp, Pilot], Awaitable[None]]


async def settle(pilot: Pilot) -> None:
    for _ in range(4):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def keys(pilot: Pilot, *pressed: str) -> None:
    for key in pressed:
        await pilot.press(key)
        await settle(pilot)


def pressing(*pressed: str) -> Driver:
    async def drive(app: ScarfApp, pilot: Pilot) -> None:
        await keys(pilot, *pressed)

    return drive


def open_package(name: str, *then: str) -> Driver:
    return pressing("slash", *name, "enter", "enter", *then)


async def organization(app: ScarfApp, pilot: Pilot) -> None:
    app.nav.open_org("acme")
    await settle(pilot)


async def organization_packages(app: ScarfApp, pilot: Pilot) -> None:
    app.nav.open_org("acme", tab="packages")
    await settle(pilot)


SHOTS: dict[str, Driver] = {
    "packages": pressing(),
    "packages-filtered": pressing("slash", *"widget"),
    "package": open_package("widget-cli"),
    "package-permissions": open_package("widget-cli", "p"),
    "package-routes": open_package("acme-downloads", "3"),
    "package-domains": open_package("acme-downloads", "4"),
    "package-charts": open_package("widget-cli", "5"),
    "organizations": pressing("colon", *"orgs", "enter"),
    "organization": organization,
    "organization-packages": organization_packages,
    "matrix": pressing("colon", *"matrix acme", "enter"),
    "command-bar": pressing("colon", *"pkg wid"),
    "help": pressing("question_mark"),
    "welcome": pressing(),
}


async def shoot(name: str, drive: Driver, out: Path) -> Path:
    service = None
    if name != "welcome":
        store = build_demo_store(today=TODAY)
        service = make_service(
            "http://demo.invalid/api", DEMO_TOKEN, transport=httpx.ASGITransport(app=create_app(store))
        )
    session = Session(settings=Settings(), service=service, today=TODAY, username=DEMO_USER if service else None)
    app = ScarfApp(session, close_service_on_exit=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await drive(app, pilot)
        for field in app.screen.query(Input):
            field.cursor_blink = False
        await settle(pilot)
        path = app.save_screenshot(f"{name}.svg", str(out))
    return Path(path)


BROWSER_SHOT = "browser"


async def shoot_browser(out: Path) -> Path:
    """`scarf-tui serve --demo` loaded in headless Chromium, once the package list and its
    30-day sparklines are drawn (the same driver as tests/serve/test_browser.py)."""
    import tempfile

    from tests.serve.browser import Chromium, ServedApp, load_and_read

    path = out / f"{BROWSER_SHOT}.png"
    with tempfile.TemporaryDirectory() as tmp:
        with ServedApp(["--demo"]) as served, Chromium(Path(tmp)) as browser:
            await load_and_read(
                browser,
                served.url,
                until=lambda text: "widget-cli" in text and "█" in text,
                footer=lambda text: "Quit" in text.splitlines()[-1],
                png=path,
            )
    return path


async def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--only", default="", help="comma-separated names: " + ", ".join([*SHOTS, BROWSER_SHOT]))
    args = parser.parse_args(argv)
    wanted = [n for n in args.only.split(",") if n] or [*SHOTS, BROWSER_SHOT]
    unknown = [n for n in wanted if n not in SHOTS and n != BROWSER_SHOT]
    if unknown:
        parser.error(f"unknown screenshot(s): {', '.join(unknown)}")
    args.out.mkdir(parents=True, exist_ok=True)
    for name in wanted:
        if name == BROWSER_SHOT:
            path = await shoot_browser(args.out)
        else:
            path = await shoot(name, SHOTS[name], args.out)
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
    return 0


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
