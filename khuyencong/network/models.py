"""The collaborator network (mạng lưới cộng tác viên khuyến công).

NĐ 45/2012 Art 8.3 lets the provincial People's Committee set up the network and Art 10 lets its Chairman set the
collaborators' fee; everything else (standards to join, duties, term, fee amounts, evaluation) is in each province's
own regulation (quy chế). So a `Regulation` row holds those choices as data, and every computation here reads it.

A collaborator covers communes over time: `Coverage` rows are opened and closed, never rewritten, so "who covered
which commune when" stays answerable after people leave and after the 2025 mergers moved networks between units.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from khuyencong.core.models import TrackedModel
from khuyencong.core.periods import PeriodKind
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment, Gender, Sector
from khuyencong.rules.models import EntityType, SmeSize

CURRENT_PROVINCE = {"scheme": "current", "level": "province"}
CURRENT_COMMUNE = {"scheme": "current", "level": "commune"}


class EducationLevel(models.TextChoices):
    """Ordered from lowest to highest: a standard "at least upper secondary" compares ranks."""

    LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    VOCATIONAL = "vocational", _("Vocational secondary")
    COLLEGE = "college", _("College")
    UNIVERSITY = "university", _("University")
    POSTGRADUATE = "postgraduate", _("Postgraduate")

    @classmethod
    def rank(cls, value: str) -> int:
        return cls.values.index(value) if value in cls.values else -1


class AffiliationKind(models.TextChoices):
    COMMUNE_PC = "commune_pc", _("Commune People's Committee")
    ASSOCIATION = "association", _("Association or mass organisation")
    ENTERPRISE = "enterprise", _("Enterprise or cooperative")
    PUBLIC_UNIT = "public_unit", _("Other public body")
    INDEPENDENT = "independent", _("Independent or retired")


# --- the province's regulation ----------------------------------------------------------------------------------------


class Regulation(TrackedModel):
    """A province's network regulation (quy chế) with the standards, duties, term, fee scheme and evaluation it sets.

    Fee amounts are integer đồng as the regulation (or the Chairman's fee decision) writes them; none is a literal in
    code. The regulation in force on a date is the latest one whose effective period covers it.
    """

    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    number = models.CharField(_("decision number"), max_length=80)
    title = models.CharField(_("name of the regulation"), max_length=300)
    issued_on = models.DateField(_("issued on"))
    issuing_body = models.CharField(_("issued by"), max_length=200)
    signer = models.CharField(_("signed by"), max_length=150)
    effective_from = models.DateField(_("in force from"))
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    duties = models.TextField(_("duties of a collaborator"), blank=True)
    term_months = models.PositiveSmallIntegerField(_("term (months)"))
    max_communes = models.PositiveSmallIntegerField(_("communes per collaborator at most"), null=True, blank=True)
    appointing_authority = models.CharField(
        _("appointing authority"), max_length=250,
        help_text=_("Who signs appointment decisions, e.g. the director of the KC centre."),
    )
    appointing_body = models.CharField(_("body issuing appointment decisions"), max_length=250)
    parent_body = models.CharField(_("its governing body"), max_length=250, blank=True)
    decision_symbol = models.CharField(_("symbol of appointment decisions"), max_length=30, default="QĐ-TTKC")
    monthly_base_vnd = models.BigIntegerField(_("monthly base fee (đồng)"), default=0)
    per_survey_vnd = models.BigIntegerField(_("per accepted survey (đồng)"), default=0)
    per_conversion_vnd = models.BigIntegerField(_("per registration turned into a project (đồng)"), default=0)
    per_report_vnd = models.BigIntegerField(_("per accepted report (đồng)"), default=0)
    monthly_cap_vnd = models.BigIntegerField(_("monthly cap (đồng)"), null=True, blank=True)
    accepts_applications = models.BooleanField(_("accepts applications online"), default=True)

    class Meta:
        verbose_name = _("network regulation")
        verbose_name_plural = _("network regulations")
        ordering = ["province__code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["province", "number"], name="network_regulation_number"),
            models.CheckConstraint(
                condition=Q(monthly_base_vnd__gte=0, per_survey_vnd__gte=0, per_conversion_vnd__gte=0,
                            per_report_vnd__gte=0),
                name="network_regulation_fees_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.title}"

    def covers(self, on_date) -> bool:
        return self.effective_from <= on_date and (self.effective_to is None or on_date <= self.effective_to)


class StandardKind(models.TextChoices):
    EDUCATION = "education", _("Education")
    EXPERIENCE = "experience", _("Experience")
    RESIDENCE = "residence", _("Residence")
    AGE = "age", _("Age")
    HEALTH = "health", _("Health")
    ENDORSEMENT = "endorsement", _("Commune endorsement")
    OTHER = "other", _("Other")


class JoiningStandard(models.Model):
    """One standard a person must meet to join. The numbers mean: age range (years), experience (minimum years),
    residence (no number: lives in the province; min 1: in one of the communes applied for)."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="standards")
    kind = models.CharField(_("kind"), max_length=20, choices=StandardKind.choices)
    label = models.CharField(_("standard as written"), max_length=300)
    min_value = models.PositiveSmallIntegerField(_("minimum"), null=True, blank=True)
    max_value = models.PositiveSmallIntegerField(_("maximum"), null=True, blank=True)
    education_level = models.CharField(_("education at least"), max_length=20, choices=EducationLevel.choices,
                                       blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("joining standard")
        verbose_name_plural = _("joining standards")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


class Metric(models.TextChoices):
    SURVEYS = "surveys", _("Accepted surveys")
    REGISTRATIONS = "registrations", _("Needs registered")
    CONVERSIONS = "conversions", _("Registrations turned into projects")
    REPORTS = "reports", _("Accepted reports")
    TASKS_ON_TIME = "tasks_on_time", _("Tasks done on time")


class EvaluationCriterion(models.Model):
    """A weighted criterion of the periodic evaluation. Counts are scored against `monthly_target` × the months of the
    period (full marks at or above the target); tasks on time are scored as the share of due tasks done by their
    due date."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="criteria")
    metric = models.CharField(_("measure"), max_length=20, choices=Metric.choices)
    label = models.CharField(_("criterion as written"), max_length=300)
    weight = models.PositiveSmallIntegerField(_("weight (points)"))
    monthly_target = models.PositiveSmallIntegerField(_("monthly target"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.label


# --- collaborators ----------------------------------------------------------------------------------------------------


class CollaboratorStatus(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Left the network")


class PersonFields(models.Model):
    """What the network keeps about a person. The ID number is never stored: only a keyed hash (to find the same
    person twice) and its last three digits (to show "•••••••••123")."""

    full_name = models.CharField(_("full name"), max_length=150)
    name_folded = models.CharField(max_length=150, editable=False, db_index=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"))
    phone = models.CharField(_("phone"), max_length=15)
    email = models.EmailField(_("email"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    id_number_last3 = models.CharField(_("ID number (last digits)"), max_length=3, blank=True, editable=False)
    id_number_length = models.PositiveSmallIntegerField(default=12, editable=False)
    residence_commune = models.ForeignKey(AdminUnit, verbose_name=_("commune of residence"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+", limit_choices_to=CURRENT_COMMUNE)
    address = models.CharField(_("address"), max_length=300, blank=True)
    education_level = models.CharField(_("education"), max_length=20, choices=EducationLevel.choices, blank=True)
    experience_years = models.PositiveSmallIntegerField(_("years of relevant experience"), null=True, blank=True)
    affiliation_kind = models.CharField(_("works for"), max_length=20, choices=AffiliationKind.choices, blank=True)
    affiliation = models.CharField(_("employer or organisation"), max_length=250, blank=True)

    class Meta:
        abstract = True

    @property
    def id_number_masked(self) -> str:
        if not self.id_number_last3:
            return "—"
        return "•" * max(0, self.id_number_length - 3) + self.id_number_last3


class Collaborator(PersonFields, TrackedModel):
    """A KC collaborator of a province: the person, their appointment and term, status, and their account."""

    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    code = models.CharField(_("code"), max_length=20, unique=True, editable=False)
    seq = models.PositiveIntegerField(editable=False)
    status = models.CharField(_("status"), max_length=12, choices=CollaboratorStatus.choices,
                              default=CollaboratorStatus.APPLICANT)
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    regulation = models.ForeignKey(Regulation, verbose_name=_("regulation"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="collaborators")
    decision_number = models.CharField(_("appointment decision"), max_length=80, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    decision_authority = models.CharField(_("appointing authority"), max_length=250, blank=True)
    decision_signer = models.CharField(_("signed by"), max_length=150, blank=True)
    term_start = models.DateField(_("term from"), null=True, blank=True)
    term_end = models.DateField(_("term until"), null=True, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="collaborator")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("collaborator")
        verbose_name_plural = _("collaborators")
        ordering = ["province__code", "name_folded", "id"]
        indexes = [
            models.Index(fields=["province", "status"], name="network_collab_prov_status"),
            models.Index(fields=["province", "name_folded"], name="network_collab_prov_name"),
        ]
        constraints = [models.UniqueConstraint(fields=["province", "seq"], name="network_collab_seq")]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    @property
    def is_active(self) -> bool:
        return self.status == CollaboratorStatus.ACTIVE


class CollaboratorStatusChange(models.Model):
    """Every status a collaborator went through, from a date: the fee sheet counts the months spent active."""

    collaborator = models.ForeignKey(Collaborator, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(_("status"), max_length=12, choices=CollaboratorStatus.choices)
    on_date = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["on_date", "id"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.on_date:%d/%m/%Y}"


class Reassignment(models.Model):
    """A bulk move of coverage from former (pre-2025) units to today's communes through the succession table."""

    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+")
    on_date = models.DateField(_("effective on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("coverage reassignment")
        verbose_name_plural = _("coverage reassignments")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.province} {self.on_date:%d/%m/%Y}"


class Coverage(models.Model):
    """A collaborator covered a unit from `start_date` to `end_date` (open while covering).

    The unit is a current commune, or (for a network inherited from a merged province) a former commune or district
    still waiting to be moved onto today's communes. Rows are closed, never rewritten or deleted.
    """

    collaborator = models.ForeignKey(Collaborator, on_delete=models.PROTECT, related_name="coverages")
    unit = models.ForeignKey(AdminUnit, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("reason it ended"), max_length=300, blank=True)
    moved_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="moved_to")
    ended_by = models.ForeignKey(Reassignment, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="ended_coverages")
    created_by_move = models.ForeignKey(Reassignment, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="created_coverages")

    class Meta:
        verbose_name = _("coverage")
        verbose_name_plural = _("coverage")
        ordering = ["start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["collaborator", "unit"], condition=Q(end_date__isnull=True),
                                    name="network_coverage_open_once"),
            models.CheckConstraint(condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                                   name="network_coverage_dates"),
        ]
        indexes = [models.Index(fields=["province", "end_date"], name="network_cov_prov_end"),
                   models.Index(fields=["unit", "end_date"], name="network_cov_unit_end")]

    def __str__(self) -> str:
        return f"{self.collaborator.full_name} — {self.unit}"

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    @property
    def is_legacy(self) -> bool:
        return self.unit.scheme == "legacy"


# --- applications -----------------------------------------------------------------------------------------------------


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    ACCEPTED = "accepted", _("Admitted")
    REFUSED = "refused", _("Refused")


class CheckOutcome(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    TO_VERIFY = "to_verify", _("To verify")


class CollaboratorApplication(PersonFields, TrackedModel):
    """A person's application to join the network, sent from the public page, with the check of each standard."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    regulation = models.ForeignKey(Regulation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    communes = models.ManyToManyField(AdminUnit, verbose_name=_("communes applied for"), related_name="+",
                                      limit_choices_to=CURRENT_COMMUNE)
    health_declared = models.BooleanField(_("declares good health"), default=False)
    has_endorsement = models.BooleanField(_("has the commune's endorsement"), default=False)
    motivation = models.TextField(_("why you want to join"), blank=True)
    checks = models.JSONField(_("standards checked"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    refusal_reason = models.TextField(_("reason for refusal"), blank=True)
    collaborator = models.OneToOneField(Collaborator, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="application")
    source_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("application to join")
        verbose_name_plural = _("applications to join")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["province", "status"], name="network_app_prov_status")]

    def __str__(self) -> str:
        return f"{self.reference} — {self.full_name}"


# --- field work -------------------------------------------------------------------------------------------------------


class FieldKind(models.TextChoices):
    SURVEY = "survey", _("Establishment survey")
    NEED = "need", _("Support needs registration")
    COMMUNICATION = "communication", _("Communication session")
    FOLLOWUP = "followup", _("Follow-up visit")


class RecordStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for review")
    ACCEPTED = "accepted", _("Accepted by the centre")
    REJECTED = "rejected", _("Rejected")
    CONVERTED = "converted", _("Turned into a project proposal")


class FieldRecord(TrackedModel):
    """What a collaborator recorded in the field. A survey's changes to an establishment are a change request
    (`proposed_changes`) that staff accept through the registry's service; a needs registration becomes a project
    proposal through the projects module, and `project` keeps the link (for a follow-up visit, `project` is the
    project visited)."""

    collaborator = models.ForeignKey(Collaborator, verbose_name=_("collaborator"), on_delete=models.PROTECT,
                                     related_name="field_records")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    commune = models.ForeignKey(AdminUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+",
                                limit_choices_to=CURRENT_COMMUNE)
    kind = models.CharField(_("kind"), max_length=20, choices=FieldKind.choices)
    occurred_on = models.DateField(_("date"))
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="field_records")
    notes = models.TextField(_("notes"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="network/photos/%Y/%m/", blank=True)
    status = models.CharField(_("status"), max_length=12, choices=RecordStatus.choices,
                              default=RecordStatus.SUBMITTED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("review note"), max_length=500, blank=True)
    # Survey: the changes proposed to the establishment ({field: value}) and its version when surveyed.
    proposed_changes = models.JSONField(_("proposed changes"), default=dict, blank=True)
    base_version = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Needs registration.
    content_code = models.CharField(_("KC content"), max_length=60, blank=True)
    expected_cost_vnd = models.BigIntegerField(_("expected cost (đồng)"), null=True, blank=True)
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="field_records")
    converted_at = models.DateTimeField(_("turned into a proposal at"), null=True, blank=True)
    # Communication session.
    topic = models.CharField(_("topic"), max_length=300, blank=True)
    participants = models.PositiveIntegerField(_("number of participants"), null=True, blank=True)

    class Meta:
        verbose_name = _("field record")
        verbose_name_plural = _("field records")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            models.Index(fields=["province", "status", "kind"], name="network_rec_prov_status"),
            models.Index(fields=["collaborator", "occurred_on"], name="network_rec_collab_date"),
            # a province's records, newest first, a page at a time (the list and the API)
            models.Index(fields=["province", "-occurred_on", "-id"], name="network_rec_prov_date"),
            # reporting: the period's registrations by province (index-only)
            models.Index(fields=["kind", "occurred_on", "province", "commune", "project", "id"],
                         name="network_rec_kind_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(expected_cost_vnd__isnull=True) | Q(expected_cost_vnd__gte=0),
                                   name="network_record_cost_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d/%m/%Y}"


# --- tasks and announcements ------------------------------------------------------------------------------------------


class TaskStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class CollaboratorTask(TrackedModel):
    """Work the centre gives a collaborator: a due date, optionally a commune and an establishment."""

    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    collaborator = models.ForeignKey(Collaborator, verbose_name=_("collaborator"), on_delete=models.PROTECT,
                                     related_name="tasks")
    title = models.CharField(_("task"), max_length=250)
    description = models.TextField(_("details"), blank=True)
    commune = models.ForeignKey(AdminUnit, verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", limit_choices_to=CURRENT_COMMUNE)
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    completion_note = models.CharField(_("report"), max_length=500, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["status", "due_date", "id"]
        indexes = [models.Index(fields=["province", "status", "due_date"], name="network_task_prov_due"),
                   models.Index(fields=["collaborator", "due_date"], name="network_task_collab_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def overdue(self) -> bool:
        """Still to do after its due date."""
        return self.status == TaskStatus.OPEN and self.due_date < timezone.localdate()

    @property
    def on_time(self) -> bool:
        return self.status == TaskStatus.DONE and self.done_on is not None and self.done_on <= self.due_date


class Announcement(TrackedModel):
    """A notice from the centre to every collaborator of the province; each opening by a collaborator is a receipt."""

    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    title = models.CharField(_("headline"), max_length=250)
    body = models.TextField(_("text"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title


class AnnouncementRead(models.Model):
    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    collaborator = models.ForeignKey(Collaborator, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(_("read at"), auto_now_add=True)

    class Meta:
        verbose_name = _("read receipt")
        verbose_name_plural = _("read receipts")
        constraints = [models.UniqueConstraint(fields=["announcement", "collaborator"], name="network_read_once")]

    def __str__(self) -> str:
        return f"{self.collaborator_id} → {self.announcement_id}"


# --- fees -------------------------------------------------------------------------------------------------------------


# Fees are computed by month or by quarter (the product's periods are core.periods).
FEE_PERIOD_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER)
FEE_PERIOD_CHOICES = [(kind.value, kind.label) for kind in FEE_PERIOD_KINDS]


class FeeSheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED_OFF = "signed_off", _("Signed off by finance")
    PAID = "paid", _("Paid")


class FeeSheet(TrackedModel):
    """The collaborators' fees of a province for a month or quarter, computed from the regulation's scheme (kept in
    `scheme` as it was when computed) and signed off by a finance officer before payment."""

    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    period_kind = models.CharField(_("period"), max_length=10, choices=FEE_PERIOD_CHOICES)
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveSmallIntegerField(_("month or quarter"))
    regulation = models.ForeignKey(Regulation, on_delete=models.PROTECT, related_name="fee_sheets")
    scheme = models.JSONField(_("fee scheme applied"), default=dict)
    status = models.CharField(_("status"), max_length=12, choices=FeeSheetStatus.choices,
                              default=FeeSheetStatus.DRAFT)
    total_vnd = models.BigIntegerField(_("total (đồng)"), default=0)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    signed_at = models.DateTimeField(_("signed off at"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    payment_reference = models.CharField(_("payment reference"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("fee sheet")
        verbose_name_plural = _("fee sheets")
        ordering = ["-year", "-number", "province__code"]
        constraints = [
            models.UniqueConstraint(fields=["province", "period_kind", "year", "number"], name="network_fee_period"),
            models.CheckConstraint(condition=Q(total_vnd__gte=0), name="network_fee_total_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.province} {self.period_kind} {self.number}/{self.year}"


class FeeLine(models.Model):
    sheet = models.ForeignKey(FeeSheet, on_delete=models.CASCADE, related_name="lines")
    collaborator = models.ForeignKey(Collaborator, on_delete=models.PROTECT, related_name="fee_lines")
    months_active = models.PositiveSmallIntegerField(_("months active"))
    surveys = models.PositiveIntegerField(_("accepted surveys"))
    conversions = models.PositiveIntegerField(_("registrations turned into projects"))
    reports = models.PositiveIntegerField(_("accepted reports"))
    base_vnd = models.BigIntegerField(_("base fee"))
    survey_vnd = models.BigIntegerField(_("for surveys"))
    conversion_vnd = models.BigIntegerField(_("for conversions"))
    report_vnd = models.BigIntegerField(_("for reports"))
    cap_reduction_vnd = models.BigIntegerField(_("above the cap"), default=0)
    total_vnd = models.BigIntegerField(_("total"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=0)

    class Meta:
        verbose_name = _("fee line")
        verbose_name_plural = _("fee lines")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["sheet", "collaborator"], name="network_fee_line_once"),
                       models.CheckConstraint(condition=Q(total_vnd__gte=0), name="network_fee_line_positive")]

    def __str__(self) -> str:
        return f"{self.collaborator_id}: {self.total_vnd}"


# --- establishments found in the field --------------------------------------------------------------------------------


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, waiting for the centre")
    ACCEPTED = "accepted", _("Added to the registry")
    REJECTED = "rejected", _("Rejected")


class EstablishmentProposal(TrackedModel):
    """A rural industrial establishment a collaborator found in a commune they cover and that the registry does not
    hold yet: a change request to the registry. The centre staff of the province accept it (the establishment is then
    created through the registry's own service, with its validation and duplicate checks, and `establishment` keeps
    the link) or reject it with a reason; the collaborator sees the outcome."""

    collaborator = models.ForeignKey(Collaborator, verbose_name=_("collaborator"), on_delete=models.PROTECT,
                                     related_name="establishment_proposals")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    commune = models.ForeignKey(AdminUnit, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="+",
                                limit_choices_to=CURRENT_COMMUNE)
    name = models.CharField(_("name"), max_length=250)
    entity_type = models.CharField(_("entity type"), max_length=20, choices=EntityType.choices)
    sme_size = models.CharField(_("enterprise size"), max_length=10, choices=SmeSize.choices, blank=True)
    sectors = models.ManyToManyField(Sector, verbose_name=_("sectors"), blank=True, related_name="+")
    main_products = models.CharField(_("main products"), max_length=300, blank=True)
    representative = models.CharField(_("owner or representative"), max_length=150)
    phone = models.CharField(_("phone"), max_length=15, blank=True)
    address = models.CharField(_("address (village, street)"), max_length=300, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    photo = models.FileField(_("photo"), upload_to="network/proposals/%Y/%m/", blank=True)
    notes = models.TextField(_("notes"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ProposalStatus.choices,
                              default=ProposalStatus.PROPOSED)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_note = models.CharField(_("reason"), max_length=500, blank=True)
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment created"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("proposed establishment")
        verbose_name_plural = _("proposed establishments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "status", "-created_at"], name="network_prop_prov_status")]

    def __str__(self) -> str:
        return self.name


# --- the phone's outbox -----------------------------------------------------------------------------------------------


class SyncKind(models.TextChoices):
    SURVEY = "survey", _("survey")
    NEED = "need", _("support needs")
    ESTABLISHMENT = "establishment", _("new establishment")
    TASK_REPORT = "task_report", _("task report")


class SyncReceipt(models.Model):
    """One item of a collaborator's phone outbox that the server accepted, kept under the phone's client id (a UUID
    made when the item was captured). A retry of the same item (a dropped answer, a second tap) finds this row and
    gets the same answer back: nothing is recorded twice. A refused item leaves no row and stays on the phone."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client_id = models.UUIDField(_("client id"))
    kind = models.CharField(_("kind"), max_length=20, choices=SyncKind.choices)
    object_label = models.CharField(_("what was recorded"), max_length=300)
    object_url = models.CharField(max_length=300, blank=True)
    conflict = models.BooleanField(_("changed on the server meanwhile"), default=False)
    message = models.CharField(_("message"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True)

    class Meta:
        verbose_name = _("synchronised item")
        verbose_name_plural = _("synchronised items")
        constraints = [models.UniqueConstraint(fields=["user", "client_id"], name="network_sync_once")]

    def __str__(self) -> str:
        return self.object_label
