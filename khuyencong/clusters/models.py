"""The tables of clusters: the register of industrial clusters (cụm công nghiệp, CCN) with their decisions, the
infrastructure project and the state's support of it, the shared works, the tenants and the dated land snapshots
(NĐ 32/2024/NĐ-CP).

A cluster belongs to today's province it lies in (that is its scope); its communes are today's, and the legacy units
it was entered under are kept beside them. Occupancy is never typed: `selectors.occupancy` computes it from the latest
land snapshot.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import TrackedModel
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment

CURRENT_PROVINCE = {"scheme": "current", "level": "province"}
AREA = {"max_digits": 10, "decimal_places": 2}


class ClusterType(models.TextChoices):
    GENERAL = "general", pgettext_lazy("cluster type", "General")
    CRAFT_VILLAGE = "craft_village", _("Craft-village cluster")
    SPECIALISED = "specialised", _("Specialised cluster")


class ClusterStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("cluster status", "Planned")
    ESTABLISHED = "established", pgettext_lazy("cluster status", "Established")
    BUILDING = "building", pgettext_lazy("cluster status", "Building infrastructure")
    OPERATING = "operating", pgettext_lazy("cluster status", "Operating")
    UNESTABLISHED = "unestablished", _("Operating without an establishment decision")
    REMOVED = "removed", pgettext_lazy("cluster status", "Removed from the plan")


class Cluster(TrackedModel):
    """One industrial cluster of the provincial list."""

    name = models.CharField(_("name of the cluster"), max_length=250)
    name_folded = models.CharField(max_length=250, editable=False, default="", db_index=True)
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    communes = models.ManyToManyField(AdminUnit, verbose_name=_("communes today"), blank=True, related_name="+",
                                      limit_choices_to={"scheme": "current", "level": "commune"})
    legacy_units = models.ManyToManyField(AdminUnit, verbose_name=_("former units"), blank=True, related_name="+",
                                          limit_choices_to={"scheme": "legacy"})
    kind = models.CharField(_("type of cluster"), max_length=16, choices=ClusterType.choices,
                            default=ClusterType.GENERAL)
    planned_ha = models.DecimalField(_("planned area (ha)"), default=0, **AREA)
    established_ha = models.DecimalField(_("established area (ha)"), default=0, **AREA)
    industrial_land_ha = models.DecimalField(_("industrial land (ha)"), default=0, **AREA)
    sectors = models.CharField(_("sectors"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=ClusterStatus.choices,
                              default=ClusterStatus.PLANNED, db_index=True)
    formed_before_2009 = models.BooleanField(
        _("formed before QĐ 105/2009"), default=False,
        help_text=_("Formed before Decision 105/2009/QĐ-TTg: to be regularised by the deadline of NĐ 32/2024 Art 35."))
    regularised_on = models.DateField(_("regularised on"), null=True, blank=True)
    detailed_plan_on = models.DateField(_("detailed plan (1/500) approved on"), null=True, blank=True)
    investor = models.CharField(_("infrastructure investor"), max_length=250, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("industrial cluster")
        verbose_name_plural = _("industrial clusters")
        ordering = ["province_id", "name", "id"]
        indexes = [models.Index(fields=["province", "name", "id"], name="clusters_prov_name")]
        constraints = [
            models.CheckConstraint(condition=Q(planned_ha__gte=0) & Q(established_ha__gte=0)
                                   & Q(industrial_land_ha__gte=0), name="clusters_cluster_areas"),
        ]

    def __str__(self) -> str:
        return self.name


class DecisionKind(models.TextChoices):
    ESTABLISH = "establish", pgettext_lazy("cluster decision", "Establishment")
    EXPAND = "expand", pgettext_lazy("cluster decision", "Expansion")
    ADJUST = "adjust", pgettext_lazy("cluster decision", "Adjustment")
    REPEAL = "repeal", pgettext_lazy("cluster decision", "Repeal")


class ClusterDecision(TrackedModel):
    """A decision of the provincial People's Committee on the cluster."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("industrial cluster"), on_delete=models.CASCADE,
                                related_name="decisions")
    kind = models.CharField(_("kind of decision"), max_length=12, choices=DecisionKind.choices)
    number = models.CharField(_("decision number"), max_length=80)
    decided_on = models.DateField(_("decision date"))
    area_ha = models.DecimalField(_("area (ha)"), default=0, **AREA)
    investor = models.CharField(_("infrastructure investor"), max_length=250, blank=True)
    capital_vnd = models.BigIntegerField(_("investment capital (đồng)"), default=0)
    capital_sources = models.CharField(_("sources of capital"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("cluster decision")
        verbose_name_plural = _("cluster decisions")
        ordering = ["decided_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "number"], name="clusters_decision_number"),
            models.CheckConstraint(condition=Q(area_ha__gte=0) & Q(capital_vnd__gte=0),
                                   name="clusters_decision_amounts"),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_kind_display()})"


class Infrastructure(TrackedModel):
    """The cluster's infrastructure investment project: its approved total and what has been paid."""

    cluster = models.OneToOneField(Cluster, verbose_name=_("industrial cluster"), on_delete=models.CASCADE,
                                   related_name="infrastructure")
    reference = models.CharField(_("approval decision"), max_length=120, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    approved_total_vnd = models.BigIntegerField(_("approved total investment (đồng)"), default=0)
    paid_vnd = models.BigIntegerField(_("amount paid (đồng)"), default=0)

    class Meta:
        verbose_name = _("infrastructure project")
        verbose_name_plural = _("infrastructure projects")
        constraints = [models.CheckConstraint(condition=Q(approved_total_vnd__gte=0) & Q(paid_vnd__gte=0),
                                              name="clusters_infra_amounts")]

    def __str__(self) -> str:
        return str(self.cluster)


class SupportSource(models.TextChoices):
    KC_NATIONAL = "kc_national", _("National KC fund")
    KC_LOCAL = "kc_local", _("Local KC fund")
    OTHER = "other", _("Other state budget")


class StateSupport(TrackedModel):
    """State money granted to the cluster's infrastructure outside a KC project of this system."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("industrial cluster"), on_delete=models.CASCADE,
                                related_name="state_supports")
    source = models.CharField(_("source"), max_length=12, choices=SupportSource.choices)
    amount_vnd = models.BigIntegerField(_("amount (đồng)"))
    decided_on = models.DateField(_("decision date"))
    reference = models.CharField(_("decision number"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("state support")
        verbose_name_plural = _("state supports")
        ordering = ["decided_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="clusters_support_positive")]


class ClusterSupport(TrackedModel):
    """A KC project that supports the cluster's infrastructure, with the amount it gives (set by staff). The 30 %
    cap is checked on the project's approve and contract steps (`checks.state_support_cap`)."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("industrial cluster"), on_delete=models.CASCADE,
                                related_name="project_links")
    project = models.ForeignKey("projects.Project", verbose_name=_("KC project"), on_delete=models.PROTECT,
                                related_name="cluster_links")
    amount_vnd = models.BigIntegerField(_("support for the infrastructure (đồng)"))

    class Meta:
        verbose_name = _("KC project for the cluster")
        verbose_name_plural = _("KC projects for the cluster")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "project"], name="clusters_support_project"),
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="clusters_link_positive"),
        ]


class ComponentKind(models.TextChoices):
    ROADS = "roads", _("Internal roads")
    WATER = "water", _("Water supply")
    WASTEWATER = "wastewater", _("Wastewater treatment")
    SOLID_WASTE = "solid_waste", _("Solid waste collection")
    FIRE = "fire", _("Fire protection")
    POWER = "power", _("Power supply")
    LIGHTING = "lighting", _("Lighting")
    COMMUNICATIONS = "communications", _("Communications")


ESSENTIAL_WORKS = (ComponentKind.ROADS, ComponentKind.WATER, ComponentKind.WASTEWATER)


class ComponentStatus(models.TextChoices):
    PLANNED = "planned", pgettext_lazy("work status", "Not started")
    BUILDING = "building", pgettext_lazy("work status", "Being built")
    DONE = "done", pgettext_lazy("work status", "In use")


class Component(TrackedModel):
    """One shared work of the cluster (roads, water, wastewater…) with its state."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("industrial cluster"), on_delete=models.CASCADE,
                                related_name="components")
    kind = models.CharField(_("work"), max_length=16, choices=ComponentKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=ComponentStatus.choices,
                              default=ComponentStatus.PLANNED)
    capacity_m3_day = models.PositiveIntegerField(_("capacity (m³/day)"), null=True, blank=True)
    discharge_compliant = models.BooleanField(_("discharge meets the standard"), null=True, blank=True)

    class Meta:
        verbose_name = _("shared work")
        verbose_name_plural = _("shared works")
        ordering = ["kind"]
        constraints = [models.UniqueConstraint(fields=["cluster", "kind"], name="clusters_component_kind")]


class TenantStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing investment")
    OPERATING = "operating", pgettext_lazy("tenant status", "Operating")
    STOPPED = "stopped", pgettext_lazy("tenant status", "Stopped")


class Tenant(TrackedModel):
    """A production project in the cluster: an establishment of the registry or one outside it."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("industrial cluster"), on_delete=models.CASCADE,
                                related_name="tenants")
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="cluster_tenancies")
    name = models.CharField(_("name of the tenant"), max_length=250)
    sector = models.CharField(_("sector"), max_length=200, blank=True)
    leased_ha = models.DecimalField(_("leased land (ha)"), default=0, **AREA)
    certificate = models.CharField(_("investment certificate"), max_length=120, blank=True)
    is_fdi = models.BooleanField(_("foreign-invested"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=TenantStatus.choices,
                              default=TenantStatus.OPERATING)

    class Meta:
        verbose_name = _("tenant")
        verbose_name_plural = _("tenants")
        ordering = ["name", "id"]
        constraints = [models.CheckConstraint(condition=Q(leased_ha__gte=0), name="clusters_tenant_area")]

    def __str__(self) -> str:
        return self.name


class LandSnapshot(TrackedModel):
    """The cluster's land on a date: industrial land, serviced land, leased land and land covered by an investment
    approval not yet leased. Occupancy = (leased + approved) ÷ industrial land (NĐ 32/2024 Art 2)."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("industrial cluster"), on_delete=models.CASCADE,
                                related_name="snapshots")
    on_date = models.DateField(_("as of"))
    industrial_ha = models.DecimalField(_("industrial land (ha)"), **AREA)
    serviced_ha = models.DecimalField(_("serviced land (ha)"), default=0, **AREA)
    leased_ha = models.DecimalField(_("leased land (ha)"), default=0, **AREA)
    approved_ha = models.DecimalField(_("land under an investment approval, not yet leased (ha)"), default=0, **AREA)

    class Meta:
        verbose_name = _("land snapshot")
        verbose_name_plural = _("land snapshots")
        ordering = ["-on_date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cluster", "on_date"], name="clusters_snapshot_date"),
            models.CheckConstraint(condition=Q(industrial_ha__gt=0) & Q(serviced_ha__gte=0) & Q(leased_ha__gte=0)
                                   & Q(approved_ha__gte=0), name="clusters_snapshot_areas"),
            models.CheckConstraint(condition=Q(leased_ha__lte=F("industrial_ha") - F("approved_ha")),
                                   name="clusters_snapshot_within"),
        ]


class ProcedureKind(models.TextChoices):
    ESTABLISH = "establish", _("Establishing")
    EXPAND = "expand", _("Expanding")


class ProcedureStatus(models.TextChoices):
    RECEIVED = "received", _("Investor's request received")
    NOTICED = "noticed", _("Intake announced")
    INTAKE_CLOSED = "intake_closed", _("Intake closed")
    SENT = "sent", _("Dossier sent to the DoIT")
    RETURNED = "returned", _("Returned for completion")
    APPRAISED = "appraised", _("Appraised")
    DECIDED = "decided", _("Decided")
    REFUSED = "refused", pgettext_lazy("procedure status", "Refused")


class Procedure(TrackedModel):
    """Establishing or expanding a cluster (NĐ 32/2024 Art 10): notice, intake window, commune → DoIT, appraisal
    (returned with the clock paused), investor selection, decision. Each step's deadline is computed from rule rows
    in force on the day the step starts (`law.step_due`)."""

    cluster = models.ForeignKey(Cluster, verbose_name=_("industrial cluster"), on_delete=models.CASCADE,
                                related_name="procedures")
    kind = models.CharField(_("procedure"), max_length=10, choices=ProcedureKind.choices)
    status = models.CharField(_("status"), max_length=14, choices=ProcedureStatus.choices,
                              default=ProcedureStatus.RECEIVED)
    received_on = models.DateField(_("investor's first request received on"))
    noticed_on = models.DateField(_("intake announced on"), null=True, blank=True)
    intake_closed_on = models.DateField(_("intake closed on"), null=True, blank=True)
    sent_on = models.DateField(_("complete dossier received by the DoIT on"), null=True, blank=True)
    returned_on = models.DateField(_("returned for completion on"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("days paused for completion"), default=0)
    appraised_on = models.DateField(_("appraised on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    reference = models.CharField(_("decision number"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("establishing procedure")
        verbose_name_plural = _("establishing procedures")
        ordering = ["-received_on", "-id"]

    @property
    def province_id(self):
        return self.cluster.province_id


class Bid(TrackedModel):
    """An applicant to be the infrastructure investor, with the council's scores (Art 13.2)."""

    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE,
                                  related_name="bids")
    name = models.CharField(_("applicant"), max_length=250)
    score_plan = models.PositiveSmallIntegerField(_("infrastructure plan (points)"), default=0)
    score_environment = models.PositiveSmallIntegerField(_("environment plan (points)"), default=0)
    score_capacity = models.PositiveSmallIntegerField(_("capacity and experience (points)"), default=0)
    score_finance = models.PositiveSmallIntegerField(_("financial plan (points)"), default=0)
    chair_proposed = models.BooleanField(_("proposed by the council chair"), default=False)

    class Meta:
        verbose_name = _("investor application")
        verbose_name_plural = _("investor applications")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["procedure", "name"], name="clusters_bid_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def total(self) -> int:
        return self.score_plan + self.score_environment + self.score_capacity + self.score_finance


class FormKind(models.TextChoices):
    TENANT = "01", _("Form 01 (production project)")
    INVESTOR = "02", _("Form 02 (infrastructure investor)")


class FormStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("form status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("form status", "Submitted")
    APPROVED = "approved", pgettext_lazy("form status", "Approved and locked")


class FormReport(TrackedModel):
    """A half-yearly or yearly form of TT 14/2024/TT-BCT entered for a tenant (Biểu 01) or for the cluster's
    infrastructure investor (Biểu 02); Biểu 03 and 04 are computed from these and the register (`reports.py`).
    The values are kept by the row codes of `reports.FORM_ROWS`."""

    form = models.CharField(_("form"), max_length=2, choices=FormKind.choices)
    cluster = models.ForeignKey(Cluster, verbose_name=_("industrial cluster"), on_delete=models.CASCADE,
                                related_name="form_reports")
    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="form_reports")
    period = models.CharField(_("period"), max_length=8)  # "2026-H1" (half-year) or "2026" (year)
    values = models.JSONField(_("values"), default=dict)
    status = models.CharField(_("status"), max_length=10, choices=FormStatus.choices, default=FormStatus.DRAFT,
                              db_index=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)

    class Meta:
        verbose_name = _("cluster report form")
        verbose_name_plural = _("cluster report forms")
        ordering = ["-period", "form", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tenant", "period"], condition=Q(form="01"), name="clusters_form01_once"),
            models.UniqueConstraint(fields=["cluster", "period"], condition=Q(form="02"),
                                    name="clusters_form02_once"),
            models.CheckConstraint(condition=Q(form="01", tenant__isnull=False) | Q(form="02", tenant__isnull=True),
                                   name="clusters_form_tenant"),
        ]

    @property
    def province_id(self):
        return self.cluster.province_id


class ClusterAccount(TrackedModel):
    """The login of a tenant (Biểu 01 of its production project) or of the cluster's infrastructure investor
    (Biểu 02, `tenant` empty), created by DoIT staff. It holds no role: it sees and fills only its own forms, on its
    own page (`/clusters/my-forms/`), and nothing else of the system."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
                                related_name="cluster_account")
    cluster = models.ForeignKey(Cluster, verbose_name=_("industrial cluster"), on_delete=models.CASCADE,
                                related_name="accounts")
    tenant = models.ForeignKey(Tenant, verbose_name=_("tenant"), null=True, blank=True, on_delete=models.CASCADE,
                               related_name="accounts")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("cluster reporting account")
        verbose_name_plural = _("cluster reporting accounts")
        constraints = [
            models.UniqueConstraint(fields=["tenant"], condition=Q(tenant__isnull=False),
                                    name="clusters_account_tenant"),
            models.UniqueConstraint(fields=["cluster"], condition=Q(tenant__isnull=True),
                                    name="clusters_account_investor"),
        ]

    @property
    def form(self) -> str:
        return FormKind.INVESTOR if self.tenant_id is None else FormKind.TENANT
