"""The tables of extraction: an article read into an activity record, waiting for a member of staff to review it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from khuyencong.core.models import TrackedModel
from khuyencong.core.text import fold
from khuyencong.geo.models import AdminUnit


class ExtractionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("extraction status", "Waiting for review")
    ACCEPTED = "accepted", pgettext_lazy("extraction status", "Accepted")
    REJECTED = "rejected", pgettext_lazy("extraction status", "Rejected")


class ArticleExtraction(TrackedModel):
    """What the reader found in one article. Nothing reaches the events until staff accept it."""

    text = models.TextField(_("article text"))
    source_title = models.CharField(_("source title"), max_length=300, blank=True)
    source_url = models.URLField(_("source link"), max_length=500, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    record = models.JSONField(_("record read"), default=dict)
    title = models.CharField(pgettext_lazy("article field", "title"), max_length=300, blank=True)
    province = models.ForeignKey(AdminUnit, verbose_name=_("province"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text=_("Today's province of the organiser; empty when not recognised."))
    status = models.CharField(_("status"), max_length=10, choices=ExtractionStatus.choices,
                              default=ExtractionStatus.PENDING, db_index=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    event = models.ForeignKey("events.Event", verbose_name=_("event"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    merged = models.BooleanField(_("merged into an existing event"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    search_text = models.TextField(editable=False, default="")  # folded title, source and text

    class Meta:
        verbose_name = _("article extraction")
        verbose_name_plural = _("article extractions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["province", "status", "-created_at"], name="extraction_prov_status")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="extraction_text_present"),
            models.CheckConstraint(condition=Q(status="pending") | Q(decided_on__isnull=False),
                                   name="extraction_decided_on"),
        ]

    def save(self, *args, **kwargs):
        self.search_text = fold(" | ".join((self.title, self.source_title, self.text)))
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return self.title or self.source_title or f"#{self.pk}"
