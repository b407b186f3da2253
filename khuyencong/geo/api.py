"""API for the administrative units (public reference data: every signed-in user or token reads all of them)."""

import datetime
from typing import Literal

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from khuyencong.core.api_params import BoundedLimitOffsetPagination, RecordId, UnitCode

from . import selectors
from .models import AdminUnit, Level, Scheme
from .resolve import Resolution, resolve_legacy_address

router = Router(tags=["geo"])


class GeoErrorOut(Schema):
    code: str = Field(description="Stable error code, e.g. `invalid`, `not_found`.")
    detail: str = Field(description="Message for people, in Vietnamese.")
    field: str | None = None


class GeoUnitOut(Schema):
    id: int
    scheme: str = Field(description="`current` (since 1/7/2025) or `legacy` (before 1/7/2025).")
    level: str = Field(description="`province`, `district` (legacy only) or `commune`.")
    code: int = Field(description="The statistics office's code, e.g. 80 (Tây Ninh, current; Long An, legacy).")
    code_str: str = Field(description='The zero-padded code: "80", "794", "27694".')
    kind: str = Field(description="`tinh`, `thanh_pho_tw`, `quan`, `huyen`, `thi_xa`, `thanh_pho`, `xa`, `phuong`…")
    kind_label: str = Field(description="The type in the interface language (Tỉnh, Xã, Phường…).")
    name: str = Field(description='The full name: "Tỉnh Lai Châu", "Phường 1".')
    short_name: str = Field(description='The name without its type: "Lai Châu".')
    parent_code: int | None = Field(description="Code of the parent unit in the same scheme (null for a province).")
    province_code: int | None = Field(description="Code of the unit's province (its own code for a province).")
    valid_from: datetime.date | None
    valid_to: datetime.date | None

    @staticmethod
    def resolve_kind_label(obj: AdminUnit) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent_code(obj: AdminUnit) -> int | None:
        return obj.parent.code if obj.parent_id else None

    @staticmethod
    def resolve_province_code(obj: AdminUnit) -> int | None:
        return obj.province.code if obj.province_id else None


class GeoUnitBrief(Schema):
    id: int
    scheme: str
    level: str
    code: int
    code_str: str
    name: str


class GeoLinkedUnitOut(GeoUnitBrief):
    partial: bool = Field(description="Only part of the legacy unit's territory went to the current unit.")
    parent_name: str | None = Field(None, description="The parent's name, to tell apart units of the same name.")


class GeoPeriodOut(Schema):
    kind: str
    kind_label: str
    name: str
    valid_from: datetime.date
    valid_to: datetime.date | None
    basis: str = Field(description="Legal basis of the change.")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())


class GeoUnitDetailOut(GeoUnitOut):
    parent: GeoUnitBrief | None
    children_count: int = Field(description="Number of units directly under this one.")
    periods: list[GeoPeriodOut] = Field(description="Type and name history (e.g. Đồng Nai: tỉnh → thành phố).")
    successors: list[GeoLinkedUnitOut] = Field(description="For a legacy unit: the current units it went to.")
    predecessors: list[GeoLinkedUnitOut] = Field(description="For a current unit: the legacy units it came from.")

    @staticmethod
    def resolve_parent(obj: AdminUnit) -> dict | None:
        return _brief(obj.parent)

    @staticmethod
    def resolve_children_count(obj: AdminUnit) -> int:
        return selectors.children_count(obj)

    @staticmethod
    def resolve_periods(obj: AdminUnit) -> list:
        return list(obj.periods.all())

    @staticmethod
    def resolve_successors(obj: AdminUnit) -> list[dict]:
        return [_linked(s.current, s.partial) for s in obj.successors.all()]

    @staticmethod
    def resolve_predecessors(obj: AdminUnit) -> list[dict]:
        return [_linked(s.legacy, s.partial) for s in obj.predecessors.all()]


class GeoUnitFilters(Schema):
    scheme: str = Field(
        Scheme.CURRENT.value,
        description="`current` (34 provinces, 3,321 communes) or `legacy` (63 / 696 / 10,051).",
        json_schema_extra={"enum": Scheme.values},
    )
    level: str | None = Field(
        None,
        description="`province`, `district` (legacy only) or `commune`; all levels when omitted.",
        json_schema_extra={"anyOf": [{"type": "string", "enum": Level.values}, {"type": "null"}]},
    )
    parent: UnitCode | None = Field(
        None,
        description=(
            "Code of the direct parent in the same scheme: a province for current communes and legacy districts, "
            "a district for legacy communes. Without `level`: the communes of a current province or the districts "
            "of a legacy province."
        ),
    )
    province: UnitCode | None = Field(
        None, description="Code of a province of the same scheme: its units at any level.")
    q: str | None = Field(
        None, description='Name search that ignores diacritics and đ/d ("ha noi" finds Hà Nội), or a code.'
    )


class GeoLegacyOut(Schema):
    province: GeoUnitBrief | None
    district: GeoUnitBrief | None
    commune: GeoUnitBrief | None


class GeoCurrentUnitOut(GeoUnitBrief):
    kind: str
    partial: bool = Field(description="Only part of the legacy unit went to this unit.")
    province_code: int | None


class GeoCandidateOut(GeoUnitBrief):
    parent_name: str | None


class GeoResolutionOut(Schema):
    status: Literal["exact", "split", "unmapped", "not_found", "ambiguous"] = Field(
        description=(
            "`exact`: one current unit (or one province, for a district alone); `split`: the legacy unit went to "
            "several current units, choose one; `unmapped`: the legacy unit is not in the conversion table; "
            "`not_found`: no unit of that name (see `part`); `ambiguous`: several units have that name (`candidates`)."
        )
    )
    status_label: str
    message: str = Field(description="Explanation in Vietnamese, ready to show.")
    level: str | None = Field(description="The level the status speaks about: the deepest part given.")
    part: str | None = Field(description="For not_found / ambiguous: which input (`province`, `district`, `commune`).")
    scheme: str = Field(description="The scheme the names were found in (`legacy` first, then `current`).")
    legacy: GeoLegacyOut
    current_province: GeoUnitBrief | None
    current: list[GeoCurrentUnitOut]
    candidates: list[GeoCandidateOut] = Field(description="The matches when ambiguous; suggestions otherwise.")


def _brief(unit: AdminUnit | None) -> dict | None:
    if unit is None:
        return None
    return {
        "id": unit.pk,
        "scheme": unit.scheme,
        "level": unit.level,
        "code": unit.code,
        "code_str": unit.code_str,
        "name": unit.name,
    }


def _linked(unit: AdminUnit, partial: bool) -> dict:
    return {**_brief(unit), "partial": partial, "parent_name": unit.parent.name if unit.parent_id else None}


def resolution_payload(res: Resolution) -> dict:
    """The JSON form of a resolution (also what the resolve page could offer as data)."""
    return {
        "status": res.status,
        "status_label": res.status_label,
        "message": res.message,
        "level": res.level,
        "part": res.part,
        "scheme": res.scheme,
        "legacy": {
            "province": _brief(res.legacy_province),
            "district": _brief(res.legacy_district),
            "commune": _brief(res.legacy_commune),
        },
        "current_province": _brief(res.current_province),
        "current": [
            {
                **_brief(c.unit),
                "kind": c.unit.kind,
                "partial": c.partial,
                "province_code": c.unit.province.code if c.unit.province_id else None,
            }
            for c in res.current
        ],
        "candidates": [{**_brief(u), "parent_name": u.parent.name if u.parent_id else None} for u in res.candidates],
    }


@router.get(
    "/units",
    response={200: list[GeoUnitOut], 422: GeoErrorOut},
    url_name="geo_unit_list",
    summary="Administrative units",
    description="Units of the current or legacy scheme, ordered by code (best name matches first with `q`).",
)
@paginate(BoundedLimitOffsetPagination)
def unit_list(request, filters: Query[GeoUnitFilters]):
    return selectors.unit_list(
        scheme=filters.scheme,
        level=filters.level,
        parent_code=filters.parent,
        province_code=filters.province,
        q=filters.q,
    )


@router.get(
    "/units/{unit_id}",
    response={200: GeoUnitDetailOut, 404: GeoErrorOut},
    url_name="geo_unit_detail",
    summary="One administrative unit, its history and its successors or predecessors",
)
def unit_detail(request, unit_id: RecordId):
    return selectors.unit_get(pk=unit_id)


@router.get(
    "/resolve",
    response=GeoResolutionOut,
    url_name="geo_resolve",
    summary="Resolve an address from an old spreadsheet to today's units",
    description=(
        "Names as typed before 1/7/2025 (diacritics optional, abbreviations such as TP, TX, H., Q., P. accepted). "
        "Legacy names are tried first, then current ones."
    ),
)
def resolve(
    request,
    province: str = Query("", description='Province or city, e.g. "Long An", "TP HCM", "binh duong".'),
    district: str = Query("", description='District, e.g. "TP Tân An", "H. Sìn Hồ", "Q.1" (optional).'),
    commune: str = Query("", description='Commune or ward, e.g. "Phường 1", "P.1", "Xã Hướng Thọ Phú" (optional).'),
):
    return resolution_payload(resolve_legacy_address(province, district, commune))
