"""API for the signed-in user and the organisation directory (scoped like the pages)."""

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from khuyencong.core.api_params import BoundedLimitOffsetPagination, RecordId, UnitCode, Version
from khuyencong.core.errors import InvalidInput, NotFound
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.schemas import UnitRef

from . import selectors, services
from .scope import user_scope

router = Router(tags=["accounts"])


class AssignmentOut(Schema):
    role: str
    role_label: str
    organisation: str
    scope_level: str
    province: UnitRef | None


class MeOut(Schema):
    username: str
    full_name: str
    national: bool
    province_codes: list[int]
    assignments: list[AssignmentOut]


class OrganisationOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    short_name: str
    province: UnitRef | None
    address: str
    phone: str
    email: str
    is_active: bool
    version: int = Field(description="Send it back with PATCH; a stale version gets 409.")

    @staticmethod
    def resolve_kind_label(obj):
        return obj.get_kind_display()

    @staticmethod
    def resolve_province(obj):
        return {"code": obj.province.code, "name": obj.province.name} if obj.province_id else None


class OrganisationPatch(Schema):
    version: Version
    name: str | None = None
    short_name: str | None = None
    address: str | None = None
    phone: str | None = None
    email: str | None = None
    is_active: bool | None = None


def _unit(unit):
    return {"code": unit.code, "name": unit.name} if unit else None


@router.get("/me", response=MeOut, summary="The signed-in user, roles and scope")
def me(request):
    scope = user_scope(request.user)
    assignments = selectors.user_assignments(user=request.user)
    province_codes = sorted(
        AdminUnit.objects.filter(pk__in=scope.province_ids | scope.commune_province_ids).values_list("code", flat=True)
    )
    return {
        "username": request.user.username,
        "full_name": str(request.user),
        "national": scope.national,
        "province_codes": province_codes,
        "assignments": [
            {
                "role": a.role,
                "role_label": a.get_role_display(),
                "organisation": a.organisation.name,
                "scope_level": a.scope_level,
                "province": _unit(a.province),
            }
            for a in assignments
        ],
    }


@router.get("/organisations", response=list[OrganisationOut], summary="Organisations in your scope")
@paginate(BoundedLimitOffsetPagination)
def organisation_list(request, q: str = "", kind: str = "", province: UnitCode | None = None):
    return selectors.organisation_list(user=request.user, q=q, kind=kind, province_code=province)


@router.get("/organisations/{org_id}", response=OrganisationOut, summary="One organisation")
def organisation_detail(request, org_id: RecordId):
    organisation = selectors.organisation_get(user=request.user, pk=org_id)
    if organisation is None:
        raise NotFound(_("Organisation not found."))
    return organisation


@router.patch("/organisations/{org_id}", response=OrganisationOut, summary="Edit an organisation")
def organisation_patch(request, org_id: RecordId, payload: OrganisationPatch):
    organisation = selectors.organisation_get(user=request.user, pk=org_id)
    if organisation is None:
        raise NotFound(_("Organisation not found."))
    data = payload.dict(exclude_unset=True, exclude={"version"})
    if any(v is None for v in data.values()):
        raise InvalidInput(_("Fields cannot be set to null."))
    return services.organisation_update(
        actor=request.user, organisation=organisation, data=data, version=payload.version
    )
