"""The last-known lists on disk: one 0600 file in a 0700 directory, atomic, no secret inside,
and a bad file ignored with one sentence."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path

from scarf_tui.api.saved import SavedLists, SavedOrganization, stale_marker
from scarf_tui.cache import ListCache, account_name, age_text, cache_dir, cache_file
from scarf_tui.domain import Organization, Package

URL = "https://api.scarf.sh (v2)"
TOKEN = "tok-SECRET-0123456789abcdef"
PACKAGES = [
    Package("u-1", "acme", "widget", "A [bold]widget[/]", datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC), None, None, "npm"),
    Package("u-2", "acme", "gadget", "Gadget", None, "long\ntext", "https://g.example", None),
]


def make_cache(directory: Path, clock: float = 1_000_000.0) -> ListCache:
    account = account_name(None, TOKEN)
    return ListCache(cache_file(URL, account, directory), api_url=URL, account=account, clock=lambda: clock)


def test_packages_round_trip_with_their_age(tmp_path: Path) -> None:
    saved = SavedLists(make_cache(tmp_path / "cache"))
    saved.remember_packages(None, PACKAGES)
    saved.remember_packages("acme", PACKAGES[:1])

    again = SavedLists(make_cache(tmp_path / "cache"))
    hit = again.packages(None, now=1_000_000.0 + 3 * 3600 + 5)
    assert hit is not None and hit.packages == PACKAGES
    assert hit.age == "3 h ago"
    assert again.packages("acme").packages == PACKAGES[:1]  # type: ignore[union-attr]
    assert again.packages("openlab") is None
    assert again.notice is None


def test_file_is_0600_in_a_0700_directory_and_holds_no_token(tmp_path: Path) -> None:
    directory = tmp_path / "deep" / "cache"
    cache = make_cache(directory)
    SavedLists(cache).remember_packages(None, PACKAGES)
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    body = cache.path.read_bytes()
    assert TOKEN.encode() not in body
    assert b"SECRET" not in body
    assert [p.name for p in directory.iterdir()] == [cache.path.name]  # no temporary file left


def test_a_loose_directory_is_tightened(tmp_path: Path) -> None:
    directory = tmp_path / "cache"
    directory.mkdir(mode=0o755)
    os.chmod(directory, 0o755)
    SavedLists(make_cache(directory)).remember_packages(None, PACKAGES)
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700


def test_one_file_per_account_and_url(tmp_path: Path) -> None:
    a = cache_file(URL, "maintainer", tmp_path)
    assert a == cache_file(URL, "maintainer", tmp_path)
    assert a != cache_file(URL, "grace", tmp_path)
    assert a != cache_file("https://scarf.sh/api (v1)", "maintainer", tmp_path)
    assert account_name("maintainer", TOKEN) == "maintainer"
    assert TOKEN not in account_name(None, TOKEN)
    assert account_name(None, TOKEN) == account_name(None, TOKEN) != account_name(None, TOKEN + "x")


def test_cache_dir_follows_the_environment(tmp_path: Path) -> None:
    assert cache_dir({"SCARF_TUI_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache_dir({}).name == "scarf-tui"


def test_a_corrupt_file_is_ignored_with_a_notice(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    cache.path.write_bytes(b'{"format": "scarf-tui-lists", "version": 1, "lists": {"packages": [tru')
    again = make_cache(tmp_path)
    assert again.notice == (
        f"The saved lists in {cache.path} were ignored (it is not valid JSON); they will be saved again."
    )
    assert SavedLists(again).packages(None) is None
    SavedLists(again).remember_packages(None, PACKAGES)  # and the next save replaces it
    assert SavedLists(make_cache(tmp_path)).packages(None).packages == PACKAGES  # type: ignore[union-attr]


def test_a_foreign_file_is_ignored_with_a_notice(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    cache.path.write_text('{"format": "something-else", "version": 7}')
    assert make_cache(tmp_path).notice == (
        f"The saved lists in {cache.path} were ignored (it is not a scarf-tui cache of this version); "
        "they will be saved again."
    )
    other = ListCache(cache.path, api_url="https://elsewhere.example (v1)", account="grace")
    SavedLists(other).remember_packages(None, PACKAGES)
    assert make_cache(tmp_path).notice == (
        f"The saved lists in {cache.path} were ignored (it belongs to another account or API URL); "
        "they will be saved again."
    )


def test_damaged_entries_are_skipped(tmp_path: Path) -> None:
    cache = make_cache(tmp_path)
    cache.put("packages", [{"uuid": "u-9", "owner": "o", "name": "ok", "short_description": "d"},
                           {"uuid": ["not", "text"], "owner": "o", "name": "bad", "short_description": "d"},
                           {"name": "missing fields"}, "not a record"])
    hit = SavedLists(make_cache(tmp_path)).packages(None)
    assert hit is not None and [p.name for p in hit.packages] == ["ok"]


def test_a_directory_that_cannot_be_written_gives_a_sentence(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    account = account_name("maintainer", None)
    cache = ListCache(cache_file(URL, account, blocker / "sub"), api_url=URL, account=account)
    SavedLists(cache).remember_packages(None, PACKAGES)  # no exception
    assert cache.notice is not None
    assert cache.notice.startswith(f"The lists could not be saved to {cache.path}: ")


def test_organizations_round_trip(tmp_path: Path) -> None:
    org = Organization("acme", "Acme", "billing@acme.example", datetime(2023, 2, 14, tzinfo=UTC), None, None)
    rows = [SavedOrganization("acme", "packages", 11, org, None),
            SavedOrganization("ghost", "config", 0, None, "Organization 'ghost' was not found.")]
    SavedLists(make_cache(tmp_path)).remember_organizations(rows)
    hit = SavedLists(make_cache(tmp_path)).organizations(now=1_000_000.0 + 120)
    assert hit is not None and hit.rows == rows and hit.age == "2 min ago"


def test_age_and_marker_sentences() -> None:
    assert [age_text(s) for s in (5, 61, 3 * 3600, 50 * 3600)] == ["just now", "1 min ago", "3 h ago", "2 days ago"]
    assert stale_marker("3 h ago", offline=False) == "cached 3 h ago · refreshing…"
    assert stale_marker("3 h ago", offline=True) == "cached 3 h ago · offline"
