"""An events answer is checked before anything of it is kept: CSV content type, a header with
`type` and `time`, the same header in every window. Rows are kept as the server sent them, so
bytes that are not UTF-8 never stop a rerun. Each case runs `scarf-tui export` against a
scripted server on a loopback socket and checks the sentence, the exit code and the bytes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from scarf_tui.exit_codes import EXIT_FAILURE
from scarf_tui.export_cli import export_main

from .helpers import Answer, EventsScript, serving

TOKEN = "t0ken-for-the-scripted-server"
JAN, FEB = date(2026, 1, 1), date(2026, 2, 1)
ARGV = ["events", "--pixels", "--start", "2026-01-01", "--end", "2026-03-01", "-o", "e.csv"]
PREFIX = "scarf-tui export: "

GOOD_JAN = b"type,time,id\r\npixel fetch,2026-01-05T00:00:00Z,a\r\n"
GOOD_FEB = b"type,time,id\r\npixel fetch,2026-02-05T00:00:00Z,b\r\n"


@pytest.fixture
def token_env(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("SCARF_API_TOKEN", TOKEN)
    return cli_env


def run(base_url: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = export_main([*ARGV, "--api-url", base_url])
    return code, capsys.readouterr().err


@pytest.mark.parametrize(
    ("answer", "sentence"),
    [
        (
            Answer([b"<!DOCTYPE html><html><body>Sign in</body></html>\n"], content_type="text/html; charset=utf-8"),
            "The server sent text/html for the pixel events (2026-01-01 to 2026-02-01), not a CSV file (text/csv).",
        ),
        (
            Answer([b"type,time\r\npixel fetch,2026-01-05T00:00:00Z\r\n"], content_type=None),
            "The server sent no content type for the pixel events (2026-01-01 to 2026-02-01), not a CSV file "
            "(text/csv).",
        ),
        (
            Answer([b'{"type": "pixel fetch"}\n'], content_type="application/json"),
            "The server sent application/json for the pixel events (2026-01-01 to 2026-02-01), not a CSV file "
            "(text/csv).",
        ),
        (
            Answer([b"a,b\r\n1,2\r\n"]),
            "The answer for 2026-01-01..2026-01-31 is not an events CSV: its header has no 'type' and no 'time' "
            "column ('a,b').",
        ),
        (
            Answer([b"type,when\r\npixel fetch,2026-01-05T00:00:00Z\r\n"]),
            "The answer for 2026-01-01..2026-01-31 is not an events CSV: its header has no 'time' column "
            "('type,when').",
        ),
        (
            Answer([b""]),
            "The events answer for 2026-01-01..2026-01-31 is empty; an events CSV starts with a header line.",
        ),
    ],
    ids=["html-200", "no-content-type", "json", "foreign-csv", "no-time-column", "empty"],
)
def test_an_answer_that_is_not_an_events_csv_stops_at_once_and_keeps_nothing(token_env, capsys, answer, sentence):
    script = EventsScript(default=answer)

    with serving(script) as base_url:
        code, err = run(base_url, capsys)

    assert code == EXIT_FAILURE
    assert err == f"{PREFIX}error: {sentence}\n"
    assert script.requests == [(JAN, FEB)]  # no other window is tried
    assert list(token_env.iterdir()) == []  # nothing appended, nothing kept


def test_an_html_answer_in_a_later_window_keeps_the_earlier_window_as_sent(token_env, capsys):
    html = Answer([b"<html>maintenance</html>\n"], content_type="text/html")
    script = EventsScript({JAN: Answer([GOOD_JAN]), FEB: html})

    with serving(script) as base_url:
        code, err = run(base_url, capsys)

    assert code == EXIT_FAILURE
    assert err == (
        f"{PREFIX}1 of 2 windows done, 1 row so far.\n"
        f"{PREFIX}2026-02-01..2026-02-28 failed: The server sent text/html for the pixel events "
        "(2026-02-01 to 2026-03-01), not a CSV file (text/csv).\n"
        f"{PREFIX}kept 1 row from 1 of 2 windows in e.csv.part; run the same command again to fetch the missing "
        "dates.\n"
    )
    assert (token_env / "e.csv.part").read_bytes() == GOOD_JAN
    assert not (token_env / "e.csv").exists()


NOT_UTF8_JAN = (
    b"type,time,id,referer\r\n"
    b"pixel fetch,2026-01-05T00:00:00Z,a,http://caf\xe9.example/\r\n"  # Latin-1, not UTF-8
    b'pixel fetch,2026-01-06T00:00:00Z,b,"\xff\xfe\r\nsecond line"\r\n'
)
WIDER_FEB = b"type,time,id,referer,mirror\r\npixel fetch,2026-02-05T00:00:00Z,c,,eu-west\r\n"
HEADER_CHANGED = (
    f"{PREFIX}2026-02-01..2026-02-28 failed: The events of 2026-02-01..2026-02-28 have another header than the "
    "file, so the export stops there (new: mirror). The file's header is 'type,time,id,referer'; this window's is "
    "'type,time,id,referer,mirror'. Export the dates from 2026-02-01 on to another file.\n"
    f"{PREFIX}kept 2 rows from 1 of 2 windows in e.csv.part.\n"
)


def test_bytes_that_are_not_utf8_then_a_new_column_end_with_a_sentence_and_a_rerun_says_the_same(
    token_env, capsys
):
    script = EventsScript({JAN: Answer([NOT_UTF8_JAN]), FEB: Answer([WIDER_FEB])})

    with serving(script) as base_url:
        code, err = run(base_url, capsys)

        assert code == EXIT_FAILURE
        assert err == f"{PREFIX}1 of 2 windows done, 2 rows so far.\n" + HEADER_CHANGED
        assert (token_env / "e.csv.part").read_bytes() == NOT_UTF8_JAN  # as received, byte for byte

        code, err = run(base_url, capsys)

    assert code == EXIT_FAILURE
    assert err == f"{PREFIX}resuming e.csv.part: 1 of 2 windows were already fetched.\n" + HEADER_CHANGED
    assert script.requests == [(JAN, FEB), (FEB, date(2026, 3, 1)), (FEB, date(2026, 3, 1))]  # January once
    assert (token_env / "e.csv.part").read_bytes() == NOT_UTF8_JAN
    assert not (token_env / "e.csv").exists()


def test_bytes_that_are_not_utf8_are_kept_as_sent_in_a_complete_export_resumed_after_a_failure(token_env, capsys):
    feb = b"type,time,id,referer\r\npixel fetch,2026-02-05T00:00:00Z,c,\xe9t\xe9\r\n"
    cut = Answer([b"type,time,id,referer\r\npixel fetch,2026-02-05T00:00:00Z,c,\xe9"])  # no line end: cut
    script = EventsScript({JAN: Answer([NOT_UTF8_JAN]), FEB: cut})

    with serving(script) as base_url:
        code, _ = run(base_url, capsys)
        assert code == EXIT_FAILURE and (token_env / "e.csv.part").read_bytes() == NOT_UTF8_JAN
        script.answers[FEB] = Answer([feb])

        code, err = run(base_url, capsys)

    assert code == 0
    assert err.endswith(f"{PREFIX}exported 3 event rows (2 windows) to e.csv.\n")
    assert (token_env / "e.csv").read_bytes() == NOT_UTF8_JAN + feb[len(b"type,time,id,referer\r\n") :]
    assert sorted(p.name for p in token_env.iterdir()) == ["e.csv"]


def test_server_text_in_a_changed_header_is_shown_without_control_characters(token_env, capsys):
    hostile = b"type,time,id,\x1b[31mred\x1b[0m\x07bell\r\n"
    script = EventsScript({JAN: Answer([GOOD_JAN]), FEB: Answer([hostile])})

    with serving(script) as base_url:
        code, err = run(base_url, capsys)

    assert code == EXIT_FAILURE
    assert "\x1b" not in err and "\x07" not in err
    assert "(new: redbell)" in err and "this window's is 'type,time,id,redbell'" in err


def test_a_quote_that_never_closes_is_cut_off_at_the_record_limit(token_env, capsys):
    # Every line is short, but an open quote makes them one record that would grow without end.
    endless_field = [b'type,time,id\r\npixel fetch,2026-01-05T00:00:00Z,"'] + [b"x" * 1023 + b"\n"] * 1100
    script = EventsScript(default=Answer([b"".join(endless_field)]))

    with serving(script) as base_url:
        code, err = run(base_url, capsys)

    sentence = "An events CSV record is longer than 1,024 KB; the answer is not usable."
    assert code == EXIT_FAILURE
    assert err == (
        f"{PREFIX}2026-01-01..2026-01-31 failed: {sentence}\n"
        f"{PREFIX}2026-02-01..2026-02-28 failed: {sentence}\n"
        f"{PREFIX}nothing was kept.\n"
    )
    assert list(token_env.iterdir()) == []
