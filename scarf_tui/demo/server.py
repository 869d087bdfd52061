"""Run the demo app on a real socket: in a background thread for tests/--demo, or blocking for
`scarf-tui demo-server`."""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Mapping

from scarf_tui.api.http import is_loopback_host as is_loopback
from scarf_tui.demo import DEMO_TOKEN, NOEXPORT_TOKEN
from scarf_tui.demo.faults import Faults
from scarf_tui.demo.loopback import STARTUP_TIMEOUT_S, running_server  # noqa: F401 - re-exported

FAULTS_ENV = "SCARF_DEMO_FAULTS"


def faults_from_env(env: Mapping[str, str] | None = None) -> Faults:
    """Faults from $SCARF_DEMO_FAULTS (e.g. "latency=0.2,rate_limit_every=5"); none when unset."""
    source: Mapping[str, str] = os.environ if env is None else env
    return Faults.parse(source.get(FAULTS_ENV, ""))


def serve(
    host: str = "127.0.0.1",
    port: int = 8765,
    faults: Faults | None = None,
    *,
    hostile: bool = False,
    events_scale: int = 1,
    stop: threading.Event | None = None,
    packages: int | None = None,
) -> None:
    """Blocking: serve the demo dataset (both API versions) until interrupted, or until ``stop``
    is set. Faults default to $SCARF_DEMO_FAULTS. Started by start_demo, like --demo.
    ``packages`` is --demo-scale (the "atlas" organization with that many packages)."""
    from scarf_tui.demo.start import start_demo

    if faults is None:
        faults = faults_from_env()
    if not is_loopback(host):
        print(
            f"warning: serving the demo server on {host}, reachable from other machines; "
            "its tokens are public and anyone can change its data.",
            file=sys.stderr,
        )
    with contextlib.ExitStack() as stack:
        session = start_demo(
            stack, scale=events_scale, hostile=hostile, faults=faults, host=host, port=port, packages=packages
        )
        print(
            f"Scarf demo server: API v2 at {session.origin}/v2, API v1 at {session.origin}/api  "
            f"(faults: {faults.describe()})",
            file=sys.stderr,
        )
        print(f"  Bearer tokens: {DEMO_TOKEN!r} (export enabled), {NOEXPORT_TOKEN!r} (no export)", file=sys.stderr)
        if packages:
            from scarf_tui.demo.scale import SCALE_MEMBERS, SCALE_ORG

            print(f"  Organization {SCALE_ORG.name!r}: {packages:,} packages, {SCALE_MEMBERS} members "
                  "(--demo-scale)", file=sys.stderr)
        print(
            f"  pypicloud at {session.origin}/pypicloud (maintainer/demo admin, viewer/viewer), "
            f"PurlDB at {session.origin}/purldb",
            file=sys.stderr,
        )
        try:
            (stop or threading.Event()).wait()
        except KeyboardInterrupt:
            pass
