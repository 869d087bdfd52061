"""Settings: config.toml under the platform's config dir, overridden by the environment.

    api_url = "https://scarf.sh/api"
    token = "..."                 # or SCARF_API_TOKEN; the file is written with mode 0600
    username = "maintainer"       # or SCARF_USERNAME; v1 has no "who am I" endpoint
    orgs = ["acme"]               # organizations to show
    read_only = false

    [keymap]
    "permissions.set_admin" = "ctrl+a"     # binding id = keys (comma-separated alternatives)

Every problem with the file becomes ConfigError with one sentence; the token never appears in
a repr, str or message.
"""

from __future__ import annotations

import os
import tempfile
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir

from scarf_tui.api.http import DEFAULT_API_URL

APP_NAME = "scarf-tui"
CONFIG_FILENAME = "config.toml"
ENV_TOKEN = "SCARF_API_TOKEN"
ENV_API_URL = "SCARF_API_URL"
ENV_USERNAME = "SCARF_USERNAME"
ENV_CONFIG = "SCARF_TUI_CONFIG"  # an alternative config file path


class ConfigError(Exception):
    """The configuration cannot be used. str(err) is one sentence naming the file and the key."""


class Token:
    """An API token that does not show itself: repr/str give "Token('***')"; use reveal()."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Token('***')"

    __str__ = __repr__

    def __format__(self, spec: str) -> str:
        return repr(self)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Token) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


@dataclass
class Settings:
    api_url: str = DEFAULT_API_URL
    token: Token | None = None
    username: str | None = None
    orgs: list[str] = field(default_factory=list)
    keymap: dict[str, str] = field(default_factory=dict)
    read_only: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.token, str):  # accept plain text, always hold it wrapped
            self.token = Token(self.token) if self.token else None


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """$SCARF_TUI_CONFIG, else <user config dir>/scarf-tui/config.toml."""
    env = os.environ if env is None else env
    if override := env.get(ENV_CONFIG):
        return Path(override).expanduser()
    return Path(user_config_dir(APP_NAME)) / CONFIG_FILENAME


def _expect(value: Any, kind: type | tuple[type, ...], key: str, path: Path, described: str) -> Any:
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ConfigError(f"In {path}, '{key}' must be {described}, not {type(value).__name__}.")
    return value


KNOWN_KEYS = ("api_url", "token", "username", "orgs", "read_only", "keymap")


def _settings_from_table(data: Mapping[str, Any], path: Path) -> Settings:
    # A misspelt key ("tokn") would otherwise be ignored without a word.
    unknown = [str(key) for key in data if key not in KNOWN_KEYS]
    if unknown:
        names = ", ".join(repr(key) for key in unknown)
        raise ConfigError(
            f"In {path}, {names} {'is not a known setting' if len(unknown) == 1 else 'are not known settings'}"
            f" (known: {', '.join(KNOWN_KEYS)})."
        )
    settings = Settings()
    if "api_url" in data:
        settings.api_url = _expect(data["api_url"], str, "api_url", path, "a URL string").strip()
    if "token" in data:
        token = _expect(data["token"], str, "token", path, "a string").strip()
        settings.token = Token(token) if token else None
    if "username" in data:
        settings.username = _expect(data["username"], str, "username", path, "a string").strip() or None
    if "orgs" in data:
        orgs = _expect(data["orgs"], list, "orgs", path, "a list of organization names")
        for org in orgs:
            _expect(org, str, "orgs", path, "a list of organization names")
        settings.orgs = [o.strip() for o in orgs if o.strip()]
    if "read_only" in data:
        settings.read_only = _expect(data["read_only"], bool, "read_only", path, "true or false")
    if "keymap" in data:
        keymap = _expect(data["keymap"], dict, "keymap", path, "a table of binding id = \"keys\"")
        for binding_id, keys in keymap.items():
            _expect(keys, str, f"keymap.{binding_id}", path, 'a key string such as "ctrl+a"')
        settings.keymap = {str(k): v for k, v in keymap.items()}
    return settings


def load_settings(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from the config file (missing file = defaults), then the environment on top:
    SCARF_API_TOKEN, SCARF_API_URL, SCARF_USERNAME. Raises ConfigError on any problem."""
    env = os.environ if env is None else env
    file = Path(path).expanduser() if path is not None else config_path(env)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        settings = Settings()
    except IsADirectoryError:
        raise ConfigError(f"The config path {file} is a directory, not a file.") from None
    except OSError as exc:
        raise ConfigError(f"The config file {file} cannot be read ({exc.strerror or exc}).") from None
    else:
        try:
            data = tomllib.loads(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ConfigError(f"The config file {file} is not UTF-8 text.") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"The config file {file} is not valid TOML: {exc}.") from None
        settings = _settings_from_table(data, file)

    if token := env.get(ENV_TOKEN, "").strip():
        settings.token = Token(token)
    if api_url := env.get(ENV_API_URL, "").strip():
        settings.api_url = api_url
    if username := env.get(ENV_USERNAME, "").strip():
        settings.username = username
    return settings


def settings_to_table(settings: Settings) -> dict[str, Any]:
    table: dict[str, Any] = {"api_url": settings.api_url}
    if settings.token:
        table["token"] = settings.token.reveal()
    if settings.username:
        table["username"] = settings.username
    if settings.orgs:
        table["orgs"] = list(settings.orgs)
    table["read_only"] = bool(settings.read_only)
    if settings.keymap:
        table["keymap"] = dict(settings.keymap)
    return table


def save_settings(settings: Settings, path: Path | str | None = None) -> Path:
    """Write config.toml with mode 0600 (it may hold the token), atomically. Returns the path."""
    import tomli_w

    file = Path(path).expanduser() if path is not None else config_path()
    text = tomli_w.dumps(settings_to_table(settings))
    try:
        file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # mkstemp creates a new file (O_EXCL) readable only by us; renaming it over the old
        # config replaces the old file's mode too, so a 0644 config becomes 0600.
        fd, name = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
        temp = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, file)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(f"The config file {file} cannot be written ({exc.strerror or exc}).") from None
    return file
