"""Scarf API v1 wire models (camelCase, exactly as the v1 seed) and converters to/from domain.

Unknown fields in answers are ignored (or kept, for event rows), so a server that grows new
fields does not break us. A missing required field becomes InvalidResponse naming the field.
Enumerations the server may extend (permission levels, member roles, library types) are kept as
plain text when the value is unknown, rather than failing the whole answer.

Aggregates and events are parsed without pydantic on the hot path: exports have millions of
rows, and ``json.loads`` + direct dataclass construction is several times faster.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, model_validator

from scarf_tui.api.csv_stream import csv_records  # noqa: F401 - re-exported: it moved to csv_stream
from scarf_tui.api.errors import InvalidResponse, ValidationFailed, sanitize
from scarf_tui.api.rows import (  # noqa: F401 - re-exported: the hot paths live in api.rows
    EventCsvLayout,
    aggregate_row_from_json,
    events_from_rows,
    parse_aggregate_line,
)
from scarf_tui.domain import (
    AggregateRow,
    Domain,
    Grant,
    GrantChange,
    LibraryType,
    Member,
    MemberRole,
    Organization,
    OrganizationDraft,
    Package,
    PackageDraft,
    PermissionLevel,
    Route,
    RouteDraft,
    validate_docker_urls,
    validate_url,
)


class PackagePermissionLevelV1(StrEnum):
    BLOCKED = "blocked"
    DEFAULT = "default"
    MEMBER = "member"
    ADMIN = "admin"


class OrganizationRoleV1(StrEnum):
    MEMBER = "member"
    ADMIN = "admin"
    OWNER = "owner"


def _known_or_text(enum: type[Enum]):
    """A before-validator: the enum member when the value is known, else the text itself."""
    values = {m.value: m for m in enum}

    def convert(value: Any) -> Any:
        if isinstance(value, enum):
            return value
        if isinstance(value, str):
            return values.get(value, value)
        return value

    return BeforeValidator(convert)


LevelV1 = Annotated[PackagePermissionLevelV1 | str, _known_or_text(PackagePermissionLevelV1)]
RoleV1 = Annotated[OrganizationRoleV1 | str, _known_or_text(OrganizationRoleV1)]


class WireModel(BaseModel):
    """Answers: unknown fields ignored; ids that arrive as numbers become text."""

    # defer_build: a model's validator is built when first used, not at import (start-up speed).
    model_config = ConfigDict(
        populate_by_name=True, extra="ignore", frozen=True, coerce_numbers_to_str=True, defer_build=True
    )

    def to_wire(self, *, clear: tuple[str, ...] = ()) -> dict[str, Any]:
        """The JSON body for a request: camelCase keys, absent optionals left out, except the
        wire fields named in ``clear``, sent as null when empty (an update clearing them)."""
        body = self.model_dump(by_alias=True, exclude_none=True, mode="json")
        for key in clear:
            body.setdefault(key, None)
        return body


# Optional text fields an update sends as null when the draft leaves them empty, so that
# clearing a website or description in the form clears it on the server too.
ORGANIZATION_CLEARABLE = ("website",)
PACKAGE_CLEARABLE = ("website", "longDescription")


# --- organizations ------------------------------------------------------------------------------


class OrganizationV1(WireModel):
    name: str
    description: str
    website: str | None = None
    billing_email: str = Field(alias="billingEmail")
    created_at: datetime = Field(alias="createdAt")
    updated_at: datetime = Field(alias="updatedAt")


class OrganizationUpsertV1(WireModel):
    name: str
    description: str
    website: str | None = None
    billing_email: str = Field(alias="billingEmail")


class OrganizationMemberV1(WireModel):
    organization_name: str = Field(alias="organizationName")
    username: str
    role: RoleV1


class OrganizationMemberUpsertV1(WireModel):
    username: str
    role: OrganizationRoleV1


# --- packages -----------------------------------------------------------------------------------


class PackageV1(WireModel):
    uuid: str
    owner: str
    name: str
    short_description: str = Field(alias="shortDescription")
    created_at: datetime = Field(alias="createdAt")
    long_description: str | None = Field(default=None, alias="longDescription")
    website: str | None = None
    library_type: str | None = Field(default=None, alias="libraryType")


def package_upsert_problems(
    *,
    name: str,
    library_type: str | None,
    backend_url: str | None,
    public_url: str | None,
    repository_url: str | None,
) -> dict[str, list[str]]:
    """The seed's PackageUpsertV1 rules, keyed by wire field name. Empty when all is well."""
    problems: dict[str, list[str]] = {}
    if not name.strip():
        problems["name"] = ["The package name must not be empty."]
    if backend_url or public_url:
        if library_type not in (None, LibraryType.DOCKER.value):
            problems["backendUrl"] = ["backendUrl and publicUrl are for docker packages only."]
        elif problem := validate_docker_urls(backend_url, public_url):
            field = "publicUrl" if problem.startswith("publicUrl") else "backendUrl"
            problems[field] = [problem]
    if repository_url:
        if library_type not in (None, LibraryType.PYTHON.value):
            problems["repositoryURL"] = ["repositoryURL is for python packages only."]
        elif problem := validate_url(repository_url, what="repositoryURL"):
            problems["repositoryURL"] = [problem]
    return problems


class PackageUpsertV1(WireModel):
    name: str
    short_description: str = Field(alias="shortDescription")
    long_description: str | None = Field(default=None, alias="longDescription")
    website: str | None = None
    library_type: str | None = Field(default=None, alias="libraryType")
    backend_url: str | None = Field(default=None, alias="backendUrl")
    public_url: str | None = Field(default=None, alias="publicUrl")
    repository_url: str | None = Field(default=None, alias="repositoryURL")

    @model_validator(mode="after")
    def _seed_rules(self) -> PackageUpsertV1:
        problems = package_upsert_problems(
            name=self.name,
            library_type=self.library_type,
            backend_url=self.backend_url,
            public_url=self.public_url,
            repository_url=self.repository_url,
        )
        if problems:
            raise ValueError(" ".join(p for ps in problems.values() for p in ps))
        return self


class PackagePermissionGetV1(WireModel):
    username: str
    permission_level: LevelV1 = Field(alias="permissionLevel")


class PackagePermissionSetV1(WireModel):
    user_query: str = Field(alias="userQuery")
    permission_level: PackagePermissionLevelV1 = Field(alias="permissionLevel")


# --- file packages: routes and domains ----------------------------------------------------------


class PackageRouteV1(WireModel):
    id: str
    outgoing_url: str = Field(alias="outgoingUrl")
    template_path: str = Field(alias="templatePath")


class CreatePackageRouteV1(WireModel):
    outgoing_url: str = Field(alias="outgoingUrl")
    template_path: str = Field(alias="templatePath")


class PackageDomainV1(WireModel):
    id: str
    name: str


class CreatePackageDomainV1(WireModel):
    name: str


# --- data export --------------------------------------------------------------------------------


class AggregateV1(WireModel):
    """One NDJSON line of an aggregates export (for validation and docs; the hot path uses
    ``aggregate_row_from_json``)."""

    breakdown: str
    date: date
    package: str
    total: int
    company_name: str | None = None
    company_domain: str | None = None
    cloud_provider_name: str | None = None
    cloud_provider_domain: str | None = None
    country: str | None = None
    platform: str | None = None
    version: str | None = None
    client: str | None = None
    client_version: str | None = None
    variable: str | None = None
    value: str | None = None
    unique_total: int | None = None


class EventRowV1(BaseModel):
    """One events-CSV row: the seed's leading columns; trailing extra columns are kept."""

    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)

    type: str
    time: str
    package: str | None = None
    version: str | None = None
    referer: str | None = None
    user_agent: str | None = None
    variables: str | None = None
    origin_id: str | None = None
    origin_latitude: str | None = None
    origin_longitude: str | None = None
    origin_country: str | None = None
    origin_city: str | None = None
    origin_postal: str | None = None
    origin_company: str | None = None
    origin_domain: str | None = None
    origin_connection_type: str | None = None


# ---------------------------------------------------------------------------------------------
# Parsing answers.
# ---------------------------------------------------------------------------------------------

M = TypeVar("M", bound=BaseModel)


def _describe_validation_error(exc: ValidationError, model: type[BaseModel], what: str) -> str:
    error = exc.errors()[0]
    field = ".".join(str(p) for p in error["loc"] if not isinstance(p, int)) or "(body)"
    if error["type"] == "missing":
        return f"The server's answer for {what} is missing the required field '{field}' ({model.__name__})."
    if error["type"] in ("model_type", "model_attributes_type", "dict_type"):
        return f"The server's answer for {what} is not a {model.__name__} object."
    return (
        f"The server's answer for {what} has an invalid '{field}' ({model.__name__}): "
        f"{sanitize(error['msg'], limit=120)}."
    )


def parse_one(model: type[M], data: Any, *, what: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise InvalidResponse(_describe_validation_error(exc, model, what)) from None


def parse_list(model: type[M], data: Any, *, what: str) -> list[M]:
    if not isinstance(data, list):
        raise InvalidResponse(f"The server's answer for {what} is not a list of {model.__name__}.")
    return [parse_one(model, item, what=what) for item in data]


# ---------------------------------------------------------------------------------------------
# Converters between wire and domain.
# ---------------------------------------------------------------------------------------------


def _domain_enum(enum: type[Enum], value: Any) -> Any:
    text = value.value if isinstance(value, Enum) else value
    try:
        return enum(text)
    except ValueError:
        return text


def organization_from_v1(m: OrganizationV1) -> Organization:
    return Organization(
        name=m.name,
        description=m.description,
        billing_email=m.billing_email,
        created_at=m.created_at,
        updated_at=m.updated_at,
        website=m.website,
    )


def organization_to_v1(draft: OrganizationDraft) -> OrganizationUpsertV1:
    problems: dict[str, list[str]] = {}
    if not draft.name.strip():
        problems["name"] = ["The organization name must not be empty."]
    if not draft.billing_email.strip():
        problems["billingEmail"] = ["The billing email must not be empty."]
    if draft.website and (problem := validate_url(draft.website, what="website")):
        problems["website"] = [problem]
    _raise_problems(problems)
    return OrganizationUpsertV1(
        name=draft.name,
        description=draft.description,
        website=draft.website or None,
        billing_email=draft.billing_email,
    )


def member_from_v1(m: OrganizationMemberV1) -> Member:
    return Member(organization=m.organization_name, username=m.username, role=_domain_enum(MemberRole, m.role))


def member_to_v1(username: str, role: MemberRole | str) -> OrganizationMemberUpsertV1:
    text = role.value if isinstance(role, Enum) else str(role)
    try:
        wire_role = OrganizationRoleV1(text)
    except ValueError:
        raise ValidationFailed(
            f"{sanitize(text, limit=40)!r} is not a member role (member, admin, owner).",
            field_errors={"role": ["Must be member, admin or owner."]},
        ) from None
    if not username.strip():
        raise ValidationFailed("The username must not be empty.", field_errors={"username": ["Must not be empty."]})
    return OrganizationMemberUpsertV1(username=username, role=wire_role)


def package_from_v1(m: PackageV1) -> Package:
    return Package(
        uuid=m.uuid,
        owner=m.owner,
        name=m.name,
        short_description=m.short_description,
        created_at=m.created_at,
        long_description=m.long_description,
        website=m.website,
        library_type=m.library_type,
    )


def package_to_v1(draft: PackageDraft) -> PackageUpsertV1:
    """The upsert body for a draft, or ValidationFailed with the seed's rules broken."""
    library_type = draft.library_type.value if isinstance(draft.library_type, Enum) else draft.library_type
    problems = package_upsert_problems(
        name=draft.name,
        library_type=library_type or None,
        backend_url=draft.backend_url or None,
        public_url=draft.public_url or None,
        repository_url=draft.repository_url or None,
    )
    if draft.website and (problem := validate_url(draft.website, what="website")):
        problems.setdefault("website", []).append(problem)
    _raise_problems(problems)
    return PackageUpsertV1(
        name=draft.name,
        short_description=draft.short_description,
        long_description=draft.long_description or None,
        website=draft.website or None,
        library_type=library_type or None,
        backend_url=draft.backend_url or None,
        public_url=draft.public_url or None,
        repository_url=draft.repository_url or None,
    )


def _raise_problems(problems: dict[str, list[str]]) -> None:
    if problems:
        sentences = " ".join(p for ps in problems.values() for p in ps)
        raise ValidationFailed(sentences, field_errors=problems)


def grant_from_v1(m: PackagePermissionGetV1) -> Grant:
    return Grant(username=m.username, level=_domain_enum(PermissionLevel, m.permission_level))


def grant_change_to_v1(change: GrantChange) -> PackagePermissionSetV1:
    text = change.level.value if isinstance(change.level, Enum) else str(change.level)
    try:
        level = PackagePermissionLevelV1(text)
    except ValueError:
        raise ValidationFailed(
            f"{sanitize(text, limit=40)!r} is not a permission level (blocked, default, member, admin).",
            field_errors={"permissionLevel": ["Must be blocked, default, member or admin."]},
        ) from None
    if not change.user_query.strip():
        raise ValidationFailed(
            "The user (email or username) must not be empty.", field_errors={"userQuery": ["Must not be empty."]}
        )
    return PackagePermissionSetV1(user_query=change.user_query, permission_level=level)


def route_from_v1(m: PackageRouteV1) -> Route:
    return Route(id=m.id, template_path=m.template_path, outgoing_url=m.outgoing_url)


def route_to_v1(draft: RouteDraft) -> CreatePackageRouteV1:
    return CreatePackageRouteV1(outgoing_url=draft.outgoing_url, template_path=draft.template_path)


def domain_from_v1(m: PackageDomainV1) -> Domain:
    return Domain(id=m.id, name=m.name)


def aggregate_from_v1(m: AggregateV1) -> AggregateRow:
    return AggregateRow(
        m.breakdown, m.date, m.package, m.total, m.unique_total, m.company_name, m.company_domain,
        m.cloud_provider_name, m.cloud_provider_domain, m.country, m.platform, m.version, m.client,
        m.client_version, m.variable, m.value,
    )  # fmt: skip
