"""Folding rows (or raw NDJSON lines) into an AggregateFold, incrementally."""

from __future__ import annotations

from collections.abc import AsyncIterable, Iterable, Iterator
from datetime import date

from pydantic_core import from_json

from scarf_tui.analytics.aggregate_fold import AggregateFold
from scarf_tui.analytics.model import _LABEL_FIELDS, BREAKDOWNS, UNKNOWN, AggregateParseError
from scarf_tui.domain import AggregateRow

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

    def _add_lines(self, lines: Iterator[bytes | str], done: int) -> int:
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
            lineno = done  # read by the error sentence below
            for lineno, line in enumerate(lines, done + 1):  # noqa: B007 - lineno is read on error
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
