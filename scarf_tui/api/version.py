"""Choosing the Scarf API version, and the base URL each version's calls go to.

Precedence: ``--api v1|v2``, then $SCARF_API_VERSION, then ``api_version`` in config.toml, else
the URL decides:
- v2 for the host api.scarf.sh or a path ending in /v2;
- v1 for a path /api or /api/v1;
- v2 for anything else (a bare origin such as http://127.0.0.1:8765).
The origin is kept: v1 calls go to {origin}/api/v1/..., v2 calls to {origin}/v2/....

The default API URL for a new user is the live v2 service; a config that still holds the old
default ``https://scarf.sh/api`` (which ``login`` wrote until v2) is read as the new default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from urllib.parse import urlsplit

API_VERSIONS = ("v1", "v2")
ENV_API_VERSION = "SCARF_API_VERSION"
LIVE_V2_URL = "https://api.scarf.sh"
OLD_DEFAULT_API_URL = "https://scarf.sh/api"


class UnknownApiVersion(ValueError):
    """An --api / $SCARF_API_VERSION / api_version value that is not v1 or v2."""


def normalize_version(value: str | None, *, source: str = "--api") -> str | None:
    """"v1"/"v2" (also "1", "2", any case), None for empty; UnknownApiVersion otherwise."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip().lower()
    text = text if text.startswith("v") else f"v{text}"
    if text not in API_VERSIONS:
        shown = str(value).strip()[:20]
        raise UnknownApiVersion(f"{source} must be v1 or v2, not {shown!r}.")
    return text


def effective_api_url(url: str | None) -> str:
    """The API URL to use: the configured one, except that none (or the old default
    https://scarf.sh/api) means the live v2 service."""
    text = (url or "").strip()
    if not text or text.rstrip("/") == OLD_DEFAULT_API_URL:
        return LIVE_V2_URL
    return text


def version_for_url(url: str) -> str:
    """The version a URL implies when nothing else chose one."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    if host == "api.scarf.sh" or path.endswith("/v2"):
        return "v2"
    if path in ("/api", "/api/v1") or path.endswith("/api") or path.endswith("/api/v1"):
        return "v1"
    return "v2"


def choose_version(
    url: str,
    *,
    flag: str | None = None,
    env: Mapping[str, str] | None = None,
    config_value: str | None = None,
) -> str:
    """--api, then $SCARF_API_VERSION, then config api_version, then the URL rules."""
    environ = os.environ if env is None else env
    for value, source in (
        (flag, "--api"),
        (environ.get(ENV_API_VERSION), ENV_API_VERSION),
        (config_value, "api_version in config.toml"),
    ):
        chosen = normalize_version(value, source=source)
        if chosen is not None:
            return chosen
    return version_for_url(url)


def demo_version(flag: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """The version the embedded demo speaks (the TUI's, stats' and export's --demo): --api, then
    $SCARF_API_VERSION, else v2 (config's api_version is for the configured server)."""
    environ = os.environ if env is None else env
    for value, source in ((flag, "--api"), (environ.get(ENV_API_VERSION), ENV_API_VERSION)):
        chosen = normalize_version(value, source=source)
        if chosen is not None:
            return chosen
    return "v2"


def origin_of(url: str) -> str:
    parts = urlsplit(url.strip())
    return f"{parts.scheme}://{parts.netloc}"


def api_base_url(url: str, version: str) -> str:
    """The ApiClient base URL of ``version`` for a configured URL, keeping its origin: v1 paths
    (/v1/...) hang off {origin}/api, v2 paths (/v2/...) off the origin itself. A URL with a
    prefix before /api (a reverse proxy) keeps the prefix for v1."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    origin = f"{parts.scheme}://{parts.netloc}"
    if version == "v1":
        for suffix in ("/api/v1", "/api"):
            if path.endswith(suffix):
                return origin + path[: -len(suffix)] + "/api"
        return origin + "/api"
    return origin


def display_url(url: str, version: str) -> str:
    """What a user would configure for this version: {origin}/api or {origin}/v2."""
    base = api_base_url(url, version)
    return base if version == "v1" else base + "/v2"


__all__ = [
    "API_VERSIONS",
    "ENV_API_VERSION",
    "LIVE_V2_URL",
    "OLD_DEFAULT_API_URL",
    "UnknownApiVersion",
    "demo_version",
    "api_base_url",
    "choose_version",
    "display_url",
    "effective_api_url",
    "normalize_version",
    "version_for_url",
]
