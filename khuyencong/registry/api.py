"""Registry API: establishments, scoped like the pages; ?q= searches without diacritics and matches tax codes."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from khuyencong.core.api_params import BoundedLimitOffsetPagination, Count, OcopStars, RecordId, UnitCode, Version
from khuyencong.core.errors import InvalidInput, NotFound
from khuyencong.geo.models import AdminUnit
from khuyencong.geo.schemas import UnitRef

from . import selectors, services
from .models import CraftVillage, Sector
from .parsing import parse_phone, parse_tax_code
from .views import LIST_COUNT_LIMIT

router = Router(tags=["registry"])


class EstablishmentOut(Schema):
    id: int
    name: str
    entity_type: str
    sme_size: str
    tax_code: str | None
    representative: str
    phone: str
    main_products: str
    employees: int | None
    woman_owned: bool
    ethnic_minority: bool
    ocop_stars: int | None
    craft_village: str | None
    address: str
    commune: UnitRef
    province: UnitRef
    legacy_address: str
    latitude: Decimal | None
    longitude: Decimal | None
    status: str
    eligible: bool | None
    version: int

    @staticmethod
    def resolve_craft_village(obj):
        return obj.craft_village.name if obj.craft_village_id else None

    @staticmethod
    def resolve_commune(obj):
        return {"code": obj.commune.code, "name": obj.commune.name}

    @staticmethod
    def resolve_province(obj):
        return {"code": obj.province.code, "name": obj.province.name}


class EstablishmentIn(Schema):
    name: str
    entity_type: str
    sme_size: str = ""
    tax_code: str | None = None
    business_reg_no: str = ""
    business_reg_date: datetime.date | None = None
    representative: str = ""
    representative_gender: str = ""
    phone: str = ""
    email: str = ""
    woman_owned: bool = False
    ethnic_minority: bool = False
    employees: Count | None = None
    sectors: list[str] = []
    vsic_code: str = ""
    main_products: str = ""
    ocop_stars: OcopStars | None = None
    craft_village: RecordId | None = None
    cleaner_production: bool = False
    address: str = ""
    commune: UnitCode
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class EstablishmentPatch(Schema):
    version: Version
    name: str | None = None
    entity_type: str | None = None
    sme_size: str | None = None
    tax_code: str | None = None
    representative: str | None = None
    phone: str | None = None
    email: str | None = None
    employees: Count | None = None
    main_products: str | None = None
    ocop_stars: OcopStars | None = None
    address: str | None = None
    commune: UnitCode | None = None
    status: str | None = None
    woman_owned: bool | None = None
    ethnic_minority: bool | None = None
    cleaner_production: bool | None = None


class EstablishmentEligibilityOut(Schema):
    eligible: bool
    needs_review: bool
    on: datetime.date
    reasons: list[str]
    basis: list[str]


def _to_service(data: dict) -> tuple[dict, list | None]:
    sectors = None
    if "sectors" in data:
        codes = data.pop("sectors")
        sectors = list(Sector.objects.filter(code__in=codes))
        if len(sectors) != len(set(codes)):
            raise InvalidInput(_("Unknown sector code."), field="sectors")
    if "commune" in data:
        commune = AdminUnit.objects.current().communes().filter(code=data["commune"]).first()
        if commune is None:
            raise InvalidInput(_("No current commune has this code."), field="commune")
        data["commune"] = commune
    if data.get("craft_village") is not None:
        data["craft_village"] = CraftVillage.objects.filter(pk=data["craft_village"]).first()
        if data["craft_village"] is None:
            raise InvalidInput(_("Unknown craft village."), field="craft_village")
    for key, parser in (("tax_code", parse_tax_code), ("phone", parse_phone)):
        if data.get(key):
            try:
                data[key] = parser(data[key])
            except ValueError as exc:
                raise InvalidInput(str(exc), field=key) from None
    return data, sectors


class CappedLimitOffsetPagination(BoundedLimitOffsetPagination):
    """limit/offset pages whose `count` stops at `count_limit` like the establishments page
    (`core.paging.CappedPaginator`): counting the 10,000 matches of a national search cost more than the page.
    `count_capped` says whether there are more matches than `count`; the items of any offset are still served."""

    count_limit = LIST_COUNT_LIMIT

    class Output(Schema):
        items: list
        count: int = Field(description=f"Number of matches, counted up to {LIST_COUNT_LIMIT:,}: exact when "
                                       "count_capped is false, else the limit.")
        count_capped: bool = Field(False, description="True when there are more matches than `count` (the "
                                                      "count stopped at the limit): narrow the filters.")

    def paginate_queryset(self, queryset, pagination, request, **params):
        offset = pagination.offset
        limit = min(pagination.limit, self.max_limit)
        # counted without the ORDER BY: with it, PostgreSQL reads the name index in order to reach LIMIT 10,001
        # and filters every row for a rare word (61 → 177 ms for 'nguyen thi lan' on the national dataset)
        found = queryset.order_by()[: self.count_limit + 1].count()  # as core.paging.CappedPaginator counts
        return {self.items_attribute: queryset[offset: offset + limit], "count": min(found, self.count_limit),
                "count_capped": found > self.count_limit}


@router.get("/establishments", response=list[EstablishmentOut], summary="Establishments in your scope",
            description=f"Pages of `limit` rows from `offset`. `count` counts the matches up to "
                        f"{LIST_COUNT_LIMIT:,} only; `count_capped` is true when there are more.")
@paginate(CappedLimitOffsetPagination)
def establishment_list(request, q: str = "", province: UnitCode | None = None, commune: UnitCode | None = None,
                       entity_type: str = "", sector: str = "", eligible: bool | None = None, supported: str = "",
                       ocop: OcopStars | None = None, status: str = ""):
    filters = selectors.EstablishmentFilters(q=q, province=province, commune=commune, entity_type=entity_type,
                                             sector=sector, eligible=eligible, supported=supported,
                                             ocop_stars=ocop, status=status)
    return selectors.establishment_list(user=request.user, filters=filters)


@router.post("/establishments", response={201: EstablishmentOut}, summary="Register an establishment")
def establishment_create(request, payload: EstablishmentIn):
    data, sectors = _to_service(payload.dict())
    establishment = services.establishment_create(actor=request.user, data=data, sectors=sectors or ())
    return 201, selectors.establishment_get(user=request.user, pk=establishment.pk)


def _get(request, establishment_id: int):
    establishment = selectors.establishment_get(user=request.user, pk=establishment_id)
    if establishment is None:
        raise NotFound(_("Establishment not found."))
    return establishment


@router.get("/establishments/{establishment_id}", response=EstablishmentOut, summary="One establishment")
def establishment_detail(request, establishment_id: RecordId):
    return _get(request, establishment_id)


@router.patch("/establishments/{establishment_id}", response=EstablishmentOut, summary="Edit an establishment")
def establishment_patch(request, establishment_id: RecordId, payload: EstablishmentPatch):
    establishment = _get(request, establishment_id)
    data = payload.dict(exclude_unset=True, exclude={"version"})
    data, sectors = _to_service(data)
    services.establishment_update(actor=request.user, establishment=establishment, data=data,
                                  version=payload.version, sectors=sectors)
    return _get(request, establishment_id)


@router.get("/establishments/{establishment_id}/eligibility", response=EstablishmentEligibilityOut,
            summary="Eligibility as a rural industrial establishment on a date")
def establishment_eligibility(request, establishment_id: RecordId, on: datetime.date | None = None):
    establishment = _get(request, establishment_id)
    on = on or timezone.localdate()
    result = services.eligibility_of(establishment, on)
    return {"eligible": result.eligible, "needs_review": result.needs_review, "on": on, "reasons": result.reasons,
            "basis": result.basis}
