"""AggregateFold: everything one pass over the aggregate rows found, and the views of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from scarf_tui.analytics.model import Bucket, Comparison, Rollup, TopN
from scarf_tui.analytics.periods import compare_periods, rollup, with_period_uniques


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
    # Server-counted uniques per bucket start, per rollup unit (API v2; see with_period_uniques).
    period_uniques: dict[Rollup, dict[date, int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.daily_totals.values())

    @property
    def is_empty(self) -> bool:
        return not self.rows

    def series(self, unit: Rollup | str = Rollup.DAY) -> list[Bucket]:
        buckets = rollup(self.daily_totals, self.daily_uniques, unit, self.start, self.end)
        counted = self.period_uniques.get(Rollup(unit))
        return buckets if counted is None else with_period_uniques(buckets, counted)

    def counts_uniques(self, unit: Rollup | str) -> bool:
        """True when the server counted this unit's uniques (so they are not sums of days)."""
        return Rollup(unit) in self.period_uniques

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
