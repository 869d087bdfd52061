"""The shapes a fold produces: rollup units, buckets, top-N breakdowns, period comparisons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

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


class Rollup(StrEnum):
    DAY = "day"
    WEEK = "week"  # ISO week, Monday first
    MONTH = "month"


# The API v2 `rollup` parameter that makes the server count uniques over each bucket.
SERVER_ROLLUPS: dict[Rollup, str] = {Rollup.DAY: "daily", Rollup.WEEK: "weekly", Rollup.MONTH: "monthly"}


def uniques_label(unit: Rollup | str, packages: int = 1, *, counted: bool = False) -> str:
    """How to name the uniques column/line: only one package over one bucket has real uniques.

    Uniques are counted per package per day (per week or month when the server rolled them up:
    ``counted``), so adding them over days or over packages gives an upper bound (one client
    fetching two packages, or on two days, counts twice)."""
    if Rollup(unit) is not Rollup.DAY and not counted:
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
    # Unique visitors over the bucket as the server counted them (API v2 rollups), else None.
    period_uniques: int | None = None

    @property
    def uniques(self) -> int:
        """The uniques to show: the server's count over the bucket when there is one."""
        return self.uniques_sum_of_days if self.period_uniques is None else self.period_uniques

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


def previous_period(start: date, end: date) -> tuple[date, date]:
    """The period of equal length just before [start, end), cut at date.min for a range that
    starts in the first centuries (a typed 0001-01-01 must not raise OverflowError)."""
    length = end - start
    return (start - length if start - date.min >= length else date.min), start


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
