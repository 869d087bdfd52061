"""Deterministic synthetic traffic: AggregateV1 rows and events-CSV records per (package, day).

Everything is computed lazily from (package uuid, date) with private hash-seeded generators, so
any window can be served without storing the dataset, two builds agree, and memory stays flat.

Consistency the clients may rely on (and tests check):
- the country, platform, client and (docker) version breakdowns each sum to the day's total;
- company and cloud_provider rows cover only the identified share (sum <= total);
- each variable's rows sum to at most the total, but one event carries several variables, so
  the variable breakdown summed across variables can exceed the total;
- unique_total <= total.
"""

from __future__ import annotations

import csv
import io
import json
from bisect import bisect
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate
from urllib.parse import quote_plus

from scarf_tui.demo.data import h64, rng, unit
from scarf_tui.domain import EVENT_COLUMNS, template_variables

WINDOW_DAYS = 400  # aggregates/events exist for [today - WINDOW_DAYS, today)
EXTRA_EVENT_COLUMNS = ("id", "session_id", "pixel_id")
EVENT_HEADER = EVENT_COLUMNS + EXTRA_EVENT_COLUMNS
EVENTS_PER_DAY_CAP = 300  # events per package-day at events_scale=1 (aggregates are not capped)

COUNTRIES = (
    ("US", 30), ("DE", 10), ("GB", 8), ("IN", 8), ("CN", 7), ("FR", 5), ("JP", 4), ("BR", 4),
    ("CA", 4), ("NL", 3), ("KR", 3), ("AU", 2), ("PL", 2), ("SE", 2), ("IL", 1), ("ZA", 1),
)
CITIES = {  # country -> (city, postal, latitude, longitude)
    "US": ("San Francisco", "94103", 37.7749, -122.4194), "DE": ("Berlin", "10115", 52.52, 13.405),
    "GB": ("London", "EC1A", 51.5072, -0.1276), "IN": ("Bengaluru", "560001", 12.9716, 77.5946),
    "CN": ("Shanghai", "200000", 31.2304, 121.4737), "FR": ("Paris", "75001", 48.8566, 2.3522),
    "JP": ("Tokyo", "100-0001", 35.6762, 139.6503), "BR": ("São Paulo", "01000-000", -23.5505, -46.6333),
    "CA": ("Toronto", "M5H", 43.6532, -79.3832), "NL": ("Amsterdam", "1011", 52.3676, 4.9041),
    "KR": ("Seoul", "04524", 37.5665, 126.978), "AU": ("Sydney", "2000", -33.8688, 151.2093),
    "PL": ("Kraków", "30-001", 50.0647, 19.945), "SE": ("Stockholm", "111 20", 59.3293, 18.0686),
    "IL": ("Tel Aviv", "61000", 32.0853, 34.7818), "ZA": ("Cape Town", "8001", -33.9249, 18.4241),
}
COMPANIES = (  # a few big companies, a long tail; one name needs CSV quoting
    ("Globex Corporation", "globex.example", 20), ("Initech, Inc.", "initech.example", 12),
    ("Umbrella Corp", "umbrella.example", 8), ("Hooli", "hooli.example", 6),
    ("Stark Industries", "stark.example", 5), ("Wayne Enterprises", "wayne.example", 4),
    ("Soylent", "soylent.example", 2), ("Tyrell Corporation", "tyrell.example", 2),
    ("Cyberdyne Systems", "cyberdyne.example", 1), ("Massive Dynamic", "massive.example", 1),
)
CLOUD_PROVIDERS = (
    ("Amazon Web Services", "amazonaws.com", 45), ("Google Cloud", "googleusercontent.com", 20),
    ("Microsoft Azure", "azure.com", 18), ("DigitalOcean", "digitalocean.com", 7),
    ("Hetzner", "hetzner.com", 6), ("OVHcloud", "ovh.net", 4),
)
PLATFORMS = {
    "docker": (("linux/amd64", 70), ("linux/arm64", 25), ("linux/arm/v7", 5)),
    "file": (("Linux", 50), ("Mac OS X", 30), ("Windows", 20)),
    "default": (("Linux", 62), ("Mac OS X", 22), ("Windows", 14), ("FreeBSD", 2)),
}
CLIENTS = {  # (client, client_version, weight, user agent)
    "docker": (
        ("docker", "24.0.7", 60, "docker/24.0.7 go/go1.20.10 git-commit/311b9ff kernel/6.2.0 os/linux arch/amd64"),
        ("containerd", "1.7.2", 30, "containerd/1.7.2"),
        ("podman", "4.9.0", 10, "libpod/4.9.0"),
    ),
    "npm": (
        ("npm", "10.2.4", 65, "npm/10.2.4 node/v20.10.0 linux x64 workspaces/false"),
        ("yarn", "1.22.19", 20, "yarn/1.22.19 npm/? node/v18.19.0 darwin arm64"),
        ("pnpm", "8.15.1", 15, "pnpm/8.15.1 npm/? node/v20.11.0 linux x64"),
    ),
    "python": (
        ("pip", "23.3.1", 70,
         'pip/23.3.1 {"ci":null,"cpu":"x86_64","implementation":{"name":"CPython","version":"3.11.6"}}'),
        ("poetry", "1.7.1", 15, "poetry/1.7.1 python/3.12.1"),
        ("uv", "0.1.2", 15, "uv/0.1.2"),
    ),
    "hackage": (
        ("cabal-install", "3.10.2.1", 70, "cabal-install/3.10.2.1 (linux; x86_64)"),
        ("stack", "2.13.1", 30, "The Haskell Stack 2.13.1"),
    ),
    "file": (
        ("curl", "8.4.0", 50, "curl/8.4.0"),
        ("wget", "1.21.4", 25, "Wget/1.21.4"),
        ("Firefox", "120.0", 25, "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"),
    ),
    "other": (
        ("curl", "8.4.0", 60, "curl/8.4.0"),
        ("Go-http-client", "1.1", 40, "Go-http-client/1.1"),
    ),
}
BROWSERS = (
    "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Safari/537.36",
)
VARIABLE_VALUES = {
    "platform": ("linux-x64", "linux-arm64", "darwin-arm64", "darwin-x64", "windows-x64"),
    "path": ("docs/manual.pdf", "images/logo.png", "2024/data.csv", "archive/full.tar.gz"),
    "os": ("linux", "darwin", "windows"),
}
VARIABLE_COVERAGE = {"platform": 0.8, "version": 0.9, "path": 0.25}
PIXEL_PAGES = ("", "getting-started", "install", "faq")
EVENT_TYPES = {"docker": "image pull", "file": "file-download", "npm": "package download"}


@dataclass(frozen=True, slots=True)
class TrafficProfile:
    """Per-package (or per-pixel) knobs, all derived from the uuid unless given."""

    uuid: str
    name: str
    library_type: str | None
    popularity: float  # typical downloads on a weekday near "today"
    growth: float  # share of today's volume gained over the window (negative: declining)
    weekend: float  # weekend volume relative to weekdays
    launch_days_ago: int  # no traffic before this many days ago
    versions: tuple[str, ...]  # oldest first
    companies: tuple[tuple[str, str, int], ...] = COMPANIES

    @classmethod
    def for_package(
        cls,
        uuid: str,
        name: str,
        library_type: str | None,
        *,
        popularity: float | None = None,
        launch_days_ago: int | None = None,
        companies: tuple[tuple[str, str, int], ...] = COMPANIES,
    ) -> TrafficProfile:
        if popularity is None:
            popularity = 10 ** (1 + 2 * unit(uuid, "popularity"))
        major = 1 + h64(uuid, "major") % 3
        versions = tuple(
            f"{major + i // 3}.{(i % 3) * 2 + h64(uuid, 'minor', i) % 2}.{h64(uuid, 'patch', i) % 5}"
            for i in range(6)
        )
        if library_type == "docker":
            versions = versions + ("latest",)
        return cls(
            uuid=uuid,
            name=name,
            library_type=library_type,
            popularity=float(popularity),
            growth=-0.2 + 0.9 * unit(uuid, "growth"),
            weekend=0.5 + 0.3 * unit(uuid, "weekend"),
            launch_days_ago=WINDOW_DAYS if launch_days_ago is None else launch_days_ago,
            versions=versions,
            companies=companies,
        )


def data_days(today: date, start: date, end: date) -> Iterator[date]:
    """The days of [start, end) that fall inside the data window [today - WINDOW_DAYS, today)."""
    first = max(start, today - timedelta(days=WINDOW_DAYS))
    last = min(end, today)
    day = first
    while day < last:
        yield day
        day += timedelta(days=1)


def day_total(p: TrafficProfile, day: date, today: date) -> int | None:
    """Downloads of the package on `day`, or None when the day has no data (before launch)."""
    days_ago = (today - day).days
    if days_ago <= 0 or days_ago > min(WINDOW_DAYS, p.launch_days_ago):
        return None
    progress = 1 - days_ago / WINDOW_DAYS  # 0 at the window start, ~1 today
    trend = 1 - p.growth * (1 - progress)
    if p.launch_days_ago < WINDOW_DAYS:  # a young package ramps up over its first month
        trend *= min(1.0, 0.15 + (p.launch_days_ago - days_ago) / 30)
    weekday = day.weekday()
    weekly = p.weekend if weekday >= 5 else (0.93 if weekday == 4 else 1.0)
    noise = 0.85 + 0.3 * unit(p.uuid, day, "noise")
    spike = 2.3 if unit(p.uuid, day, "spike") < 0.015 else 1.0  # release days
    return max(0, round(p.popularity * trend * weekly * noise * spike))


def partition(total: int, weights: Sequence[float], r) -> list[int]:
    """Split `total` into integer parts proportional to jittered weights (largest remainder)."""
    if total <= 0 or not weights:
        return [0] * len(weights)
    jittered = [w * (0.7 + 0.6 * r.random()) for w in weights]
    scale = total / sum(jittered)
    raw = [w * scale for w in jittered]
    parts = [int(x) for x in raw]
    short = total - sum(parts)
    for i in sorted(range(len(raw)), key=lambda i: raw[i] - parts[i], reverse=True)[:short]:
        parts[i] += 1
    return parts


def client_family(library_type: str | None) -> str:
    if library_type in ("pypi", "python"):
        return "python"
    if library_type in CLIENTS:
        return library_type
    return "other"


def version_weights(p: TrafficProfile, day: date, today: date) -> list[tuple[str, float]]:
    """Versions released so far on `day` (one every ~70 days), newest weighted most."""
    days_ago = (today - day).days
    released = [
        v for i, v in enumerate(p.versions) if v == "latest" or days_ago <= WINDOW_DAYS - i * 70 + 5
    ] or list(p.versions[:1])
    return [(v, 1.0 + 2.0 * i) for i, v in enumerate(released)]


def variables_of(routes: Iterable[dict]) -> list[str]:
    names: list[str] = []
    for route in routes:
        for var in template_variables(route.get("templatePath", "")):
            if var not in names:
                names.append(var)
    return names


def variable_values(var: str, p: TrafficProfile) -> tuple[str, ...]:
    if var == "version":
        return tuple(v for v in p.versions if v != "latest")
    return VARIABLE_VALUES.get(var, (f"{var}-a", f"{var}-b", f"{var}-c"))


def aggregate_rows(
    p: TrafficProfile, day: date, today: date, variables: Sequence[str] = ()
) -> list[dict]:
    """Every AggregateV1 row of one package-day (empty when the day has no data)."""
    total = day_total(p, day, today)
    if total is None:
        return []
    r = rng(p.uuid, day, "aggregates")
    iso = day.isoformat()
    rows: list[dict] = []

    def row(breakdown: str, count: int, **fields: str) -> None:
        if count > 0:
            rows.append({"breakdown": breakdown, "date": iso, "package": p.uuid, "total": count, **fields})

    unique = min(total, max(1 if total else 0, round(total * (0.35 + 0.4 * r.random()))))
    rows.append({"breakdown": "total", "date": iso, "package": p.uuid, "total": total, "unique_total": unique})

    for (country, _), n in zip(COUNTRIES, partition(total, [w for _, w in COUNTRIES], r), strict=False):
        row("country", n, country=country)

    platforms = PLATFORMS.get(p.library_type or "", PLATFORMS["default"])
    for (platform, _), n in zip(platforms, partition(total, [w for _, w in platforms], r), strict=False):
        row("platform", n, platform=platform)

    clients = CLIENTS[client_family(p.library_type)]
    for (client, version, _, _), n in zip(clients, partition(total, [c[2] for c in clients], r), strict=False):
        row("client", n, client=client, client_version=version)

    identified = round(total * (0.2 + 0.2 * r.random()))
    for (name, domain, _), n in zip(p.companies, partition(identified, [c[2] for c in p.companies], r), strict=False):
        row("company", n, company_name=name, company_domain=domain)

    in_cloud = round(total * (0.1 + 0.25 * r.random()))
    weights = [c[2] for c in CLOUD_PROVIDERS]
    for (name, domain, _), n in zip(CLOUD_PROVIDERS, partition(in_cloud, weights, r), strict=False):
        row("cloud_provider", n, cloud_provider_name=name, cloud_provider_domain=domain)

    if p.library_type == "docker":
        versions = version_weights(p, day, today)
        for (version, _), n in zip(versions, partition(total, [w for _, w in versions], r), strict=False):
            row("version", n, version=version)

    if p.library_type == "file":
        for var in variables:
            values = variable_values(var, p)
            covered = round(total * VARIABLE_COVERAGE.get(var, 0.5))
            shares = [1.0 + (len(values) - i) * unit(p.uuid, var, i) for i in range(len(values))]
            for value, n in zip(values, partition(covered, shares, r), strict=False):
                row("variable", n, variable=var, value=value)
    return rows


def ndjson_line(row: dict) -> str:
    return json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n"


# --- events CSV ------------------------------------------------------------------------------------


def csv_records(rows: Iterable[Sequence[object]]) -> list[str]:
    """CSV-encode rows (RFC 4180 quoting, \\r\\n line ends), one string per record."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    bounds = [0]
    for row in rows:
        writer.writerow(row)
        bounds.append(buf.tell())
    text = buf.getvalue()
    return [text[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def header_record() -> str:
    return csv_records([EVENT_HEADER])[0]


class _Picker:
    """Weighted choice by one uniform draw (random.choices recomputes cumulative weights)."""

    __slots__ = ("items", "cum", "top")

    def __init__(self, items: Sequence, weights: Sequence[float]) -> None:
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.top = self.cum[-1]

    def pick(self, u: float):
        return self.items[bisect(self.cum, u * self.top)]


def _origins(key: object, day: date, count: int, companies: Sequence[tuple[str, str, int]]) -> list[tuple]:
    """A pool of clients for the day: repeated origin ids are plausible, not guaranteed distinct."""
    r = rng(key, day, "origins")
    rand = r.random
    countries = _Picker([c for c, _ in COUNTRIES], [w for _, w in COUNTRIES])
    company_pick = _Picker(companies, [c[2] for c in companies])
    cloud_pick = _Picker(CLOUD_PROVIDERS, [c[2] for c in CLOUD_PROVIDERS])
    pool = []
    for _i in range(count):
        country = countries.pick(rand())
        city, postal, lat, lon = CITIES[country]
        roll = rand()
        if roll < 0.3:
            company, domain, _ = company_pick.pick(rand())
            conn = "Corporate"
        elif roll < 0.5:
            company, domain, _ = cloud_pick.pick(rand())
            conn = "Cloud"
        else:
            company, domain = "", ""
            conn = "Cable/DSL" if rand() < 0.7 else "Cellular"
        pool.append((
            f"{r.getrandbits(64):016x}",
            f"{lat + (rand() - 0.5) / 5:.4f}",
            f"{lon + (rand() - 0.5) / 5:.4f}",
            country, city, postal, company, domain, conn,
        ))
    return pool


def _event_id(bits: int) -> str:
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _event_time(iso: str, u: float) -> str:
    ms = int(u * 86_400_000)
    secs = ms // 1000
    return f"{iso}T{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}.{ms % 1000:03d}Z"


def package_event_records(
    p: TrafficProfile,
    day: date,
    today: date,
    scale: int,
    routes: Sequence[dict] = (),
) -> list[str]:
    """CSV records of the package's own events on `day` (unordered within the day)."""
    total = day_total(p, day, today)
    if not total:
        return []
    count = min(total, EVENTS_PER_DAY_CAP) * max(1, scale)
    r = rng(p.uuid, day, "events")
    rand = r.random
    pool = _origins(p.uuid, day, max(1, count // 3), p.companies)
    clients = CLIENTS[client_family(p.library_type)]
    client_pick = _Picker([c[3] for c in clients], [c[2] for c in clients])
    versions = version_weights(p, day, today)
    version_pick = _Picker([v for v, _ in versions], [w for _, w in versions])
    event_type = EVENT_TYPES.get(p.library_type or "", "package download")
    # Pre-encoded "name=value" pairs per route, so the loop only joins strings.
    var_sets = [
        [(n, [f"{n}={quote_plus(v)}" for v in variable_values(n, p)])
         for n in template_variables(rt.get("templatePath", ""))]
        for rt in routes
    ] if p.library_type == "file" else []
    version_pairs = {v: f"version={quote_plus(v)}" for v, _ in versions}
    referers = ("", "", "", "", f"https://github.com/search?q={p.name}", "https://www.google.com/")
    iso = day.isoformat()
    rows = []
    for _ in range(count):
        origin = pool[int(rand() * len(pool))]
        version = version_pick.pick(rand())
        variables = ""
        if var_sets:
            names = var_sets[int(rand() * len(var_sets))]
            variables = "&".join(
                version_pairs[version] if n == "version" else encoded[int(rand() * len(encoded))]
                for n, encoded in names
            )
        row = (
            event_type, p.name, version, _event_time(iso, rand()), referers[int(rand() * 6)],
            client_pick.pick(rand()), variables, *origin, _event_id(r.getrandbits(128)),
            f"{origin[0][:8]}-{int(rand() * 3)}", "",
        )
        rows.append(row)
        if rand() < 0.004:  # exports are at-least-once: an occasional duplicate id
            rows.append(row)
    return csv_records(rows)


def pixel_event_records(
    pixel_id: str, package_name: str, docs_url: str, day: date, today: date, scale: int
) -> list[str]:
    """CSV records of one documentation pixel's fetches on `day`."""
    p = TrafficProfile.for_package(pixel_id, package_name, None, popularity=20 + 60 * unit(pixel_id, "pop"))
    total = day_total(p, day, today)
    if not total:
        return []
    count = total * max(1, scale)
    r = rng(pixel_id, day, "pixel-events")
    pool = _origins(pixel_id, day, max(1, count // 2), COMPANIES)
    iso = day.isoformat()
    rows = []
    for _ in range(count):
        origin = pool[int(r.random() * len(pool))]
        page = PIXEL_PAGES[int(r.random() * len(PIXEL_PAGES))]
        rows.append((
            "pixel fetch", package_name, "", _event_time(iso, r.random()),
            f"{docs_url}/{page}" if page else docs_url, BROWSERS[int(r.random() * len(BROWSERS))], "",
            *origin, _event_id(r.getrandbits(128)), f"{origin[0][:8]}-0", pixel_id,
        ))
    return csv_records(rows)
