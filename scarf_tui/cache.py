"""The last-known lists, kept between runs so start-up can paint at once (and `--offline` can
browse without the network).

One JSON file per account and API URL in the platform's user cache directory:

    ~/.cache/scarf-tui/lists-<hash of account and URL>.json     (mode 0600, directory 0700)

The file holds lists the user has already seen (packages, an organization's packages, the
organizations table) and when each was saved. It never holds a token: the account is named by
its user name, or, when none is known, by a one-way digest of the token (not reversible).

Writes are atomic (a temporary file in the same directory, then rename). A file that cannot be
read, is not JSON, has another format or belongs to another account or URL is ignored: the
cache starts empty and ``notice`` holds one sentence for the status line. Nothing here raises
for a bad file, and nothing here imports Textual or the HTTP layer.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import Any

try:  # hashlib's own blake2b, without hashlib loading OpenSSL's every algorithm at start-up
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

FORMAT = "scarf-tui-lists"
VERSION = 1
MAX_FILE_BYTES = 64 * 1024 * 1024  # a cache larger than this is not ours (20,000 packages is ~6 MB)
CACHE_DIR_ENV = "SCARF_TUI_CACHE_DIR"


def cache_dir(env: Mapping[str, str] | None = None) -> Path:
    """$SCARF_TUI_CACHE_DIR, else the platform's user cache directory for scarf-tui."""
    source = os.environ if env is None else env
    if source.get(CACHE_DIR_ENV):
        return Path(source[CACHE_DIR_ENV]).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("scarf-tui", appauthor=False))


def account_name(username: str | None, token: str | None) -> str:
    """How the cache names an account: the user name, else a one-way digest of the token."""
    if username:
        return username
    if token:
        digest = blake2b(token.encode(), digest_size=8, person=b"scarf-tui-acct").hexdigest()
        return f"token:{digest}"
    return "anonymous"


def cache_file(api_url: str, account: str, directory: Path | None = None) -> Path:
    """The one file for this account and API URL."""
    key = blake2b(f"{api_url}\x1f{account}".encode(), digest_size=10).hexdigest()
    return (directory or cache_dir()) / f"lists-{key}.json"


def age_text(seconds: float) -> str:
    """"just now", "5 min ago", "3 h ago", "2 days ago"."""
    seconds = max(0.0, seconds)
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h ago"
    return f"{int(seconds // 86400)} days ago"


@dataclass(frozen=True)
class Saved:
    """One saved list: its items (plain JSON values) and when it was saved (epoch seconds)."""

    items: list[Any]
    saved_at: float

    def age(self, now: float | None = None) -> float:
        return (time.time() if now is None else now) - self.saved_at

    def age_text(self, now: float | None = None) -> str:
        return age_text(self.age(now))


class ListCache:
    """The lists of one account on one API URL, read once at start and written on each put."""

    def __init__(self, path: Path, *, api_url: str, account: str, clock: Callable[[], float] = time.time) -> None:
        self.path = path
        self.api_url = api_url
        self.account = account
        self.notice: str | None = None  # why an existing file was ignored, one sentence
        self._clock = clock
        self._lists: dict[str, Saved] = {}
        self._lock = threading.Lock()  # puts may come from worker threads
        self._read()

    def __repr__(self) -> str:
        return f"ListCache(path={str(self.path)!r}, lists={sorted(self._lists)})"

    # --- reading ---------------------------------------------------------------------------------
    def _ignore(self, why: str) -> None:
        self.notice = f"The saved lists in {self.path} were ignored ({why}); they will be saved again."
        self._lists = {}

    def _read(self) -> None:
        try:
            size = self.path.stat().st_size
        except FileNotFoundError:
            return
        except OSError as exc:
            self._ignore(f"it cannot be read: {exc.strerror or exc}")
            return
        if size > MAX_FILE_BYTES:
            self._ignore(f"it is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
            return
        try:
            data = json.loads(self.path.read_bytes())
        except OSError as exc:
            self._ignore(f"it cannot be read: {exc.strerror or exc}")
            return
        except (ValueError, RecursionError):
            self._ignore("it is not valid JSON")
            return
        if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
            self._ignore("it is not a scarf-tui cache of this version")
            return
        if data.get("api_url") != self.api_url or data.get("account") != self.account:
            self._ignore("it belongs to another account or API URL")
            return
        lists = data.get("lists")
        if not isinstance(lists, dict):
            self._ignore("its lists are missing")
            return
        for name, entry in lists.items():
            if (
                isinstance(entry, dict)
                and isinstance(entry.get("items"), list)
                and isinstance(entry.get("saved_at"), (int, float))
            ):
                self._lists[str(name)] = Saved(entry["items"], float(entry["saved_at"]))

    def get(self, name: str) -> Saved | None:
        return self._lists.get(name)

    def names(self) -> list[str]:
        return sorted(self._lists)

    # --- writing ---------------------------------------------------------------------------------
    def put(self, name: str, items: Sequence[Any]) -> None:
        """Keep ``items`` (plain JSON values) as the list ``name`` and write the file. A write
        that fails (read-only disk, full disk) keeps the list in memory and sets ``notice``."""
        try:
            with self._lock:
                self._lists[name] = Saved(list(items), self._clock())
                self._write()
        except OSError as exc:
            self.notice = f"The lists could not be saved to {self.path}: {exc.strerror or exc}."

    def _write(self) -> None:
        directory = self.path.parent
        if not directory.exists():
            directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        if directory.stat().st_mode & 0o077:
            os.chmod(directory, 0o700)  # mkdir's mode is filtered by the umask; ours alone
        payload = {
            "format": FORMAT,
            "version": VERSION,
            "api_url": self.api_url,
            "account": self.account,
            "lists": {name: {"saved_at": s.saved_at, "items": s.items} for name, s in sorted(self._lists.items())},
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
        fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), 0o600)
                handle.write(body)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise


# --- domain records as plain JSON ---------------------------------------------------------------


def record_to_json(record: Any) -> dict[str, Any]:
    """A domain dataclass (Package, Organization, ...) as a dict of JSON values."""
    out: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        out[f.name] = value.isoformat() if isinstance(value, datetime) else value
    return out


def record_from_json(cls: type, data: Any) -> Any | None:
    """The dataclass ``cls`` from ``record_to_json``'s dict, or None when the dict does not fit
    (a field missing, or a value of the wrong type): a damaged entry is skipped, never raised."""
    if not isinstance(data, dict):
        return None
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if value is not None and "datetime" in str(f.type):
            try:
                value = datetime.fromisoformat(value) if isinstance(value, str) else None
            except ValueError:
                value = None
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            return None
        values[f.name] = value
    try:
        return cls(**values)
    except TypeError:
        return None


__all__ = [
    "CACHE_DIR_ENV",
    "ListCache",
    "Saved",
    "account_name",
    "age_text",
    "cache_dir",
    "cache_file",
    "record_from_json",
    "record_to_json",
]
