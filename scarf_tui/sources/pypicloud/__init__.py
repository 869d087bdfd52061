"""pypicloud: a private PyPI server's packages, users, groups and per-package grants.

    service = make_pypicloud_service("https://pypi.example.com", "me", password)
    access = await service.package_access("flywheel")
"""

from scarf_tui.sources.pypicloud.models import (
    AccessEntry,
    Acl,
    BulkResult,
    FailedChange,
    GrantChange,
    GroupDetail,
    MembershipChange,
    PackageAccess,
    PackageFile,
    PackageGrant,
    PackageSummary,
    PackageVersions,
    Permission,
    PrincipalKind,
    User,
    UserDetail,
)
from scarf_tui.sources.pypicloud.service import PypicloudService, acl_json_bytes, make_pypicloud_service

__all__ = [
    "AccessEntry",
    "Acl",
    "BulkResult",
    "FailedChange",
    "GrantChange",
    "GroupDetail",
    "MembershipChange",
    "PackageAccess",
    "PackageFile",
    "PackageGrant",
    "PackageSummary",
    "PackageVersions",
    "Permission",
    "PrincipalKind",
    "PypicloudService",
    "User",
    "UserDetail",
    "acl_json_bytes",
    "make_pypicloud_service",
]
