"""`scarf-tui stats` against the real embedded server on a loopback socket.

The expected numbers are folded here by scarf_tui.analytics from the same server's aggregates
stream over the same range: the fold the charts pane uses, so stats prints the pane's numbers.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from scarf_tui.analytics import AggregateFold, fold_rows_async, previous_period
from scarf_tui.api import make_service
from scarf_tui.cli import build_parser
from scarf_tui.demo import DEMO_TOKEN, DEMO_USER, NOEXPORT_TOKEN
from scarf_tui.demo.app import create_app
from scarf_tui.demo.server import running_server
from scarf_tui.demo.store import build_demo_store
from scarf_tui.stats_cli import run_stats

TODAY = date(2026, 11, 20)
START_90D = TODAY - timedelta(days=90)


@pytest.fixture(scope="module")
def api_url() -> Iterator[str]:
    with running_server(create_app(build_demo_store(today=TODAY))) as url:
        yield url


@pytest.fixture(autouse=True)
def environment(tmp_path, monkeypatch):
    monkeypatch.setenv("SCARF_TUI_CONFIG", str(tmp_path / "config.toml"))
    monkeypatch.setenv("SCARF_API_TOKEN", DEMO_TOKEN)
    monkeypatch.setenv("SCARF_USERNAME", DEMO_USER)
    monkeypatch.delenv("SCARF_API_URL", raising=False)


def stats(*argv: str, api_url: str | None = None) -> tuple[int, str, str]:
    extra = ["--api-url", api_url] if api_url else []
    args = build_parser().parse_args(["stats", *argv, "--today", TODAY.isoformat(), *extra])
    out, err = io.StringIO(), io.StringIO()
    code = run_stats(args, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def expected_fold(api_url: str, owner: str, start: date, end: date, *, user: bool = False,
                  package: str | None = None) -> tuple[AggregateFold, str | None]:
    """(fold, package uuid) straight from the service and the analytics fold."""

    async def fold() -> tuple[AggregateFold, str | None]:
        service = make_service(api_url, DEMO_TOKEN)
        try:
            uuid = (await service.get_package(package)).uuid if package else None
            rows = service.user_aggregates(owner, start, end) if user else service.org_aggregates(owner, start, end)
            return await fold_rows_async(rows, start=start, end=end, package=uuid), uuid
        finally:
            await service.aclose()

    return asyncio.run(fold())


def test_markdown_by_country_has_the_folds_numbers_and_total(api_url):
    code, out, err = stats("widget-cli", "--last", "90d", "--by", "country", "--format", "markdown", api_url=api_url)
    assert (code, err) == (0, "")
    fold, _ = expected_fold(api_url, "acme", START_90D, TODAY, package="widget-cli")
    countries = fold.breakdowns["country"]
    assert fold.total > 0 and sum(countries.values()) == fold.total
    lines = out.splitlines()
    assert lines[0] == (
        f"package widget-cli (acme) · 90d {START_90D.isoformat()} to 2026-11-19 · {fold.total:,} downloads"
    )
    assert lines[2:4] == ["| country | downloads | percent |", "|:---|---:|---:|"]
    body = lines[4:]
    assert body[-1] == f"| **Total** | **{fold.total:,}** | **100.00%** |"
    printed = {}
    for line in body[:-1]:
        label, downloads, pct = (cell.strip() for cell in line.strip("|").split("|"))
        printed[label] = int(downloads.replace(",", ""))
        assert pct == f"{100 * printed[label] / fold.total:.2f}%"
    assert printed == countries
    assert list(printed) == sorted(countries, key=lambda c: (-countries[c], c))  # largest first


def test_json_series_matches_the_daily_fold_and_the_comparison(api_url):
    code, out, err = stats("widget-cli", "--last", "30d", "--format", "json", "--compare", api_url=api_url)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    start = TODAY - timedelta(days=30)
    fold, uuid = expected_fold(api_url, "acme", start, TODAY, package="widget-cli")
    previous, _ = expected_fold(api_url, "acme", *previous_period(start, TODAY), package="widget-cli")
    assert doc["package_uuid"] == uuid and doc["owner"] == "acme"
    assert (doc["start"], doc["end"], doc["downloads"]) == (start.isoformat(), TODAY.isoformat(), fold.total)
    assert [(r["period"], r["downloads"], r["uniques"]) for r in doc["rows"]] == [
        (b.label, b.total, b.uniques_sum_of_days) for b in fold.series("day")
    ]
    assert len(doc["rows"]) == 30 and doc["total"]["downloads"] == fold.total
    assert doc["comparison"]["previous_downloads"] == previous.total
    assert doc["comparison"]["growth_pct"] == round(100 * (fold.total - previous.total) / previous.total, 2)


def test_org_csv_by_company_with_weekly_numbers(api_url):
    start, end = date(2026, 10, 1), date(2026, 11, 1)
    code, out, err = stats(
        "--org", "acme", "--start", start.isoformat(), "--end", end.isoformat(), "--by", "company",
        "--format", "csv", api_url=api_url,
    )
    assert (code, err) == (0, "")
    fold, _ = expected_fold(api_url, "acme", start, end)
    lines = out.splitlines()
    assert lines[0] == "company,downloads,percent"
    printed = {label: int(n) for label, n, _ in csv.reader(lines[1:])}  # '"Initech, Inc."' is quoted
    assert printed == fold.breakdowns["company"]

    code, out, _ = stats("--org", "acme", "--start", "2026-10-01", "--end", "2026-11-01", "--rollup", "week",
                         "--format", "csv", api_url=api_url)
    assert code == 0
    rows = [line.split(",") for line in out.splitlines()[1:]]
    assert out.splitlines()[0] == "period,downloads,sum of daily uniques"
    assert [(p, int(n)) for p, n, _ in rows] == [(b.label, b.total) for b in fold.series("week")]


def test_your_own_package_is_read_from_your_user_aggregates(api_url):
    # "widget" is both acme's docker image and the maintainer's pypi package.
    code, out, err = stats("widget", "--package-type", "pypi", "--last", "7d", "--format", "json", api_url=api_url)
    assert (code, err) == (0, "")
    doc = json.loads(out)
    week = TODAY - timedelta(days=7)
    fold, _ = expected_fold(api_url, DEMO_USER, week, TODAY, user=True, package=doc["package_uuid"])
    assert doc["owner"] == DEMO_USER and doc["downloads"] == fold.total > 0


def test_plain_table_when_stdout_is_not_a_terminal(api_url):
    code, out, _ = stats("widget-cli", "--last", "7d", "--by", "client", api_url=api_url)
    assert code == 0
    lines = out.splitlines()
    fold, _ = expected_fold(api_url, "acme", TODAY - timedelta(days=7), TODAY, package="widget-cli")
    assert lines[2].split() == ["client", "downloads", "percent"]
    assert lines[-1].split() == ["Total", f"{fold.total:,}", "100.00%"]
    assert "\x1b" not in out and "┃" not in out  # no Rich, no colour


@pytest.mark.parametrize(
    ("argv", "sentence"),
    [
        ([], "Name a PACKAGE, or an organization with --org ORG."),
        (["widget-cli", "--org", "acme"], "Give a PACKAGE or --org ORG, not both."),
        (["widget-cli", "--last", "0d"], "--last '0d' is not a number of days from 1d to 3660d, like 30d."),
        (["widget-cli", "--last", "9x"], "--last '9x' is not a number of days from 1d to 3660d, like 30d."),
        (["widget-cli", "--start", "2026-11-01"], "--start and --end go together (--end is exclusive)."),
        (["widget-cli", "--last", "7d", "--start", "2026-11-01", "--end", "2026-11-02"],
         "Give --last or --start/--end, not both."),
        (["widget-cli", "--start", "2026-13-01", "--end", "2026-12-01"],
         "The start date '2026-13-01' is not a date in YYYY-MM-DD form."),
        (["widget-cli", "--start", "2026-11-10", "--end", "2026-11-01"],
         "The end date 2026-11-01 must be after the start date 2026-11-10."),
        (["widget-cli", "--start", "2000-01-01", "--end", "2026-11-01"],
         "The range covers 9801 days; at most 3660 are allowed."),
        (["widget-cli", "--top", "3"], "--top N needs --by and an N of at least 1."),
        (["widget"], "The server rejected the request (409): Several packages are named 'widget': acme/widget "
                     "(docker), maintainer/widget (pypi); add ?packageType= (docker, pypi). "
                     "Pick one with --package-type TYPE, or pass the uuid."),
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(api_url, argv, sentence):
    code, out, err = stats(*argv, api_url=api_url)
    assert (code, out) == (2, "")
    assert err == f"scarf-tui stats: error: {sentence}\n"


def test_unknown_package_and_organization_exit_3(api_url):
    code, out, err = stats("no-such-package", api_url=api_url)
    assert (code, out, err) == (3, "", "scarf-tui stats: error: Package 'no-such-package' was not found (404).\n")
    code, out, err = stats("--org", "no-such-org", api_url=api_url)
    assert (code, out) == (3, "")
    assert err == "scarf-tui stats: error: Organization 'no-such-org' was not found (404).\n"


def test_no_token_and_a_rejected_token_exit_5(api_url, monkeypatch):
    monkeypatch.delenv("SCARF_API_TOKEN")
    code, out, err = stats("widget-cli", api_url=api_url)
    assert (code, out) == (5, "")
    assert err == (
        "scarf-tui stats: error: No API token is set: set SCARF_API_TOKEN or add token to config.toml "
        "(or try --demo).\n"
    )
    monkeypatch.setenv("SCARF_API_TOKEN", "not-a-demo-token")
    code, out, err = stats("widget-cli", api_url=api_url)
    assert (code, out) == (5, "")
    assert err == (
        "scarf-tui stats: error: The API token was rejected (401): check SCARF_API_TOKEN or the token in "
        "config.toml.\n"
    )


def test_an_account_without_export_access_exits_4(api_url, monkeypatch):
    monkeypatch.setenv("SCARF_API_TOKEN", NOEXPORT_TOKEN)
    monkeypatch.setenv("SCARF_USERNAME", "visitor")
    code, out, err = stats("widget-cli", "--last", "7d", api_url=api_url)
    assert (code, out) == (4, "")
    assert err == (
        "scarf-tui stats: error: Data export is not enabled for this account (403); Scarf grants export "
        "access on request.\n"
    )


def test_plain_http_to_another_host_is_refused_before_sending_the_token():
    code, out, err = stats("widget-cli", api_url="http://scarf.example/api")
    assert (code, out) == (2, "")
    assert err == (
        "scarf-tui stats: error: Refusing to send the API token over plain http:// to scarf.example; "
        "use https:// (plain http is allowed only for localhost).\n"
    )


def test_demo_flag_uses_the_embedded_server():
    code, out, err = stats("--demo", "widget-cli", "--last", "7d", "--by", "country", "--format", "json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["owner"] == "acme" and doc["downloads"] == doc["total"]["downloads"] > 0


def test_a_stream_cut_mid_line_exits_1_and_prints_no_partial_table():
    from scarf_tui.demo.faults import Faults

    store = build_demo_store(today=TODAY)
    with running_server(create_app(store, Faults(cut_stream=True, cut_after_rows=5))) as cut_url:
        code, out, err = stats("--org", "acme", "--last", "7d", "--by", "country", api_url=cut_url)
    assert (code, out) == (1, "")
    assert err == (
        "scarf-tui stats: error: The stream was cut in the middle of a line of the aggregates of "
        "organization 'acme'; the data is incomplete.\n"
    )
