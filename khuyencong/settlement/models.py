"""The tables of settlement: double-support findings, settlement obstacles and policy proposals."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import TrackedModel
from khuyencong.geo.models import AdminUnit
from khuyencong.projects.models import LedgerEntry, Project, ProjectContent
from khuyencong.registry.models import Establishment

CURRENT_PROVINCE = {"scheme": "current", "level": "province"}


class CheckCode(models.TextChoices):
    SAME_ITEM = "same_item", _("Same cost item supported twice")
    WINDOW = "window", _("Same content within the look-back window")
    NATIONAL_LOCAL = "national_local", _("Same content in a national and a local project the same year")
    OVERSEAS_FAIRS = "overseas_fairs", _("More than the allowed overseas fairs in a year")
    DEMO_REPEAT = "demo_repeat", _("Demonstration technology repeated in the same area")
    SAME_INVOICE = "same_invoice", _("Same invoice settled in another project")


class Severity(models.TextChoices):
    BLOCK = "block", _("Blocks the step")
    REVIEW = "review", _("For the appraiser's review")


class FindingStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("finding", "Open")
    EXPLAINED = "explained", _("Explained by the centre")
    CLEARED = "cleared", _("Cleared")
    UPHELD = "upheld", _("Upheld")


class Finding(TrackedModel):
    """A possible double support found by a check: this project's cost item and the other record, side by side."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="settlement_findings")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    check_code = models.CharField(_("check"), max_length=20, choices=CheckCode.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices)
    stage = models.CharField(_("found at"), max_length=12, blank=True)
    other_key = models.CharField(max_length=60, editable=False)
    this_side = models.JSONField(_("this project"), default=dict)
    other_side = models.JSONField(_("the other record"), default=dict)
    reason = models.TextField(_("what was found"))
    basis = models.CharField(_("legal basis"), max_length=300)
    amount_vnd = models.BigIntegerField(_("amount at stake (đồng)"), default=0)
    status = models.CharField(_("status"), max_length=10, choices=FindingStatus.choices, default=FindingStatus.OPEN,
                              db_index=True)
    explanation = models.TextField(_("explanation"), blank=True)
    decision_note = models.TextField(_("conclusion"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    refund = models.ForeignKey(LedgerEntry, verbose_name=_("refund entry"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("double-support finding")
        verbose_name_plural = _("double-support findings")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "status", "-id"], name="settle_find_prov"),
                   models.Index(fields=["status", "-id"], name="settle_find_status")]
        constraints = [
            models.UniqueConstraint(fields=["project", "check_code", "other_key"], name="settle_finding_once"),
            models.CheckConstraint(condition=Q(amount_vnd__gte=0), name="settle_finding_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.get_check_code_display()}"

    @property
    def this_view(self) -> dict:
        return _side(self.this_side)

    @property
    def other_view(self) -> dict:
        return _side(self.other_side)


SIDE_KEYS = ("kind", "project_id", "code", "title", "year", "fund", "content", "content_code", "item", "amount",
             "who", "establishment", "count", "limit")


def _side(data: dict) -> dict:
    """One side of a finding with every key the page reads (empty when the record has no such fact)."""
    return {key: (data or {}).get(key, "") for key in SIDE_KEYS}


class CostInvoice(TrackedModel):
    """An invoice behind a cost item in the settlement dossier: the supplier's tax code, the invoice's number (kept as
    typed and as its key: no spaces, no leading zeros, upper case) and date. The same invoice in another project, of
    any fund and any year, is a double support of the same cost item."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="settlement_invoices")
    content = models.ForeignKey(ProjectContent, verbose_name=_("cost item"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    supplier_tax_code = models.CharField(_("supplier's tax code"), max_length=14)
    supplier_name = models.CharField(_("supplier"), max_length=200, blank=True)
    number = models.CharField(_("invoice number"), max_length=40)
    number_key = models.CharField(max_length=40, editable=False)
    issued_on = models.DateField(_("invoice date"), null=True, blank=True)
    amount_vnd = models.BigIntegerField(_("amount (đồng)"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("invoice of a cost item")
        verbose_name_plural = _("invoices of cost items")
        ordering = ["id"]
        indexes = [models.Index(fields=["supplier_tax_code", "number_key"], name="settle_invoice_match")]
        constraints = [
            models.UniqueConstraint(fields=["project", "supplier_tax_code", "number_key"], name="settle_invoice_once"),
            models.CheckConstraint(condition=Q(amount_vnd__gt=0), name="settle_invoice_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_tax_code} {self.number}"


class ObstacleKind(models.TextChoices):
    MISSING_VOUCHERS = "missing_vouchers", _("Missing vouchers")
    TREASURY_REFUSAL = "treasury_refusal", _("Treasury refusal")
    LATE_ACCEPTANCE = "late_acceptance", _("Late acceptance")
    COUNTERPART = "counterpart", _("Counterpart funds short")
    FORCE_MAJEURE = "force_majeure", _("Force majeure")
    OTHER = "other", _("Other")


class ObstacleOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    PARTIAL = "partial", _("Partial settlement for force majeure")
    UNRESOLVED = "unresolved", _("Could not be resolved")


class Obstacle(TrackedModel):
    """An obstacle to a project's settlement, who deals with it, by when, and how it ended."""

    project = models.ForeignKey(Project, verbose_name=_("project"), on_delete=models.PROTECT,
                                related_name="settlement_obstacles")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    kind = models.CharField(_("obstacle"), max_length=20, choices=ObstacleKind.choices)
    description = models.TextField(_("description"))
    owner = models.CharField(_("who deals with it"), max_length=200)
    raised_on = models.DateField(_("raised on"))
    due_on = models.DateField(_("to be solved by"), null=True, blank=True)
    resolved_on = models.DateField(_("closed on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=ObstacleOutcome.choices, blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    settled_part_vnd = models.BigIntegerField(_("part settled (đồng)"), null=True, blank=True)

    class Meta:
        verbose_name = _("settlement obstacle")
        verbose_name_plural = _("settlement obstacles")
        ordering = ["-raised_on", "-id"]
        indexes = [models.Index(fields=["province", "resolved_on"], name="settle_obst_prov")]
        constraints = [
            models.CheckConstraint(condition=Q(resolved_on__isnull=True) | ~Q(outcome=""),
                                   name="settle_obstacle_closed_outcome"),
            models.CheckConstraint(condition=Q(due_on__isnull=True) | Q(due_on__gte=models.F("raised_on")),
                                   name="settle_obstacle_dates"),
            models.CheckConstraint(condition=Q(settled_part_vnd__isnull=True) | Q(settled_part_vnd__gte=0),
                                   name="settle_obstacle_part_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project.code}: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.resolved_on is None


class Instrument(models.TextChoices):
    COUNCIL_RESOLUTION = "council_resolution", _("Resolution of the provincial People's Council")
    COMMITTEE_DECISION = "committee_decision", _("Decision of the provincial People's Committee")
    MINISTRY_CIRCULAR = "ministry_circular", _("Circular of the ministry")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("proposal", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("proposal", "Submitted")
    ADOPTED = "adopted", pgettext_lazy("proposal", "Adopted")
    REJECTED = "rejected", _("Rejected")


class PolicyProposal(TrackedModel):
    """A proposal to change a support mechanism, built from the evidence; read by every province."""

    title = models.CharField(_("title of the proposal"), max_length=300)
    problem = models.TextField(_("problem"))
    instrument = models.CharField(_("instrument targeted"), max_length=20, choices=Instrument.choices)
    proposed_text = models.TextField(_("text proposed"))
    province = models.ForeignKey(AdminUnit, verbose_name=_("proposing province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", limit_choices_to=CURRENT_PROVINCE)
    status = models.CharField(_("status"), max_length=10, choices=ProposalStatus.choices,
                              default=ProposalStatus.DRAFT, db_index=True)
    obstacles = models.ManyToManyField(Obstacle, verbose_name=_("obstacles"), blank=True, related_name="proposals")
    findings = models.ManyToManyField(Finding, verbose_name=_("double-support findings"), blank=True,
                                      related_name="proposals")
    lessons = models.ManyToManyField("events.Lesson", verbose_name=_("lessons learned"), blank=True,
                                     related_name="policy_proposals")
    indicator_codes = models.JSONField(_("indicator codes"), default=list, blank=True)
    decision_reference = models.CharField(_("decision number"), max_length=120, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    rule_key = models.CharField(_("rule produced"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("policy proposal")
        verbose_name_plural = _("policy proposals")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="adopted") | ~Q(rule_key=""),
                                   name="settle_proposal_adopted_rule"),
        ]

    def __str__(self) -> str:
        return self.title
