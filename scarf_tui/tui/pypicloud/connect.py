"""The other sources at start-up: pypicloud and PurlDB services built from config.toml's
[pypicloud] and [purldb] tables and the environment (PYPICLOUD_*, PURLDB_*), and --pypicloud.

A bad table is a ConfigError and an insecure URL a SourceInsecureURL, both raised before the
screen takes over the terminal. pypicloud without a user name and password gets no service:
the sign-in dialog asks when the user opens it.
"""

from __future__ import annotations

from scarf_tui.config import Settings
from scarf_tui.sources.settings import load_purldb_settings, load_pypicloud_settings
from scarf_tui.tui.session import Session


def connect_sources(session: Session, settings: Settings, *, pypicloud_url: str | None = None,
                    where: str = "config.toml") -> None:
    """Fill the session's pypicloud and purldb services (and the pypicloud URL to sign in to)."""
    from scarf_tui.sources.purldb import make_purldb_service
    from scarf_tui.sources.pypicloud import make_pypicloud_service

    pypi = load_pypicloud_settings(settings.sources, where=where)
    url = (pypicloud_url or "").strip() or pypi.url
    session.pypicloud_url = url
    if url and pypi.username and pypi.password:
        session.pypicloud = make_pypicloud_service(url, pypi.username, pypi.password)
    elif url:
        from scarf_tui.sources.http import checked_base_url

        checked_base_url("pypicloud", url, transport=None, secret_kind="password")  # refuse plain http now
    purl = load_purldb_settings(settings.sources, where=where)
    session.purldb = make_purldb_service(purl.url, purl.api_key, enabled_for=purl.enabled_for)
