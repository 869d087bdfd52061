"""What `-o` may be: a regular file or a new name. A directory, FIFO or device is refused with a
sentence (exit 2) and left alone; a symbolic link is refused unless --follow-symlink says to
write to the file it points to; a link planted at FILE.part never redirects the bytes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scarf_tui.exit_codes import EXIT_BAD_INPUT, EXIT_OK
from scarf_tui.export_cli import export_main
from scarf_tui.exporting import OutputRefused, check_output

from .helpers import RANGE_END, RANGE_START, SMALL_NAME

DATES = ["--start", RANGE_START.isoformat(), "--end", RANGE_END.isoformat()]
PREFIX = "scarf-tui export: error: "


def events(output: str, *extra: str) -> list[str]:
    return ["events", "--demo", "--package", SMALL_NAME, *DATES, "-o", output, *extra]


def aggregates(output: str, *extra: str) -> list[str]:
    return ["aggregates", "--demo", "--org", "tinytools", *DATES, "-o", output, *extra]


@pytest.mark.parametrize("argv", [events, aggregates], ids=["events", "aggregates"])
def test_a_directory_is_refused(cli_env, capsys, argv) -> None:
    (cli_env / "out").mkdir()

    code = export_main(argv("out"))

    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        f"{PREFIX}The output 'out' is a directory, not a regular file; give a file name.\n"
    )
    assert sorted(p.name for p in cli_env.iterdir()) == ["out"] and list((cli_env / "out").iterdir()) == []


@pytest.mark.parametrize("argv", [events, aggregates], ids=["events", "aggregates"])
def test_a_fifo_is_refused_without_opening_it(cli_env, capsys, argv) -> None:
    os.mkfifo(cli_env / "pipe")  # opening it for writing would block: the check must not open it

    code = export_main(argv("pipe"))

    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        f"{PREFIX}The output 'pipe' is a named pipe (FIFO), not a regular file; give a file name.\n"
    )
    assert sorted(p.name for p in cli_env.iterdir()) == ["pipe"]


@pytest.mark.parametrize("argv", [events, aggregates], ids=["events", "aggregates"])
def test_a_character_device_is_refused(cli_env, capsys, argv) -> None:
    code = export_main(argv(os.devnull))

    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        f"{PREFIX}The output '/dev/null' is a character device, not a regular file; give a file name.\n"
    )
    assert not Path("/dev/null.part").exists() and not Path("/dev/null.part.lock").exists()
    assert Path("/dev/null").is_char_device()


def test_a_symbolic_link_is_refused_unless_followed_on_purpose(cli_env, capsys) -> None:
    target = cli_env / "real.csv"
    target.write_bytes(b"the user's own file\n")
    (cli_env / "link.csv").symlink_to("real.csv")

    code = export_main(events("link.csv"))

    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        f"{PREFIX}The output 'link.csv' is a symbolic link; refusing to write through it. "
        "Pass --follow-symlink to write to the file it points to.\n"
    )
    assert target.read_bytes() == b"the user's own file\n"

    code = export_main(events("link.csv", "--follow-symlink"))

    assert code == EXIT_OK
    assert (cli_env / "link.csv").is_symlink() and os.readlink(cli_env / "link.csv") == "real.csv"
    assert target.read_bytes().startswith(b"type,package,version,time,")
    assert sorted(p.name for p in cli_env.iterdir()) == ["link.csv", "real.csv"]  # no .part, lock or sidecar


def test_a_followed_link_to_a_device_is_still_refused(cli_env, capsys) -> None:
    (cli_env / "full.csv").symlink_to(os.devnull)

    code = export_main(aggregates("full.csv", "--follow-symlink"))

    assert code == EXIT_BAD_INPUT
    assert capsys.readouterr().err == (
        f"{PREFIX}The link 'full.csv' points to '/dev/null', which is a character device, not a regular file; "
        "give a file name.\n"
    )


def test_a_dangling_link_followed_on_purpose_creates_the_file_it_names(cli_env, capsys) -> None:
    (cli_env / "link.ndjson").symlink_to("made.ndjson")

    code = export_main(aggregates("link.ndjson", "--follow-symlink"))

    assert code == EXIT_OK
    assert (cli_env / "link.ndjson").is_symlink() and (cli_env / "made.ndjson").read_bytes().startswith(b'{"')


def test_a_link_planted_at_the_part_file_is_replaced_not_followed(cli_env, capsys) -> None:
    victim = cli_env / "victim.txt"
    victim.write_bytes(b"must stay as it is\n")
    (cli_env / "e.csv.part").symlink_to(victim)

    code = export_main(events("e.csv"))

    assert code == EXIT_OK
    assert victim.read_bytes() == b"must stay as it is\n"
    assert (cli_env / "e.csv").read_bytes().startswith(b"type,package,")
    assert not (cli_env / "e.csv.part").exists()


def test_a_missing_directory_and_an_empty_name_are_refused() -> None:
    with pytest.raises(OutputRefused) as missing:
        check_output("no/such/dir/e.csv")
    assert str(missing.value) == "The directory 'no/such/dir' for the output does not exist."
    with pytest.raises(OutputRefused) as empty:
        check_output("")
    assert str(empty.value) == "The output '' is not a file name."


def test_the_files_of_an_export_sit_next_to_the_final_file(tmp_path) -> None:
    files = check_output(tmp_path / "e.csv")

    assert (files.final, files.part, files.sidecar, files.lock) == (
        tmp_path / "e.csv",
        tmp_path / "e.csv.part",
        tmp_path / "e.csv.part.json",
        tmp_path / "e.csv.part.lock",
    )
