"""KC programmes, annual plans with their budget envelope, projects (đề án khuyến công) and their append-only ledger.

A project belongs to one annual plan (national or local fund, one year); its contents are KC contents of the rules
catalogue, each with the quote of the support rate in force; its beneficiaries are registry establishments with the
eligibility found on the application date. Its money lives only in `LedgerEntry` rows, which are never changed or
deleted: a mistake is corrected by a reversing entry.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from khuyencong.accounts.models import Organisation
from khuyencong.core.errors import DomainError
from khuyencong.core.models import TrackedModel
from khuyencong.geo.models import AdminUnit
from khuyencong.registry.models import Establishment
from khuyencong.rules.models import ContentItem, FundSource

CURRENT_PROVINCE = {"scheme": "current", "level": "province"}
CURRENT_COMMUNE = {"scheme": "current", "level": "commune"}


# --- programmes and plans -------------------------------------------------------------------------------------------


class Programme(TrackedModel):
    """A five-year KC programme: the national one (approved by the Minister since Decree 235/2025) or a province's
    (approved by the provincial People's Committee)."""

    name = models.CharField(_("name"), max_length=300)
    fund = models.CharField(_("fund"), max_length=10, choices=FundSource.choices)
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", limit_choices_to=CURRENT_PROVINCE)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    decision_number = models.CharField(_("approval decision"), max_length=80, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("KC programme")
        verbose_name_plural = _("KC programmes")
        ordering = ["-start_year", "fund", "province__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fund="national", province__isnull=True) | Q(fund="local", province__isnull=False),
                name="projects_programme_fund_scope",
            ),
            models.CheckConstraint(condition=Q(end_year=models.F("start_year") + 4), name="projects_programme_5y"),
        ]

    def __str__(self) -> str:
        return self.name


class AnnualPlan(TrackedModel):
    """The KC plan of one year for one fund: national (one for the country) or local (one per province).

    `envelope_vnd` is the budget envelope in force: the amount of the approval decision, then of the latest
    adjustment decision. Approvals of projects may not commit more than it.
    """

    programme = models.ForeignKey(Programme, verbose_name=_("programme"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="plans")
    # Fixed when the plan is opened: the plan's projects copy it (`Project.year`) and their codes carry it.
    year = models.PositiveSmallIntegerField(_("year"))
    fund = models.CharField(_("fund"), max_length=10, choices=FundSource.choices)
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", limit_choices_to=CURRENT_PROVINCE)
    name = models.CharField(_("name"), max_length=300)
    envelope_vnd = models.BigIntegerField(_("budget envelope (đồng)"), default=0)
    initial_envelope_vnd = models.BigIntegerField(_("initial envelope (đồng)"), default=0)
    decision_number = models.CharField(_("approval decision"), max_length=80, blank=True)
    decision_date = models.DateField(_("decision date"), null=True, blank=True)
    signer = models.CharField(_("signed by"), max_length=150, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("annual KC plan")
        verbose_name_plural = _("annual KC plans")
        ordering = ["-year", "fund", "province__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(fund="national", province__isnull=True) | Q(fund="local", province__isnull=False),
                name="projects_plan_fund_scope",
            ),
            models.CheckConstraint(condition=Q(envelope_vnd__gte=0), name="projects_plan_envelope_positive"),
            models.UniqueConstraint(fields=["year", "fund"], condition=Q(province__isnull=True),
                                    name="projects_plan_national_unique"),
            models.UniqueConstraint(fields=["year", "fund", "province"], condition=Q(province__isnull=False),
                                    name="projects_plan_local_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return bool(self.decision_number and self.decision_date)


class PlanAdjustment(models.Model):
    """A dated decision that changed a plan's envelope. Kept for the record; never edited."""

    plan = models.ForeignKey(AnnualPlan, on_delete=models.PROTECT, related_name="adjustments")
    decision_number = models.CharField(_("decision number"), max_length=80)
    decision_date = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=150, blank=True)
    previous_envelope_vnd = models.BigIntegerField(_("envelope before (đồng)"))
    envelope_vnd = models.BigIntegerField(_("envelope after (đồng)"))
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("plan adjustment")
        verbose_name_plural = _("plan adjustments")
        ordering = ["decision_date", "id"]
        constraints = [models.CheckConstraint(condition=Q(envelope_vnd__gte=0), name="projects_adjust_positive")]

    def __str__(self) -> str:
        return f"{self.decision_number} ({self.decision_date:%d/%m/%Y})"


# --- projects -------------------------------------------------------------------------------------------------------


class ProjectKind(models.TextChoices):
    """The kinds of TT 36/2013 (their codes are those of the project kinds of the rules, so `change_authority` reads
    them directly) and the non-project KC task (award round, fair, media, inspection)."""

    STANDARD = "standard", _("Project for a named beneficiary")
    GROUP = "group", _("Group project")
    FLAGSHIP = "flagship", _("Flagship project")
    TASK = "task", _("KC task (award round, fair, media…)")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the DoIT")
    RETURNED = "returned", _("Returned for correction")
    REJECTED = "rejected", _("Rejected")
    BASE_APPRAISED = "base_appraised", _("Appraised at base level")
    REGISTERED = "registered", _("Registered with the ministry agency")
    MINISTRY_APPRAISED = "ministry_appraised", _("Appraised by the ministry")
    COUNCIL_APPRAISED = "council_appraised", _("Appraised by the DoIT council")
    APPROVED = "approved", _("Approved in the plan")
    CONTRACTED = "contracted", _("Contracted")
    IN_PROGRESS = "in_progress", _("In progress")
    ACCEPTED = "accepted", _("Accepted")
    SETTLEMENT_SUBMITTED = "settlement_submitted", _("Settlement submitted")
    SETTLED = "settled", _("Settled")
    ARCHIVED = "archived", _("Archived")
    SUSPENDED = "suspended", _("Suspended")
    STOPPED = "stopped", _("Stopped")


# States in which nothing can be late any more.
CLOSED_STATUSES = (ProjectStatus.REJECTED, ProjectStatus.SETTLED, ProjectStatus.ARCHIVED, ProjectStatus.STOPPED)
# States in which the project's documents describe what was proposed: the centre may still edit it.
EDITABLE_STATUSES = (ProjectStatus.DRAFT, ProjectStatus.RETURNED)


class Project(TrackedModel):
    """A KC project (đề án khuyến công) or KC task of an annual plan."""

    code = models.CharField(_("code"), max_length=32, unique=True, editable=False)
    seq = models.PositiveIntegerField(editable=False)
    plan = models.ForeignKey(AnnualPlan, verbose_name=_("plan"), on_delete=models.PROTECT, related_name="projects")
    # The plan's year, copied when the project is put in its plan (a plan's year never changes): the lists sort and
    # filter on it through their own index instead of joining and sorting every project with its plan.
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=ProjectKind.choices, default=ProjectKind.STANDARD)
    title = models.CharField(_("project title"), max_length=400)
    title_folded = models.CharField(max_length=400, editable=False, default="")
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to=CURRENT_PROVINCE)
    commune = models.ForeignKey(AdminUnit, verbose_name=_("commune"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+", limit_choices_to=CURRENT_COMMUNE)
    implementing_org = models.ForeignKey(Organisation, verbose_name=_("implementing organisation"),
                                         on_delete=models.PROTECT, related_name="kc_projects")
    objectives = models.TextField(_("objectives"), blank=True)
    expected_results = models.TextField(_("expected results"), blank=True)
    start_date = models.DateField(_("planned start"), null=True, blank=True)
    end_date = models.DateField(_("planned end"), null=True, blank=True)
    priority = models.BooleanField(
        _("priority support asked"), default=False,
        help_text=_("Priority area or sector (TT 46/2012 Art 6): the rule's priority multiplier applies to the cap."),
    )
    status = models.CharField(_("status"), max_length=24, choices=ProjectStatus.choices,
                              default=ProjectStatus.DRAFT, db_index=True)
    status_before_suspension = models.CharField(max_length=24, blank=True, editable=False)
    application_date = models.DateField(_("application date"), null=True, blank=True, editable=False)
    approved_on = models.DateField(_("approved on"), null=True, blank=True, editable=False)
    approval_reference = models.CharField(_("approval decision"), max_length=120, blank=True, editable=False)
    contract_reference = models.CharField(_("contract"), max_length=120, blank=True, editable=False)
    contract_date = models.DateField(_("contract date"), null=True, blank=True, editable=False)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True, editable=False)
    settled_on = models.DateField(_("settled on"), null=True, blank=True, editable=False)
    # The next deadline of the current step (from the calendar rules or the planned end); refreshed by each
    # transition so that "late" is one indexed comparison.
    due_date = models.DateField(_("next deadline"), null=True, blank=True, editable=False, db_index=True)
    due_label = models.CharField(_("deadline"), max_length=400, blank=True, editable=False)
    due_basis = models.CharField(max_length=300, blank=True, editable=False)
    # The deadline of the next monthly progress report while the project runs (None: no rule asks for one).
    reports_from = models.DateField(_("reports owed from"), null=True, blank=True, editable=False)
    report_due_date = models.DateField(_("next progress report due"), null=True, blank=True, editable=False,
                                       db_index=True)
    rules_frozen = models.JSONField(_("rules frozen at approval"), default=dict, blank=True, editable=False)
    beneficiaries = models.ManyToManyField(Establishment, through="ProjectBeneficiary", blank=True,
                                           related_name="kc_projects", verbose_name=_("beneficiaries"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", editable=False)

    class Meta:
        verbose_name = _("KC project")
        verbose_name_plural = _("KC projects")
        ordering = ["-year", "code"]
        indexes = [
            # The project lists' order: a page reads its 25 rows from the index, whatever the number of projects.
            models.Index(fields=["-year", "code"], name="projects_year_code"),
            models.Index(fields=["province", "status"], name="projects_prov_status"),
            models.Index(fields=["plan", "status"], name="projects_plan_status"),
            # Covers the reporting dashboard's per-plan-year aggregates (read without touching the table; bench/).
            models.Index(fields=["plan", "approved_on", "id", "province", "commune", "status", "kind"],
                         name="projects_plan_approved"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    @property
    def fund(self) -> str:
        return self.plan.fund

    @property
    def is_national(self) -> bool:
        return self.plan.fund == FundSource.NATIONAL


class ProjectBeneficiary(models.Model):
    """An establishment the project supports, with its eligibility (cơ sở CNNT) found on the application date."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="beneficiary_links")
    establishment = models.ForeignKey(Establishment, verbose_name=_("establishment"), on_delete=models.PROTECT,
                                      related_name="kc_project_links")
    eligible = models.BooleanField(_("eligible"), null=True)
    needs_review = models.BooleanField(_("needs review"), default=False)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    basis = models.JSONField(_("legal basis"), default=list, blank=True)
    checked_on = models.DateField(_("checked on"))
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("beneficiary")
        verbose_name_plural = _("beneficiaries")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["project", "establishment"], name="projects_beneficiary_once")]

    def __str__(self) -> str:
        return str(self.establishment)


class ProjectContent(models.Model):
    """One KC content of the project with its budget: eligible cost = requested support + counterpart + other
    sources, and the quote of the support rate that bounds the request."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="contents")
    content = models.ForeignKey(ContentItem, verbose_name=_("content"), on_delete=models.PROTECT,
                                related_name="+")
    variant = models.CharField(_("variant"), max_length=40, blank=True)
    establishment = models.ForeignKey(Establishment, verbose_name=_("for the establishment"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=300, blank=True)
    eligible_cost_vnd = models.BigIntegerField(_("eligible cost (đồng)"))
    requested_support_vnd = models.BigIntegerField(_("requested KC support (đồng)"))
    counterpart_vnd = models.BigIntegerField(_("counterpart funds (đồng)"), default=0)
    other_sources_vnd = models.BigIntegerField(_("other sources (đồng)"), default=0)
    quote_support_vnd = models.BigIntegerField(_("maximum support by the rule (đồng)"))
    quote = models.JSONField(_("quote"), default=dict)
    quoted_on = models.DateField(_("quoted on"))

    class Meta:
        verbose_name = _("project content")
        verbose_name_plural = _("project contents")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(eligible_cost_vnd__gte=0, requested_support_vnd__gte=0, counterpart_vnd__gte=0,
                            other_sources_vnd__gte=0),
                name="projects_content_amounts_positive",
            ),
            models.CheckConstraint(condition=Q(requested_support_vnd__lte=models.F("quote_support_vnd")),
                                   name="projects_content_within_quote"),
        ]

    def __str__(self) -> str:
        return self.content.name


class ProjectDocument(models.Model):
    """A document of the checklist received for the project (optionally with its scanned file)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    code = models.SlugField(_("document"), max_length=60)
    file = models.FileField(_("file"), upload_to="projects/documents/%Y/%m/", blank=True)
    reference = models.CharField(_("number / reference"), max_length=120, blank=True)
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("project document")
        verbose_name_plural = _("project documents")
        constraints = [models.UniqueConstraint(fields=["project", "code"], name="projects_document_once")]

    def __str__(self) -> str:
        return self.code


# --- ledger ---------------------------------------------------------------------------------------------------------


class LedgerKind(models.TextChoices):
    APPROVED = "APPROVED", _("Approved support")
    CONTRACTED = "CONTRACTED", _("Contracted support")
    ADVANCE = "ADVANCE", _("Advance")
    DISBURSEMENT = "DISBURSEMENT", _("Disbursement")
    SETTLEMENT = "SETTLEMENT", _("Settled amount")
    REFUND = "REFUND", _("Refund to the budget")


class LedgerImmutable(DomainError):
    code = "ledger_append_only"
    http_status = 409


def _refuse_change():
    raise LedgerImmutable(gettext("Ledger entries are never changed or deleted: record a reversing entry instead."))


class LedgerQuerySet(models.QuerySet):
    def update(self, **kwargs):
        _refuse_change()

    def delete(self):
        _refuse_change()


class LedgerEntry(models.Model):
    """One money movement of a project. Append-only: a correction is a new entry of the same kind with the opposite
    amount that `reverses` the wrong one. Balances are sums of these rows."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="ledger")
    kind = models.CharField(_("kind"), max_length=14, choices=LedgerKind.choices)
    amount_vnd = models.BigIntegerField(_("amount (đồng)"))
    on_date = models.DateField(_("date"))
    reference = models.CharField(_("voucher / decision"), max_length=120, blank=True)
    note = models.TextField(_("note"), blank=True)
    reverses = models.OneToOneField("self", verbose_name=_("reverses"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="reversed_by")
    rule = models.JSONField(_("rule applied"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["on_date", "id"]
        indexes = [models.Index(fields=["project", "kind"], name="projects_ledger_kind")]
        constraints = [
            models.CheckConstraint(
                condition=Q(reverses__isnull=True, amount_vnd__gt=0) | Q(reverses__isnull=False, amount_vnd__lt=0),
                name="projects_ledger_sign",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_vnd} ({self.on_date:%d/%m/%Y})"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _refuse_change()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_change()


# --- monitoring: progress reports, supervision visits, acceptance minutes ---------------------------------------------


class ProgressReport(models.Model):
    """The implementing unit's monthly progress report (Mẫu 3a/3b style, TT 36/2013 Art 23): the month it covers,
    the work done and money used per content, problems and proposals. A report sent is a record: it is not edited;
    a correction is the next month's report. `late` says it came after the deadline of its month."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="progress_reports")
    period = models.DateField(_("month reported"), help_text=_("The first day of the month the report covers."))
    submitted_on = models.DateField(_("submitted on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    due_basis = models.CharField(_("deadline rule"), max_length=300, blank=True)
    late = models.BooleanField(_("late"), default=False)
    problems = models.TextField(_("problems"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    money_used_vnd = models.BigIntegerField(_("money used (đồng)"), default=0)
    file = models.FileField(_("signed report"), upload_to="projects/reports/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["project", "period"], name="projects_report_once_a_month"),
            models.CheckConstraint(condition=Q(money_used_vnd__gte=0), name="projects_report_money_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.period:%m/%Y}"


class ProgressLine(models.Model):
    """Work done on one content of the project in the month, with the money used on it (all sources)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="lines")
    content = models.ForeignKey(ProjectContent, verbose_name=_("content"), on_delete=models.PROTECT,
                                related_name="progress_lines")
    work_done = models.TextField(_("work done"), blank=True)
    percent_done = models.PositiveSmallIntegerField(_("cumulative % done"), default=0)
    money_used_vnd = models.BigIntegerField(_("money used (đồng)"), default=0)

    class Meta:
        verbose_name = _("progress line")
        verbose_name_plural = _("progress lines")
        ordering = ["content_id"]
        constraints = [
            models.CheckConstraint(condition=Q(percent_done__lte=100), name="projects_progress_percent"),
            models.CheckConstraint(condition=Q(money_used_vnd__gte=0), name="projects_progress_money_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.report} · {self.content_id}"


class VisitFollowUp(models.TextChoices):
    NONE = "none", _("Nothing to follow up")
    OPEN = "open", _("Follow-up open")
    DONE = "done", _("Follow-up done")


class SupervisionVisit(TrackedModel):
    """An inspection or supervision visit (kiểm tra, giám sát): who went, when, what they found and recommended, and
    whether the recommendations were followed up."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="visits")
    visit_date = models.DateField(_("visit date"))
    team = models.TextField(_("inspection team"))
    findings = models.TextField(_("findings"))
    recommendations = models.TextField(_("recommendations"), blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=8, choices=VisitFollowUp.choices,
                                 default=VisitFollowUp.NONE)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("supervision visit")
        verbose_name_plural = _("supervision visits")
        ordering = ["-visit_date", "-id"]

    def __str__(self) -> str:
        return f"{self.visit_date:%d/%m/%Y}"


class VisitAttachment(models.Model):
    """A photo or document of a visit."""

    visit = models.ForeignKey(SupervisionVisit, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="projects/visits/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("visit attachment")
        verbose_name_plural = _("visit attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.file.name.rsplit("/", 1)[-1]

    @property
    def is_image(self) -> bool:
        return self.file.name.lower().rsplit(".", 1)[-1] in ("jpg", "jpeg", "png", "webp", "gif")


class AcceptanceConclusion(models.TextChoices):
    PASSED = "passed", _("Accepted")
    CONDITIONS = "conditions", _("Accepted with conditions")
    FAILED = "failed", _("Not accepted")


PASSING_CONCLUSIONS = (AcceptanceConclusion.PASSED, AcceptanceConclusion.CONDITIONS)


class AcceptanceRecord(models.Model):
    """Acceptance minutes (biên bản nghiệm thu, Mẫu 5a per site): date, members, results per content and indicator,
    conclusion. The `accept` step needs at least one record that accepts the work."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="acceptances")
    minutes_date = models.DateField(_("date of the minutes"))
    reference = models.CharField(_("minutes number"), max_length=120, blank=True)
    site = models.CharField(_("site"), max_length=300, blank=True)
    members = models.JSONField(_("council members"), default=list)
    conclusion = models.CharField(_("conclusion"), max_length=12, choices=AcceptanceConclusion.choices)
    conclusion_text = models.TextField(_("conclusion and conditions"), blank=True)
    file = models.FileField(_("signed minutes"), upload_to="projects/acceptance/%Y/%m/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("acceptance minutes")
        verbose_name_plural = _("acceptance minutes")
        ordering = ["-minutes_date", "-id"]

    def __str__(self) -> str:
        return self.reference or self.minutes_date.strftime("%d/%m/%Y")

    @property
    def passed(self) -> bool:
        return self.conclusion in PASSING_CONCLUSIONS


class AcceptanceResult(models.Model):
    """The result found for one content or one indicator (trainees, machines, models, jobs…)."""

    record = models.ForeignKey(AcceptanceRecord, on_delete=models.CASCADE, related_name="results")
    content = models.ForeignKey(ProjectContent, verbose_name=_("content"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="acceptance_results")
    indicator = models.CharField(_("indicator"), max_length=200)
    planned = models.CharField(_("planned"), max_length=100, blank=True)
    achieved = models.CharField(_("achieved"), max_length=100, blank=True)
    met = models.BooleanField(_("met"), default=True)

    class Meta:
        verbose_name = _("acceptance result")
        verbose_name_plural = _("acceptance results")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.indicator


# --- adjustments ----------------------------------------------------------------------------------------------------


class AdjustmentKind(models.TextChoices):
    BUDGET = "budget", _("Budget of a content")
    CONTENT = "content", _("Change of KC content")
    SCHEDULE = "schedule", _("Schedule (planned end)")
    BENEFICIARY = "beneficiary", _("Beneficiary")


class AdjustmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting decision")
    APPROVED = "approved", _("Approved by the authority")
    REFUSED = "refused", _("Refused by the authority")


class AdjustmentRequest(TrackedModel):
    """A request to change an approved project (TT 36/2013 Art 11): routed to the authority the rules name for that
    kind of change (`rules.engine.change_authority`), decided with a reference, applied on approval."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="adjustments")
    kind = models.CharField(_("kind of change"), max_length=12, choices=AdjustmentKind.choices)
    summary = models.CharField(_("change requested"), max_length=400)
    reason = models.TextField(_("reasons"))
    requested_on = models.DateField(_("requested on"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    content_row = models.ForeignKey(ProjectContent, verbose_name=_("content"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="adjustments")
    new_content = models.ForeignKey(ContentItem, verbose_name=_("new content"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    new_eligible_cost_vnd = models.BigIntegerField(_("new eligible cost (đồng)"), null=True, blank=True)
    new_support_vnd = models.BigIntegerField(_("new KC support (đồng)"), null=True, blank=True)
    new_end_date = models.DateField(_("new planned end"), null=True, blank=True)
    old_establishment = models.ForeignKey(Establishment, verbose_name=_("beneficiary replaced"), null=True,
                                          blank=True, on_delete=models.PROTECT, related_name="+")
    new_establishment = models.ForeignKey(Establishment, verbose_name=_("new beneficiary"), null=True, blank=True,
                                          on_delete=models.PROTECT, related_name="+")
    decision_kind = models.CharField(_("decision"), max_length=40)
    authority = models.CharField(_("authority code"), max_length=40)
    authority_label = models.CharField(_("who decides"), max_length=300)
    authority_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=AdjustmentStatus.choices,
                              default=AdjustmentStatus.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decision_reference = models.CharField(_("decision number"), max_length=120, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    effects = models.JSONField(_("effects applied"), default=dict, blank=True)

    class Meta:
        verbose_name = _("adjustment request")
        verbose_name_plural = _("adjustment requests")
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return self.summary


# --- appraisal councils and scoring sheets ----------------------------------------------------------------------------


class CouncilLevel(models.TextChoices):
    BASE = "base", _("Base-level appraisal (DoIT)")
    MINISTRY = "ministry", _("Ministry-level appraisal")
    PROVINCIAL = "provincial", _("DoIT appraisal council (local project)")


class CouncilConclusion(models.TextChoices):
    APPROVE = "approve", _("Approve")
    APPROVE_CHANGES = "approve_changes", _("Approve with changes")
    REJECT = "reject", _("Reject")


PASSING_COUNCIL_CONCLUSIONS = (CouncilConclusion.APPROVE, CouncilConclusion.APPROVE_CHANGES)


class MemberRole(models.TextChoices):
    CHAIR = "chair", _("Chair")
    SECRETARY = "secretary", _("Secretary")
    MEMBER = "member", _("Member")


class AppraisalCouncil(TrackedModel):
    """An appraisal council (hội đồng thẩm định) set up by a decision for one project at one level, with the scoring
    sheet it uses (a copy of `data/appraisal_sheets.json` at set-up), its members' sheets and its conclusion."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="councils")
    level = models.CharField(_("appraisal level"), max_length=12, choices=CouncilLevel.choices)
    decision_number = models.CharField(_("decision setting up the council"), max_length=120)
    decision_date = models.DateField(_("decision date"))
    signer = models.CharField(_("signed by"), max_length=150, blank=True)
    sheet = models.JSONField(_("scoring sheet"), default=dict)
    conclusion = models.CharField(_("conclusion"), max_length=16, choices=CouncilConclusion.choices, blank=True)
    minutes = models.TextField(_("minutes and conclusion"), blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    average = models.DecimalField(_("average score"), max_digits=6, decimal_places=2, null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("appraisal council")
        verbose_name_plural = _("appraisal councils")
        ordering = ["-decision_date", "-id"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} — {self.decision_number}"

    @property
    def concluded(self) -> bool:
        return bool(self.conclusion)


class CouncilMember(models.Model):
    council = models.ForeignKey(AppraisalCouncil, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("full name"), max_length=150)
    position = models.CharField(_("position and unit"), max_length=300, blank=True)
    role = models.CharField(_("role in the council"), max_length=10, choices=MemberRole.choices,
                            default=MemberRole.MEMBER)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="projects_member_once"),
            models.UniqueConstraint(fields=["council"], condition=Q(role="chair"), name="projects_one_chair"),
        ]

    def __str__(self) -> str:
        return self.name


class ScoreSheet(TrackedModel):
    """One member's scores: criterion code → points (None: not applicable), and the total on the sheet's scale."""

    member = models.OneToOneField(CouncilMember, on_delete=models.CASCADE, related_name="score_sheet")
    scores = models.JSONField(_("scores"), default=dict)
    total = models.DecimalField(_("total"), max_digits=6, decimal_places=2)
    comment = models.TextField(_("comments"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="projects_sheet_total_positive")]

    def __str__(self) -> str:
        return f"{self.member} · {self.total}"
