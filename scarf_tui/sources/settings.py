"""Settings of the non-Scarf sources, read from the already-parsed config.toml and the
environment (the environment wins; nothing read here is ever written back).

    [pypicloud]
    url = "https://pypi.example.com"      # or PYPICLOUD_URL
    username = "me"                       # or PYPICLOUD_USERNAME
    password = "..."                      # or PYPICLOUD_PASSWORD (the file stays 0600)

    [purldb]
    url = "https://public.purldb.io"      # or PURLDB_URL (this is the default)
    api_key = "..."                       # or PURLDB_API_KEY; sent as "Authorization: Token ..."
    enabled_for = ["scarf", "docker", "pypicloud"]   # which packages' names may be looked up

Secrets are held as config.Token, whose repr and str are "Token('***')".
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from scarf_tui.config import ConfigError, Token

ENV_PYPICLOUD_URL = "PYPICLOUD_URL"
ENV_PYPICLOUD_USERNAME = "PYPICLOUD_USERNAME"
ENV_PYPICLOUD_PASSWORD = "PYPICLOUD_PASSWORD"
ENV_PURLDB_URL = "PURLDB_URL"
ENV_PURLDB_API_KEY = "PURLDB_API_KEY"
DEFAULT_PURLDB_URL = "https://public.purldb.io"

# Where a looked-up name comes from. "scarf" covers Scarf packages whose names are public
# anyway (pypi, python, npm); docker image names and pypicloud names can be private.
PURLDB_ORIGINS = ("scarf", "docker", "pypicloud")
PYPICLOUD_KEYS = ("url", "username", "password")
PURLDB_KEYS = ("url", "api_key", "enabled_for")


@dataclass
class PypicloudSettings:
    url: str | None = None
    username: str | None = None
    password: Token | None = None

    @property
    def configured(self) -> bool:
        return bool(self.url)


@dataclass
class PurldbSettings:
    url: str = DEFAULT_PURLDB_URL
    api_key: Token | None = None
    enabled_for: frozenset[str] = field(default_factory=frozenset)

    def enabled(self, origin: str) -> bool:
        """May names from ``origin`` ("scarf", "docker", "pypicloud") be sent to PurlDB?
        A purl the user typed (origin "manual") always may."""
        return origin == "manual" or origin in self.enabled_for


def _table(config: Mapping[str, Any] | None, name: str, keys: tuple[str, ...], where: str) -> Mapping[str, Any]:
    table = (config or {}).get(name, {})
    if not isinstance(table, Mapping):
        raise ConfigError(f"In {where}, [{name}] must be a table.")
    unknown = [str(k) for k in table if k not in keys]
    if unknown:
        raise ConfigError(
            f"In {where}, [{name}] has unknown setting {', '.join(repr(k) for k in unknown)} "
            f"(known: {', '.join(keys)})."
        )
    return table


def _text(table: Mapping[str, Any], name: str, key: str, where: str) -> str | None:
    if key not in table:
        return None
    value = table[key]
    if not isinstance(value, str):
        raise ConfigError(f"In {where}, [{name}] {key} must be a string, not {type(value).__name__}.")
    return value.strip() or None


def load_pypicloud_settings(
    config: Mapping[str, Any] | None, env: Mapping[str, str] | None = None, *, where: str = "config.toml"
) -> PypicloudSettings:
    """The ``[pypicloud]`` table of a parsed config.toml, overridden by PYPICLOUD_* variables."""
    env = os.environ if env is None else env
    table = _table(config, "pypicloud", PYPICLOUD_KEYS, where)
    url = env.get(ENV_PYPICLOUD_URL, "").strip() or _text(table, "pypicloud", "url", where)
    username = env.get(ENV_PYPICLOUD_USERNAME, "").strip() or _text(table, "pypicloud", "username", where)
    # Passwords keep inner and edge spaces as typed; only an empty value means "none".
    password = env.get(ENV_PYPICLOUD_PASSWORD) or None
    if password is None and "password" in table:
        value = table["password"]
        if not isinstance(value, str):
            raise ConfigError(f"In {where}, [pypicloud] password must be a string, not {type(value).__name__}.")
        password = value or None
    return PypicloudSettings(url, username, Token(password) if password else None)


def load_purldb_settings(
    config: Mapping[str, Any] | None, env: Mapping[str, str] | None = None, *, where: str = "config.toml"
) -> PurldbSettings:
    """The ``[purldb]`` table of a parsed config.toml, overridden by PURLDB_URL/PURLDB_API_KEY."""
    env = os.environ if env is None else env
    table = _table(config, "purldb", PURLDB_KEYS, where)
    url = env.get(ENV_PURLDB_URL, "").strip() or _text(table, "purldb", "url", where) or DEFAULT_PURLDB_URL
    key = env.get(ENV_PURLDB_API_KEY, "").strip() or _text(table, "purldb", "api_key", where)
    enabled: frozenset[str] = frozenset()
    if "enabled_for" in table:
        value = table["enabled_for"]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"In {where}, [purldb] enabled_for must be a list of names, e.g. [\"scarf\"].")
        unknown = [v for v in value if v not in PURLDB_ORIGINS]
        if unknown:
            raise ConfigError(
                f"In {where}, [purldb] enabled_for has {', '.join(repr(v) for v in unknown)}; "
                f"known: {', '.join(PURLDB_ORIGINS)}."
            )
        enabled = frozenset(value)
    return PurldbSettings(url, Token(key) if key else None, enabled)


__all__ = [
    "DEFAULT_PURLDB_URL",
    "PURLDB_ORIGINS",
    "PurldbSettings",
    "PypicloudSettings",
    "load_purldb_settings",
    "load_pypicloud_settings",
]
