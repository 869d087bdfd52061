"""Fold a stream of aggregate rows into series, rollups and breakdowns. Pure; no Textual, no I/O.

Two entry points build the same accumulators:

- `fold_ndjson` reads raw NDJSON (bytes, str, or an iterable of lines) and folds the parsed
  dicts directly, never building an `AggregateRow` per line: this is the fast path the
  benchmark in bench/bench_fold.py holds to <= 2x a bare `json.loads` per line (it parses with
  pydantic-core's `from_json`, which beats `json.loads` per line).
- `fold_rows` / `fold_rows_async` fold `AggregateRow` objects (what `ScarfService.org_aggregates`
  yields). `Folder` is the incremental form both use, for callers that show progress.

Two counting rules of the data (shared/README.md) are built into the shapes returned here:

- Uniques (`unique_total`, total breakdown only) are unique IPs per package per day. A week or a
  month of them is only ever a *sum of daily uniques*; `Bucket.uniques_sum_of_days` and
  `uniques_label()` carry that name so nobody shows it as "unique visitors this month".
- One event can carry several template variables, so `variable` totals are grouped per variable
  name and never added across names: there is no "all variables" total anywhere in this module.
"""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import Enum

from pydantic_core import from_json

from scarf_tui.domain import AggregateRow

__all__ = [
    "BREAKDOWNS",
    "AggregateFold",
    "AggregateParseError",
    "Bucket",
    "Comparison",
    "Folder",
    "Rollup",
    "TopN",
    "compare_periods",
    "fold_ndjson",
    "fold_rows",
    "fold_rows_async",
    "growth_pct",
    "last_n_days_by_package",
    "previous_period",
    "rollup",
    "sparkline",
    "uniques_label",
]

# Breakdowns with a top-N view, in the order the charts pane numbers them (keys 1..7).
BREAKDOWNS: tuple[str, ...] = (
    "company",
    "cloud_provider",
    "country",
    "platform",
    "version",
    "client",
    "variable",
)

# The label field (and its fallback) of each simple breakdown; mirrors domain.breakdown_label.
_LABEL_FIELDS: dict[str, tuple[str, str | None]] = {
    "company": ("company_name", "company_domain"),
    "cloud_provider": ("cloud_provider_name", "cloud_provider_domain"),
    "country": ("country", None),
    "platform": ("platform", None),
    "version": ("version", None),
}
UNKNOWN = "unknown"


class AggregateParseError(ValueError):
    """A line of the aggregate stream is not a usable AggregateV1 object."""


class Rollup(str, Enum):
    DAY = "day"
    WEEK = "week"  # ISO week, Monday first
    MONTH = "month"


def uniques_label(unit: Rollup | str, packages: int = 1) -> str:
    """How to name the uniques column/line: only one package on one day has real uniques.

    Uniques are counted per package per day, so adding them over days or over packages gives
    an upper bound (one client fetching two packages, or on two days, counts twice)."""
    if Rollup(unit) is not Rollup.DAY:
        return "sum of daily uniques"
    return "uniques" if packages <= 1 else "sum of package uniques"


# ---------------------------------------------------------------------------------------------
# Result shapes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bucket:
    """One period of a rollup. `end` is exclusive; `days` counts the days of the requested range
    inside it (a week cut by the range edge has days < 7)."""

    unit: Rollup
    start: date
    end: date
    total: int
    uniques_sum_of_days: int  # per-day uniques added up; NOT unique visitors over the bucket
    days: int

    @property
    def label(self) -> str:
        if self.unit is Rollup.WEEK:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.unit is Rollup.MONTH:
            return f"{self.start.year}-{self.start.month:02d}"
        return self.start.isoformat()

    @property
    def partial(self) -> bool:
        return self.days < (self.end - self.start).days


@dataclass(frozen=True, slots=True)
class TopN:
    """The largest `n` labels of one breakdown plus an "other" bucket for the rest.
    `total` = sum(items) + other, so shares add up to 100%."""

    breakdown: str
    items: list[tuple[str, int]]
    other: int
    other_labels: int  # how many labels were folded into `other`
    total: int

    def rows(self) -> list[tuple[str, int, float]]:
        """(label, total, percent) including the other bucket when it is not empty."""
        out = [(label, n, percent(n, self.total)) for label, n in self.items]
        if self.other_labels:
            out.append((f"other ({self.other_labels})", self.other, percent(self.other, self.total)))
        return out


@dataclass(frozen=True, slots=True)
class Comparison:
    """Total downloads of a period against the previous period of equal length."""

    start: date
    end: date
    current: int
    previous: int
    growth_pct: float | None  # None when the previous period had no downloads
    previous_days_with_data: int = 0

    @property
    def previous_start(self) -> date:
        return previous_period(self.start, self.end)[0]


def percent(part: int, whole: int) -> float:
    return 100.0 * part / whole if whole else 0.0


def growth_pct(current: int, previous: int) -> float | None:
    if not previous:
        return None
    return 100.0 * (current - previous) / previous


@dataclass(slots=True)
class AggregateFold:
    """Everything the charts pane draws, from one pass over the rows.

    Daily maps are keyed by `date` and sorted. `daily_uniques` adds each package's per-day
    unique_total: exact for one package, an upper bound across several packages.
    """

    rows: int = 0
    start: date | None = None
    end: date | None = None  # exclusive
    daily_totals: dict[date, int] = field(default_factory=dict)
    daily_uniques: dict[date, int] = field(default_factory=dict)
    package_totals: dict[str, dict[date, int]] = field(default_factory=dict)
    package_uniques: dict[str, dict[date, int]] = field(default_factory=dict)
    breakdowns: dict[str, dict[str, int]] = field(default_factory=dict)  # not `variable`
    variables: dict[str, dict[str, int]] = field(default_factory=dict)  # name -> value -> total
    unknown_breakdowns: dict[str, int] = field(default_factory=dict)  # rows per unknown kind

    @property
    def total(self) -> int:
        return sum(self.daily_totals.values())

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def series(self, unit: Rollup | str = Rollup.DAY) -> list[Bucket]:
        return rollup(self.daily_totals, self.daily_uniques, unit, self.start, self.end)

    def package_series(self, package: str, unit: Rollup | str = Rollup.DAY) -> list[Bucket]:
        return rollup(
            self.package_totals.get(package, {}),
            self.package_uniques.get(package, {}),
            unit,
            self.start,
            self.end,
        )

    def top(self, breakdown: str, n: int = 10) -> TopN:
        if breakdown == "variable":
            raise ValueError("variable totals are per variable name: use top_variable(name).")
        return top_n(breakdown, self.breakdowns.get(breakdown, {}), n)

    def variable_names(self) -> list[str]:
        """Variable names, largest first (ties by name)."""
        totals = self.variable_totals()
        return sorted(totals, key=lambda name: (-totals[name], name))

    def variable_totals(self) -> dict[str, int]:
        """Total per variable name: the sum over that variable's values only."""
        return {name: sum(values.values()) for name, values in self.variables.items()}

    def top_variable(self, name: str, n: int = 10) -> TopN:
        return top_n(f"variable:{name}", self.variables.get(name, {}), n)

    def compare(self) -> Comparison | None:
        """This fold's range against the previous one, when the fold holds both (see
        `previous_period`): needs `start`/`end` and daily totals reaching back."""
        if self.start is None or self.end is None:
            return None
        return compare_periods(self.daily_totals, self.start, self.end)


def top_n(name: str, totals: Mapping[str, int], n: int) -> TopN:
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    head, tail = ranked[:n], ranked[n:]
    other = sum(v for _, v in tail)
    return TopN(name, head, other, len(tail), sum(v for _, v in head) + other)


# ---------------------------------------------------------------------------------------------
# Dates: rollups and period comparison
# ---------------------------------------------------------------------------------------------


def bucket_start(day: date, unit: Rollup) -> date:
    if unit is Rollup.WEEK:
        return day - timedelta(days=day.weekday())
    if unit is Rollup.MONTH:
        return day.replace(day=1)
    return day


def bucket_end(start: date, unit: Rollup) -> date:
    if unit is Rollup.WEEK:
        return start + timedelta(days=7)
    if unit is Rollup.MONTH:
        return date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def rollup(
    totals: Mapping[date, int],
    uniques: Mapping[date, int],
    unit: Rollup | str = Rollup.DAY,
    start: date | None = None,
    end: date | None = None,
) -> list[Bucket]:
    """Buckets covering [start, end) (default: the days present), zero-filled, in date order.
    Days outside [start, end) are left out."""
    unit = Rollup(unit)
    if start is None or end is None:
        if not totals and not uniques:
            return []
        present = sorted({*totals, *uniques})
        start = start or present[0]
        end = end or present[-1] + timedelta(days=1)
    buckets: list[Bucket] = []
    cursor = start
    while cursor < end:
        b_start = bucket_start(cursor, unit)
        b_end = bucket_end(b_start, unit)
        stop = min(b_end, end)
        total = unique = 0
        day = cursor
        while day < stop:
            total += totals.get(day, 0)
            unique += uniques.get(day, 0)
            day += timedelta(days=1)
        buckets.append(Bucket(unit, b_start, b_end, total, unique, (stop - cursor).days))
        cursor = stop
    return buckets


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of equal length just before [start, end), cut at date.min for a range that
    starts in the first centuries (a typed 0001-01-01 must not raise OverflowError)."""
    length = end - start
    return (start - length if start - date.min >= length else date.min), start


def compare_periods(daily_totals: Mapping[date, int], start: date, end: date) -> Comparison:
    prev_start, prev_end = previous_period(start, end)
    current = previous = prev_days = 0
    for day, n in daily_totals.items():
        if start <= day < end:
            current += n
        elif prev_start <= day < prev_end:
            previous += n
            prev_days += 1
    return Comparison(start, end, current, previous, growth_pct(current, previous), prev_days)


# ---------------------------------------------------------------------------------------------
# Folding
# ---------------------------------------------------------------------------------------------


class Folder:
    """Incremental fold. Feed it lines (`add_lines`) or rows (`add_row`), then `result()`.

    Accumulators are keyed by whatever the input carries (date strings from NDJSON, `date`
    objects from rows); `result()` normalizes them once, which keeps the per-row work small.
    """

    __slots__ = ("package", "rows", "_totals", "_uniques", "_breakdowns", "_variables", "_unknown")

    def __init__(self, *, package: str | None = None) -> None:
        self.package = package  # fold only this package uuid (v1 has no per-package endpoint)
        self.rows = 0
        self._totals: dict[tuple[str, object], int] = {}  # (package, day) -> total
        self._uniques: dict[tuple[str, object], int] = {}
        self._breakdowns: dict[str, dict[str, int]] = {b: {} for b in BREAKDOWNS if b != "variable"}
        self._variables: dict[tuple[str, str], int] = {}  # (name, value) -> total
        self._unknown: dict[str, int] = {}

    # -- raw NDJSON: the fast path --------------------------------------------------------------

    def add_lines(self, lines: Iterable[bytes | str]) -> int:
        """Fold NDJSON lines; blank lines are skipped. Returns the rows folded."""
        return self._add_lines(iter(lines), 0)

    def _add_lines(self, lines: Iterator[bytes | str], lineno: int) -> int:
        # pydantic-core's parser (a dependency through pydantic) reads a line ~3x faster than
        # json.loads and gives the same dicts; it also caches the repeated key strings.
        loads = from_json
        only = self.package
        totals, uniques, variables = self._totals, self._uniques, self._variables
        breakdowns, unknown = self._breakdowns, self._unknown
        company, cloud = breakdowns["company"], breakdowns["cloud_provider"]
        country, platform = breakdowns["country"], breakdowns["platform"]
        version, client = breakdowns["version"], breakdowns["client"]
        folded = 0
        line: bytes | str = b"-"
        try:
            for lineno, line in enumerate(lines, lineno + 1):  # noqa: B007 - lineno is read on error
                if not line:
                    continue
                d = loads(line)
                if only is not None and d["package"] != only:
                    continue
                b = d["breakdown"]
                n = d["total"]
                folded += 1
                # Ordered by how common each breakdown is in real exports.
                if b == "total":
                    key = (d["package"], d["date"])
                    totals[key] = totals.get(key, 0) + n
                    u = d.get("unique_total")
                    if u:
                        uniques[key] = uniques.get(key, 0) + u
                elif b == "country":
                    label = d.get("country") or UNKNOWN
                    country[label] = country.get(label, 0) + n
                elif b == "company":
                    label = d.get("company_name") or d.get("company_domain") or UNKNOWN
                    company[label] = company.get(label, 0) + n
                elif b == "platform":
                    label = d.get("platform") or UNKNOWN
                    platform[label] = platform.get(label, 0) + n
                elif b == "client":
                    label = d.get("client") or UNKNOWN
                    cv = d.get("client_version")
                    if cv:
                        label = f"{label} {cv}"
                    client[label] = client.get(label, 0) + n
                elif b == "version":
                    label = d.get("version") or UNKNOWN
                    version[label] = version.get(label, 0) + n
                elif b == "cloud_provider":
                    label = d.get("cloud_provider_name") or d.get("cloud_provider_domain") or UNKNOWN
                    cloud[label] = cloud.get(label, 0) + n
                elif b == "variable":
                    key = (d.get("variable") or "?", d.get("value") or "")
                    variables[key] = variables.get(key, 0) + n
                else:
                    unknown[b] = unknown.get(b, 0) + 1
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            if isinstance(line, (bytes, str)) and not line.strip():
                # Whitespace-only line (rare): skip it and carry on with the rest.
                self.rows += folded
                return folded + self._add_lines(lines, lineno)  # the same iterator resumes
            raise AggregateParseError(_describe(err, lineno)) from err
        self.rows += folded
        return folded

    # -- AggregateRow objects ---------------------------------------------------------------------

    def add_row(self, row: AggregateRow) -> None:
        if self.package is not None and row.package != self.package:
            return
        self.rows += 1
        b = row.breakdown
        n = row.total
        if b == "total":
            key = (row.package, row.date)
            self._totals[key] = self._totals.get(key, 0) + n
            if row.unique_total:
                self._uniques[key] = self._uniques.get(key, 0) + row.unique_total
        elif b == "variable":
            key2 = (row.variable or "?", row.value or "")
            self._variables[key2] = self._variables.get(key2, 0) + n
        elif (acc := self._breakdowns.get(b)) is not None:
            label = _row_label(row)
            acc[label] = acc.get(label, 0) + n
        else:
            self._unknown[b] = self._unknown.get(b, 0) + 1

    def add_rows(self, rows: Iterable[AggregateRow]) -> None:
        for row in rows:
            self.add_row(row)

    # -- result ------------------------------------------------------------------------------

    def result(self, start: date | None = None, end: date | None = None) -> AggregateFold:
        """Normalize the accumulators. `start`/`end` (exclusive) set the range that rollups
        fill with zero days; leave them out to span the days present."""
        fold = AggregateFold(rows=self.rows, start=start, end=end)
        daily: dict[date, int] = {}
        per_package: dict[str, dict[date, int]] = {}
        for (pkg, day), n in self._totals.items():
            d = _as_date(day)
            daily[d] = daily.get(d, 0) + n
            series = per_package.setdefault(pkg, {})
            series[d] = series.get(d, 0) + n
        daily_u: dict[date, int] = {}
        per_package_u: dict[str, dict[date, int]] = {}
        for (pkg, day), n in self._uniques.items():
            d = _as_date(day)
            daily_u[d] = daily_u.get(d, 0) + n
            series = per_package_u.setdefault(pkg, {})
            series[d] = series.get(d, 0) + n
        fold.daily_totals = dict(sorted(daily.items()))
        fold.daily_uniques = dict(sorted(daily_u.items()))
        fold.package_totals = {p: dict(sorted(s.items())) for p, s in sorted(per_package.items())}
        fold.package_uniques = {p: dict(sorted(s.items())) for p, s in sorted(per_package_u.items())}
        fold.breakdowns = {b: dict(acc) for b, acc in self._breakdowns.items()}
        variables: dict[str, dict[str, int]] = {}
        for (name, value), n in self._variables.items():
            variables.setdefault(name, {})[value] = n
        fold.variables = variables
        fold.unknown_breakdowns = dict(self._unknown)
        return fold


def _row_label(row: AggregateRow) -> str:
    b = row.breakdown
    if b == "client":
        name = row.client or UNKNOWN
        return f"{name} {row.client_version}" if row.client_version else name
    primary, fallback = _LABEL_FIELDS[b]
    return getattr(row, primary) or (fallback and getattr(row, fallback)) or UNKNOWN


def _as_date(value: object) -> date:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])  # tolerate a datetime-shaped value
        except ValueError:
            pass
    raise AggregateParseError(f"An aggregate row has date {value!r}, which is not YYYY-MM-DD.")


def _describe(err: Exception, lineno: int) -> str:
    if isinstance(err, KeyError):
        return f"Aggregate line {lineno} lacks the required field {err.args[0]!r}."
    if isinstance(err, ValueError) and not isinstance(err, AggregateParseError):
        return f"Aggregate line {lineno} is not valid JSON ({err})."
    return f"Aggregate line {lineno} is not an AggregateV1 object ({err})."


def _split(data: bytes | str | Iterable[bytes | str]) -> Iterable[bytes | str]:
    if isinstance(data, (bytes, bytearray, str)):
        return data.splitlines()
    return data


def fold_ndjson(
    data: bytes | str | Iterable[bytes | str],
    *,
    start: date | None = None,
    end: date | None = None,
    package: str | None = None,
) -> AggregateFold:
    """Fold raw NDJSON (a whole body, or an iterable of lines) in one pass."""
    folder = Folder(package=package)
    folder.add_lines(_split(data))
    return folder.result(start, end)


def fold_rows(
    rows: Iterable[AggregateRow],
    *,
    start: date | None = None,
    end: date | None = None,
    package: str | None = None,
) -> AggregateFold:
    folder = Folder(package=package)
    folder.add_rows(rows)
    return folder.result(start, end)


async def fold_rows_async(
    rows: AsyncIterable[AggregateRow],
    *,
    start: date | None = None,
    end: date | None = None,
    package: str | None = None,
) -> AggregateFold:
    folder = Folder(package=package)
    async for row in rows:
        folder.add_row(row)
    return folder.result(start, end)


# ---------------------------------------------------------------------------------------------
# Sparklines for a package list column
# ---------------------------------------------------------------------------------------------

SPARK_CHARS = "▁▂▃▄▅▆▇█"


def last_n_days_by_package(
    rows: Iterable[AggregateRow], end: date, days: int = 30
) -> dict[str, list[int]]:
    """Daily totals of the `days` days before `end` (exclusive), per package uuid, oldest first.
    Only `total` breakdown rows count; missing days are 0."""
    first = end - timedelta(days=days)
    out: dict[str, list[int]] = {}
    for row in rows:
        if row.breakdown != "total" or not (first <= row.date < end):
            continue
        series = out.get(row.package)
        if series is None:
            series = out[row.package] = [0] * days
        series[(row.date - first).days] += row.total
    return out


def sparkline(values: Iterable[int | float]) -> str:
    """One block character per value, scaled to the largest value; zero is the lowest block."""
    vals = list(values)
    if not vals:
        return ""
    top = max(vals)
    if top <= 0:
        return SPARK_CHARS[0] * len(vals)
    last = len(SPARK_CHARS) - 1
    return "".join(SPARK_CHARS[max(0, min(last, round(v / top * last)))] for v in vals)
