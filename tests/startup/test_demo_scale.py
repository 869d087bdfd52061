"""--demo-scale N: a deterministic organization with N packages, 500 members and permissions on
every package, the same on both API versions; the command line refuses a bad N."""

from __future__ import annotations

import contextlib
import io

import pytest

from scarf_tui.cli import main
from scarf_tui.demo.scale import MAX_SCALE, SCALE_MEMBERS, SCALE_ORG, add_scaled_org, check_scale
from scarf_tui.demo.start import start_demo
from scarf_tui.demo.store import build_demo_store
from tests.conftest import FIXED_TODAY

N = 240  # more than two v2 pages of 100


def test_the_store_is_deterministic_and_complete() -> None:
    a, b = build_demo_store(today=FIXED_TODAY), build_demo_store(today=FIXED_TODAY)
    add_scaled_org(a, N)
    add_scaled_org(b, N)
    assert a.packages == b.packages and a.permissions == b.permissions and a.members == b.members
    atlas = [uuid for uuid, p in a.packages.items() if p["owner"] == SCALE_ORG.name]
    assert len(atlas) == N
    assert len(a.members[SCALE_ORG.name]) == SCALE_MEMBERS + 1  # and the demo maintainer
    assert all(a.permissions[uuid] for uuid in atlas)


@pytest.mark.parametrize("version", ["v1", "v2"])
async def test_both_versions_list_every_package(version: str) -> None:
    with contextlib.ExitStack() as stack:
        demo = start_demo(stack, today=FIXED_TODAY, api_version=version, packages=N)
        try:
            packages = await demo.service.list_org_packages(SCALE_ORG.name)
            members = await demo.service.list_members(SCALE_ORG.name)
            grants = await demo.service.list_permissions(packages[0].uuid, owner=SCALE_ORG.name)
        finally:
            await demo.service.aclose()
    assert len(packages) == N
    assert len({p.uuid for p in packages}) == N
    assert len(members) == SCALE_MEMBERS + 1
    assert grants


def test_check_scale_sentence() -> None:
    assert check_scale(MAX_SCALE) == MAX_SCALE
    with pytest.raises(ValueError) as caught:
        check_scale(MAX_SCALE + 1)
    assert str(caught.value) == "--demo-scale must be between 1 and 20,000, not 20001."


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["--demo-scale", "5"], "scarf-tui: --demo-scale needs --demo (or use it with demo-server).\n"),
        (["--offline", "--demo"], "scarf-tui: --offline and --demo don't go together: the demo needs no network.\n"),
    ],
)
def test_flag_combinations_are_refused(argv: list[str], expected: str) -> None:
    err = io.StringIO()
    assert main(argv, stderr=err) == 2
    assert err.getvalue() == expected


@pytest.mark.parametrize("value", ["0", "20001", "ten", "-3"])
def test_a_bad_scale_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--demo", "--demo-scale", value])
    assert caught.value.code == 2
    assert f"argument --demo-scale: must be a whole number from 1 to 20,000, not '{value}'" in capsys.readouterr().err


def test_demo_server_takes_the_scale_before_or_after_the_command() -> None:
    from scarf_tui.cli import build_parser

    parser = build_parser()
    assert parser.parse_args(["demo-server", "--demo-scale", "7"]).demo_scale == 7
    assert parser.parse_args(["--demo-scale", "7", "demo-server"]).demo_scale == 7
    assert parser.parse_args(["demo-server"]).demo_scale is None


async def test_a_big_v2_list_reads_fresh_after_a_write() -> None:
    """The server memoizes a big organization's ordered list between pages; a write drops it."""
    from scarf_tui.domain import PackageDraft

    with contextlib.ExitStack() as stack:
        demo = start_demo(stack, today=FIXED_TODAY, api_version="v2", packages=900)
        try:
            before = await demo.service.list_org_packages(SCALE_ORG.name)
            await demo.service.create_org_package(SCALE_ORG.name, PackageDraft("aaa-first", "new", library_type="npm"))
            after = await demo.service.list_org_packages(SCALE_ORG.name)
        finally:
            await demo.service.aclose()
    assert len(before) == 900
    assert len(after) == 901 and "aaa-first" in {p.name for p in after}
