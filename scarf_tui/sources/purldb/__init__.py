"""PurlDB: package metadata keyed by purl.

    service = make_purldb_service("https://public.purldb.io", api_key, enabled_for={"scarf"})
    ref = purl_for_scarf_package("npm", "acme", "@acme/ui-kit")
    result = await service.lookup(ref)        # FOUND, NOT_FOUND or NOT_ENABLED
"""

from scarf_tui.sources.purldb.models import (
    Dependency,
    HistoryEntry,
    LookupState,
    Page,
    Party,
    PurlLookup,
    PurlPackage,
    Resource,
)
from scarf_tui.sources.purldb.purl import (
    Purl,
    PurlRef,
    parse_purl,
    purl_for_pypicloud_package,
    purl_for_scarf_package,
    purl_typed_by_user,
)
from scarf_tui.sources.purldb.service import FILTERS, PurldbService, make_purldb_service

__all__ = [
    "FILTERS",
    "Dependency",
    "HistoryEntry",
    "LookupState",
    "Page",
    "Party",
    "Purl",
    "PurlLookup",
    "PurlPackage",
    "PurlRef",
    "PurldbService",
    "Resource",
    "make_purldb_service",
    "parse_purl",
    "purl_for_pypicloud_package",
    "purl_for_scarf_package",
    "purl_typed_by_user",
]
