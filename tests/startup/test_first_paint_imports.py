"""The first screen loads without charts, plotext, the demo servers, forms, HTTP or the pydantic
wire models: those load when first used (checked in a fresh interpreter via sys.modules)."""

from __future__ import annotations

import json
import subprocess
import sys

FIRST_SCREEN = (
    "scarf_tui.tui.app",
    "scarf_tui.tui.run",
    "scarf_tui.tui.packages.list_screen",
    "scarf_tui.tui.organizations.list_screen",
    "scarf_tui.api.saved",
    "scarf_tui.cache",
    "scarf_tui.config",
    "scarf_tui.api.errors",
)
NOT_YET = (
    "plotext",
    "textual_plotext",
    "scarf_tui.demo",
    "scarf_tui.tui.charts",
    "scarf_tui.tui.common.form",
    "scarf_tui.tui.packages.form",
    "scarf_tui.tui.organizations.form",
    "pydantic",
    "scarf_tui.api.v1",
    "scarf_tui.api.v2",
    "scarf_tui.api.factory",
    "scarf_tui.sources.pypicloud.wire",
    "scarf_tui.sources.purldb.wire",
    "httpx",
    "uvicorn",
    "starlette",
    "scarf_tui.tui.palette",  # ctrl+p's providers load when the palette first opens
    "scarf_tui.api.models",
    "importlib.resources",  # the styles are found without it (and without zipfile)
    "zipfile",
    "scarf_tui.analytics",  # the trend column loads it (and pydantic_core) after the list shows
    "pydantic_core",
    "email",  # api/errors.py parses an HTTP-date Retry-After with email.utils when one comes
    "tomllib",  # config.py reads TOML only when a config file exists
    "hashlib",  # cache.py names its file with _blake2 directly (hashlib loads OpenSSL's hashes)
    "_hashlib",
)


def loaded_after(*modules: str) -> list[str]:
    code = (
        "import importlib, json, sys\n"
        f"for name in {list(modules)!r}: importlib.import_module(name)\n"
        # A None entry is a module made unimportable on purpose (httpx's CLI, scarf_tui.api), not loaded.
        "print(json.dumps(sorted(name for name, module in sys.modules.items() if module is not None)))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True)
    return json.loads(result.stdout)


def test_the_first_screen_loads_nothing_heavy() -> None:
    loaded = loaded_after(*FIRST_SCREEN)
    heavy = sorted(m for m in loaded if any(m == n or m.startswith(n + ".") for n in NOT_YET))
    assert heavy == []


def test_the_check_can_fail() -> None:
    """Asking for the service builder does load HTTP and the wire models."""
    loaded = loaded_after("scarf_tui.tui.app", "scarf_tui.api.factory")
    assert {"httpx", "pydantic", "scarf_tui.api.v1", "scarf_tui.api.v2"} <= set(loaded)


def test_lazy_api_names_still_resolve() -> None:
    import scarf_tui.api as api
    from scarf_tui.api.errors import ScarfError
    from scarf_tui.api.factory import make_service

    assert api.make_service is make_service
    assert api.ScarfError is ScarfError
    try:
        api.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert str(exc) == "module 'scarf_tui.api' has no attribute 'no_such_name'"
    else:  # pragma: no cover
        raise AssertionError("expected AttributeError")
