"""The clusters API, mounted by `api`: the register scoped like the pages (a province's clusters are its own; the
ministry sees all), writes through the same services, and the forms 03/04 with the national roll-up."""

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from khuyencong.accounts.scope import visible_provinces
from khuyencong.core.api_params import Amount, BoundedLimitOffsetPagination, RecordId, UnitCode, Version
from khuyencong.core.errors import InvalidInput, NotFound

from . import reports, selectors, services
from .flows import cluster_flow
from .models import ClusterStatus, ClusterType, DecisionKind, SupportSource

router = Router(tags=["clusters"])

Area = Field(None, max_length=12, description="Hectares, e.g. \"12.5\"")


class ClusterOut(Schema):
    id: int
    name: str
    province: int
    province_name: str
    kind: str
    status: str
    status_label: str
    planned_ha: Decimal
    established_ha: Decimal
    industrial_land_ha: Decimal
    occupancy: Decimal | None
    regularisation_days_left: int | None
    version: int

    @staticmethod
    def resolve_province(obj):
        return obj.province.code

    @staticmethod
    def resolve_province_name(obj):
        return obj.province.name

    @staticmethod
    def resolve_status_label(obj):
        return obj.get_status_display()

    @staticmethod
    def resolve_occupancy(obj):
        return selectors.cluster_occupancy(obj)

    @staticmethod
    def resolve_regularisation_days_left(obj):
        return selectors.days_left(obj, timezone.localdate())


class ClusterSupportOut(Schema):
    approved_total: int
    paid: int
    by_source: dict[str, int]
    projects: int
    total: int
    cap: int | None
    cap_basis: str


class ClusterActionOut(Schema):
    action: str
    label: str
    allowed: bool
    reasons: list[str]


class ClusterDetailOut(ClusterOut):
    communes: list[str]
    sectors: str
    investor: str
    decisions: list[dict]
    support: ClusterSupportOut
    tenants: list[dict]
    snapshots: list[dict]
    actions: list[ClusterActionOut]

    @staticmethod
    def resolve_communes(obj):
        return [u.name for u in obj.communes.all()]

    @staticmethod
    def resolve_decisions(obj):
        return [{"kind": d.kind, "number": d.number, "decided_on": d.decided_on.isoformat(), "area_ha": str(d.area_ha),
                 "investor": d.investor, "capital_vnd": d.capital_vnd} for d in obj.decisions.all()]

    @staticmethod
    def resolve_support(obj):
        f = selectors.support_figures(obj, timezone.localdate())
        return {"approved_total": f.approved_total, "paid": f.paid, "by_source": f.by_source, "projects": f.projects,
                "total": f.total, "cap": f.cap, "cap_basis": f.cap_basis}

    @staticmethod
    def resolve_tenants(obj):
        return [{"id": t.pk, "name": t.name, "leased_ha": str(t.leased_ha), "is_fdi": t.is_fdi, "status": t.status}
                for t in obj.tenants.all()]

    @staticmethod
    def resolve_snapshots(obj):
        return [{"on_date": s.on_date.isoformat(), "industrial_ha": str(s.industrial_ha),
                 "leased_ha": str(s.leased_ha), "approved_ha": str(s.approved_ha)} for s in obj.snapshots.all()]

    @staticmethod
    def resolve_actions(obj, context):
        return [{"action": o.action, "label": o.label, "allowed": o.allowed, "reasons": o.reasons}
                for o in cluster_flow.options(obj, context["request"].user)]


def _get(request, pk: int):
    cluster = selectors.cluster_get(user=request.user, pk=pk)
    if cluster is None:
        raise NotFound(_("No industrial cluster of yours has this number."))
    return cluster


@router.get("/clusters", response=list[ClusterOut], summary="Industrial clusters in your scope",
            operation_id="clusters_list", url_name="clusters_list")
@paginate(BoundedLimitOffsetPagination)
def clusters_list(request, q: str = "", status: str = "", kind: str = "", province: UnitCode | None = None):
    filters = selectors.ClusterFilters(q=q[:100], status=status if status in ClusterStatus.values else "",
                                       kind=kind if kind in ClusterType.values else "", province=province)
    return selectors.cluster_list(user=request.user, filters=filters)


@router.get("/clusters/{cluster_id}", response=ClusterDetailOut, summary="One industrial cluster",
            operation_id="clusters_detail", url_name="clusters_detail")
def clusters_detail(request, cluster_id: RecordId):
    return _get(request, cluster_id)


class ClusterIn(Schema):
    province: UnitCode
    name: str = Field(..., max_length=250)
    kind: str = ClusterType.GENERAL
    planned_ha: str | None = Area
    established_ha: str | None = Area
    industrial_land_ha: str | None = Area
    sectors: str = Field("", max_length=500)
    investor: str = Field("", max_length=250)
    formed_before_2009: bool = False
    operating_without_decision: bool = False


@router.post("/clusters", response={201: ClusterDetailOut}, summary="Enter a cluster (DoIT)",
             operation_id="clusters_create", url_name="clusters_create")
def clusters_create(request, payload: ClusterIn):
    province = visible_provinces(request.user).filter(code=payload.province).first()
    if province is None:
        raise InvalidInput(_("Choose the province."), field="province")
    data = payload.dict()
    status = ClusterStatus.UNESTABLISHED if data.pop("operating_without_decision") else ClusterStatus.PLANNED
    cluster = services.cluster_create(actor=request.user, province=province, data=data, status=status)
    return Status(201, _get(request, cluster.pk))


class ClusterDecisionIn(Schema):
    kind: str = Field(..., description=", ".join(DecisionKind.values))
    number: str = Field(..., max_length=80)
    decided_on: datetime.date
    area_ha: str | None = Area
    investor: str = Field("", max_length=250)
    capital_vnd: Amount = 0
    capital_sources: str = Field("", max_length=300)


@router.post("/clusters/{cluster_id}/decisions", response={201: ClusterDetailOut},
             summary="Record a decision (establish, expand, adjust, repeal)", operation_id="clusters_decision_add",
             url_name="clusters_decision_add")
def clusters_decision_add(request, cluster_id: RecordId, payload: ClusterDecisionIn):
    services.decision_add(actor=request.user, cluster=_get(request, cluster_id), data=payload.dict())
    return Status(201, _get(request, cluster_id))


class ClusterSnapshotIn(Schema):
    on_date: datetime.date
    industrial_ha: str = Field(..., max_length=12)
    serviced_ha: str | None = Area
    leased_ha: str | None = Area
    approved_ha: str | None = Area


@router.post("/clusters/{cluster_id}/land", response={201: ClusterDetailOut},
             summary="Record a land snapshot (occupancy is computed)", operation_id="clusters_snapshot_add",
             url_name="clusters_snapshot_add")
def clusters_snapshot_add(request, cluster_id: RecordId, payload: ClusterSnapshotIn):
    services.snapshot_add(actor=request.user, cluster=_get(request, cluster_id), data=payload.dict())
    return Status(201, _get(request, cluster_id))


class ClusterTenantIn(Schema):
    name: str = Field(..., max_length=250)
    sector: str = Field("", max_length=200)
    leased_ha: str | None = Area
    certificate: str = Field("", max_length=120)
    is_fdi: bool = False


@router.post("/clusters/{cluster_id}/tenants", response={201: ClusterDetailOut}, summary="Add a tenant",
             operation_id="clusters_tenant_add", url_name="clusters_tenant_add")
def clusters_tenant_add(request, cluster_id: RecordId, payload: ClusterTenantIn):
    services.tenant_add(actor=request.user, cluster=_get(request, cluster_id), data=payload.dict())
    return Status(201, _get(request, cluster_id))


class ClusterSupportIn(Schema):
    source: str = Field(..., description=", ".join(SupportSource.values))
    amount_vnd: Amount
    decided_on: datetime.date
    reference: str = Field("", max_length=120)


@router.post("/clusters/{cluster_id}/supports", response={201: ClusterDetailOut},
             summary="Record state support of the infrastructure (refused over the 30 % cap)",
             operation_id="clusters_support_add", url_name="clusters_support_add")
def clusters_support_add(request, cluster_id: RecordId, payload: ClusterSupportIn):
    services.support_add(actor=request.user, cluster=_get(request, cluster_id), data=payload.dict())
    return Status(201, _get(request, cluster_id))


class ClusterInfrastructureIn(Schema):
    approved_total_vnd: Amount
    paid_vnd: Amount = 0
    reference: str = Field("", max_length=120)
    approved_on: datetime.date | None = None
    version: Version | None = None


@router.put("/clusters/{cluster_id}/infrastructure", response=ClusterDetailOut,
            summary="Record the infrastructure investment project", operation_id="clusters_infrastructure_set",
            url_name="clusters_infrastructure_set")
def clusters_infrastructure_set(request, cluster_id: RecordId, payload: ClusterInfrastructureIn):
    data = payload.dict()
    version = data.pop("version")
    services.infrastructure_set(actor=request.user, cluster=_get(request, cluster_id), data=data, version=version)
    return _get(request, cluster_id)


class ClusterActIn(Schema):
    version: Version
    reason: str = Field("", max_length=500)


@router.post("/clusters/{cluster_id}/act/{action}", response=ClusterDetailOut,
             summary="Move the cluster along its lifecycle", operation_id="clusters_act", url_name="clusters_act")
def clusters_act(request, cluster_id: RecordId, action: str, payload: ClusterActIn):
    cluster = _get(request, cluster_id)
    services.cluster_transition(actor=request.user, cluster=cluster, action=action[:40], version=payload.version,
                                inputs={"reason": payload.reason})
    return _get(request, cluster_id)


class ClusterSummaryOut(Schema):
    period: str
    province: int | None
    rows: list[list]
    agrees: bool | None


@router.get("/clusters-report", response=ClusterSummaryOut,
            summary="Form 04 of a province, or the national roll-up (forms 03/04 of TT 14/2024)",
            operation_id="clusters_report", url_name="clusters_report")
def clusters_report(request, period: str = "", province: UnitCode | None = None):
    p = reports.ReportPeriod.parse(period) if period else reports.ReportPeriod.recent(timezone.localdate())[0]
    provinces = list(visible_provinces(request.user))
    if province is not None:
        unit = next((u for u in provinces if u.code == province), None)
        if unit is None:
            raise NotFound(_("No province of yours has this code."))
        total, agrees = reports.province_summary(selectors.scoped(request.user).filter(province=unit), p)
        return {"period": p.key, "province": unit.code, "rows": reports.summary_rows(total), "agrees": agrees}
    national = reports.Summary()
    for unit in provinces:
        summary, _agrees = reports.province_summary(selectors.scoped(request.user).filter(province=unit), p)
        national.merge(summary)
    for code in reports.SUMMARY_CODES:
        national.figures.setdefault(code, 0)
    return {"period": p.key, "province": None, "rows": reports.summary_rows(national.finish()), "agrees": None}
