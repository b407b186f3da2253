"""Every write of the clusters module: atomic, permission-checked, version-checked, audited.

State support of a cluster's infrastructure, from any source, is refused over the cap of NĐ 32/2024 Art 26.1 (a rule
row); the conditions of Art 8 are checked when an establishment or expansion decision is recorded."""

import datetime
import secrets
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.models import User
from khuyencong.core.audit import audit_record, field_changes
from khuyencong.core.errors import InvalidInput, PermissionDenied
from khuyencong.core.money import check_amount
from khuyencong.core.permissions import ALLOW
from khuyencong.core.text import fold, normalize_text
from khuyencong.core.versions import check_version, versioned_update
from khuyencong.geo.models import AdminUnit

from . import law, reports, selectors
from .flows import cluster_flow, procedure_flow
from .models import (
    Bid,
    Cluster,
    ClusterAccount,
    ClusterDecision,
    ClusterStatus,
    ClusterSupport,
    ClusterType,
    Component,
    ComponentKind,
    ComponentStatus,
    DecisionKind,
    FormKind,
    FormReport,
    FormStatus,
    Infrastructure,
    LandSnapshot,
    Procedure,
    ProcedureKind,
    ProcedureStatus,
    StateSupport,
    SupportSource,
    Tenant,
    TenantStatus,
)
from .permissions import account_of, can_edit_cluster, can_fill_form, can_link_project

MAX_HA = Decimal("100000")


def _require(decision) -> None:
    if not decision:
        raise PermissionDenied(decision.reason)


def _open(cluster: Cluster) -> None:
    if cluster.status == ClusterStatus.REMOVED:
        raise InvalidInput(_("The cluster has been removed from the plan: its record no longer changes."),
                           code="removed")


def _lock(cluster: Cluster) -> Cluster:
    return Cluster.objects.select_for_update().get(pk=cluster.pk)


def _ha(value, field: str, *, required: bool = False) -> Decimal:
    if value in (None, "") and not required:
        return Decimal(0)
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise InvalidInput(_("Give an area in hectares, for example 12,5."), field=field) from None
    if not number.is_finite() or number < 0 or number > MAX_HA or (required and number == 0):
        raise InvalidInput(_("Give an area in hectares, above zero and at most 100.000."), field=field)
    return number.quantize(Decimal("0.01"))


def _text(data: dict, name: str, limit: int) -> str:
    return normalize_text(str(data.get(name) or ""))[:limit]


def _date(value, field: str) -> datetime.date:
    if not isinstance(value, datetime.date):
        raise InvalidInput(_("Give the date (dd/mm/yyyy)."), field=field)
    if value > timezone.localdate() + datetime.timedelta(days=366) or value.year < 1990:
        raise InvalidInput(_("The date is out of range."), field=field)
    return value


# --- the register

CLUSTER_FIELDS = ("name", "kind", "planned_ha", "established_ha", "industrial_land_ha", "sectors",
                  "formed_before_2009", "investor", "note", "detailed_plan_on")


def _clean_cluster(data: dict, current: Cluster | None = None) -> dict:
    merged = {name: getattr(current, name) for name in CLUSTER_FIELDS} if current else {}
    merged.update({k: v for k, v in data.items() if k in CLUSTER_FIELDS})
    merged["name"] = _text(merged, "name", 250)
    if not merged["name"]:
        raise InvalidInput(_("Give the name of the cluster."), field="name")
    merged["kind"] = merged.get("kind") or ClusterType.GENERAL
    if merged["kind"] not in ClusterType.values:
        raise InvalidInput(_("Choose the type of cluster."), field="kind")
    for name in ("planned_ha", "established_ha", "industrial_land_ha"):
        merged[name] = _ha(merged.get(name), name)
    if merged["industrial_land_ha"] > max(merged["planned_ha"], merged["established_ha"]):
        raise InvalidInput(_("The industrial land cannot exceed the cluster's area."), field="industrial_land_ha")
    merged["sectors"] = _text(merged, "sectors", 500)
    merged["investor"] = _text(merged, "investor", 250)
    merged["note"] = str(merged.get("note") or "").strip()
    merged["formed_before_2009"] = bool(merged.get("formed_before_2009"))
    merged["detailed_plan_on"] = merged.get("detailed_plan_on") or None
    if merged["detailed_plan_on"] is not None:
        merged["detailed_plan_on"] = _date(merged["detailed_plan_on"], "detailed_plan_on")
    return merged


def _communes(province: AdminUnit, communes) -> list[AdminUnit]:
    units = list(communes or [])
    for unit in units:
        if unit.scheme != "current" or unit.level != "commune" or unit.province_id != province.pk:
            raise InvalidInput(_("The communes must be today's communes of the cluster's province."), field="communes")
    return units


def cluster_create(*, actor, province: AdminUnit, data: dict, communes=(), legacy_units=(),
                   status: str = ClusterStatus.PLANNED) -> Cluster:
    if province is None or province.scheme != "current" or province.level != "province":
        raise InvalidInput(_("Choose the province."), field="province")
    _require(can_edit_cluster(actor, province.pk))
    if status not in (ClusterStatus.PLANNED, ClusterStatus.UNESTABLISHED):
        raise InvalidInput(_("A new cluster is entered as planned, or as operating without an establishment "
                           "decision."), field="status")
    clean = _clean_cluster(data)
    units = _communes(province, communes)
    with transaction.atomic():
        cluster = Cluster.objects.create(province=province, status=status, name_folded=fold(clean["name"]),
                                         created_by=actor if getattr(actor, "pk", None) else None, **clean)
        cluster.communes.set(units)
        cluster.legacy_units.set([u for u in legacy_units if u.scheme == "legacy"])
        audit_record(actor=actor, action="clusters.cluster_create", obj=cluster,
                     changes={**{k: [None, v] for k, v in clean.items()}, "status": [None, status]})
    return cluster


def cluster_update(*, actor, cluster: Cluster, data: dict, version: int | None, communes=None) -> Cluster:
    _require(can_edit_cluster(actor, cluster.province_id))
    _open(cluster)
    clean = _clean_cluster(data, cluster)
    with transaction.atomic():
        changes = field_changes(cluster, clean)
        fields = {**clean, "name_folded": fold(clean["name"])}
        versioned_update(cluster, fields, version, what=_("cluster"))
        if communes is not None:
            cluster.communes.set(_communes(cluster.province, communes))
        audit_record(actor=actor, action="clusters.cluster_update", obj=cluster, changes=changes)
    return cluster


def cluster_transition(*, actor, cluster: Cluster, action: str, version: int | None, inputs: dict | None = None,
                       on_date: datetime.date | None = None) -> Cluster:
    with transaction.atomic():
        row = cluster_flow.check(cluster, actor, action, inputs=inputs, on_date=on_date)
        fields = {}
        if action == "regularise":
            fields["regularised_on"] = on_date or timezone.localdate()
        changes = cluster_flow.commit(cluster, row, actor=actor, version=version, inputs=inputs, on_date=on_date,
                                      fields=fields, what=_("cluster"))
        audit_record(actor=actor, action=f"clusters.{action}", obj=cluster, changes=changes)
    return cluster


# --- decisions (Art 8 checked on establishment and expansion)


def _unless_before_rules(check):
    """A past decision taken before the rows of NĐ 32/2024 came into force is recorded as history, unchecked."""
    try:
        return check()
    except InvalidInput as exc:
        if exc.code == "rule_missing":
            return ALLOW
        raise


def decision_add(*, actor, cluster: Cluster, data: dict) -> ClusterDecision:
    _require(can_edit_cluster(actor, cluster.province_id))
    _open(cluster)
    kind = data.get("kind")
    if kind not in DecisionKind.values:
        raise InvalidInput(_("Choose the kind of decision."), field="kind")
    number = _text(data, "number", 80)
    if not number:
        raise InvalidInput(_("Give the decision number."), field="number")
    decided_on = _date(data.get("decided_on"), "decided_on")
    area = _ha(data.get("area_ha"), "area_ha", required=kind in (DecisionKind.ESTABLISH, DecisionKind.EXPAND))
    capital = check_amount(data.get("capital_vnd") or 0, field="capital_vnd")
    investor = _text(data, "investor", 250)
    with transaction.atomic():
        cluster = _lock(cluster)
        if kind == DecisionKind.ESTABLISH:
            others = Cluster.objects.filter(province_id=cluster.province_id).exclude(pk=cluster.pk).exclude(
                status__in=(ClusterStatus.PLANNED, ClusterStatus.REMOVED))
            average, unleased = selectors.area_occupancy(others)
            refusal = _unless_before_rules(lambda: law.establish_decision(
                average_occupancy=average, unleased_ha=unleased, on_date=decided_on))
            if not refusal:
                raise InvalidInput(refusal.reason, field="kind", code="guard")
        if kind == DecisionKind.EXPAND:
            figures = selectors.with_figures(Cluster.objects.filter(pk=cluster.pk)).prefetch_related(
                "components").get()
            refusal = _unless_before_rules(lambda: law.expand_decision(
                total_ha=area, occupancy=selectors.cluster_occupancy(figures),
                essential_done=selectors.essential_done(figures), on_date=decided_on))
            if not refusal:
                raise InvalidInput(refusal.reason, field="area_ha", code="guard")
        try:
            with transaction.atomic():
                decision = ClusterDecision.objects.create(
                    cluster=cluster, kind=kind, number=number, decided_on=decided_on, area_ha=area,
                    investor=investor, capital_vnd=capital, capital_sources=_text(data, "capital_sources", 300))
        except IntegrityError:
            raise InvalidInput(_("This cluster already has a decision with this number."), field="number") from None
        updates = {}
        if kind in (DecisionKind.ESTABLISH, DecisionKind.EXPAND, DecisionKind.ADJUST) and area:
            updates["established_ha"] = area
        if investor and kind != DecisionKind.REPEAL:
            updates["investor"] = investor
        changes = field_changes(cluster, updates)
        if changes:
            versioned_update(cluster, updates, None)
        audit_record(actor=actor, action="clusters.decision_add", obj=cluster,
                     changes={"decision": [None, str(decision)], **changes})
    return decision


# --- infrastructure and state support (Art 26.1)


def infrastructure_set(*, actor, cluster: Cluster, data: dict, version: int | None = None) -> Infrastructure:
    _require(can_edit_cluster(actor, cluster.province_id))
    _open(cluster)
    total = check_amount(data.get("approved_total_vnd") or 0, field="approved_total_vnd")
    paid = check_amount(data.get("paid_vnd") or 0, field="paid_vnd")
    approved_on = data.get("approved_on")
    if approved_on is not None:
        approved_on = _date(approved_on, "approved_on")
    values = {"approved_total_vnd": total, "paid_vnd": paid, "approved_on": approved_on,
              "reference": _text(data, "reference", 120)}
    with transaction.atomic():
        _lock(cluster)
        infra = Infrastructure.objects.select_for_update().filter(cluster=cluster).first()
        supported = selectors.support_total(cluster.pk)
        if supported:
            refusal = law.cap_decision(approved_total_vnd=total, total_support_vnd=supported,
                                       on_date=approved_on or timezone.localdate())
            if not refusal:
                raise InvalidInput(refusal.reason, field="approved_total_vnd", code="support_cap")
        if infra is None:
            infra = Infrastructure.objects.create(cluster=cluster, **values)
            changes = {k: [None, v] for k, v in values.items()}
        else:
            check_version(infra, version, what=_("infrastructure project"))
            changes = field_changes(infra, values)
            versioned_update(infra, values, None)
        audit_record(actor=actor, action="clusters.infrastructure_set", obj=cluster, changes=changes)
    return infra


def _check_cap(cluster: Cluster, extra: int, on_date: datetime.date, *, field: str) -> None:
    infra = Infrastructure.objects.filter(cluster=cluster).first()
    refusal = law.cap_decision(approved_total_vnd=infra.approved_total_vnd if infra else 0,
                               total_support_vnd=selectors.support_total(cluster.pk) + extra, on_date=on_date)
    if not refusal:
        raise InvalidInput(refusal.reason, field=field, code="support_cap")


def support_add(*, actor, cluster: Cluster, data: dict) -> StateSupport:
    """Records state money granted to the infrastructure; refused over the cap of every state source together."""
    _require(can_edit_cluster(actor, cluster.province_id))
    _open(cluster)
    source = data.get("source")
    if source not in SupportSource.values:
        raise InvalidInput(_("Choose the source of the support."), field="source")
    amount = check_amount(data.get("amount_vnd"), field="amount_vnd", positive=True)
    decided_on = _date(data.get("decided_on"), "decided_on")
    with transaction.atomic():
        cluster = _lock(cluster)
        _check_cap(cluster, amount, decided_on, field="amount_vnd")
        row = StateSupport.objects.create(cluster=cluster, source=source, amount_vnd=amount, decided_on=decided_on,
                                          reference=_text(data, "reference", 120))
        audit_record(actor=actor, action="clusters.support_add", obj=cluster,
                     changes={"support": [None, f"{row.get_source_display()}: {amount}"]})
    return row


def project_link(*, actor, cluster: Cluster, project, amount_vnd: int) -> ClusterSupport:
    """Links a KC project supporting the infrastructure, with its amount: refused over the cap now, and checked
    again when the project is approved and contracted (`checks.state_support_cap`)."""
    _require(can_link_project(actor, cluster.province_id))
    _open(cluster)
    if project is None or project.province_id != cluster.province_id:
        raise InvalidInput(_("Choose a KC project of the cluster's province."), field="project")
    amount = check_amount(amount_vnd, field="amount_vnd", positive=True)
    with transaction.atomic():
        cluster = _lock(cluster)
        if ClusterSupport.objects.filter(cluster=cluster, project=project).exists():
            raise InvalidInput(_("This project is already linked to the cluster."), field="project")
        _check_cap(cluster, amount, timezone.localdate(), field="amount_vnd")
        link = ClusterSupport.objects.create(cluster=cluster, project=project, amount_vnd=amount)
        audit_record(actor=actor, action="clusters.project_link", obj=cluster,
                     changes={"project": [None, f"{project.code}: {amount}"]})
    return link


def component_set(*, actor, cluster: Cluster, kind: str, status: str, capacity_m3_day=None,
                  discharge_compliant=None) -> Component:
    _require(can_edit_cluster(actor, cluster.province_id))
    _open(cluster)
    if kind not in ComponentKind.values:
        raise InvalidInput(_("Choose the work."), field="kind")
    if status not in ComponentStatus.values:
        raise InvalidInput(_("Choose the status of the work."), field="status")
    if capacity_m3_day is not None and not (isinstance(capacity_m3_day, int) and 0 <= capacity_m3_day <= 10**7):
        raise InvalidInput(_("Give the capacity in m³ a day, a whole number."), field="capacity_m3_day")
    if kind != ComponentKind.WASTEWATER:
        capacity_m3_day, discharge_compliant = None, None
    values = {"status": status, "capacity_m3_day": capacity_m3_day, "discharge_compliant": discharge_compliant}
    with transaction.atomic():
        _lock(cluster)
        component = Component.objects.filter(cluster=cluster, kind=kind).first()
        if component is None:
            component = Component.objects.create(cluster=cluster, kind=kind, **values)
            changes = {"component": [None, f"{component.get_kind_display()}: {component.get_status_display()}"]}
        else:
            changes = field_changes(component, values)
            versioned_update(component, values, None)
        audit_record(actor=actor, action="clusters.component_set", obj=cluster, changes=changes)
    return component


def tenant_add(*, actor, cluster: Cluster, data: dict) -> Tenant:
    _require(can_edit_cluster(actor, cluster.province_id))
    _open(cluster)
    establishment = data.get("establishment")
    name = _text(data, "name", 250) or (establishment.name if establishment is not None else "")
    if not name:
        raise InvalidInput(_("Give the tenant's name or choose an establishment of the registry."), field="name")
    status = data.get("status") or TenantStatus.OPERATING
    if status not in TenantStatus.values:
        raise InvalidInput(_("Choose the tenant's status."), field="status")
    with transaction.atomic():
        _lock(cluster)
        tenant = Tenant.objects.create(
            cluster=cluster, establishment=establishment, name=name, sector=_text(data, "sector", 200),
            leased_ha=_ha(data.get("leased_ha"), "leased_ha"), certificate=_text(data, "certificate", 120),
            is_fdi=bool(data.get("is_fdi")), status=status)
        audit_record(actor=actor, action="clusters.tenant_add", obj=cluster, changes={"tenant": [None, name]})
    return tenant


def snapshot_add(*, actor, cluster: Cluster, data: dict) -> LandSnapshot:
    """A dated record of the cluster's land; occupancy is computed from it, never typed."""
    _require(can_edit_cluster(actor, cluster.province_id))
    _open(cluster)
    on_date = _date(data.get("on_date"), "on_date")
    industrial = _ha(data.get("industrial_ha"), "industrial_ha", required=True)
    serviced = _ha(data.get("serviced_ha"), "serviced_ha")
    leased = _ha(data.get("leased_ha"), "leased_ha")
    approved = _ha(data.get("approved_ha"), "approved_ha")
    if serviced > industrial:
        raise InvalidInput(_("Serviced land cannot exceed the industrial land."), field="serviced_ha")
    if leased + approved > industrial:
        raise InvalidInput(_("Leased land and land under an investment approval cannot exceed the industrial land."),
                           field="leased_ha")
    with transaction.atomic():
        _lock(cluster)
        if LandSnapshot.objects.filter(cluster=cluster, on_date=on_date).exists():
            raise InvalidInput(_("The cluster already has a land snapshot on this date."), field="on_date")
        snapshot = LandSnapshot.objects.create(cluster=cluster, on_date=on_date, industrial_ha=industrial,
                                               serviced_ha=serviced, leased_ha=leased, approved_ha=approved)
        rate = selectors.occupancy(industrial, leased, approved)
        audit_record(actor=actor, action="clusters.snapshot_add", obj=cluster,
                     changes={"snapshot": [None, f"{on_date:%d/%m/%Y}: {rate} %"]})
    return snapshot


# --- establishing and expanding (Art 10, 13)


def procedure_start(*, actor, cluster: Cluster, kind: str, received_on: datetime.date) -> Procedure:
    _require(can_edit_cluster(actor, cluster.province_id))
    _open(cluster)
    if kind not in ProcedureKind.values:
        raise InvalidInput(_("Choose establishing or expanding."), field="kind")
    received_on = _date(received_on, "received_on")
    with transaction.atomic():
        _lock(cluster)
        if cluster.procedures.exclude(status__in=(ProcedureStatus.DECIDED, ProcedureStatus.REFUSED)).exists():
            raise InvalidInput(_("The cluster already has a procedure under way."), field="kind")
        procedure = Procedure.objects.create(cluster=cluster, kind=kind, received_on=received_on)
        audit_record(actor=actor, action="clusters.procedure_start", obj=cluster,
                     changes={"procedure": [None, procedure.get_kind_display()]})
    return procedure


def procedure_transition(*, actor, procedure: Procedure, action: str, version: int | None,
                         inputs: dict | None = None, on_date: datetime.date | None = None) -> Procedure:
    with transaction.atomic():
        row = procedure_flow.check(procedure, actor, action, inputs=inputs, on_date=on_date)
        changes = procedure_flow.commit(procedure, row, actor=actor, version=version, inputs=inputs,
                                        on_date=on_date, what=_("procedure"))
        if (inputs or {}).get("reason"):
            changes["reason"] = [None, str(inputs["reason"])]
        audit_record(actor=actor, action=f"clusters.procedure_{action}", obj=procedure.cluster, changes=changes)
    return procedure


def bid_add(*, actor, procedure: Procedure, data: dict) -> Bid:
    """The council's scores of one applicant, each within the maximum of its rule row (Art 13.2)."""
    _require(can_edit_cluster(actor, procedure.cluster.province_id))
    if procedure.status not in (ProcedureStatus.SENT, ProcedureStatus.RETURNED):
        raise InvalidInput(_("Applicants are scored during the appraisal."), field="name")
    name = _text(data, "name", 250)
    if not name:
        raise InvalidInput(_("Give the applicant's name."), field="name")
    limits = law.score_limits(timezone.localdate())
    scores = {}
    for criterion in law.CRITERIA:
        value = data.get(f"score_{criterion}")
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= limits[criterion]:
            raise InvalidInput(_("A score from 0 to %(max)s points.") % {"max": limits[criterion]},
                               field=f"score_{criterion}")
        scores[f"score_{criterion}"] = value
    with transaction.atomic():
        try:
            with transaction.atomic():
                bid = Bid.objects.create(procedure=procedure, name=name,
                                         chair_proposed=bool(data.get("chair_proposed")), **scores)
        except IntegrityError:
            raise InvalidInput(_("This applicant is already scored."), field="name") from None
        audit_record(actor=actor, action="clusters.bid_add", obj=procedure.cluster,
                     changes={"bid": [None, f"{name}: {bid.total}"]})
    return bid


# --- the report forms Biểu 01/02 (TT 14/2024)


def form_save(*, actor, cluster: Cluster, form: str, period: str, data: dict, tenant: Tenant | None = None,
              version: int | None = None) -> FormReport:
    """Creates or corrects a draft Biểu 01 (a tenant's) or Biểu 02 (the investor's), entered by DoIT staff or by the
    tenant's or investor's own account."""
    if form not in FormKind.values:
        raise InvalidInput(_("Choose Form 01 or Form 02."), field="form")
    _require(can_fill_form(actor, cluster, form, tenant))
    key = reports.ReportPeriod.parse(period).key
    if form == FormKind.TENANT and (tenant is None or tenant.cluster_id != cluster.pk):
        raise InvalidInput(_("Choose a tenant of the cluster."), field="tenant")
    if form == FormKind.INVESTOR:
        tenant = None
    values = reports.clean_values(form, data)
    with transaction.atomic():
        _lock(cluster)
        report = FormReport.objects.select_for_update().filter(form=form, cluster=cluster, tenant=tenant,
                                                               period=key).first()
        if report is None:
            report = FormReport.objects.create(form=form, cluster=cluster, tenant=tenant, period=key, values=values)
            changes = {"form": [None, f"{form} {key}"]}
        else:
            if report.status != FormStatus.DRAFT:
                raise InvalidInput(_("The form has been submitted: it is corrected once returned."), code="locked")
            check_version(report, version, what=_("form"))
            changes = {"values": [report.values, values]}
            versioned_update(report, {"values": values}, None)
        audit_record(actor=actor, action="clusters.form_save", obj=cluster, changes=changes)
    return report


def form_transition(*, actor, report: FormReport, action: str, version: int | None, inputs: dict | None = None,
                    on_date: datetime.date | None = None) -> FormReport:
    with transaction.atomic():
        row = reports.form_flow.check(report, actor, action, inputs=inputs, on_date=on_date)
        changes = reports.form_flow.commit(report, row, actor=actor, version=version, inputs=inputs, on_date=on_date,
                                           what=_("form"))
        changes["form"] = [None, f"{report.form} {report.period}"]
        audit_record(actor=actor, action=f"clusters.form_{action}", obj=report.cluster, changes=changes)
    return report


# --- the accounts of tenants and investors

PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no look-alikes (l/1, O/0)


def _username(cluster: Cluster, tenant: Tenant | None) -> str:
    words = fold(tenant.name if tenant else cluster.investor or cluster.name).replace("-", " ").split()
    base = "ccn." + ("".join(w[0] for w in words[:6]) or "dn") + f".{cluster.pk}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}.{n}"
    return username


def account_create(*, actor, cluster: Cluster, tenant: Tenant | None, full_name: str = "",
                   email: str = "") -> tuple[ClusterAccount, str]:
    """Opens the account of a tenant (its Biểu 01) or of the cluster's infrastructure investor (Biểu 02, no tenant).
    The account holds no role: it sees and fills only its own forms. Returns it with its password, shown once."""
    _require(can_edit_cluster(actor, cluster.province_id))
    _open(cluster)
    if tenant is not None and tenant.cluster_id != cluster.pk:
        raise InvalidInput(_("Choose a tenant of the cluster."), field="tenant")
    if tenant is None and not cluster.investor:
        raise InvalidInput(_("Record the cluster's infrastructure investor first."), field="tenant")
    taken = ClusterAccount.objects.filter(cluster=cluster, tenant=tenant) if tenant is None else \
        ClusterAccount.objects.filter(tenant=tenant)
    if taken.exists():
        raise InvalidInput(_("This tenant or investor already has an account."), field="tenant")
    password = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(12))
    name = normalize_text(full_name)[:150] or (tenant.name if tenant else cluster.investor)[:150]
    with transaction.atomic():
        user = User(username=_username(cluster, tenant), full_name=name, email=normalize_text(email)[:254])
        user.set_password(password)
        user.save()
        account = ClusterAccount.objects.create(user=user, cluster=cluster, tenant=tenant, created_by=actor)
        audit_record(actor=actor, action="clusters.account_create", obj=cluster,
                     changes={"account": [None, f"{user.username} ({account.form})"]})
    return account, password


def own_form_save(*, actor, period: str, data: dict, version: int | None = None) -> FormReport:
    """A tenant's or investor's account saves its own draft form of the period (Biểu 01 or 02)."""
    account = account_of(actor)
    if account is None:
        raise PermissionDenied(_("This page is for the accounts of tenants and investors."))
    return form_save(actor=actor, cluster=account.cluster, form=account.form, period=period, data=data,
                     tenant=account.tenant, version=version)
