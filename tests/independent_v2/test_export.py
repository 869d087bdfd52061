"""`scarf-tui export` against the independent v2 server: the bytes on disk are the server's, a
cut stream is reported and never renamed to the final name, and a 429 is waited out."""

from __future__ import annotations

import httpx
import pytest

from scarf_tui.exit_codes import EXIT_FAILURE, EXIT_OK
from scarf_tui.export_cli import export_main

from .conftest import Served
from .data import ORG, TOKEN, USERNAME

PACKAGE = "fleet-file-001"
START, MIDDLE, END = "2026-09-01", "2026-10-02", "2026-10-11"  # two windows: 31 days, then 9


@pytest.fixture
def cli(served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path):  # noqa: ANN201
    monkeypatch.setenv("SCARF_TUI_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("SCARF_TUI_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SCARF_API_URL", served.url)
    monkeypatch.setenv("SCARF_API_TOKEN", TOKEN)
    monkeypatch.setenv("SCARF_USERNAME", USERNAME)
    monkeypatch.delenv("SCARF_API_VERSION", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def package_id(served: Served) -> str:
    (pid,) = [p["id"] for p in served.store.packages.values() if p["name"] == PACKAGE]
    return pid


def server_csv(served: Served, start: str, end: str) -> bytes:
    url = f"{served.url}/v2/packages/{ORG}/{package_id(served)}/events"
    answer = httpx.get(url, params={"start_date": start, "end_date": end}, headers={"Authorization": f"Bearer {TOKEN}"})
    answer.raise_for_status()
    return answer.content


def events_argv(output: str = "events.csv") -> list[str]:
    return ["events", "--package", PACKAGE, "--owner", ORG, "--start", START, "--end", END, "-o", output]


def test_events_export_writes_what_the_server_sent(cli, served, capsys):
    assert export_main(events_argv()) == EXIT_OK, capsys.readouterr().err
    first, second = server_csv(served, START, MIDDLE), server_csv(served, MIDDLE, END)
    header = first.split(b"\n", 1)[0] + b"\n"
    assert second.startswith(header)
    assert (cli / "events.csv").read_bytes() == first + second[len(header) :]
    assert not (cli / "events.csv.part").exists()


def test_a_cut_events_stream_is_reported_and_not_renamed(cli, served, capsys):
    path = f"/v2/packages/{ORG}/{package_id(served)}/events"
    served.faults.cut_after[path] = (2, 200)  # the second window breaks off after 200 bytes
    code = export_main(events_argv())
    err = capsys.readouterr().err
    assert code == EXIT_FAILURE, err
    assert "Traceback" not in err and TOKEN not in err
    assert not (cli / "events.csv").exists()
    # What is kept is the first window whole, nothing of the broken one.
    assert (cli / "events.csv.part").read_bytes() == server_csv(served, START, MIDDLE)
    # The same command resumes: only the missing window is asked for again.
    served.faults.cut_after.clear()
    assert export_main(events_argv()) == EXIT_OK
    assert (cli / "events.csv").read_bytes().count(b"\ntype,") == 0


def test_a_429_during_an_export_is_waited_out(cli, served, capsys):
    path = f"/v2/packages/{ORG}/{package_id(served)}/events"
    served.faults.rate_limit[path] = (1, 1)
    assert export_main(events_argv()) == EXIT_OK, capsys.readouterr().err
    assert (cli / "events.csv").read_bytes().startswith(b"type,package,")


def test_aggregates_export_and_a_cut_one(cli, served, capsys):
    argv = ["aggregates", "--org", ORG, "--start", "2026-10-01", "--end", "2026-10-08", "-o", "fleet.ndjson"]
    assert export_main(argv) == EXIT_OK, capsys.readouterr().err
    assert len((cli / "fleet.ndjson").read_text().splitlines()) > 128
    path = f"/v2/packages/{ORG}/aggregates"
    served.faults.cut_after[path] = (served.faults.seen[path] + 1, 5000)  # the next ask breaks off
    code = export_main([*argv[:-1], "cut.ndjson"])
    assert code == EXIT_FAILURE, capsys.readouterr().err
    assert not (cli / "cut.ndjson").exists() and not (cli / "cut.ndjson.part").exists()


def test_an_html_page_instead_of_events_is_a_sentence(cli, served, capsys):
    served.faults.html.add(f"/v2/packages/{ORG}/{package_id(served)}/events")
    code = export_main(events_argv())
    err = capsys.readouterr().err
    assert code == EXIT_FAILURE and "Traceback" not in err and "<html" not in err, err
    assert not (cli / "events.csv").exists()


def test_the_export_follows_scarf_api_version(cli, served, monkeypatch, capsys):
    # A URL ending in /api reads as v1; SCARF_API_VERSION=v2 outranks the URL.
    monkeypatch.setenv("SCARF_API_URL", served.url + "/api")
    monkeypatch.setenv("SCARF_API_VERSION", "v2")
    code = export_main(events_argv())
    assert code == EXIT_OK, capsys.readouterr().err
    assert any(line.startswith("GET /v2/") for line in served.faults.log)


def test_pixel_events_export_one_pixel_and_all_of_an_owner(cli, served, capsys):
    pixel = next(iter(served.store.pixels))
    argv = ["events", "--start", MIDDLE, "--end", END]
    assert export_main([*argv, "--pixel", pixel, "--owner", ORG, "-o", "one.csv"]) == EXIT_OK, capsys.readouterr().err
    assert export_main([*argv, "--pixels", "--owner", ORG, "-o", "all.csv"]) == EXIT_OK, capsys.readouterr().err
    headers = {"Authorization": f"Bearer {TOKEN}"}
    params = {"start_date": MIDDLE, "end_date": END}
    one = httpx.get(f"{served.url}/v2/packages/{ORG}/{pixel}/events", params=params, headers=headers).content
    every = httpx.get(f"{served.url}/v2/tracking-pixels/{ORG}/events", params=params, headers=headers).content
    assert (cli / "one.csv").read_bytes() == one and (cli / "all.csv").read_bytes() == every
    assert b"pixel-fetch" in every
