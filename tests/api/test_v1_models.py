"""v1 wire models: aliases, tolerance of unknown fields/values, required fields, seed rules."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from scarf_tui.api import v1
from scarf_tui.api.errors import InvalidResponse, ValidationFailed
from scarf_tui.domain import (
    GrantChange,
    MemberRole,
    OrganizationDraft,
    PackageDraft,
    PermissionLevel,
)

ORG = {
    "name": "acme",
    "description": "Acme",
    "website": "https://acme.example",
    "billingEmail": "billing@acme.example",
    "createdAt": "2024-01-02T03:04:05Z",
    "updatedAt": "2024-02-02T03:04:05Z",
}


def test_organization_round_trip_and_unknown_fields_ignored() -> None:
    model = v1.parse_one(v1.OrganizationV1, {**ORG, "somethingNew": 1}, what="organization 'acme'")
    org = v1.organization_from_v1(model)
    assert org.billing_email == "billing@acme.example"
    assert org.created_at.year == 2024 and org.updated_at.month == 2
    body = v1.organization_to_v1(
        OrganizationDraft(name="acme", description="Acme", billing_email="b@acme.example")
    ).to_wire()
    assert body == {"name": "acme", "description": "Acme", "billingEmail": "b@acme.example"}


@pytest.mark.parametrize("field", ["name", "description", "billingEmail", "createdAt", "updatedAt"])
def test_missing_required_field_is_named(field: str) -> None:
    data = {k: v for k, v in ORG.items() if k != field}
    with pytest.raises(InvalidResponse) as info:
        v1.parse_one(v1.OrganizationV1, data, what="organization 'acme'")
    assert str(info.value) == (
        f"The server's answer for organization 'acme' is missing the required field '{field}' (OrganizationV1)."
    )


def test_list_answer_must_be_a_list() -> None:
    with pytest.raises(InvalidResponse, match="is not a list of PackageV1"):
        v1.parse_list(v1.PackageV1, {"packages": []}, what="your packages")


def test_unknown_enum_values_are_kept_as_text() -> None:
    grant = v1.grant_from_v1(v1.PackagePermissionGetV1.model_validate({"username": "a", "permissionLevel": "owner"}))
    assert grant.level == "owner"
    known = v1.grant_from_v1(v1.PackagePermissionGetV1.model_validate({"username": "a", "permissionLevel": "admin"}))
    assert known.level is PermissionLevel.ADMIN
    member = v1.member_from_v1(
        v1.OrganizationMemberV1.model_validate({"organizationName": "o", "username": "u", "role": "billing"})
    )
    assert member.role == "billing"
    assert v1.member_from_v1(
        v1.OrganizationMemberV1.model_validate({"organizationName": "o", "username": "u", "role": "owner"})
    ).role is MemberRole.OWNER


def test_numeric_ids_become_text() -> None:
    route = v1.route_from_v1(
        v1.PackageRouteV1.model_validate({"id": 7, "outgoingUrl": "https://x/y", "templatePath": "/y"})
    )
    assert route.id == "7"


def test_outgoing_permission_and_member_bodies() -> None:
    body = v1.grant_change_to_v1(GrantChange(user_query="a@b.example", level=PermissionLevel.BLOCKED)).to_wire()
    assert body == {"userQuery": "a@b.example", "permissionLevel": "blocked"}
    assert v1.member_to_v1("bob", MemberRole.ADMIN).to_wire() == {"username": "bob", "role": "admin"}
    with pytest.raises(ValidationFailed, match="not a member role"):
        v1.member_to_v1("bob", "overlord")  # type: ignore[arg-type]


def test_package_upsert_docker_rules() -> None:
    ok = v1.package_to_v1(
        PackageDraft(
            name="img",
            short_description="an image",
            library_type="docker",
            backend_url="https://ghcr.io/acme/img",
            public_url="https://docker.acme.example/acme/img",
        )
    ).to_wire()
    assert ok["backendUrl"] == "https://ghcr.io/acme/img" and ok["libraryType"] == "docker"
    assert "repositoryURL" not in ok and "longDescription" not in ok

    with pytest.raises(ValidationFailed) as info:
        v1.package_to_v1(PackageDraft(name="img", short_description="d", library_type="docker", backend_url="https://ghcr.io/"))
    assert "backendUrl" in info.value.field_errors
    with pytest.raises(ValidationFailed) as info:
        v1.package_to_v1(
            PackageDraft(name="img", short_description="d", library_type="docker",
                         backend_url="https://ghcr.io/Acme/img")
        )
    assert "must match" in str(info.value)
    with pytest.raises(ValidationFailed) as info:
        v1.package_to_v1(
            PackageDraft(name="img", short_description="d", library_type="docker",
                         backend_url="https://ghcr.io/acme/img", public_url="https://x.example/other/img")
        )
    assert list(info.value.field_errors) == ["publicUrl"]
    with pytest.raises(ValidationFailed, match="docker packages only"):
        v1.package_to_v1(PackageDraft(name="p", short_description="d", library_type="npm", backend_url="https://ghcr.io/a"))


def test_package_upsert_python_repository_url() -> None:
    body = v1.package_to_v1(
        PackageDraft(name="p", short_description="d", library_type="python", repository_url="https://pypi.org/simple/")
    ).to_wire()
    assert body["repositoryURL"] == "https://pypi.org/simple/"
    with pytest.raises(ValidationFailed) as info:
        v1.package_to_v1(
            PackageDraft(name="p", short_description="d", library_type="python", repository_url="pypi.org")
        )
    assert list(info.value.field_errors) == ["repositoryURL"]
    with pytest.raises(ValidationFailed, match="python packages only"):
        v1.package_to_v1(PackageDraft(name="p", short_description="d", library_type="npm", repository_url="https://pypi.org/simple/"))


def test_upsert_model_itself_enforces_the_rules() -> None:
    with pytest.raises(ValueError):
        v1.PackageUpsertV1.model_validate(
            {"name": "p", "shortDescription": "d", "libraryType": "docker", "backendUrl": "nope"}
        )


def test_aggregate_fast_path_matches_the_model() -> None:
    line = {
        "breakdown": "client", "date": "2026-11-19", "package": "u-1", "total": 12,
        "client": "pip", "client_version": "24.0", "newField": "ignored",
    }  # fmt: skip
    fast = v1.parse_aggregate_line(json.dumps(line))
    slow = v1.aggregate_from_v1(v1.AggregateV1.model_validate(line))
    assert fast == slow
    assert fast.date == date(2026, 11, 19) and fast.label == "pip 24.0"


def test_aggregate_missing_and_bad_fields() -> None:
    with pytest.raises(InvalidResponse, match="missing the required field 'total'"):
        v1.parse_aggregate_line('{"breakdown": "total", "date": "2026-01-01", "package": "p"}')
    with pytest.raises(InvalidResponse, match="invalid 'date'"):
        v1.parse_aggregate_line('{"breakdown": "total", "date": "yesterday", "package": "p", "total": 1}')
    with pytest.raises(InvalidResponse, match="not an AggregateV1 object"):
        v1.parse_aggregate_line("[1, 2]")
    with pytest.raises(InvalidResponse, match="not valid JSON"):
        v1.parse_aggregate_line('{"breakdown": "tot')
    line = '{"breakdown":"total","date":"2026-01-01T00:00:00Z","package":"p","total":"5"}'
    assert v1.parse_aggregate_line(line).total == 5


def test_event_rows_keep_extra_columns_and_use_none_for_blanks() -> None:
    header = ["type", "package", "version", "time", "referer", "user_agent", "origin_country", "id", "extra_col"]
    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(header)
    w.writerow(["file-download", "pkg", "", "2026-11-19T10:00:00Z", "", 'curl/8 "quoted"\nnext', "DE", "e-1", "x"])
    events = v1.events_from_rows(csv.reader(io.StringIO(text.getvalue())))
    (event,) = events
    assert event.type == "file-download" and event.time == "2026-11-19T10:00:00Z"
    assert event.version is None and event.origin_country == "DE"
    assert event.user_agent == 'curl/8 "quoted"\nnext'
    assert event.extra == {"id": "e-1", "extra_col": "x"}


def test_event_header_without_required_column() -> None:
    with pytest.raises(InvalidResponse, match="no 'time' column"):
        v1.EventCsvLayout(["type", "package"])


def test_event_row_model_keeps_extras() -> None:
    row = v1.EventRowV1.model_validate({"type": "pixel", "time": "t", "id": "x"})
    assert row.model_extra == {"id": "x"}
