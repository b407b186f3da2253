"""Periodic reports (báo cáo định kỳ): the report types the law names, kept as data, and their instances.

A report instance is one organisation's report of one type for one period. Its figures are a view of the data
(the indicator selectors) until it is approved; approval takes a snapshot that the report shows from then on, even
when the data changes later. Unlocking keeps the old snapshot in the history.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.accounts.models import Organisation, OrganisationKind, Role
from khuyencong.core.models import TrackedModel
from khuyencong.core.periods import Period, PeriodKind
from khuyencong.geo.models import AdminUnit


class ReportType(models.Model):
    """A kind of periodic report, loaded from `reporting/data/report_types.json` (deadlines and frequencies that
    the law leaves open are configuration, marked as unverified)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=80)
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    from_kind = models.CharField(_("reported by"), max_length=20, choices=OrganisationKind.choices)
    recipients = models.CharField(_("sent to"), max_length=250)
    indicator_codes = models.JSONField(_("indicators"), default=list, blank=True,
                                       help_text=_("Empty: the whole indicator catalogue."))
    approver_role = models.CharField(_("approved by"), max_length=30, choices=Role.choices)
    unlock_role = models.CharField(_("unlocked by"), max_length=30, choices=Role.choices)
    deadline_days = models.PositiveSmallIntegerField(_("due (days after the period ends)"))
    deadline_verified = models.BooleanField(_("deadline verified in law"), default=False)
    legal_basis = models.CharField(_("legal basis"), max_length=250)
    note = models.TextField(_("note"), blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("report type")
        verbose_name_plural = _("report types")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("report status", "Submitted")
    APPROVED = "approved", pgettext_lazy("report status", "Approved")
    LOCKED = "locked", pgettext_lazy("report status", "Locked")


NARRATIVE_SECTIONS = ("situation", "results", "difficulties", "proposals")


class Report(TrackedModel):
    report_type = models.ForeignKey(ReportType, verbose_name=_("report type"), on_delete=models.PROTECT,
                                    related_name="reports")
    organisation = models.ForeignKey(Organisation, verbose_name=_("reporting organisation"),
                                     on_delete=models.PROTECT, related_name="reports")
    # The organisation's province, kept on the report so that scoping is one indexed filter.
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), on_delete=models.PROTECT, related_name="+",
                                 limit_choices_to={"scheme": "current", "level": "province"})
    period = models.CharField(_("period"), max_length=10, db_index=True)  # "2026-Q3", see periods.Period
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    number = models.CharField(_("document number"), max_length=60, blank=True)
    situation = models.TextField(_("general situation"), blank=True)
    results = models.TextField(_("results"), blank=True)
    difficulties = models.TextField(_("difficulties and shortcomings"), blank=True)
    proposals = models.TextField(_("proposals and recommendations"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    return_reason = models.TextField(_("reason returned"), blank=True)
    snapshot = models.OneToOneField("ReportSnapshot", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("approved figures"))

    class Meta:
        verbose_name = _("periodic report")
        verbose_name_plural = _("periodic reports")
        ordering = ["-period_start", "province__code", "report_type__order"]
        constraints = [
            models.UniqueConstraint(fields=["report_type", "organisation", "period"], name="reporting_report_unique"),
        ]
        indexes = [models.Index(fields=["province", "period"], name="reporting_report_prov_period")]

    def __str__(self) -> str:
        return f"{self.report_type.short_name} — {self.period_obj.label} — {self.organisation.name}"

    @property
    def period_obj(self) -> Period:
        return Period.parse(self.period)

    @property
    def is_frozen(self) -> bool:
        """Approved or locked: the figures are the snapshot's."""
        return self.status in (ReportStatus.APPROVED, ReportStatus.LOCKED)

    @property
    def submitted_late(self) -> bool | None:
        if self.submitted_at is None:
            return None
        from django.utils import timezone

        return timezone.localdate(self.submitted_at) > self.due_date


class ReportSnapshot(models.Model):
    """The figures of a report as approved: indicator rows, period, geography and the time they were computed.
    Kept when the report is unlocked (then `superseded_at` and the reason say why it no longer applies)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="snapshots")
    taken_at = models.DateTimeField(_("taken at"), auto_now_add=True)
    taken_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField(_("figures"))
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("report snapshot")
        verbose_name_plural = _("report snapshots")
        ordering = ["-taken_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report_id} @ {self.taken_at:%d/%m/%Y %H:%M}"


class ExportJob(models.Model):
    """A large export computed by the background worker (all provinces): progress, then a file to download."""

    class Kind(models.TextChoices):
        COMPLETENESS = "completeness", _("Completeness and timeliness of reports")
        FIGURES = "figures", _("Figures of every province")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    period = models.CharField(max_length=10)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The last sign of life of the worker holding it (core.jobs reaps a job left running without progress).
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.CharField(max_length=250, blank=True)  # path in the default storage
    message = models.TextField(blank=True)

    class Meta:
        verbose_name = _("report export")
        verbose_name_plural = _("report exports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def running(self) -> bool:
        """The worker has not finished it: the page follows its progress."""
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def ready(self) -> bool:
        """The file is written and can be downloaded."""
        return self.status == self.Status.DONE
