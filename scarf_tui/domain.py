"""The normalized models the UI speaks, and client-side validation.

Wire formats (v1 camelCase, later v2 snake_case) stop at the API adapter; everything above it
sees these types. No I/O here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit


class LibraryType(StrEnum):
    """Package kinds. The v1 seed names docker, npm, hackage, pypi, other; Scarf also serves
    python (simple-repository proxy) and file packages, which the seed's sections describe."""

    DOCKER = "docker"
    NPM = "npm"
    HACKAGE = "hackage"
    PYPI = "pypi"
    PYTHON = "python"
    FILE = "file"
    OTHER = "other"


class PermissionLevel(StrEnum):
    BLOCKED = "blocked"
    DEFAULT = "default"
    MEMBER = "member"
    ADMIN = "admin"


class MemberRole(StrEnum):
    MEMBER = "member"
    ADMIN = "admin"
    OWNER = "owner"


class Breakdown(StrEnum):
    COMPANY = "company"
    CLOUD_PROVIDER = "cloud_provider"
    COUNTRY = "country"
    PLATFORM = "platform"
    VERSION = "version"
    CLIENT = "client"
    VARIABLE = "variable"
    TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Organization:
    """An organization as the server holds it."""

    name: str
    description: str
    billing_email: str
    created_at: datetime | None = None
    updated_at: datetime | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class OrganizationDraft:
    """What the user submits to create or update an organization."""

    name: str
    description: str
    billing_email: str
    website: str | None = None


@dataclass(frozen=True, slots=True)
class Member:
    """A user's role in an organization."""

    organization: str
    username: str
    role: MemberRole | str


@dataclass(frozen=True, slots=True)
class Package:
    """A package as the server holds it."""

    uuid: str
    owner: str
    name: str
    short_description: str
    created_at: datetime | None = None
    long_description: str | None = None
    website: str | None = None
    library_type: str | None = None  # a LibraryType value; unknown kinds are kept as text


@dataclass(frozen=True, slots=True)
class PackageDraft:
    """What the user submits to create or update a package (PackageUpsertV1)."""

    name: str
    short_description: str
    long_description: str | None = None
    website: str | None = None
    library_type: str | None = None
    backend_url: str | None = None  # docker only
    public_url: str | None = None  # docker only
    repository_url: str | None = None  # python only


@dataclass(frozen=True, slots=True)
class Grant:
    """One user's permission level on a package (PackagePermissionGetV1)."""

    username: str
    level: PermissionLevel | str


@dataclass(frozen=True, slots=True)
class GrantChange:
    """Set `level` for the user found by `user_query` (email or username). A level outside
    PermissionLevel ("owner") is one only API v2 offers; the service's capabilities say which."""

    user_query: str
    level: PermissionLevel | str


@dataclass(frozen=True, slots=True)
class Route:
    """A file package's route: requests to `template_path` go to `outgoing_url`."""

    id: str
    template_path: str
    outgoing_url: str


@dataclass(frozen=True, slots=True)
class RouteDraft:
    """What the user submits to create a route."""

    template_path: str
    outgoing_url: str


@dataclass(frozen=True, slots=True)
class Domain:
    """A custom domain of an organization."""

    id: str
    name: str


@dataclass(slots=True)
class AggregateRow:
    """One AggregateV1 line. `label` is the breakdown's key (company name, country, ...)."""

    breakdown: str
    date: date
    package: str
    total: int
    unique_total: int | None = None
    company_name: str | None = None
    company_domain: str | None = None
    cloud_provider_name: str | None = None
    cloud_provider_domain: str | None = None
    country: str | None = None
    platform: str | None = None
    version: str | None = None
    client: str | None = None
    client_version: str | None = None
    variable: str | None = None
    value: str | None = None

    @property
    def label(self) -> str:
        return breakdown_label(self)


def breakdown_label(row: AggregateRow) -> str:
    """The human key of a row within its breakdown."""
    b = row.breakdown
    if b == "company":
        return row.company_name or row.company_domain or "unknown"
    if b == "cloud_provider":
        return row.cloud_provider_name or row.cloud_provider_domain or "unknown"
    if b == "country":
        return row.country or "unknown"
    if b == "platform":
        return row.platform or "unknown"
    if b == "version":
        return row.version or "unknown"
    if b == "client":
        name = row.client or "unknown"
        return f"{name} {row.client_version}" if row.client_version else name
    if b == "variable":
        return f"{row.variable or '?'}={row.value or ''}"
    return "total"


# The leading columns of the v1 events CSV, in order (the Scarf API v1 reference, "Download format").
EVENT_COLUMNS: tuple[str, ...] = (
    "type",
    "package",
    "version",
    "time",
    "referer",
    "user_agent",
    "variables",
    "origin_id",
    "origin_latitude",
    "origin_longitude",
    "origin_country",
    "origin_city",
    "origin_postal",
    "origin_company",
    "origin_domain",
    "origin_connection_type",
)


@dataclass(slots=True)
class Event:
    """One events-CSV row: the known columns plus any extra trailing columns, kept verbatim."""

    type: str
    time: str
    package: str | None = None
    version: str | None = None
    referer: str | None = None
    user_agent: str | None = None
    variables: str | None = None
    origin_id: str | None = None
    origin_latitude: str | None = None
    origin_longitude: str | None = None
    origin_country: str | None = None
    origin_city: str | None = None
    origin_postal: str | None = None
    origin_company: str | None = None
    origin_domain: str | None = None
    origin_connection_type: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Client-side validation. Each returns a readable sentence, or None when the input is fine.
# ---------------------------------------------------------------------------------------------

DOCKER_PATH_COMPONENT = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")  # also used by the demo server
TEMPLATE_VARIABLE = re.compile(r"\{([+#./;?&]?)([A-Za-z0-9_]+)(?:\*|:\d+)?\}")
# The patterns below only validators use: compiled on first use (re caches them).
DOMAIN_NAME = r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
MAX_EVENT_WINDOW_DAYS = 31


def validate_url(value: str, *, what: str = "URL") -> str | None:
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"{what} must be an http(s) URL with a host, e.g. https://example.com/path."
    if any(ch.isspace() for ch in value.strip()):
        return f"{what} must not contain spaces."
    return None


def docker_path_components(url: str) -> list[str]:
    return [p for p in urlsplit(url.strip()).path.split("/") if p]


def validate_docker_urls(backend_url: str | None, public_url: str | None) -> str | None:
    """The seed's rules: backendUrl has >= 1 path component, each matching the docker
    component pattern; publicUrl is a valid URL whose path parts match backendUrl's."""
    if not backend_url:
        return None if not public_url else "A docker publicUrl needs a backendUrl."
    if problem := validate_url(backend_url, what="backendUrl"):
        return problem
    parts = docker_path_components(backend_url)
    if not parts:
        return "backendUrl must have at least one path component, e.g. https://ghcr.io/org/image."
    for part in parts:
        if not DOCKER_PATH_COMPONENT.fullmatch(part):
            return (
                f"backendUrl path component {part!r} must match [a-z0-9]+(?:[._-][a-z0-9]+)*."
            )
    if public_url:
        if problem := validate_url(public_url, what="publicUrl"):
            return problem
        if docker_path_components(public_url) != parts:
            return "publicUrl's path must match backendUrl's path parts."
    return None


def template_variables(template: str) -> list[str]:
    """Variable names of an RFC 6570 template, in order of appearance."""
    return [m.group(2) for m in TEMPLATE_VARIABLE.finditer(template)]


def validate_route(template_path: str, outgoing_url: str) -> str | None:
    if not template_path.startswith("/"):
        return "The template path must start with '/'."
    if template_path.count("{") != template_path.count("}"):
        return "The template path has an unbalanced '{' or '}'."
    outgoing_url = outgoing_url.strip()
    if problem := validate_url(TEMPLATE_VARIABLE.sub("x", outgoing_url), what="The outgoing URL"):
        return problem
    declared = set(template_variables(template_path))
    missing = [v for v in template_variables(outgoing_url) if v not in declared]
    if missing:
        names = ", ".join("{" + v + "}" for v in dict.fromkeys(missing))
        return f"The outgoing URL uses {names}, which the template path does not define."
    return None


def example_route(template_path: str, outgoing_url: str) -> tuple[str, str]:
    """One example request path and the outgoing URL it maps to, for a preview."""
    samples = {"platform": "linux-x64", "version": "1.2.3", "path": "a/b/c.txt", "os": "linux"}

    def fill(template: str) -> str:
        def sub(m: re.Match[str]) -> str:
            return samples.get(m.group(2), m.group(2) + "-value")

        return TEMPLATE_VARIABLE.sub(sub, template)

    return fill(template_path), fill(outgoing_url)


def validate_domain_name(name: str) -> str | None:
    if not re.fullmatch(DOMAIN_NAME, name.strip()):
        return f"{name.strip() or 'An empty name'!s} is not a valid domain name (e.g. files.example.com)."
    return None


# Python's date ends at 9999-12-31. Day arithmetic on a range (its windows, the day after it, a
# period before or after it) must stay inside that calendar, so dates from this day on are
# refused with a sentence instead of an OverflowError somewhere later.
FIRST_UNSUPPORTED_DAY = date(9999, 1, 1)


def validate_date_range(start: date, end: date) -> str | None:
    """The sentence that says why [start, end) is not a usable range, or None."""
    for what, day in (("start date", start), ("end date", end)):
        if day >= FIRST_UNSUPPORTED_DAY:
            return (
                f"The {what} {day.isoformat()} is too far in the future; "
                f"use a date before {FIRST_UNSUPPORTED_DAY.isoformat()}."
            )
    if end <= start:
        return f"The end date {end.isoformat()} must be after the start date {start.isoformat()}."
    return None


ISO_DAY = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def parse_day(text: str, *, what: str = "date") -> date:
    """Parse YYYY-MM-DD or raise ValueError with a readable sentence. Only that form: the
    API's dates are YYYY-MM-DD, and date.fromisoformat would also take 20261101 or 2026-W47-1."""
    stripped = text.strip()
    try:
        if not re.fullmatch(ISO_DAY, stripped):
            raise ValueError(stripped)
        return date.fromisoformat(stripped)
    except ValueError:
        raise ValueError(f"The {what} {text!r} is not a date in YYYY-MM-DD form.") from None


def event_window_count(start: date, end: date, max_days: int = MAX_EVENT_WINDOW_DAYS) -> int:
    """How many windows of at most `max_days` days [start, end) needs (0 for an empty range)."""
    days = (end - start).days
    return 0 if days <= 0 else -(-days // max_days)


def event_windows(start: date, end: date, max_days: int = MAX_EVENT_WINDOW_DAYS) -> list[tuple[date, date]]:
    """Split [start, end) into consecutive windows of at most `max_days` days.

    Steps never go past `end`, so a range ending at 9999-12-31 (the last day Python's date
    holds) splits without an OverflowError."""
    if end <= start:
        raise ValueError(f"The end date {end.isoformat()} must be after the start date {start.isoformat()}.")
    if max_days < 1:
        raise ValueError(f"A window must span at least one day, not {max_days}.")
    windows = []
    cursor = start
    while cursor < end:
        stop = cursor + timedelta(days=min(max_days, (end - cursor).days))
        windows.append((cursor, stop))
        cursor = stop
    return windows


# --- people and names (forms) ------------------------------------------------------------------
# A deliberately loose check: the server is the judge of who exists; this only catches typos
# that can never be an address (no '@', spaces, no dot in the host).
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
USERNAME = r"^[^\s@/]+$"


def validate_user_query(query: str) -> str | None:
    """Who a permission is for: an email address or a username."""
    query = query.strip()
    if not query:
        return "Enter an email address or a username."
    if "@" in query:
        return None if re.fullmatch(EMAIL, query) else f"{query} is not an email address."
    if not re.fullmatch(USERNAME, query):
        return "A username has no spaces or slashes."
    return None


def validate_username(name: str) -> str | None:
    name = name.strip()
    if not name:
        return "Enter a username."
    if not re.fullmatch(USERNAME, name):
        return "A username has no spaces, '@' or slashes."
    return None


def validate_email(value: str, *, what: str = "The email") -> str | None:
    value = value.strip()
    if not value:
        return f"{what} is required."
    if not re.fullmatch(EMAIL, value):
        return f"{what} {value!r} is not an email address."
    return None


def validate_required(value: str, *, what: str) -> str | None:
    if not value.strip():
        return f"{what} is required."
    if any(ch in value for ch in "\x1b\x00\r\n"):
        return f"{what} must not contain control characters."
    return None


def validate_name(value: str, *, what: str) -> str | None:
    if problem := validate_required(value, what=what):
        return problem
    if any(ch.isspace() for ch in value.strip()):
        return f"{what} must not contain spaces."
    return None
