"""scarf_tui.analytics against small fixtures whose answers were computed by hand (see the comments)."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import date

import pytest

from scarf_tui.analytics import (
    AggregateParseError,
    Bucket,
    Rollup,
    compare_periods,
    fold_ndjson,
    fold_rows,
    fold_rows_async,
    growth_pct,
    previous_period,
    rollup,
    uniques_label,
)
from scarf_tui.domain import AggregateRow

D = date.fromisoformat
P1 = "11111111-1111-1111-1111-111111111111"
P2 = "22222222-2222-2222-2222-222222222222"


def total(day: str, package: str, n: int, unique: int | None = None) -> AggregateRow:
    return AggregateRow("total", D(day), package, n, unique_total=unique)


def to_ndjson(rows: list[AggregateRow]) -> bytes:
    """The wire form of rows (AggregateV1 field names, dates as YYYY-MM-DD, no nulls)."""
    lines = []
    for row in rows:
        obj = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(row).items()}
        lines.append(json.dumps({k: v for k, v in obj.items() if v is not None}))
    return ("\n".join(lines) + "\n").encode()


# Two packages over three days, plus breakdown rows that must not touch the totals.
MIXED = [
    total("2026-11-02", P1, 10, 4),
    total("2026-11-02", P2, 5, 2),
    total("2026-11-03", P1, 7, 3),
    total("2026-11-04", P2, 1, 1),
    AggregateRow("country", D("2026-11-02"), P1, 6, country="DE"),
    AggregateRow("country", D("2026-11-02"), P1, 4, country="US"),
    AggregateRow("country", D("2026-11-03"), P1, 7, country="DE"),
    AggregateRow("company", D("2026-11-02"), P1, 3, company_name="Acme", company_domain="acme.test"),
    AggregateRow("company", D("2026-11-02"), P2, 2, company_domain="globex.test"),  # no name
    AggregateRow("company", D("2026-11-03"), P1, 1),  # neither: "unknown"
    AggregateRow("client", D("2026-11-02"), P1, 8, client="docker", client_version="24.0"),
    AggregateRow("client", D("2026-11-02"), P2, 2, client="pip"),
]


@pytest.fixture(params=["rows", "ndjson"])
def fold_mixed(request):
    """The same fold through both entry points: they must agree on everything."""
    if request.param == "rows":
        return fold_rows(MIXED)
    return fold_ndjson(to_ndjson(MIXED))


def test_daily_totals_and_uniques_come_from_total_rows_only(fold_mixed):
    # 11-02: 10 + 5 = 15 (uniques 4 + 2 = 6); 11-03: 7 (3); 11-04: 1 (1). Breakdown rows ignored.
    assert fold_mixed.daily_totals == {D("2026-11-02"): 15, D("2026-11-03"): 7, D("2026-11-04"): 1}
    assert fold_mixed.daily_uniques == {D("2026-11-02"): 6, D("2026-11-03"): 3, D("2026-11-04"): 1}
    assert fold_mixed.total == 23
    assert fold_mixed.rows == len(MIXED)


def test_per_package_series(fold_mixed):
    assert fold_mixed.package_totals == {
        P1: {D("2026-11-02"): 10, D("2026-11-03"): 7},
        P2: {D("2026-11-02"): 5, D("2026-11-04"): 1},
    }
    series = fold_mixed.package_series(P2)  # spans the fold's days 11-02..11-04, zero-filled
    assert [(b.start, b.total, b.uniques_sum_of_days) for b in series] == [
        (D("2026-11-02"), 5, 2),
        (D("2026-11-03"), 0, 0),
        (D("2026-11-04"), 1, 1),
    ]


def test_breakdown_labels(fold_mixed):
    # company falls back to the domain, then to "unknown"; client carries its version.
    assert fold_mixed.breakdowns["company"] == {"Acme": 3, "globex.test": 2, "unknown": 1}
    assert fold_mixed.breakdowns["country"] == {"DE": 13, "US": 4}
    assert fold_mixed.breakdowns["client"] == {"docker 24.0": 8, "pip": 2}
    assert fold_mixed.breakdowns["version"] == {}


def test_package_filter_keeps_one_package():
    fold = fold_rows(MIXED, package=P2)
    # P2 rows only: totals 5 (11-02) and 1 (11-04); company globex 2; client pip 2.
    assert fold.daily_totals == {D("2026-11-02"): 5, D("2026-11-04"): 1}
    assert fold.breakdowns["company"] == {"globex.test": 2}
    assert fold.breakdowns["country"] == {}
    assert fold.rows == 4
    assert fold_ndjson(to_ndjson(MIXED), package=P2) == fold


# --- the variable rule ---------------------------------------------------------------------------

# Ten downloads of one file on one day; each matched both {platform} and {version}, so the same
# ten events appear under both variables: platform linux 6 + mac 4 = 10, version 1.0 7 + 2.0 3 = 10.
VARIABLE_ROWS = [
    total("2026-11-02", P1, 10, 9),
    AggregateRow("variable", D("2026-11-02"), P1, 6, variable="platform", value="linux"),
    AggregateRow("variable", D("2026-11-02"), P1, 4, variable="platform", value="mac"),
    AggregateRow("variable", D("2026-11-02"), P1, 7, variable="version", value="1.0"),
    AggregateRow("variable", D("2026-11-02"), P1, 3, variable="version", value="2.0"),
]


@pytest.mark.parametrize("via", ["rows", "ndjson"])
def test_variables_are_grouped_per_name_and_never_summed_across_names(via):
    fold = fold_rows(VARIABLE_ROWS) if via == "rows" else fold_ndjson(to_ndjson(VARIABLE_ROWS))
    assert fold.variables == {"platform": {"linux": 6, "mac": 4}, "version": {"1.0": 7, "2.0": 3}}
    # Per-variable totals are 10 each, which matches the 10 downloads; 20 would be double counting.
    assert fold.variable_totals() == {"platform": 10, "version": 10}
    assert fold.total == 10
    platform = fold.top_variable("platform", 5)
    assert platform.items == [("linux", 6), ("mac", 4)] and platform.total == 10
    # There is no cross-variable view at all.
    with pytest.raises(ValueError):
        fold.top("variable")
    assert "variable" not in fold.breakdowns


def test_variable_names_largest_first_ties_by_name():
    rows = [
        AggregateRow("variable", D("2026-11-02"), P1, 2, variable="os", value="linux"),
        AggregateRow("variable", D("2026-11-02"), P1, 5, variable="arch", value="x64"),
        AggregateRow("variable", D("2026-11-02"), P1, 2, variable="channel", value="beta"),
    ]
    assert fold_rows(rows).variable_names() == ["arch", "channel", "os"]


# --- the unique rule ---------------------------------------------------------------------------


def test_rollup_uniques_are_a_labelled_sum_of_daily_uniques():
    # Mon 11-02..Wed 11-04 with uniques 4, 3, 1: the week's figure is 4 + 3 + 1 = 8, and it is
    # called a sum of daily uniques; only a day's bucket may be called "uniques".
    fold = fold_rows(
        [total("2026-11-02", P1, 10, 4), total("2026-11-03", P1, 7, 3), total("2026-11-04", P1, 1, 1)]
    )
    (week,) = fold.series(Rollup.WEEK)
    assert (week.total, week.uniques_sum_of_days) == (18, 8)
    assert uniques_label(Rollup.WEEK) == uniques_label("month") == "sum of daily uniques"
    assert uniques_label(Rollup.DAY) == "uniques"
    # Several packages' uniques on one day may count one client twice: say it is a sum.
    assert uniques_label(Rollup.DAY, packages=3) == "sum of package uniques"
    assert uniques_label(Rollup.WEEK, packages=3) == "sum of daily uniques"
    # Nothing on a bucket is named as if it were unique visitors over the period.
    names = {f.name for f in fields(Bucket)}
    assert "uniques_sum_of_days" in names
    assert not {"unique", "uniques", "unique_total", "unique_visitors"} & names


def test_uniques_of_several_packages_on_one_day_add_per_package_figures():
    fold = fold_rows([total("2026-11-02", P1, 10, 4), total("2026-11-02", P2, 5, 2)])
    assert fold.daily_uniques == {D("2026-11-02"): 6}
    assert fold.package_uniques == {P1: {D("2026-11-02"): 4}, P2: {D("2026-11-02"): 2}}


# --- top-N and other ---------------------------------------------------------------------------


def test_top_n_with_other_bucket():
    rows = [
        AggregateRow("company", D("2026-11-02"), P1, n, company_name=name)
        for name, n in [("Acme", 40), ("Globex", 30), ("Initech", 30), ("Umbrella", 5), ("Acme", 10), ("Hooli", 1)]
    ]
    top = fold_rows(rows).top("company", 2)
    # Acme 40 + 10 = 50; Globex and Initech tie at 30 and sort by name; other = 30 + 5 + 1 = 36.
    assert top.items == [("Acme", 50), ("Globex", 30)]
    assert (top.other, top.other_labels, top.total) == (36, 3, 116)
    table = top.rows()
    assert table[-1][0] == "other (3)"
    assert [round(p, 2) for _, _, p in table] == [43.10, 25.86, 31.03]  # 50/116, 30/116, 36/116
    assert sum(p for _, _, p in table) == pytest.approx(100.0)


def test_top_n_without_other_when_everything_fits():
    rows = [AggregateRow("country", D("2026-11-02"), P1, 3, country="DE")]
    top = fold_rows(rows).top("country", 10)
    assert top.rows() == [("DE", 3, 100.0)]
    assert top.other == top.other_labels == 0


# --- rollup boundaries ---------------------------------------------------------------------------


def test_weekly_buckets_start_on_monday_and_cut_at_the_range():
    # Range Sun 11-01 .. Tue 11-10 (exclusive): the Sunday closes ISO week 44 (Mon 10-26 ..),
    # Mon 11-02 .. Sun 11-08 is week 45, Mon 11-09 starts week 46 (one day in range).
    daily = {D("2026-11-01"): 1, D("2026-11-02"): 2, D("2026-11-08"): 4, D("2026-11-09"): 8}
    weeks = rollup(daily, {}, Rollup.WEEK, D("2026-11-01"), D("2026-11-10"))
    assert [(w.label, w.start, w.total, w.days, w.partial) for w in weeks] == [
        ("2026-W44", D("2026-10-26"), 1, 1, True),
        ("2026-W45", D("2026-11-02"), 6, 7, False),
        ("2026-W46", D("2026-11-09"), 8, 1, True),
    ]


def test_week_label_uses_the_iso_year():
    # Mon 2025-12-29 starts ISO week 1 of 2026.
    (week,) = rollup({D("2025-12-31"): 3}, {}, "week", D("2025-12-29"), D("2026-01-05"))
    assert (week.label, week.total, week.partial) == ("2026-W01", 3, False)


def test_monthly_buckets_across_a_year_end():
    daily = {D("2025-12-30"): 1, D("2025-12-31"): 2, D("2026-01-01"): 4, D("2026-01-31"): 8, D("2026-02-01"): 16}
    months = rollup(daily, {}, Rollup.MONTH, D("2025-12-30"), D("2026-02-02"))
    assert [(m.label, m.start, m.end, m.total, m.days) for m in months] == [
        ("2025-12", D("2025-12-01"), D("2026-01-01"), 3, 2),
        ("2026-01", D("2026-01-01"), D("2026-02-01"), 12, 31),
        ("2026-02", D("2026-02-01"), D("2026-03-01"), 16, 1),
    ]


def test_daily_series_fills_the_whole_range_and_drops_days_outside():
    rows = [total("2026-11-03", P1, 5, 2), total("2026-10-01", P1, 99)]
    fold = fold_rows(rows, start=D("2026-11-02"), end=D("2026-11-05"))
    assert [(b.label, b.total) for b in fold.series("day")] == [
        ("2026-11-02", 0),
        ("2026-11-03", 5),
        ("2026-11-04", 0),
    ]


def test_empty_fold():
    fold = fold_rows([])
    assert fold.is_empty and fold.total == 0
    assert fold.series() == []
    assert fold.top("company").rows() == []


# --- period comparison -------------------------------------------------------------------------


def test_previous_period_has_equal_length():
    assert previous_period(D("2026-11-10"), D("2026-11-20")) == (D("2026-10-31"), D("2026-11-10"))


def test_comparison_growth():
    # Current 11-10..11-19: 30 + 15 = 45. Previous 10-31..11-09: 10 + 20 = 30. Growth 15/30 = +50%.
    # 10-30 lies before both periods and counts nowhere.
    daily = {D("2026-10-30"): 1000, D("2026-10-31"): 10, D("2026-11-09"): 20, D("2026-11-10"): 30, D("2026-11-19"): 15}
    cmp = compare_periods(daily, D("2026-11-10"), D("2026-11-20"))
    assert (cmp.current, cmp.previous, cmp.growth_pct) == (45, 30, 50.0)
    assert cmp.previous_start == D("2026-10-31")
    assert cmp.previous_days_with_data == 2


def test_comparison_previous_zero_has_no_growth():
    cmp = compare_periods({D("2026-11-10"): 30}, D("2026-11-10"), D("2026-11-20"))
    assert (cmp.current, cmp.previous, cmp.growth_pct) == (30, 0, None)


def test_growth_pct_decline():
    assert growth_pct(30, 40) == -25.0
    assert growth_pct(0, 0) is None


def test_fold_compare_uses_its_range():
    fold = fold_rows(
        [total("2026-11-01", P1, 4), total("2026-11-03", P1, 6)], start=D("2026-11-03"), end=D("2026-11-05")
    )
    # Current 11-03..11-04 = 6; previous 11-01..11-02 = 4: +50%.
    cmp = fold.compare()
    assert cmp is not None and (cmp.current, cmp.previous, cmp.growth_pct) == (6, 4, 50.0)


# --- NDJSON fast path ----------------------------------------------------------------------------


def test_ndjson_accepts_lines_and_str_and_skips_blank_lines():
    body = to_ndjson(VARIABLE_ROWS)
    lines = body.splitlines()
    with_blanks = [lines[0], b"", b"   ", *lines[1:], b"\n"]
    expected = fold_ndjson(body)
    assert fold_ndjson(with_blanks) == expected
    assert fold_ndjson(body.decode()) == expected
    assert expected.rows == 5


def test_ndjson_reports_the_bad_line():
    good = to_ndjson(VARIABLE_ROWS[:2]).splitlines()
    with pytest.raises(AggregateParseError, match="line 3 is not valid JSON"):
        fold_ndjson([*good, b'{"breakdown": "total", "da'])
    with pytest.raises(AggregateParseError, match="line 2 lacks the required field 'total'"):
        fold_ndjson([good[0], b'{"breakdown": "total", "date": "2026-11-02", "package": "p"}'])
    with pytest.raises(AggregateParseError, match="not YYYY-MM-DD"):
        fold_ndjson([b'{"breakdown": "total", "date": "yesterday", "package": "p", "total": 1}'])


def test_ndjson_tolerates_unknown_breakdowns_and_datetime_dates():
    body = (
        b'{"breakdown": "referrer", "date": "2026-11-02", "package": "p", "total": 3}\n'
        b'{"breakdown": "total", "date": "2026-11-02T00:00:00Z", "package": "p", "total": 2}\n'
        b'{"breakdown": "total", "date": "2026-11-02", "package": "p", "total": 1}\n'
    )
    fold = fold_ndjson(body)
    assert fold.unknown_breakdowns == {"referrer": 1}
    assert fold.daily_totals == {D("2026-11-02"): 3}  # both spellings of the day merge


async def test_async_fold_matches_sync():
    async def stream():
        for row in MIXED:
            yield row

    assert await fold_rows_async(stream()) == fold_rows(MIXED)


def test_previous_period_of_a_range_reaching_back_to_year_one_is_cut_not_an_error():
    start, end = D("0001-01-05"), D("2026-01-01")
    assert previous_period(start, end) == (date.min, start)
    comparison = compare_periods({D("0001-01-02"): 3, D("2025-12-31"): 6}, start, end)
    assert (comparison.previous, comparison.current, comparison.previous_start) == (3, 6, date.min)
