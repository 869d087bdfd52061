"""Settings: config.toml under the platform's config dir, overridden by the environment.

    api_url = "https://scarf.sh/api"   # or SCARF_API_URL
    api_version = "v2"                 # "v1" or "v2"; unset, the URL decides
    token = "..."                      # or SCARF_API_TOKEN; the file is kept at mode 0600
    username = "maintainer"            # or SCARF_USERNAME; v1 has no "who am I" endpoint
    orgs = ["acme"]                    # organizations to show
    read_only = false                  # browse with every write disabled
    concurrency = 8                    # requests sent to the API at once (1-64)

    [keymap]
    "permissions.set_admin" = "ctrl+a"     # binding id = keys (comma-separated alternatives)

    [limits]
    max_body_mb = 64        # largest answer read whole (decompressed)
    max_line_kb = 1024      # longest line of an NDJSON or CSV stream
    stall_seconds = 30      # a stream delivering (almost) nothing this long is stopped
    max_windows = 100       # most 31-day windows one export may need

Every problem with the file becomes ConfigError with one sentence; the token never appears in
a repr, str or message. The file is the user's: ``save_values`` edits the named keys in place
(comments, order and other keys stay), through a symlink to its target, at mode 0600.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from scarf_tui.redaction import redact, register_secret

APP_NAME = "scarf-tui"
CONFIG_FILENAME = "config.toml"
DEFAULT_API_URL = "https://scarf.sh/api"
API_VERSIONS = ("v1", "v2")
ENV_TOKEN = "SCARF_API_TOKEN"
ENV_API_URL = "SCARF_API_URL"
ENV_USERNAME = "SCARF_USERNAME"
ENV_CONFIG = "SCARF_TUI_CONFIG"  # an alternative config file path


class ConfigError(Exception):
    """The configuration cannot be used. str(err) is one sentence naming the file and the key."""

    def __init__(self, message: str) -> None:
        super().__init__(redact(message))


class Token:
    """An API token that does not show itself: repr/str give "Token('***')"; use reveal().
    Making one registers its value for redaction (scarf_tui.redaction)."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        register_secret(value)

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


@dataclass(frozen=True)
class Limits:
    """Every bound on what a server may make us hold or wait for; the ``[limits]`` table."""

    max_body_mb: float = 64  # an answer read whole; a v1 list of 20,000 packages is about 5.5 MB
    max_line_kb: int = 1024  # one NDJSON or CSV line of a stream
    stall_seconds: float = 30  # a stream that delivers (almost) nothing this long is stopped
    max_windows: int = 100  # 31-day windows one export may span

    @property
    def max_body_bytes(self) -> int:
        return max(1, int(self.max_body_mb * 1024 * 1024))

    @property
    def max_line_bytes(self) -> int:
        return self.max_line_kb * 1024


@dataclass
class Settings:
    api_url: str = DEFAULT_API_URL
    api_version: str | None = None  # "v1" or "v2"; None lets the URL decide (scarf_tui.api.version)
    token: Token | None = None
    username: str | None = None
    orgs: list[str] = field(default_factory=list)
    keymap: dict[str, str] = field(default_factory=dict)
    read_only: bool = False
    limits: Limits = field(default_factory=Limits)
    theme: str | None = None  # a Textual theme name (scarf_tui/tui/themes.py); NO_COLOR wins over it
    concurrency: int | None = None  # requests sent at once; None: scarf_tui.api.http.DEFAULT_CONCURRENCY
    # [pypicloud] and [purldb] as read (repr=False: they can hold a password or API key).
    sources: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if isinstance(self.token, str):  # accept plain text, always hold it wrapped
            self.token = Token(self.token) if self.token else None


def config_path(env: Mapping[str, str] | None = None) -> Path:
    """$SCARF_TUI_CONFIG, else <user config dir>/scarf-tui/config.toml."""
    env = os.environ if env is None else env
    if override := env.get(ENV_CONFIG):
        return Path(override).expanduser()
    from platformdirs import user_config_dir  # ~15 ms: only without $SCARF_TUI_CONFIG

    return Path(user_config_dir(APP_NAME)) / CONFIG_FILENAME


# ---------------------------------------------------------------------------------------------
# Reading
# ---------------------------------------------------------------------------------------------

KNOWN_KEYS = (
    "api_url", "api_version", "token", "username", "orgs", "read_only", "keymap", "limits", "pypicloud", "purldb",
    "theme", "concurrency",
)
MAX_CONCURRENCY = 64
# Tables of the other sources, kept as read and checked by scarf_tui.sources.settings; the
# secret in each is registered for redaction as soon as the file is read.
SOURCE_TABLES = {"pypicloud": "password", "purldb": "api_key"}
LIMIT_KEYS = tuple(f.name for f in fields(Limits))


def _expect(value: Any, kind: type | tuple[type, ...], key: str, path: Path, described: str) -> Any:
    if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)):
        raise ConfigError(f"In {path}, '{key}' must be {described}, not {type(value).__name__}.")
    return value


def _reject_unknown(keys: list[str], known: tuple[str, ...], path: Path) -> None:
    # A misspelt key ("tokn") would otherwise be ignored without a word.
    if keys:
        names = ", ".join(repr(key) for key in keys)
        verb = "is not a known setting" if len(keys) == 1 else "are not known settings"
        raise ConfigError(f"In {path}, {names} {verb} (known: {', '.join(known)}).")


def _limits_from_table(table: Any, path: Path) -> Limits:
    table = _expect(table, dict, "limits", path, "a table of limits")
    known = tuple(f"limits.{k}" for k in LIMIT_KEYS)
    _reject_unknown([f"limits.{k}" for k in table if k not in LIMIT_KEYS], known, path)
    values: dict[str, Any] = {}
    for key, value in table.items():
        name = f"limits.{key}"
        if key in ("max_line_kb", "max_windows"):
            number = _expect(value, int, name, path, "a whole number above 0")
        else:
            number = _expect(value, (int, float), name, path, "a number above 0")
        if not (math.isfinite(number) and number > 0):
            raise ConfigError(f"In {path}, '{name}' must be above 0 and finite, not {number}.")
        values[key] = number
    return Limits(**values)


def _settings_from_table(data: Mapping[str, Any], path: Path) -> Settings:
    _reject_unknown([str(key) for key in data if key not in KNOWN_KEYS], KNOWN_KEYS, path)
    settings = Settings()
    if "api_url" in data:
        settings.api_url = _expect(data["api_url"], str, "api_url", path, "a URL string").strip()
    if "api_version" in data:
        version = _expect(data["api_version"], str, "api_version", path, '"v1" or "v2"').strip()
        if version not in API_VERSIONS:
            raise ConfigError(f"In {path}, 'api_version' must be \"v1\" or \"v2\", not {version[:20]!r}.")
        settings.api_version = version
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
    if "limits" in data:
        settings.limits = _limits_from_table(data["limits"], path)
    if "theme" in data:
        settings.theme = _expect(data["theme"], str, "theme", path, "a theme name").strip() or None
    if "concurrency" in data:
        number = _expect(data["concurrency"], int, "concurrency", path, f"a whole number from 1 to {MAX_CONCURRENCY}")
        if not 1 <= number <= MAX_CONCURRENCY:
            raise ConfigError(f"In {path}, 'concurrency' must be from 1 to {MAX_CONCURRENCY}, not {number}.")
        settings.concurrency = number
    for name, secret_key in SOURCE_TABLES.items():
        if name in data:
            table = _expect(data[name], dict, name, path, f"a table ([{name}])")
            secret = table.get(secret_key)
            if isinstance(secret, str) and secret:
                register_secret(secret)
            settings.sources[name] = dict(table)
    return settings


def _parse_toml(raw: bytes, file: Path) -> dict[str, Any]:
    import tomllib  # only when a config file exists (start-up without one never loads it)

    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(f"The config file {file} is not UTF-8 text.") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"The config file {file} is not valid TOML: {exc}.") from None
    except RecursionError:
        raise ConfigError(f"The config file {file} is nested too deeply to read.") from None


def _read_file(file: Path) -> bytes | None:
    """The file's bytes, or None when there is no file."""
    try:
        return file.read_bytes()
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError(f"The config path {file} is a directory, not a file.") from None
    except OSError as exc:
        raise ConfigError(f"The config file {file} cannot be read ({exc.strerror or exc}).") from None


def load_settings(path: Path | str | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from the config file (missing file = defaults), then the environment on top:
    SCARF_API_TOKEN, SCARF_API_URL, SCARF_USERNAME. Raises ConfigError on any problem."""
    env = os.environ if env is None else env
    file = Path(path).expanduser() if path is not None else config_path(env)
    raw = _read_file(file)
    settings = Settings() if raw is None else _settings_from_table(_parse_toml(raw, file), file)

    if token := env.get(ENV_TOKEN, "").strip():
        settings.token = Token(token)
    if api_url := env.get(ENV_API_URL, "").strip():
        settings.api_url = api_url
    if username := env.get(ENV_USERNAME, "").strip():
        settings.username = username
    return settings


# ---------------------------------------------------------------------------------------------
# Writing: the named keys only, in place
# ---------------------------------------------------------------------------------------------


def _plain(value: object) -> object:
    if isinstance(value, Token):
        return value.reveal()
    if isinstance(value, Limits):
        return {f.name: getattr(value, f.name) for f in fields(Limits)}
    return value


def save_values(path: Path | str | None, values: Mapping[str, object]) -> Path:
    """Set (or, with None, remove) the given top-level keys of the config file and leave every
    other key, comment and blank line as it was. A table value (``{"keymap": {...}}``) sets
    those entries of the table only. Returns the file written.

    The result must load (ConfigError otherwise, and nothing is written). A symlinked config is
    written through to its target; the file ends up mode 0600 and any directory created for
    it 0700, whatever the umask. Only what the caller passes is written: callers pass what the
    user entered, never environment overrides or command-line flags."""
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    file = Path(path).expanduser() if path is not None else config_path()
    target = Path(os.path.realpath(file))  # through a symlink (even a dangling one) to its target
    if target.exists() and not target.is_file():
        raise ConfigError(f"The config path {file} is not a regular file; nothing was written.")
    _reject_unknown([key for key in values if key not in KNOWN_KEYS], KNOWN_KEYS, file)
    raw = _read_file(target)
    if raw is not None:
        _parse_toml(raw, file)  # the precise sentence for a file that is not TOML
    try:
        document = tomlkit.parse(raw.decode("utf-8")) if raw else tomlkit.document()
        for key, value in values.items():
            value = _plain(value)
            if value is None:
                document.pop(key, None)
            elif isinstance(value, Mapping) and isinstance(document.get(key), dict):
                table = document[key]
                for name, entry in value.items():
                    if entry is None:
                        table.pop(name, None)
                    else:
                        table[name] = entry
            else:
                document[key] = value
        text = tomlkit.dumps(document)
    except (TOMLKitError, ValueError, TypeError) as exc:
        raise ConfigError(f"The config file {file} cannot be updated ({exc}); nothing was written.") from None
    import tomllib

    _settings_from_table(tomllib.loads(text), file)  # what we write must load
    _write_private(target, text, shown=file)
    return target


def _make_private_dirs(directory: Path) -> None:
    """Create ``directory`` and missing parents, each 0700 whatever the umask."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for created in reversed(missing):
        created.mkdir(mode=0o700)
        os.chmod(created, 0o700)


def _write_private(target: Path, text: str, *, shown: Path) -> None:
    """Replace ``target`` atomically with ``text`` at mode 0600."""
    try:
        _make_private_dirs(target.parent)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        temp = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                os.fchmod(handle.fileno(), 0o600)
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            # Replacing the old file replaces its mode too, so a 0644 config becomes 0600.
            os.replace(temp, target)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise ConfigError(f"The config file {shown} cannot be written ({exc.strerror or exc}).") from None


def settings_to_table(settings: Settings) -> dict[str, Any]:
    """The values of ``settings`` worth writing: defaults and unset values are left out."""
    table: dict[str, Any] = {"api_url": settings.api_url}
    if settings.api_version:
        table["api_version"] = settings.api_version
    if settings.token:
        table["token"] = settings.token.reveal()
    if settings.username:
        table["username"] = settings.username
    if settings.orgs:
        table["orgs"] = list(settings.orgs)
    if settings.read_only:
        table["read_only"] = True
    if settings.keymap:
        table["keymap"] = dict(settings.keymap)
    if settings.limits != Limits():
        table["limits"] = _plain(settings.limits)
    if settings.theme:
        table["theme"] = settings.theme
    if settings.concurrency:
        table["concurrency"] = settings.concurrency
    return table


def save_settings(settings: Settings, path: Path | str | None = None) -> Path:
    """Write every value of ``settings`` into the config file, in place (see save_values).

    Prefer save_values with only what the user entered: Settings may hold environment
    overrides and flags, which do not belong in the file."""
    return save_values(path, settings_to_table(settings))
