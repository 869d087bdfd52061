"""The one way the CLI starts the TUI: build the Session, start the demo when asked, run.

Start-up paints before it connects: the service is built when the first screen asks for it
(`Session.connect`), off the event loop, so HTTP and the wire models load - and, in `--demo`,
the embedded servers start - while the first screen is already on the terminal. The saved
lists (scarf_tui.cache) paint at once when present.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from scarf_tui.config import Settings

if TYPE_CHECKING:
    from scarf_tui.api.prefetch import FirstPages
    from scarf_tui.api.saved import SavedLists
    from scarf_tui.api.service import ScarfService
    from scarf_tui.tui.demo_door import DemoStarting
    from scarf_tui.tui.session import Session


def run_tui(
    settings: Settings,
    *,
    demo: bool = False,
    org: str | None = None,
    username: str | None = None,
    config_path: Path | None = None,
    api_version: str | None = None,
    pypicloud_url: str | None = None,
    offline: bool = False,
    demo_scale: int | None = None,
    saved: SavedLists | None = None,
    first_pages: FirstPages | None = None,
) -> int:
    """Run the TUI until the user quits; returns the exit status. Without a token (and no
    demo, no --offline) the app opens on the Welcome screen. `api_version` is --api: it wins
    over $SCARF_API_VERSION, config and the URL; the demo speaks v2 unless --api or
    $SCARF_API_VERSION asks for v1 (api.version.demo_version).
    `pypicloud_url` is --pypicloud: the TUI opens on that server (asking to sign in when no
    user name and password are configured). The demo also serves pypicloud and PurlDB.
    `offline` browses the saved lists only and refuses every write; `demo_scale` gives the
    demo organization that many packages; `saved` is what `saved_lists_for` found;
    `first_pages` is the child `start_first_pages` started (its URL verdict is awaited here,
    before the screen)."""
    with contextlib.ExitStack() as stack:
        # First of all, before Textual loads: the embedded server and the child fetching the
        # first list start (--demo), or the service starts building (nothing saved to paint, and
        # no child fetching the first list).
        started: DemoStarting | None = None
        connect: Callable[[], ScarfService] | None = None
        paint_first = False  # saved lists paint before the service starts building
        offline = offline and not demo
        if demo:
            from scarf_tui.api.version import demo_version
            from scarf_tui.tui.demo_door import start_demo_in_background

            version = demo_version(api_version)
            started = start_demo_in_background(stack, api_version=version, scale=demo_scale, owner=org)
        elif offline or settings.token:
            user = username or settings.username
            version = _version(settings, api_version)  # a bad version is refused before the screen
            saved = saved or saved_lists_for(settings, api_version, user, offline=offline)
            connect = _connector(settings, version, user, offline=offline)
            paint_first = offline or bool(saved.cache.names())
            if not paint_first and first_pages is None:
                connect = _early(connect)  # nothing to paint first: connect now
        from scarf_tui.tui.session import Session

        session = Session(settings=settings, username=username, org=org, config_path=config_path, offline=offline)
        session.after_first_list.append(_collect_again)
        where = str(config_path or "config.toml")
        if started is not None:
            demo_sources = started.sources
            session.username = started.username
            session.connect = started.service
            if started.first_pages is not None:
                session.take_first_pages(started.first_pages)

            def sources_ready() -> None:
                session.pypicloud, session.purldb = demo_sources()

            if not pypicloud_url:
                _later(session, sources_ready)
        elif connect is not None:
            session.saved, session.connect = saved, connect
            if paint_first:
                session.connect_after_first_frame = threading.Event()
            if first_pages is not None:
                session.take_first_pages(first_pages)
                stack.callback(first_pages.stop)  # also when the screen never starts
        if session.connect is not None and not _sources_configured(settings, pypicloud_url):
            if not demo:  # the demo brings its own; the defaults can't fail, so they connect later
                _later(session, lambda: _connect_sources(session, settings, None, where))
        else:
            # Configured sources are checked now: a bad table or URL is refused before the screen.
            _connect_sources(session, settings, pypicloud_url, where)
        session.pypicloud_at_start = bool(pypicloud_url)
        import os
        import sys

        from scarf_tui.cache import cache_dir
        from scarf_tui.tui.app import ScarfApp  # after the children have started
        from scarf_tui.tui.crash import capture_errors, report_errors

        app = ScarfApp(session, close_service_on_exit=True, env=os.environ)  # NO_COLOR, TERM: the theme
        errors = capture_errors(app)  # a crash is a sentence here and a file in the cache directory
        if first_pages is not None:  # as late as possible: the child has had the most time
            _take_verdict(settings, session, first_pages)
        app.run()
        said = report_errors(errors, crashed=app.return_code == 1, directory=cache_dir())
        if said:
            print(said, file=sys.stderr)
        return app.return_code or 0


def start_first_pages(
    settings: Settings, api_version: str | None, username: str | None, org: str | None
) -> FirstPages | None:
    """Start the child that checks the URL and fetches the first list (scarf_tui.api.prefetch);
    None when it can't (a bad version is then refused by run_tui, after the URL check)."""
    try:
        version = _version(settings, api_version)
    except ValueError:
        return None
    from scarf_tui.api.prefetch import FirstPages

    return FirstPages.start(settings, api_version=version, username=username, owner=org)


def _take_verdict(settings: Settings, session: Session, first_pages: FirstPages) -> None:
    """The child's URL check, before the screen: a refused URL is refused by the check run here
    (its sentence and exit status, exactly as without the child); a child that said nothing
    leaves the list to the service."""
    url = first_pages.checked_url()
    if url is None:
        session.first_pages = None
        session.first_frame_shown()  # the service is the only way now: no reason to wait
        from scarf_tui.api.urls import check_base_url

        url = check_base_url(settings.api_url)
    settings.api_url = url


def _sources_configured(settings: Settings, pypicloud_url: str | None) -> bool:
    """pypicloud or PurlDB configured (flag, config tables or environment)."""
    import os

    return bool(pypicloud_url or settings.sources) or any(k.startswith(("PYPICLOUD_", "PURLDB_")) for k in os.environ)


def _connect_sources(session: Session, settings: Settings, pypicloud_url: str | None, where: str) -> None:
    from scarf_tui.tui.pypicloud.connect import connect_sources

    connect_sources(session, settings, pypicloud_url=pypicloud_url, where=where)


def _early(connect: Callable[[], ScarfService]) -> Callable[[], ScarfService]:
    """Start building the service now, in a thread, while the screen starts."""
    from concurrent.futures import Future

    built: Future[ScarfService] = Future()

    def run() -> None:
        try:
            built.set_result(connect())
        except BaseException as exc:  # noqa: BLE001 - raised again to whoever waits for the service
            built.set_exception(exc)

    threading.Thread(target=run, name="scarf-connect", daemon=True).start()
    return built.result


def _collect_again() -> None:
    """The first list is on screen: the garbage collector runs again (cli.launch_tui paused it
    for start-up). What start-up built lives as long as the app, so it is frozen first: later
    collections never walk it again."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _later(session: Session, job: Callable[[], None]) -> None:
    """Run `job` once the first list is on screen (Session.first_list_shown), so the other
    sources (pypicloud, PurlDB) never delay it."""

    def quietly() -> None:
        # The other sources are optional: one that fails to connect stays None and its screen
        # asks to sign in. A traceback from this thread would scribble on the screen.
        with contextlib.suppress(Exception):  # noqa: BLE001 - see above
            job()

    session.after_first_list.append(quietly)


def _connector(
    settings: Settings, version: str, username: str | None, *, offline: bool
) -> Callable[[], ScarfService]:
    def connect() -> ScarfService:
        if offline:
            from scarf_tui.api.offline import make_offline_service

            return make_offline_service(settings, api_version=version, username=username)
        from scarf_tui.api import make_service_for

        return make_service_for(settings, api_version=version, username=username)

    return connect


def _version(settings: Settings, api_version: str | None) -> str:
    from scarf_tui.api.version import choose_version, effective_api_url

    return choose_version(effective_api_url(settings.api_url), flag=api_version, config_value=settings.api_version)


def saved_lists_for(
    settings: Settings, api_version: str | None, username: str | None, *, offline: bool = False
) -> SavedLists:
    """The last-known lists of this account on this URL and version (read now; empty when none
    were saved). A saved file also tells that this URL passed the URL check before (see cli)."""
    from scarf_tui.api.saved import SavedLists
    from scarf_tui.cache import ListCache

    path, where, account = _saved_file(settings, api_version, username)
    return SavedLists(ListCache(path, api_url=where, account=account), offline=offline)


def nothing_saved(settings: Settings, api_version: str | None, username: str | None) -> bool:
    """No saved lists for this account, URL and version (checked without reading them, so the
    child fetching the first list starts before the saved-list code loads)."""
    try:
        return not _saved_file(settings, api_version, username)[0].exists()
    except (OSError, ValueError):
        return False


def _saved_file(settings: Settings, api_version: str | None, username: str | None) -> tuple[Path, str, str]:
    """(the file, the URL and version it is for, the account)."""
    from scarf_tui.api.version import effective_api_url
    from scarf_tui.cache import account_name, cache_file

    version = _version(settings, api_version)
    token = settings.token.reveal() if settings.token is not None else None
    account = account_name(username, token)
    del token
    where = f"{effective_api_url(settings.api_url)} ({version})"
    return cache_file(where, account), where, account
