"""What the Details tab shows from PurlDB: packages (one per version), their dependencies,
history and resources, pages of results, and the outcome of a look-up.

Plain frozen dataclasses, no I/O. Text is kept exactly as PurlDB sent it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Generic, TypeVar

from scarf_tui.sources.purldb.purl import PurlRef

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Dependency:
    purl: str
    requirement: str | None = None
    scope: str | None = None
    is_runtime: bool | None = None
    is_optional: bool | None = None
    is_resolved: bool | None = None


@dataclass(frozen=True, slots=True)
class Party:
    name: str | None
    role: str | None = None
    type: str | None = None
    email: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class PurlPackage:
    """One PurlDB package record (one version of a package)."""

    uuid: str
    purl: str
    type: str
    name: str
    namespace: str = ""
    version: str = ""
    release_date: datetime | None = None
    description: str | None = None
    primary_language: str | None = None
    declared_license: str | None = None  # the SPDX expression when given, else PurlDB's own
    homepage_url: str | None = None
    repository_url: str | None = None  # vcs_url, else code_view_url, else repository_homepage_url
    download_url: str | None = None
    repository_download_url: str | None = None
    bug_tracking_url: str | None = None
    filename: str | None = None
    size: int | None = None
    sha1: str | None = None
    sha256: str | None = None
    keywords: tuple[str, ...] = ()
    parties: tuple[Party, ...] = ()
    dependencies: tuple[Dependency, ...] = ()
    details_url: str | None = None
    history_url: str | None = None
    resources_url: str | None = None


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    message: str
    timestamp: datetime | None
    raw_timestamp: str | None = None  # as sent ("2023-04-28-20:55:59"), shown when unparsable


@dataclass(frozen=True, slots=True)
class Resource:
    path: str
    type: str | None = None
    name: str | None = None
    size: int | None = None
    sha1: str | None = None
    mime_type: str | None = None
    programming_language: str | None = None
    license: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a page-number-paginated list. ``next``/``previous`` are the links the
    server gave (followed only when they point at the same server)."""

    count: int
    items: tuple[T, ...]
    next: str | None = None
    previous: str | None = None

    @property
    def has_more(self) -> bool:
        return self.next is not None


class LookupState(StrEnum):
    FOUND = "found"
    NOT_FOUND = "not_found"
    NOT_ENABLED = "not_enabled"


@dataclass(frozen=True, slots=True)
class PurlLookup:
    """The outcome of looking a purl up. "Not in PurlDB" and "not enabled" are normal states
    with their own sentence, not errors. ``packages`` are the versions found, newest first."""

    ref: PurlRef
    state: LookupState
    packages: tuple[PurlPackage, ...] = ()
    truncated: bool = False  # more versions exist than were read

    @property
    def found(self) -> bool:
        return self.state is LookupState.FOUND

    @property
    def latest(self) -> PurlPackage | None:
        return self.packages[0] if self.packages else None

    def sentence(self) -> str:
        purl = str(self.ref.purl)
        if self.state is LookupState.NOT_ENABLED:
            return (
                f"PurlDB look-ups are off for {self.ref.origin} packages: looking {purl} up would send "
                f"its name to a third party. Enable PurlDB for {self.ref.origin} packages to look it up."
            )
        if self.state is LookupState.NOT_FOUND:
            return f"{purl} is not in PurlDB."
        count = len(self.packages)
        more = " (more exist)" if self.truncated else ""
        return f"PurlDB knows {count} version{'s' if count != 1 else ''} of {purl}{more}."


__all__ = [
    "Dependency",
    "HistoryEntry",
    "LookupState",
    "Page",
    "Party",
    "PurlLookup",
    "PurlPackage",
    "Resource",
]
