"""Sources other than Scarf, shaped like scarf_tui.api: an HTTP layer, one error family, wire
parsing and a service that hands out plain domain models.

- ``scarf_tui.sources.pypicloud``: a private PyPI server's packages, users, groups and
  per-package read/write grants (HTTP Basic auth).
- ``scarf_tui.sources.purldb``: package metadata keyed by purl (optional ``Token`` API key).

Importable without Textual. Every failure is a ``SourceError`` (a ``ScarfError``), whose
``str()`` is one sentence that starts with the source's name ("pypicloud: …", "PurlDB: …").
"""

from scarf_tui.sources.errors import (
    BadCredentials,
    NotAdmin,
    SourceError,
    SourceForbidden,
    SourceNotFound,
    SourceValidationFailed,
)

__all__ = [
    "BadCredentials",
    "NotAdmin",
    "SourceError",
    "SourceForbidden",
    "SourceNotFound",
    "SourceValidationFailed",
]
