"""Client-side validation and the 31-day window split (pure functions, no server needed)."""

from datetime import date

import pytest

from scarf_tui import domain


def test_window_of_exactly_31_days_is_one_window():
    start = date(2026, 1, 1)
    assert domain.event_windows(start, date(2026, 2, 1)) == [(start, date(2026, 2, 1))]


def test_window_of_32_days_splits_into_31_plus_1():
    windows = domain.event_windows(date(2026, 1, 1), date(2026, 2, 2))
    assert windows == [
        (date(2026, 1, 1), date(2026, 2, 1)),
        (date(2026, 2, 1), date(2026, 2, 2)),
    ]


def test_a_year_is_twelve_contiguous_windows_covering_every_day():
    start, end = date(2025, 1, 1), date(2026, 1, 1)
    windows = domain.event_windows(start, end)
    assert len(windows) == 12
    assert windows[0][0] == start and windows[-1][1] == end
    assert all(a[1] == b[0] for a, b in zip(windows, windows[1:], strict=False))
    assert all((stop - begin).days <= 31 for begin, stop in windows)


@pytest.mark.parametrize("end", [date(2026, 1, 1), date(2025, 12, 31)])
def test_end_not_after_start_is_refused(end):
    with pytest.raises(ValueError, match="must be after the start date"):
        domain.event_windows(date(2026, 1, 1), end)


def test_parse_day_explains_bad_input():
    assert domain.parse_day("2026-03-04") == date(2026, 3, 4)
    with pytest.raises(ValueError, match="not a date in YYYY-MM-DD form"):
        domain.parse_day("04/03/2026", what="start date")


def test_route_rules():
    good = ("/project/{platform}/{version}/file.tar.gz", "https://example.com/downloads/{platform}/project-{version}.tar.gz")
    assert domain.validate_route(*good) is None
    assert domain.validate_route("/files/{+path}", "https://cdn.example.com/{+path}") is None
    assert "start with '/'" in domain.validate_route("project/{v}", "https://e.com/{v}")
    missing = domain.validate_route("/p/{version}", "https://e.com/{platform}/{version}")
    assert missing == "The outgoing URL uses {platform}, which the template path does not define."
    assert "http(s) URL" in domain.validate_route("/p", "ftp://e.com/x")
    assert "unbalanced" in domain.validate_route("/p/{version", "https://e.com/x")


def test_example_route_fills_the_same_values_on_both_sides():
    path, url = domain.example_route(
        "/project/{platform}/{version}/file.tar.gz",
        "https://example.com/downloads/{platform}/project-{version}.tar.gz",
    )
    assert path == "/project/linux-x64/1.2.3/file.tar.gz"
    assert url == "https://example.com/downloads/linux-x64/project-1.2.3.tar.gz"


def test_docker_url_rules_from_the_spec():
    assert domain.validate_docker_urls("https://ghcr.io/acme/widget", "https://docker.acme.dev/acme/widget") is None
    assert "at least one path component" in domain.validate_docker_urls("https://ghcr.io/", None)
    assert "must match" in domain.validate_docker_urls("https://ghcr.io/Acme/Widget", None)
    assert "path must match" in domain.validate_docker_urls("https://ghcr.io/acme/widget", "https://d.acme.dev/other")
    assert "needs a backendUrl" in domain.validate_docker_urls(None, "https://d.acme.dev/acme")


@pytest.mark.parametrize("name", ["files.example.com", "a.io", "x-1.downloads.acme.dev"])
def test_valid_domain_names(name):
    assert domain.validate_domain_name(name) is None


@pytest.mark.parametrize("name", ["", "localhost", "-bad.example.com", "has space.com", "http://x.com", "a..b.com"])
def test_invalid_domain_names(name):
    assert "not a valid domain name" in domain.validate_domain_name(name)


def test_breakdown_labels():
    row = domain.AggregateRow("client", date(2026, 1, 1), "p", 3, client="pip", client_version="24.0")
    assert row.label == "pip 24.0"
    row = domain.AggregateRow("variable", date(2026, 1, 1), "p", 3, variable="platform", value="linux")
    assert row.label == "platform=linux"


def test_parse_day_takes_only_yyyy_mm_dd():
    assert domain.parse_day(" 2026-03-04 ") == date(2026, 3, 4)
    # date.fromisoformat alone would accept these; the API's dates are YYYY-MM-DD only.
    for text in ("20260304", "2026-W10-3", "2026-3-4", "٢٠٢٦-٠٣-٠٤"):
        with pytest.raises(ValueError, match="is not a date in YYYY-MM-DD form"):
            domain.parse_day(text)


def test_importing_the_models_compiles_no_pattern() -> None:
    """The saved lists need Package at start-up; the validators' own patterns compile on first use."""
    import re

    compiled = {name for name, value in vars(domain).items() if isinstance(value, re.Pattern)}
    assert compiled == {"DOCKER_PATH_COMPONENT", "TEMPLATE_VARIABLE"}  # the demo server uses these two
    assert domain.validate_domain_name("downloads.example.com") is None
    assert domain.template_variables("/{package}/{+rest}") == ["package", "rest"]
