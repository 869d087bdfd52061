"""Opening the pypicloud screens from anywhere (`:pypicloud`, `--pypicloud URL`): straight in
when the session has an account, else through the sign-in dialog."""

from __future__ import annotations

from scarf_tui.tui.session import SessionApp


def open_pypicloud(app: SessionApp, where: str | None = None) -> None:
    """`where`: "users", "groups", "packages", or a package name (opens that package)."""
    from scarf_tui.tui.pypicloud.home_screen import TAB_ALIASES, PypicloudScreen
    from scarf_tui.tui.pypicloud.login import PypicloudLogin

    def go() -> None:
        target = (where or "").strip()
        if target and target.casefold() not in TAB_ALIASES:
            from scarf_tui.tui.pypicloud.package_screen import PypicloudPackageScreen

            app.push_screen(PypicloudPackageScreen(target))
        else:
            app.push_screen(PypicloudScreen(target.casefold() or None))

    if app.session.pypicloud is not None:
        go()
        return

    def signed_in(ok: bool | None) -> None:
        if ok:
            go()

    app.push_screen(PypicloudLogin(), signed_in)
