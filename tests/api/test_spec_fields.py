"""The v1 wire models against the seed's tables: field names (camelCase as written), which are
optional, and the enumerations. The tables are copied from seeds/000 by hand, on purpose."""

from __future__ import annotations

import pytest
from pydantic import BaseModel

from scarf_tui.api import v1
from scarf_tui.domain import EVENT_COLUMNS, Breakdown, LibraryType, MemberRole, PermissionLevel

# model -> (required wire names, optional wire names), from the seed.
SEED_TABLES: dict[type[BaseModel], tuple[set[str], set[str]]] = {
    v1.OrganizationV1: ({"name", "description", "billingEmail", "createdAt", "updatedAt"}, {"website"}),
    v1.OrganizationUpsertV1: ({"name", "description", "billingEmail"}, {"website"}),
    v1.OrganizationMemberV1: ({"organizationName", "username", "role"}, set()),
    v1.OrganizationMemberUpsertV1: ({"username", "role"}, set()),
    v1.PackageV1: (
        {"uuid", "owner", "name", "shortDescription", "createdAt"},
        {"longDescription", "website", "libraryType"},
    ),
    v1.PackageUpsertV1: (
        {"name", "shortDescription"},
        {"longDescription", "website", "libraryType", "backendUrl", "publicUrl", "repositoryURL"},
    ),
    v1.PackagePermissionGetV1: ({"username", "permissionLevel"}, set()),
    v1.PackagePermissionSetV1: ({"userQuery", "permissionLevel"}, set()),
    v1.PackageRouteV1: ({"id", "outgoingUrl", "templatePath"}, set()),
    v1.CreatePackageRouteV1: ({"outgoingUrl", "templatePath"}, set()),
    v1.PackageDomainV1: ({"id", "name"}, set()),
    v1.CreatePackageDomainV1: ({"name"}, set()),
    v1.AggregateV1: (
        {"breakdown", "date", "package", "total"},
        {
            "company_name", "company_domain", "cloud_provider_name", "cloud_provider_domain", "country",
            "platform", "version", "client", "client_version", "variable", "value", "unique_total",
        },
    ),  # fmt: skip
}


@pytest.mark.parametrize("model", list(SEED_TABLES), ids=lambda m: m.__name__)
def test_wire_model_fields_match_the_seed(model: type[BaseModel]) -> None:
    required, optional = SEED_TABLES[model]
    names = {(f.alias or name): f.is_required() for name, f in model.model_fields.items()}
    assert {n for n, req in names.items() if req} == required
    assert {n for n, req in names.items() if not req} == optional


def test_enumerations_match_the_seed() -> None:
    assert {e.value for e in v1.PackagePermissionLevelV1} == {"blocked", "default", "member", "admin"}
    assert {e.value for e in PermissionLevel} == {"blocked", "default", "member", "admin"}
    assert {e.value for e in v1.OrganizationRoleV1} == {"member", "admin", "owner"}
    assert {e.value for e in MemberRole} == {"member", "admin", "owner"}
    # The seed's five, plus python and file, which its own sections describe (see domain.py).
    assert {e.value for e in LibraryType} == {"docker", "npm", "hackage", "pypi", "other", "python", "file"}
    assert {e.value for e in Breakdown} == {
        "company", "cloud_provider", "country", "platform", "version", "client", "variable", "total",
    }  # fmt: skip


def test_event_columns_are_the_seeds_leading_columns_in_order() -> None:
    assert list(EVENT_COLUMNS) == [
        "type", "package", "version", "time", "referer", "user_agent", "variables", "origin_id",
        "origin_latitude", "origin_longitude", "origin_country", "origin_city", "origin_postal",
        "origin_company", "origin_domain", "origin_connection_type",
    ]  # fmt: skip
    required = {n for n, f in v1.EventRowV1.model_fields.items() if f.is_required()}
    assert required == {"type", "time"}  # the seed's only non-optional columns


def test_request_bodies_leave_absent_optionals_out() -> None:
    body = v1.PackageUpsertV1(name="p", short_description="s").to_wire()
    assert body == {"name": "p", "shortDescription": "s"}
    body = v1.PackagePermissionSetV1(user_query="ada@example.com", permission_level="admin").to_wire()
    assert body == {"userQuery": "ada@example.com", "permissionLevel": "admin"}
